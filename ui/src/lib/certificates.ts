// Verification codes of course certificates (package certificates): ten
// characters of Crockford's base 32, printed in two groups of five.

/** formatCertificateCode writes a code as it is printed: "ABCDE-12345". */
export function formatCertificateCode(code: string): string {
  return code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

/** normalizeCertificateCode reads a typed code as the server does ("" for none): any case, spaces and dashes, O for 0, I and L for 1. */
export function normalizeCertificateCode(typed: string): string {
  const code = typed.toUpperCase().replace(/[\s-]+/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(code) ? code : "";
}

// Claim codes (package claim on the server): the device draws a code of ten
// digits, shows it (and keeps it on the device only until the registration
// reaches the server: sync.keepUntilSynced), and sends only
// claim_hash = hex(sha256("retorno-claim:" + returnee id + ":" + code)).

/** CODE_DIGITS is the length of the codes newClaimCode draws. */
export const CODE_DIGITS = 10;

/** newClaimCode draws a code of CODE_DIGITS digits without modulo bias. */
export function newClaimCode(): string {
  let out = "";
  const buf = new Uint8Array(16);
  while (out.length < CODE_DIGITS) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      if (b < 250 && out.length < CODE_DIGITS) out += String(b % 10);
    }
  }
  return out;
}

/** claimHash is the claim_hash field of the returnee returneeId for code. */
export async function claimHash(returneeId: string, code: string): Promise<string> {
  const digits = code.replace(/[^0-9]/g, "");
  const data = new TextEncoder().encode(`retorno-claim:${returneeId}:${digits}`);
  const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(sum, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** formatClaimCode groups a code for reading aloud: "025 884 6604". */
export function formatClaimCode(code: string): string {
  return code.replace(/^(\d{3})(\d{3})(\d+)$/, "$1 $2 $3");
}

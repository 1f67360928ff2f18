// The codes of the enumerations the web app labels, read from the generated
// values catalog (catalog.UIEnums, make ui-labels), so that a form offers
// exactly the server's choices, in the catalog's order.
import es from "../i18n/catalogs/values.json";

/** codes are the codes of the enumeration whose labels are values.<prefix>_<code>. */
export function codes(prefix: string): string[] {
  const start = prefix + "_";
  return Object.keys(es)
    .filter((k) => k.startsWith(start))
    .map((k) => k.slice(start.length));
}

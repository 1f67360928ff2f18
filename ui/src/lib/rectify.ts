// How a requested correction's values read on the staff screens: a person's
// field in plain words (the state's name, the label of a code), never a raw
// id or code.
import { t } from "../i18n/index.svelte";

type Named = { id: string; name?: unknown };

/** shownValue is v, a value of the person's field, as staff read it; states name the birth state. */
export function shownValue(field: unknown, v: unknown, states: Named[] | undefined): string {
  const s = v === null || v === undefined ? "" : String(v);
  if (!s) return "—";
  if (field === "birth_state") return String(states?.find((x) => x.id === s)?.name ?? s);
  if (field === "sex") return t(`values.sex_${s}`);
  if (field === "sector_in_us") return t(`values.sector_${s}`);
  return s;
}

// Names as the server folds them (package names): fold, and surnameKey, the
// phonetic key of a surname in Mexican Spanish by which duplicate detection
// blocks people. The device's duplicate check looks people up by it
// (lib/lookup.ts). names/testdata/surname_keys.json holds the cases both
// implementations pass (names/phonetic_test.go, names.test.ts).

// letters NFD does not decompose, as names.Fold maps them
const PLAIN: Record<string, string> = { "ª": "a", "º": "o", "ø": "o", "ý": "y", "ÿ": "y" };

/**
 * fold lower-cases, drops accents, turns everything that is not a letter or
 * digit into one space: "  María-José  DE LA Cruz." -> "maria jose de la cruz"
 * (names.Fold).
 */
export function fold(s: unknown): string {
  return String(s ?? "")
    .toLowerCase()
    .replace(/[ªºøýÿ]/g, (c) => PLAIN[c])
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The handwritten abbreviations of common surnames (names.SurnameAliases). */
const SURNAME_ALIASES: Record<string, string> = {
  glez: "gonzalez", hdez: "hernandez", hdz: "hernandez", rdz: "rodriguez", rguez: "rodriguez",
  mtz: "martinez", gtz: "gutierrez", fdez: "fernandez",
};

/** surname folds a surname, expands its abbreviations and drops its spaces (names.Surname). */
export function surname(s: unknown): string {
  return fold(s).split(" ").map((w) => SURNAME_ALIASES[w] ?? w).join("");
}

const isVowel = (c: string) => "aeiou".includes(c) && c !== "";
/** Two letters that are one sound: ch and sh, and ll. */
const DIGRAPHS: Record<string, string> = { ch: "C", sh: "C", ll: "Y" };

/**
 * surnameKey is the phonetic key of a surname (names.SurnameKey): "Yáñez"
 * and "Llanes" are YNS, "Vázquez" and "Basques" BSKS, "Hernández" and
 * "Ernandes" ARNNDS.
 */
export function surnameKey(s: unknown): string {
  const r = [...surname(s)];
  const at = (i: number) => r[i] ?? "";
  let out = "";
  let last = ""; // the last sound written since the last vowel
  const emit = (c: string) => {
    if (c !== last) out += c;
    last = c;
  };
  const vowel = () => {
    if (out === "") out = "A";
    last = "";
  };
  for (let i = 0; i < r.length; i++) {
    const c = r[i], next = at(i + 1);
    const two = DIGRAPHS[c + next];
    if (two) {
      emit(two);
      i++;
      continue;
    }
    switch (c) {
      case "a": case "e": case "i": case "o": case "u": case "w":
        vowel();
        break;
      case "y":
        if (isVowel(next)) emit("Y");
        else vowel();
        break;
      case "h":
        break; // silent
      case "c":
        emit(next === "e" || next === "i" ? "S" : "K");
        break;
      case "s": case "z":
        emit("S");
        break;
      case "q":
        emit("K");
        if (next === "u") i++;
        break;
      case "k":
        emit("K");
        break;
      case "g":
        if (next === "e" || next === "i") emit("J");
        else {
          if (next === "u" && (at(i + 2) === "e" || at(i + 2) === "i")) i++;
          emit("G");
        }
        break;
      case "b": case "v":
        emit("B");
        break;
      case "n":
        emit(next === "b" || next === "v" || next === "p" ? "M" : "N");
        break;
      default:
        if (c >= "a" && c <= "z") emit(c.toUpperCase());
        else if (c > "\x7f") {
          // a letter fold keeps (another script): written as is
          out += c;
          last = "";
        }
    }
  }
  return out;
}

/**
 * franc-min's language guess (`franc(value, {minLength})`), the same answer for every input, about an order of
 * magnitude faster: franc scores a text against each of its script's languages by looking every trigram up in that
 * language's object (`trigram in model`, ~40 lookups per trigram for Latin). Here each script's trigrams are interned
 * once into integer ids and every language's ranks sit in one typed array, so a trigram is looked up once and the
 * per-language sums are array reads. Everything else follows franc-min 6.2.0 and trigram-utils 2.0.1 step by step
 * (cleaning, padding, 2,048-character cut, top script, first language with the least distance); the scores are sums of
 * integers, so they are exact in any order. test/lib/filter/franc-fast.test.ts holds it equal to franc.
 */
import { nlpPackages } from "./nlp-packages.js";

/** franc-min's constants (index.js): longest sample, and the penalty of a trigram the language lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

/** One script's languages: names in franc's order, trigram ids, and ranks[id × languages + language] (-1: absent). */
interface ScriptModel {
  languages: string[];
  ids: TrigramTable;
  ranks: Int32Array;
}

/**
 * Trigrams (three UTF-16 code units, as franc slices them) to ids, by open addressing over typed arrays: a lookup
 * reads three char codes, with no string made per trigram.
 */
interface TrigramTable {
  size: number;
  mask: number;
  /** First code unit + 1 (0: empty slot). */
  first: Int32Array;
  /** Second code unit << 16 | third. */
  rest: Int32Array;
  id: Int32Array;
}

const slotOf = (table: TrigramTable, a: number, bc: number): number => {
  let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(bc, 0x85ebca77)) & table.mask;
  while (table.first[slot] !== 0 && (table.first[slot] !== a + 1 || table.rest[slot] !== bc)) slot = (slot + 1) & table.mask;
  return slot;
};

function trigramTable(trigrams: Iterable<string>): TrigramTable {
  const unique = [...new Set(trigrams)].filter((t) => t.length === 3);
  let capacity = 16;
  while (capacity < unique.length * 2) capacity *= 2;
  const table = { size: 0, mask: capacity - 1, first: new Int32Array(capacity), rest: new Int32Array(capacity), id: new Int32Array(capacity) };
  for (const t of unique) {
    const a = t.charCodeAt(0);
    const bc = (t.charCodeAt(1) << 16) | t.charCodeAt(2);
    const slot = slotOf(table, a, bc);
    [table.first[slot], table.rest[slot], table.id[slot]] = [a + 1, bc, table.size++];
  }
  return table;
}

/** The id of the trigram at `at` in `text`, -1 when the model lacks it. */
function trigramId(table: TrigramTable, text: string, at: number): number {
  const a = text.charCodeAt(at);
  const slot = slotOf(table, a, (text.charCodeAt(at + 1) << 16) | text.charCodeAt(at + 2));
  return table.first[slot] === 0 ? -1 : table.id[slot]!;
}

const models = new Map<string, ScriptModel>();

function scriptModel(script: string): ScriptModel | undefined {
  const cached = models.get(script);
  if (cached) return cached;
  const table = nlpPackages().franc.data[script];
  if (table === undefined) return undefined;
  const languages = Object.keys(table);
  const lists = languages.map((l) => table[l]!.split("|"));
  const ids = trigramTable(lists.flat());
  const L = languages.length;
  const ranks = new Int32Array(L * ids.size).fill(-1);
  lists.forEach((list, l) => {
    // franc fills its model from the end, so a trigram listed twice keeps its first (lowest) rank.
    for (let w = list.length - 1; w >= 0; w--) if (list[w]!.length === 3) ranks[trigramId(ids, list[w]!, 0) * L + l] = w;
  });
  const model = { languages, ids, ranks };
  models.set(script, model);
  return model;
}

/** trigram-utils' clean(): ASCII punctuation, symbols and digits to spaces, white space collapsed, trimmed, lower case. */
const clean = (value: string) => value.replace(/[\u0021-\u0040]+/g, " ").replace(/\s+/g, " ").trim().toLowerCase();

/** Each script's expression, and which ASCII characters it matches (null: none; every expression matches single characters). */
interface Scripts {
  entries: [string, RegExp][];
  ascii: (Uint8Array | null)[];
}
let scripts: Scripts | null = null;

function scriptTables(): Scripts {
  if (scripts !== null) return scripts;
  const entries = Object.entries(nlpPackages().franc.expressions);
  const ascii = entries.map(([, expression]) => {
    const table = Uint8Array.from({ length: 128 }, (_, c) => (String.fromCharCode(c).match(expression) === null ? 0 : 1));
    return table.includes(1) ? table : null;
  });
  scripts = { entries, ascii };
  return scripts;
}
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The script whose expression matches most of `value` (franc's getTopScript: the first of equals wins), and its share. */
function topScript(value: string): [string | undefined, number] {
  let top: string | undefined;
  let topCount = -1;
  // ASCII text: each expression's matches counted from its table, without a match array per script.
  const ascii = ASCII_ONLY.test(value);
  const { entries, ascii: asciiTables } = scriptTables();
  entries.forEach(([script, expression], s) => {
    let matches = 0;
    if (!ascii) matches = value.match(expression)?.length ?? 0;
    else if (asciiTables[s] !== null) {
      const table = asciiTables[s]!;
      for (let i = 0; i < value.length; i++) matches += table[value.charCodeAt(i)]!;
    }
    const count = matches / value.length || 0;
    if (count > topCount) [top, topCount] = [script, count];
  });
  return [top, topCount];
}

let counts = new Int32Array(0);
let distances = new Int32Array(0);

/** franc(value, {minLength}): ISO 639-3 code of the likeliest language, "und" when it cannot tell. */
export function francLanguage(value: string, minLength: number): string {
  if (!value || value.length < minLength) return "und";
  const sample = value.slice(0, MAX_LENGTH);
  const [script, share] = topScript(sample);
  if (script === undefined) return "und";
  const model = scriptModel(script);
  // A script with one language (Hangul: kor) names it; one that matched nothing is undetermined.
  if (model === undefined) return share === 0 ? "und" : script;
  const padded = ` ${clean(sample)} `;
  // Each distinct trigram once: the model's ones counted by id, the others (which cost every language the same) by text.
  if (counts.length < model.ids.size) counts = new Int32Array(model.ids.size);
  const found: number[] = [];
  const missing = new Set<number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const id = trigramId(model.ids, padded, i);
    // A missing trigram by its three code units as one number (under 2^48, exact).
    if (id < 0) missing.add(padded.charCodeAt(i) * 2 ** 32 + (((padded.charCodeAt(i + 1) << 16) | padded.charCodeAt(i + 2)) >>> 0));
    else if ((counts[id] = counts[id]! + 1) === 1) found.push(id);
  }
  const L = model.languages.length;
  if (distances.length < L) distances = new Int32Array(L);
  distances.fill(missing.size * MAX_DIFFERENCE, 0, L);
  for (const id of found) {
    const count = counts[id]!;
    counts[id] = 0;
    const row = id * L;
    for (let l = 0; l < L; l++) {
      const rank = model.ranks[row + l]!;
      distances[l] = distances[l]! + (rank < 0 ? MAX_DIFFERENCE : Math.abs(count - rank - 1));
    }
  }
  // franc sorts stably by distance and takes the first: the earliest language among equals.
  let best = 0;
  for (let l = 1; l < L; l++) if (distances[l]! < distances[best]!) best = l;
  return model.languages[best]!;
}

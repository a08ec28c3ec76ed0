/**
 * franc-min's language guess (`franc(value, {minLength})`), the same answer for every input, about an order of
 * magnitude faster: franc scores a text against each of its script's languages by looking every trigram up in that
 * language's object (`trigram in model`, ~40 lookups per trigram for Latin). Here each script's trigrams are interned
 * once into integer ids and every language's ranks sit in one typed array, so a trigram is looked up once and the
 * per-language sums are array reads. Everything else follows franc-min 6.2.0 and trigram-utils 2.0.1 step by step
 * (cleaning, padding, 2,048-character cut, top script, first language with the least distance); the scores are sums of
 * integers, so they are exact in any order. test/lib/filter/franc-fast.test.ts holds it equal to franc.
 */
import { data } from "franc-min/data.js";
import { expressions } from "franc-min/expressions.js";

/** franc-min's constants (index.js): longest sample, and the penalty of a trigram the language lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

/** One script's languages: names in franc's order, trigram ids, and ranks[language × trigrams + id] (-1: absent). */
interface ScriptModel {
  languages: string[];
  ids: Map<string, number>;
  ranks: Int32Array;
}

const models = new Map<string, ScriptModel>();

function scriptModel(script: string): ScriptModel | undefined {
  const cached = models.get(script);
  if (cached) return cached;
  const table = (data as Record<string, Record<string, string>>)[script];
  if (table === undefined) return undefined;
  const languages = Object.keys(table);
  const lists = languages.map((l) => table[l]!.split("|"));
  const ids = new Map<string, number>();
  for (const list of lists) for (const t of list) if (!ids.has(t)) ids.set(t, ids.size);
  const ranks = new Int32Array(languages.length * ids.size).fill(-1);
  lists.forEach((list, l) => {
    // franc fills its model from the end, so a trigram listed twice keeps its first (lowest) rank.
    for (let w = list.length - 1; w >= 0; w--) ranks[l * ids.size + ids.get(list[w]!)!] = w;
  });
  const model = { languages, ids, ranks };
  models.set(script, model);
  return model;
}

/** trigram-utils' clean(): ASCII punctuation, symbols and digits to spaces, white space collapsed, trimmed, lower case. */
const clean = (value: string) => value.replace(/[\u0021-\u0040]+/g, " ").replace(/\s+/g, " ").trim().toLowerCase();

/** The script whose expression matches most of `value` (franc's getTopScript: the first of equals wins), and its share. */
function topScript(value: string): [string | undefined, number] {
  let top: string | undefined;
  let topCount = -1;
  for (const [script, expression] of Object.entries(expressions)) {
    const count = (value.match(expression)?.length ?? 0) / value.length || 0;
    if (count > topCount) [top, topCount] = [script, count];
  }
  return [top, topCount];
}

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
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const t = padded.slice(i, i + 3);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const n = model.ids.size;
  const found: { id: number; count: number }[] = [];
  let missing = 0;
  for (const [t, count] of counts) {
    const id = model.ids.get(t);
    if (id === undefined) missing++;
    else found.push({ id, count });
  }
  let best = "und";
  let bestDistance = Infinity;
  for (let l = 0; l < model.languages.length; l++) {
    let distance = missing * MAX_DIFFERENCE;
    for (const { id, count } of found) {
      const rank = model.ranks[l * n + id]!;
      distance += rank < 0 ? MAX_DIFFERENCE : Math.abs(count - rank - 1);
    }
    // franc sorts stably by distance and takes the first: the earliest language among equals.
    if (distance < bestDistance) [best, bestDistance] = [model.languages[l]!, distance];
  }
  return best;
}

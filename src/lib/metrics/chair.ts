import { COCO_COLOUR_TERMS, COCO_IGNORED_PHRASES, COCO_OBJECT_SYNONYMS } from "./coco-objects.js";
import { singularize } from "./singularize.js";

/** Which object category each (singularised) term names; `null` marks a phrase that names none. */
export interface ObjectTable {
  terms: ReadonlyMap<string, string | null>;
  /** Longest term, in words: how far the matcher looks ahead to merge "hot dog", "cell phone". */
  maxWords: number;
  categories: readonly string[];
  /** Single-word terms that are also colour adjectives ("orange"). */
  colourTerms: ReadonlySet<string>;
}

export interface ObjectTableOptions {
  /** Phrases matched as a whole and then ignored ("bus stop" names no bus). */
  ignore?: readonly string[];
  /** Terms that double as colour words ("orange"): a singular one followed by a noun-like word is read as the colour. */
  colourTerms?: readonly string[];
}

/** Singularises the last word of a term ("wine glasses" -> "wine glasses", "hot dogs" -> "hot dog"). */
function termKey(term: string): string {
  const words = term.toLowerCase().trim().split(/\s+/);
  words[words.length - 1] = singularize(words[words.length - 1]!);
  return words.join(" ");
}

/**
 * buildObjectTable(): a term table from any category -> synonyms map (the category name itself always counts).
 * Throws when one term names two categories, naming both: the table would be ambiguous.
 */
export function buildObjectTable(synonyms: Readonly<Record<string, readonly string[]>>, options: ObjectTableOptions = {}): ObjectTable {
  const terms = new Map<string, string | null>();
  let maxWords = 1;
  const add = (term: string, category: string | null) => {
    const key = termKey(term);
    if (key === "") return;
    const existing = terms.get(key);
    if (existing !== undefined && existing !== category) {
      throw new Error(`object table: the term ${JSON.stringify(term)} names both ${JSON.stringify(existing)} and ${JSON.stringify(category)}; keep it under one category`);
    }
    terms.set(key, category);
    maxWords = Math.max(maxWords, key.split(" ").length);
  };
  for (const [category, list] of Object.entries(synonyms)) for (const term of [category, ...list]) add(term, category);
  for (const phrase of options.ignore ?? []) add(phrase, null);
  return { terms, maxWords, categories: Object.keys(synonyms), colourTerms: new Set(options.colourTerms ?? []) };
}

/** The table for COCO's 80 categories. */
export const COCO_OBJECTS: ObjectTable = buildObjectTable(COCO_OBJECT_SYNONYMS, { ignore: COCO_IGNORED_PHRASES, colourTerms: COCO_COLOUR_TERMS });

const COLOURS = new Set("white black red blue green yellow orange purple pink brown grey gray silver gold tan beige teal".split(" "));

/** Words after which a colour term still names the object ("an orange on the table", "an orange sitting"). */
const OBJECT_FOLLOWERS = new Set(
  "on in at with and or of is are was sits sitting lying laying next near by beside behind under over from to that which has have".split(" "),
);

/** Whether the colour term at `i` is used as an adjective: before a noun ("orange bus") or another colour ("orange and white"). */
function isColourUse(tokens: readonly string[], i: number): boolean {
  const next = tokens[i + 1];
  if (next === undefined || next === "'s") return false;
  if (COLOURS.has(next)) return true;
  if ((next === "and" || next === "or") && COLOURS.has(tokens[i + 2] ?? "")) return true;
  return !OBJECT_FOLLOWERS.has(next) && !next.endsWith("ing");
}

/** One object word or phrase found in a caption. */
export interface ObjectMention {
  /** The caption's words as written (tokenised), e.g. "hot dogs". */
  word: string;
  category: string;
  /** Index of its first token. */
  index: number;
}

/** findObjects(): the object mentions in a tokenised caption, longest phrase first, each token used once. */
export function findObjects(tokens: readonly string[], table: ObjectTable): ObjectMention[] {
  const mentions: ObjectMention[] = [];
  let i = 0;
  while (i < tokens.length) {
    const match = longestTerm(tokens, i, table);
    if (!match) {
      i++;
      continue;
    }
    const colourUse = match.words === 1 && table.colourTerms.has(tokens[i]!) && isColourUse(tokens, i);
    if (match.category !== null && !colourUse) mentions.push({ word: tokens.slice(i, i + match.words).join(" "), category: match.category, index: i });
    i += match.words;
  }
  return mentions;
}

/** The longest table term starting at token `i` (up to the table's longest term), if any. */
function longestTerm(tokens: readonly string[], i: number, table: ObjectTable): { words: number; category: string | null } | undefined {
  for (let k = Math.min(table.maxWords, tokens.length - i); k >= 1; k--) {
    const category = table.terms.get(termKey(tokens.slice(i, i + k).join(" ")));
    if (category !== undefined) return { words: k, category };
  }
  return undefined;
}

/** The ground truth of one image for CHAIR. */
export interface ChairTruth {
  /** Annotated object categories (from instances). */
  objects: Iterable<string>;
  /** Tokenised reference captions: objects they name count as present too, as in the original CHAIR. */
  references?: readonly (readonly string[])[];
}

export interface ChairCaption {
  mentions: ObjectMention[];
  /** Mentions of categories absent from the ground truth (repeats included). */
  hallucinated: ObjectMention[];
  /** Distinct annotated categories, and how many of them the caption names. */
  annotated: number;
  found: number;
  /** found / annotated (NaN when none annotated). */
  recall: number;
}

export interface ChairResult {
  /** Hallucinated mentions / all mentions, pooled over captions (0 when nothing is mentioned). */
  chairI: number;
  /** Captions with at least one hallucinated mention / all captions. */
  chairS: number;
  /** Annotated categories named / annotated categories, pooled over images. */
  recall: number;
  mentions: number;
  hallucinatedMentions: number;
  perCaption: ChairCaption[];
}

/** chairCaption(): mentions, hallucinated mentions and object recall of one tokenised caption. */
export function chairCaption(tokens: readonly string[], truth: ChairTruth, table: ObjectTable): ChairCaption {
  const annotated = new Set(truth.objects);
  const present = new Set(annotated);
  for (const ref of truth.references ?? []) for (const m of findObjects(ref, table)) present.add(m.category);
  const mentions = findObjects(tokens, table);
  const named = new Set(mentions.map((m) => m.category));
  const found = [...annotated].filter((c) => named.has(c)).length;
  return {
    mentions,
    hallucinated: mentions.filter((m) => !present.has(m.category)),
    annotated: annotated.size,
    found,
    recall: annotated.size === 0 ? Number.NaN : found / annotated.size,
  };
}

/** CHAIR's pooled scores from per-caption results (so any subset, e.g. one style, pools the same way). */
export function summarizeChair(perCaption: readonly ChairCaption[]): Omit<ChairResult, "perCaption"> {
  let mentions = 0;
  let hallucinatedMentions = 0;
  let hallucinatedCaptions = 0;
  let annotated = 0;
  let found = 0;
  for (const c of perCaption) {
    mentions += c.mentions.length;
    hallucinatedMentions += c.hallucinated.length;
    if (c.hallucinated.length > 0) hallucinatedCaptions++;
    annotated += c.annotated;
    found += c.found;
  }
  return {
    chairI: mentions === 0 ? 0 : hallucinatedMentions / mentions,
    chairS: perCaption.length === 0 ? 0 : hallucinatedCaptions / perCaption.length,
    recall: annotated === 0 ? Number.NaN : found / annotated,
    mentions,
    hallucinatedMentions,
  };
}

/** chair(): CHAIR-i, CHAIR-s (Rohrbach et al., 2018) and object recall over captions aligned with their truths. */
export function chair(captions: readonly (readonly string[])[], truths: readonly ChairTruth[], table: ObjectTable = COCO_OBJECTS): ChairResult {
  if (captions.length !== truths.length) throw new Error(`chair(): ${captions.length} captions but ${truths.length} ground truths; pass one truth per caption`);
  const perCaption = captions.map((tokens, i) => chairCaption(tokens, truths[i]!, table));
  return { ...summarizeChair(perCaption), perCaption };
}

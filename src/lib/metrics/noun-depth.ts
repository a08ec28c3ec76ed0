/**
 * WordNet, parsed from the text of its dict files (index.noun, index.sense, data.noun), for noun depth: how
 * far a noun's most frequent sense sits below "entity". Pure: the Node-only loader is wordnet-node.ts.
 */
import { singularize } from "./singularize.js";

export interface IndexEntry {
  /** Synset offsets, most frequent sense first (the index files' order). */
  offsets: number[];
  /** Senses seen in WordNet's tagged corpus. */
  tagsenseCount: number;
}

/** Parts of speech as index.sense numbers them (adjective satellites, 5, are counted as adjectives). */
export type PartOfSpeech = "noun" | "verb" | "adjective" | "adverb";

/** How often each part of speech of a lemma occurs in WordNet's tagged corpus (absent: no such senses). */
export type TagCounts = Partial<Record<PartOfSpeech, number>>;

export interface WordNet {
  nouns: ReadonlyMap<string, IndexEntry>;
  /** Per lemma, tagged-corpus counts summed over its senses, by part of speech (from index.sense). */
  tagCounts: ReadonlyMap<string, TagCounts>;
  /** Noun synset offset -> its hypernyms (class "@" and instance "@i" pointers). */
  hypernyms: ReadonlyMap<number, readonly number[]>;
  /** Memoised depths, filled on demand. */
  depthCache: Map<number, number>;
}

/** The dict files' text, keyed as they are named. */
export interface WordNetFiles {
  "index.noun": string;
  "index.sense": string;
  "data.noun": string;
}

/** Lines of a dict file; its licence header lines start with two spaces. */
function records(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0 && !line.startsWith("  "));
}

/** Parses an index file: `lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offset...`. */
export function parseIndex(text: string): Map<string, IndexEntry> {
  const entries = new Map<string, IndexEntry>();
  for (const line of records(text)) {
    const f = line.trim().split(" ");
    const synsetCount = Number(f[2]);
    const pointerCount = Number(f[3]);
    const tagsenseCount = Number(f[5 + pointerCount]);
    const offsets = f.slice(6 + pointerCount, 6 + pointerCount + synsetCount).map(Number);
    entries.set(f[0]!, { offsets, tagsenseCount });
  }
  return entries;
}

/** Parses data.noun's hypernym pointers: `offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [sym offset pos st]...`. */
export function parseNounHypernyms(text: string): Map<number, number[]> {
  const hypernyms = new Map<number, number[]>();
  for (const line of records(text)) {
    const f = line.split(" ");
    const wordCount = parseInt(f[3]!, 16);
    const pointerStart = 4 + 2 * wordCount;
    const pointerCount = Number(f[pointerStart]);
    const up: number[] = [];
    for (let p = 0; p < pointerCount; p++) {
      const at = pointerStart + 1 + 4 * p;
      if ((f[at] === "@" || f[at] === "@i") && f[at + 2] === "n") up.push(Number(f[at + 1]));
    }
    hypernyms.set(Number(f[0]), up);
  }
  return hypernyms;
}

const SS_TYPES: Readonly<Record<string, PartOfSpeech>> = { "1": "noun", "2": "verb", "3": "adjective", "4": "adverb", "5": "adjective" };

/** Parses index.sense, `lemma%ss_type:lex_filenum:lex_id:head:head_id offset sense_number tag_cnt`, summing tag_cnt per lemma and part of speech. */
export function parseTagCounts(text: string): Map<string, TagCounts> {
  const counts = new Map<string, TagCounts>();
  for (const line of records(text)) {
    const [key, , , tagCount] = line.split(" ");
    const at = key!.indexOf("%");
    const pos = SS_TYPES[key!.charAt(at + 1)];
    if (at < 0 || !pos) continue;
    const lemma = key!.slice(0, at);
    const entry = counts.get(lemma) ?? {};
    entry[pos] = (entry[pos] ?? 0) + Number(tagCount ?? 0);
    counts.set(lemma, entry);
  }
  return counts;
}

/** parseWordNet(): the structure the depth functions need, from the dict files' text. */
export function parseWordNet(files: WordNetFiles): WordNet {
  return {
    nouns: parseIndex(files["index.noun"]),
    tagCounts: parseTagCounts(files["index.sense"]),
    hypernyms: parseNounHypernyms(files["data.noun"]),
    depthCache: new Map(),
  };
}

/** Shortest hypernym path from a noun synset to a root ("entity" has depth 0), as NLTK's Synset.min_depth(). */
export function synsetDepth(wn: WordNet, offset: number): number {
  const cached = wn.depthCache.get(offset);
  if (cached !== undefined) return cached;
  const up = wn.hypernyms.get(offset) ?? [];
  const depth = up.length === 0 ? 0 : 1 + Math.min(...up.map((h) => synsetDepth(wn, h)));
  wn.depthCache.set(offset, depth);
  return depth;
}

/** Candidate base forms of an inflected word, WordNet "morphy" detachment rules plus undoubling ("sitting"). */
function baseForms(word: string, suffixes: readonly (readonly [string, string])[]): string[] {
  const forms = [word];
  for (const [suffix, ending] of suffixes) {
    if (!word.endsWith(suffix) || word.length <= suffix.length + 1) continue;
    const stem = word.slice(0, -suffix.length);
    forms.push(stem + ending);
    if (ending === "" && /([b-df-hj-np-tv-z])\1$/.test(stem)) forms.push(stem.slice(0, -1));
  }
  return forms;
}

const NOUN_SUFFIXES = [["s", ""], ["ses", "s"], ["xes", "x"], ["zes", "z"], ["ches", "ch"], ["shes", "sh"], ["men", "man"], ["ies", "y"]] as const;
const VERB_SUFFIXES = [["s", ""], ["ies", "y"], ["es", "e"], ["es", ""], ["ed", "e"], ["ed", ""], ["ing", "e"], ["ing", ""]] as const;

/** The first candidate form that has senses in this part of speech, with its tagged-corpus count. */
function lookupCount(wn: WordNet, forms: readonly string[], pos: PartOfSpeech): number | undefined {
  for (const form of forms) {
    const count = wn.tagCounts.get(form)?.[pos];
    if (count !== undefined) return count;
  }
  return undefined;
}

/**
 * Closed-class words that WordNet also lists as nouns ("a" = vitamin A, "in" = inch, "it" = information
 * technology) and number words: never counted as the caption's nouns.
 */
const FUNCTION_WORDS = new Set(
  ("a an the this that these those some any each every all both no another other such what which who whom whose " +
    "i me my we us our you your he him his she her it its they them their there here " +
    "in on at of to for with by from into onto over under above below up down out off near next behind beside " +
    "between through across along around about against among inside outside upon toward towards " +
    "and or but nor so yet as if than then when where while is are was were be been being am do does did " +
    "has have had will would can could may might must shall should not very too also just only " +
    "one two three four five six seven eight nine ten eleven twelve dozen several many few lot much more most " +
    "'s n't 're 'll 've 'm 'd").split(" "),
);

/** A token counted as a noun, with its WordNet lemma and depth. */
export interface NounDepth {
  word: string;
  lemma: string;
  depth: number;
}

/** Words after which the next word is read as a noun even when its verb senses are more common ("the graduates"). */
const NOUN_CONTEXT = new Set(
  "a an the this that these those some any each every all both no his her their its our my your 's of two three four five six seven eight nine ten several many few".split(" "),
);

/**
 * nounDepth(): the WordNet depth of a caption token when it is used as a noun, else undefined. Without a
 * tagger, a token counts as a noun when WordNet has it as one and its noun senses occur in WordNet's
 * tagged corpus at least as often as its adjective, adverb and verb senses: "dog" and "man" yes,
 * "sitting" (verb "sit") and "white" (adjective) no. After a determiner or number (`previous`), a verb
 * reading is ruled out ("two graduates").
 */
export function nounDepth(wn: WordNet, token: string, previous?: string): NounDepth | undefined {
  const word = token.toLowerCase();
  if (FUNCTION_WORDS.has(word) || !/^[a-z][a-z'-]*$/.test(word)) return undefined;
  const forms = [singularize(word), ...baseForms(word, NOUN_SUFFIXES)];
  const lemma = forms.find((form) => wn.nouns.has(form));
  const entry = lemma === undefined ? undefined : wn.nouns.get(lemma);
  if (lemma === undefined || !entry || entry.offsets.length === 0) return undefined;
  const count = lookupCount(wn, [lemma], "noun") ?? 0;
  const beats = (rival: number | undefined) => rival !== undefined && rival > count;
  if (beats(lookupCount(wn, [word], "adjective")) || beats(lookupCount(wn, [word], "adverb"))) return undefined;
  const afterDeterminer = previous !== undefined && NOUN_CONTEXT.has(previous.toLowerCase());
  if (!afterDeterminer && beats(lookupCount(wn, baseForms(word, VERB_SUFFIXES), "verb"))) return undefined;
  return { word, lemma, depth: synsetDepth(wn, entry.offsets[0]!) };
}

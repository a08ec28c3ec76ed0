/**
 * WordNet, parsed from the text of its dict files (index.*, index.sense, data.noun). Pure: the
 * Node-only loader is node.ts. One parser for the whole workbench: noun depth (metrics),
 * hypernymization and the rare-word vocabulary (filter) all read this structure.
 */

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
  /** index.noun: lemma (lower case, spaces as "_") -> senses. */
  nouns: ReadonlyMap<string, IndexEntry>;
  /** Per lemma, tagged-corpus counts summed over its senses, by part of speech (from index.sense). */
  tagCounts: ReadonlyMap<string, TagCounts>;
  /** Noun synset offset -> its hypernyms (class "@" and instance "@i" pointers): what depth walks. */
  hypernyms: ReadonlyMap<number, readonly number[]>;
  /** Noun synset offset -> the classes it is an instance of ("@i" only; Paris -> national capital). */
  instanceOf: ReadonlyMap<number, readonly number[]>;
  /** Noun synset offset -> its lemmas as written in data.noun (case kept, "_" for spaces). */
  synsetWords: ReadonlyMap<number, readonly string[]>;
  /** Lemmas of every part of speech the files held (lower case, "_" for spaces). */
  lemmas: ReadonlySet<string>;
  /** Memoised depths, filled on demand. */
  depthCache: Map<number, number>;
}

/** The dict files' text, keyed as they are named; the verb/adjective/adverb indexes only widen `lemmas`. */
export interface WordNetFiles {
  "index.noun": string;
  "index.sense": string;
  "data.noun": string;
  "index.verb"?: string;
  "index.adj"?: string;
  "index.adv"?: string;
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

/** The lemmas of an index file (first field of each record). */
function indexLemmas(text: string, into: Set<string>): void {
  for (const line of records(text)) into.add(line.slice(0, line.indexOf(" ")));
}

export interface NounData {
  hypernyms: Map<number, number[]>;
  instanceOf: Map<number, number[]>;
  words: Map<number, string[]>;
}

/** Parses data.noun: `offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [sym offset pos st]... | gloss`. */
export function parseNounData(text: string): NounData {
  const hypernyms = new Map<number, number[]>();
  const instanceOf = new Map<number, number[]>();
  const words = new Map<number, string[]>();
  for (const line of records(text)) {
    const f = line.split(" ");
    const offset = Number(f[0]);
    const wordCount = parseInt(f[3]!, 16);
    const lemmas: string[] = [];
    // Adjective markers like "(a)" never occur in data.noun, so words are taken as written.
    for (let w = 0; w < wordCount; w++) lemmas.push(f[4 + 2 * w]!);
    const pointerStart = 4 + 2 * wordCount;
    const pointerCount = Number(f[pointerStart]);
    const up: number[] = [];
    const instance: number[] = [];
    for (let p = 0; p < pointerCount; p++) {
      const at = pointerStart + 1 + 4 * p;
      if (f[at + 2] !== "n") continue;
      if (f[at] === "@") up.push(Number(f[at + 1]));
      else if (f[at] === "@i") {
        up.push(Number(f[at + 1]));
        instance.push(Number(f[at + 1]));
      }
    }
    hypernyms.set(offset, up);
    if (instance.length) instanceOf.set(offset, instance);
    words.set(offset, lemmas);
  }
  return { hypernyms, instanceOf, words };
}

/** data.noun's hypernym pointers (class and instance), per synset. */
export function parseNounHypernyms(text: string): Map<number, number[]> {
  return parseNounData(text).hypernyms;
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

/** parseWordNet(): the whole structure from the dict files' text. */
export function parseWordNet(files: WordNetFiles): WordNet {
  const nouns = parseIndex(files["index.noun"]);
  const data = parseNounData(files["data.noun"]);
  const lemmas = new Set<string>(nouns.keys());
  for (const name of ["index.verb", "index.adj", "index.adv"] as const) {
    const text = files[name];
    if (text) indexLemmas(text, lemmas);
  }
  return {
    nouns,
    tagCounts: parseTagCounts(files["index.sense"]),
    hypernyms: data.hypernyms,
    instanceOf: data.instanceOf,
    synsetWords: data.words,
    lemmas,
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

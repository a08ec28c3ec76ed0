/**
 * The text stage's lexicon as one JSON document a page can fetch (the Node lexicon is built from
 * package files): `packLexicon()` in a data loader, `unpackLexicon()` in the browser. The packed
 * lexicon answers every question text.ts and transform.ts ask exactly as the full one does:
 *  - every frequency-list word with its count and every WordNet lemma (all parts of speech), one
 *    sorted, front-coded word list with a count and a kind per word;
 *  - the name tokens (lexicon.ts: names neither list knows), a second sorted, front-coded list;
 *  - of WordNet's noun senses, only what instance resolution reads: per noun lemma its first
 *    instance sense (if any), that sense's classes, and the classes' hypernym chains (first
 *    pointer, as hypernymChain follows) with each chain synset's name.
 * Left out (no text or transform rule reads them): other senses, tagged-corpus counts, depths.
 */
import type { WordNet } from "../wordnet/index.js";
import type { Lexicon } from "./lexicon.js";

export const LEXICON_PACK_FORMAT = "ccw-lexicon-pack/2";

export interface LexiconPack {
  format: typeof LEXICON_PACK_FORMAT;
  wikipediaScale: number;
  /** Sorted words, " "-separated (no JSON escape needed), each as one base-36 digit (characters shared with the previous word, at most 35) and the rest. */
  words: string;
  /** Per word, its frequency-list count in base 36, "" when the list lacks it; ","-separated. */
  counts: string;
  /** Per word, one digit: 1 bit = a WordNet lemma, 2 bit = a noun lemma (0: frequency list only). */
  kinds: string;
  /** The lexicon's name tokens, sorted and front-coded as `words` are. */
  names: string;
  valence: Record<string, number>;
  profanity: Record<string, number>;
  /** Flat pairs [word index, synset]: a noun lemma's first sense that is an instance of a class. */
  instances: number[];
  /** Flat runs [synset, class count, classes...]: the classes each of those senses is an instance of. */
  instanceOf: number[];
  /** Synsets on the classes' chains: [synset, first hypernym or -1]. */
  chain: number[];
  /** chainNames[i]: the first lemma of the i-th chain synset. */
  chainNames: string[];
}

export class LexiconPackError extends Error {
  constructor(message: string) {
    super(`lexicon pack: ${message}`);
    this.name = "LexiconPackError";
  }
}

const LEMMA = 1;
const NOUN = 2;
const MAX_SHARED = 35;

const SEPARATOR = " ";

/** Sorted words as `words` stores them: each as a base-36 count of characters shared with the previous word, then the rest. */
function frontCode(sorted: readonly string[], field: string): string {
  let previous = "";
  return sorted.map((word) => {
    if (word.includes(SEPARATOR)) throw new LexiconPackError(`${field} ${JSON.stringify(word)} contains the separator ${JSON.stringify(SEPARATOR)}`);
    let shared = 0;
    while (shared < MAX_SHARED && shared < previous.length && shared < word.length && previous[shared] === word[shared]) shared++;
    previous = word;
    return shared.toString(36) + word.slice(shared);
  }).join(SEPARATOR);
}

function frontDecode(text: string): string[] {
  const words = text.length ? text.split(SEPARATOR) : [];
  let previous = "";
  for (let i = 0; i < words.length; i++) {
    const entry = words[i]!;
    words[i] = previous = previous.slice(0, parseInt(entry[0]!, 36)) + entry.slice(1);
  }
  return words;
}

/** The first sense of a noun lemma that is an instance, or undefined (instanceClasses' rule). */
function firstInstance(wn: WordNet, lemma: string): number | undefined {
  return wn.nouns.get(lemma)?.offsets.find((o) => (wn.instanceOf.get(o)?.length ?? 0) > 0);
}

/** Packs a lexicon (with its WordNet) for the browser; see the module comment for what is kept. */
export function packLexicon(lexicon: Lexicon): LexiconPack {
  const wn = lexicon.wordnet;
  const all = [...new Set([...lexicon.frequencies.keys(), ...(wn?.lemmas ?? [])])].sort();
  const counts: string[] = [];
  let kinds = "";
  const instances: number[] = [];
  const instanceOf: number[] = [];
  const classes = new Set<number>();
  all.forEach((word, index) => {
    const count = lexicon.frequencies.get(word);
    if (count !== undefined && (!Number.isSafeInteger(count) || count < 0)) throw new LexiconPackError(`count of ${JSON.stringify(word)} is ${count}; expected a whole number ≥ 0`);
    counts.push(count === undefined ? "" : count.toString(36));
    kinds += String((wn?.lemmas.has(word) ? LEMMA : 0) | (wn?.nouns.has(word) ? NOUN : 0));
    const instance = wn ? firstInstance(wn, word) : undefined;
    if (instance !== undefined) instances.push(index, instance);
  });
  if (wn) {
    const senses = new Set(instances.filter((_, i) => i % 2 === 1));
    for (const sense of senses) {
      const cls = wn.instanceOf.get(sense)!;
      instanceOf.push(sense, cls.length, ...cls);
      for (const c of cls) classes.add(c);
    }
  }
  const chain: number[] = [];
  const chainNames: string[] = [];
  const seen = new Set<number>();
  for (const start of classes) {
    for (let at: number | undefined = start; at !== undefined && !seen.has(at); at = wn!.hypernyms.get(at)?.[0]) {
      seen.add(at);
      chain.push(at, wn!.hypernyms.get(at)?.[0] ?? -1);
      chainNames.push(wn!.synsetWords.get(at)?.[0] ?? String(at));
    }
  }
  return {
    format: LEXICON_PACK_FORMAT, wikipediaScale: lexicon.wikipediaScale, words: frontCode(all, "word"), counts: counts.join(","), kinds,
    names: frontCode([...lexicon.names].sort(), "name"), valence: { ...lexicon.valence }, profanity: { ...lexicon.profanity }, instances, instanceOf, chain, chainNames,
  };
}

/** Rebuilds a Lexicon (and its WordNet subset) from a pack; throws LexiconPackError on a malformed one. */
export function unpackLexicon(pack: LexiconPack): Lexicon {
  if (pack?.format !== LEXICON_PACK_FORMAT) throw new LexiconPackError(`format ${JSON.stringify(pack?.format)}; expected ${JSON.stringify(LEXICON_PACK_FORMAT)}`);
  const words = frontDecode(pack.words);
  const counts = pack.counts.length ? pack.counts.split(",") : [];
  if (counts.length !== words.length || pack.kinds.length !== words.length) {
    throw new LexiconPackError(`${words.length} words but ${counts.length} counts and ${pack.kinds.length} kinds`);
  }
  const frequencies = new Map<string, number>();
  const lemmas = new Set<string>();
  const nouns = new Map<string, { offsets: number[]; tagsenseCount: number }>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (counts[i] !== "") frequencies.set(word, parseInt(counts[i]!, 36));
    const kind = pack.kinds.charCodeAt(i) - 48;
    if (kind & LEMMA) lemmas.add(word);
    if (kind & NOUN) nouns.set(word, { offsets: [], tagsenseCount: 0 });
  }
  for (let i = 0; i < pack.instances.length; i += 2) {
    const word = words[pack.instances[i]!];
    const entry = word === undefined ? undefined : nouns.get(word);
    if (!entry) throw new LexiconPackError(`instance entry ${i / 2} names word ${pack.instances[i]}, which is not a noun lemma`);
    entry.offsets.push(pack.instances[i + 1]!);
  }
  const instanceOf = new Map<number, number[]>();
  for (let i = 0; i < pack.instanceOf.length; ) {
    const n = pack.instanceOf[i + 1]!;
    instanceOf.set(pack.instanceOf[i]!, pack.instanceOf.slice(i + 2, i + 2 + n));
    i += 2 + n;
  }
  const hypernyms = new Map<number, number[]>();
  const synsetWords = new Map<number, string[]>();
  for (let i = 0; i < pack.chain.length; i += 2) {
    const up = pack.chain[i + 1]!;
    hypernyms.set(pack.chain[i]!, up < 0 ? [] : [up]);
    synsetWords.set(pack.chain[i]!, [pack.chainNames[i / 2]!]);
  }
  const wordnet: WordNet | null = lemmas.size
    ? { nouns, tagCounts: new Map(), hypernyms, instanceOf, synsetWords, lemmas, depthCache: new Map() }
    : null;
  return { frequencies, wikipediaScale: pack.wikipediaScale, wordnet, names: new Set(frontDecode(pack.names)), valence: pack.valence, profanity: pack.profanity };
}

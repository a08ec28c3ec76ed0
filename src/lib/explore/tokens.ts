/**
 * The explorer's one definition of a word: lower-cased runs of letters and digits, with inner
 * apostrophes kept ("don't" is one token; CC3M's detached "'s" becomes "s"). The same pattern
 * runs in JavaScript (here) and in DuckDB (regexp_extract_all, RE2), so word counts, whole-word
 * search and the top-word lists agree wherever they are computed. Combining marks belong to their
 * word (decomposed "café" is one token). One known difference: JS lower-cases "İ" to "i" plus a
 * combining dot, DuckDB to "i"; loaders tokenise in JS, so a dataset is consistent in itself.
 */

/** Token pattern shared by JS (flag "u") and DuckDB's RE2. */
export const TOKEN_PATTERN = "[\\p{L}\\p{N}\\p{M}]+(?:['’][\\p{L}\\p{N}\\p{M}]+)*";

const TOKEN_RE = new RegExp(TOKEN_PATTERN, "gu");

/** Lower-cases and splits a text into word tokens. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN_RE) ?? [];
}

/** Length in characters (Unicode code points), as DuckDB's length() counts them. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The vocabulary the Conceptual Captions transformation writes in place of named entities:
 * Knowledge Graph types (Sharma et al. 2018, §3: "actor", "person", "city", ...), as they read in
 * the CC3M release. Every term is also an ordinary English word, so its count includes plain uses.
 */
export const HYPERNYM_TERMS: readonly string[] = [
  "person", "actor", "artist", "city", "country", "state", "politician", "athlete", "author",
  "comedian", "celebrity", "monarch", "deity", "organization", "business", "island", "holiday", "award",
  "football player", "soccer player", "baseball player", "olympic athlete", "pop artist", "rock artist",
  "musical artist", "film character", "fictional character", "film director", "noble person",
  "sports team", "football team", "tourist attraction", "biological species", "automobile model",
];

export interface TermCount {
  term: string;
  count: number;
}

export type NgramSize = 1 | 2;

/** Terms of one caption: tokens (n = 1) or adjacent token pairs joined by a space (n = 2). */
export function ngrams(tokens: readonly string[], n: NgramSize): string[] {
  if (n === 1) return [...tokens];
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/** Whether a term has no stop word in it (a bigram is content only when both words are). */
export function isContentTerm(term: string, stopWords: ReadonlySet<string>): boolean {
  return term.split(" ").every((w) => !stopWords.has(w));
}

/** Counts every unigram or bigram over a set of already tokenised captions. */
export function countTerms(captions: Iterable<readonly string[]>, n: NgramSize): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tokens of captions) for (const t of ngrams(tokens, n)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Compares strings by Unicode code point, as DuckDB orders VARCHAR (UTF-8 bytes); JS's < compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i)!, y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return charCount(a) - charCount(b);
}

/** Orders by count, descending, then by term. */
export function compareTermCounts(a: TermCount, b: TermCount): number {
  return a.count !== b.count ? b.count - a.count : compareCodePoints(a.term, b.term);
}

/** The k most frequent terms, optionally leaving out any term with a stop word in it. */
export function topTerms(counts: ReadonlyMap<string, number>, k: number, stopWords?: ReadonlySet<string>): TermCount[] {
  const all: TermCount[] = [];
  for (const [term, count] of counts) if (!stopWords || isContentTerm(term, stopWords)) all.push({ term, count });
  return all.sort(compareTermCounts).slice(0, k);
}

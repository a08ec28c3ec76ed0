import { encodePairs, type EncodedCorpus, type TokenizedPair } from "./ngrams.js";
import { mean } from "./stats.js";

export interface RougeResult {
  /** Mean of the per-image scores. */
  rougeL: number;
  perImage: number[];
}

/** The toolkit's F-measure weight: recall counts 1.2² times as much as precision. */
const BETA = 1.2;

/**
 * Tokens of a caption (candidate or reference) that ROUGE-L looks at: longer captions are cut to
 * their first MAX_ROUGE_TOKENS tokens. The LCS costs n·m steps, so two 1 MB captions (~200k tokens
 * each) would take minutes; with the cap one pair costs at most 10⁶ steps (~5 ms). COCO and
 * Conceptual Captions captions are 5 to 60 tokens, so scores differ from the toolkit's (which has
 * no cap) only for captions past 1,000 tokens.
 */
export const MAX_ROUGE_TOKENS = 1000;

/** lcsOfIds' two rows, reused across calls (25,000 reference pairs allocate nothing). */
let rows: [Int32Array, Int32Array] = [new Int32Array(128), new Int32Array(128)];

/**
 * Length of the longest common subsequence of tokens[a .. a + aLength) and tokens[b .. b + bLength), token ids
 * compared as integers: O(n·m) time, O(min(n, m)) memory.
 */
function lcsOfIds(tokens: Int32Array, a: number, aLength: number, b: number, bLength: number): number {
  if (bLength > aLength) return lcsOfIds(tokens, b, bLength, a, aLength); // the row runs over the shorter list
  if (bLength + 1 > rows[0].length) rows = [new Int32Array(2 * (bLength + 1)), new Int32Array(2 * (bLength + 1))];
  let prev = rows[0];
  let row = rows[1];
  prev.fill(0, 0, bLength + 1);
  row[0] = 0;
  for (let i = 1; i <= aLength; i++) {
    const token = tokens[a + i - 1]!;
    for (let j = 1; j <= bLength; j++) {
      row[j] = token === tokens[b + j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    const done = row;
    row = prev;
    prev = done;
  }
  return prev[bLength]!;
}

/** Length of the longest common subsequence of two token lists: O(n·m) time, O(min(n, m)) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const corpus = encodePairs([{ candidate: a, references: [b] }]);
  return lcsOfIds(corpus.tokens, 0, a.length, a.length, b.length);
}

/**
 * ROUGE-L of pair i of an encoded corpus: best precision and best recall over the references, taken separately,
 * then F_beta; candidate and references are cut to MAX_ROUGE_TOKENS tokens first.
 */
function rougeLOfPair(corpus: EncodedCorpus, i: number): number {
  const { starts, first } = corpus;
  const cand = first[i]!;
  const candFrom = starts[cand]!;
  const candLength = Math.min(starts[cand + 1]! - candFrom, MAX_ROUGE_TOKENS);
  if (candLength === 0) return 0;
  let precision = 0;
  let recall = 0;
  for (let r = cand + 1; r < first[i + 1]!; r++) {
    const refFrom = starts[r]!;
    const refLength = Math.min(starts[r + 1]! - refFrom, MAX_ROUGE_TOKENS);
    if (refLength === 0) continue;
    const lcs = lcsOfIds(corpus.tokens, refFrom, refLength, candFrom, candLength);
    precision = Math.max(precision, lcs / candLength);
    recall = Math.max(recall, lcs / refLength);
  }
  if (precision === 0 || recall === 0) return 0;
  return ((1 + BETA ** 2) * precision * recall) / (recall + BETA ** 2 * precision);
}

/**
 * ROUGE-L of one candidate: best precision and best recall over the references, taken separately,
 * then F_beta; candidate and references are cut to MAX_ROUGE_TOKENS tokens first.
 */
export function rougeLImage(candidate: readonly string[], references: readonly (readonly string[])[]): number {
  return rougeLOfPair(encodePairs([{ candidate, references }]), 0);
}

/** rougeL(): the COCO toolkit's ROUGE-L, per image and as their mean. */
export function rougeL(pairs: readonly TokenizedPair[]): RougeResult {
  return rougeLOfCorpus(encodePairs(pairs));
}

/** ROUGE-L of every pair of an encoded corpus, per image and as their mean. */
export function rougeLOfCorpus(corpus: EncodedCorpus): RougeResult {
  const perImage = new Array<number>(corpus.pairs);
  for (let i = 0; i < corpus.pairs; i++) perImage[i] = rougeLOfPair(corpus, i);
  return { rougeL: mean(perImage), perImage };
}

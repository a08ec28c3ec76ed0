import type { TokenizedPair } from "./bleu.js";
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

/** lcsLength's two rows, reused across calls (25,000 reference pairs allocate nothing). */
let rows: [Int32Array, Int32Array] = [new Int32Array(128), new Int32Array(128)];

/** Length of the longest common subsequence of two token lists: O(n·m) time, O(min(n, m)) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (b.length > a.length) [a, b] = [b, a]; // the row runs over the shorter list
  if (b.length + 1 > rows[0].length) rows = [new Int32Array(2 * (b.length + 1)), new Int32Array(2 * (b.length + 1))];
  let [prev, row] = rows;
  prev.fill(0, 0, b.length + 1);
  row[0] = 0;
  for (let i = 1; i <= a.length; i++) {
    const token = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      row[j] = token === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

const capped = (tokens: readonly string[]) => (tokens.length > MAX_ROUGE_TOKENS ? tokens.slice(0, MAX_ROUGE_TOKENS) : tokens);

/**
 * ROUGE-L of one candidate: best precision and best recall over the references, taken separately,
 * then F_beta; candidate and references are cut to MAX_ROUGE_TOKENS tokens first.
 */
export function rougeLImage(candidate: readonly string[], references: readonly (readonly string[])[]): number {
  if (candidate.length === 0) return 0;
  const cand = capped(candidate);
  let precision = 0;
  let recall = 0;
  for (const reference of references) {
    if (reference.length === 0) continue;
    const ref = capped(reference);
    const lcs = lcsLength(ref, cand);
    precision = Math.max(precision, lcs / cand.length);
    recall = Math.max(recall, lcs / ref.length);
  }
  if (precision === 0 || recall === 0) return 0;
  return ((1 + BETA ** 2) * precision * recall) / (recall + BETA ** 2 * precision);
}

/** rougeL(): the COCO toolkit's ROUGE-L, per image and as their mean. */
export function rougeL(pairs: readonly TokenizedPair[]): RougeResult {
  const perImage = pairs.map((p) => rougeLImage(p.candidate, p.references));
  return { rougeL: mean(perImage), perImage };
}


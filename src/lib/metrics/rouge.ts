import type { TokenizedPair } from "./bleu.js";
import { mean } from "./stats.js";

export interface RougeResult {
  /** Mean of the per-image scores. */
  rougeL: number;
  perImage: number[];
}

/** The toolkit's F-measure weight: recall counts 1.2² times as much as precision. */
const BETA = 1.2;

/** Length of the longest common subsequence of two token lists. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

/** ROUGE-L of one candidate: best precision and best recall over the references, taken separately, then F_beta. */
export function rougeLImage(candidate: readonly string[], references: readonly (readonly string[])[]): number {
  if (candidate.length === 0) return 0;
  let precision = 0;
  let recall = 0;
  for (const ref of references) {
    if (ref.length === 0) continue;
    const lcs = lcsLength(ref, candidate);
    precision = Math.max(precision, lcs / candidate.length);
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


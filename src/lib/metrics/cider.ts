import type { TokenizedPair } from "./bleu.js";
import { ngramCounts } from "./ngrams.js";
import { mean } from "./stats.js";

export interface CiderOptions {
  /** Largest n-gram order (default 4). */
  n?: number;
  /** Standard deviation of the Gaussian length penalty (default 6, CIDEr-D). */
  sigma?: number;
}

export interface CiderResult {
  /** Mean of the per-image scores. */
  ciderD: number;
  perImage: number[];
}

interface TfIdfVector {
  /** tf-idf weight per n-gram, one map per order. */
  weights: Map<string, number>[];
  /** Euclidean norm per order. */
  norms: number[];
  /** The toolkit's length: it counts bigrams (its `n == 1` is the 0-based order index), i.e. tokens - 1. */
  length: number;
}

/** ciderD(): the COCO toolkit's "CIDEr" (which is CIDEr-D), with IDF from the evaluated set's references. */
export function ciderD(pairs: readonly TokenizedPair[], options: CiderOptions = {}): CiderResult {
  const n = options.n ?? 4;
  const sigma = options.sigma ?? 6;
  const refCounts = pairs.map((p) => p.references.map((r) => ngramCounts(r, n)));
  // Document frequency: in how many images' reference sets each n-gram occurs.
  const df = new Map<string, number>();
  for (const refs of refCounts) {
    const seen = new Set<string>();
    for (const ref of refs) for (const order of ref) for (const gram of order.keys()) seen.add(gram);
    for (const gram of seen) df.set(gram, (df.get(gram) ?? 0) + 1);
  }
  const logN = Math.log(pairs.length);
  const vectorOf = (counts: Map<string, number>[]): TfIdfVector => {
    const weights = counts.map((order) => {
      const w = new Map<string, number>();
      for (const [gram, tf] of order) w.set(gram, tf * (logN - Math.log(Math.max(1, df.get(gram) ?? 0))));
      return w;
    });
    const norms = weights.map((w) => Math.sqrt([...w.values()].reduce((s, x) => s + x * x, 0)));
    const length = counts[1] ? [...counts[1].values()].reduce((a, b) => a + b, 0) : 0;
    return { weights, norms, length };
  };
  const perImage = pairs.map((pair, i) => {
    const cand = vectorOf(ngramCounts(pair.candidate, n));
    const refs = refCounts[i]!;
    if (refs.length === 0) return 0;
    const sum = new Array<number>(n).fill(0);
    for (const refCount of refs) {
      const ref = vectorOf(refCount);
      const penalty = Math.exp(-((cand.length - ref.length) ** 2) / (2 * sigma ** 2));
      for (let k = 0; k < n; k++) {
        let dot = 0;
        const refWeights = ref.weights[k]!;
        for (const [gram, w] of cand.weights[k]!) {
          const r = refWeights.get(gram) ?? 0;
          dot += Math.min(w, r) * r; // CIDEr-D clips the candidate's weight by the reference's
        }
        if (cand.norms[k] !== 0 && ref.norms[k] !== 0) dot /= cand.norms[k]! * ref.norms[k]!;
        sum[k]! += dot * penalty;
      }
    }
    return (10 * mean(sum)) / refs.length;
  });
  return { ciderD: mean(perImage), perImage };
}

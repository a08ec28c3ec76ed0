import { countPairs, type CountedCorpus, type TokenizedPair } from "./ngrams.js";
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

/** ciderD(): the COCO toolkit's "CIDEr" (which is CIDEr-D), with IDF from the evaluated set's references. */
export function ciderD(pairs: readonly TokenizedPair[], options: CiderOptions = {}): CiderResult {
  return ciderDOfCounts(countPairs(pairs, options.n ?? 4), options);
}

/** CIDEr-D from already counted pairs (orders 1..n at least; see countPairs). */
export function ciderDOfCounts(c: CountedCorpus, options: CiderOptions = {}): CiderResult {
  const n = options.n ?? 4;
  const sigma = options.sigma ?? 6;
  if (c.n < n) throw new RangeError(`ciderDOfCounts: counted orders 1..${c.n}, asked for n = ${n}`);
  const { ids, counts, offsets } = c;
  const segment = (s: number, k: number): [number, number] => [offsets[s * c.n + k]!, offsets[s * c.n + k + 1]!];
  // Document frequency: in how many images' reference sets each n-gram occurs.
  const df = new Int32Array(c.idLimit);
  const lastImage = new Int32Array(c.idLimit).fill(-1);
  for (let i = 0; i < c.pairs; i++) {
    for (let r = c.first[i]! + 1; r < c.first[i + 1]!; r++) {
      for (let j = offsets[r * c.n]!; j < offsets[r * c.n + n]!; j++) {
        const id = ids[j]!;
        if (lastImage[id] !== i) {
          lastImage[id] = i;
          df[id]! += 1;
        }
      }
    }
  }
  const logN = Math.log(c.pairs);
  // Each sentence's tf-idf weights (in its n-grams' first-seen order), per-order norms, and the toolkit's length:
  // it counts bigrams (its `n == 1` is the 0-based order index), i.e. tokens - 1.
  const sentences = c.lengths.length;
  const weights = new Float64Array(ids.length);
  const norms = new Float64Array(sentences * n);
  const lengths = new Float64Array(sentences);
  for (let s = 0; s < sentences; s++) {
    for (let k = 0; k < n; k++) {
      const [from, to] = segment(s, k);
      let squares = 0;
      for (let j = from; j < to; j++) {
        const w = counts[j]! * (logN - Math.log(Math.max(1, df[ids[j]!]!)));
        weights[j] = w;
        squares += w * w;
      }
      norms[s * n + k] = Math.sqrt(squares);
    }
    if (n > 1) {
      const [from, to] = segment(s, 1);
      for (let j = from; j < to; j++) lengths[s]! += counts[j]!;
    }
  }
  // The current reference's weight of each n-gram (0 elsewhere).
  const refWeight = new Float64Array(c.idLimit);
  const perImage = Array.from({ length: c.pairs }, (_, i) => {
    const cand = c.first[i]!;
    const refs = c.first[i + 1]! - cand - 1;
    if (refs === 0) return 0;
    const sum = new Array<number>(n).fill(0);
    for (let r = cand + 1; r <= cand + refs; r++) {
      const penalty = Math.exp(-((lengths[cand]! - lengths[r]!) ** 2) / (2 * sigma ** 2));
      for (let k = 0; k < n; k++) {
        const [rFrom, rTo] = segment(r, k);
        for (let j = rFrom; j < rTo; j++) refWeight[ids[j]!] = weights[j]!;
        let dot = 0;
        const [cFrom, cTo] = segment(cand, k);
        for (let j = cFrom; j < cTo; j++) {
          const w = weights[j]!;
          const ref = refWeight[ids[j]!]!;
          dot += Math.min(w, ref) * ref; // CIDEr-D clips the candidate's weight by the reference's
        }
        for (let j = rFrom; j < rTo; j++) refWeight[ids[j]!] = 0;
        const candNorm = norms[cand * n + k]!;
        const refNorm = norms[r * n + k]!;
        if (candNorm !== 0 && refNorm !== 0) dot /= candNorm * refNorm;
        sum[k]! += dot * penalty;
      }
    }
    return (10 * mean(sum)) / refs;
  });
  return { ciderD: mean(perImage), perImage };
}

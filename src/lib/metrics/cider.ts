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
  const perImage = scores(c, inverseDocumentFrequencies(c, n), n, sigma);
  return { ciderD: mean(perImage), perImage };
}

/** Each n-gram's IDF: log(images) - log(in how many images' reference sets it occurs), clamped at one image. */
function inverseDocumentFrequencies(c: CountedCorpus, n: number): Float64Array {
  const { ids, offsets, first } = c;
  const df = new Int32Array(c.idLimit);
  const lastImage = new Int32Array(c.idLimit); // image + 1 that last counted the n-gram (0: none yet)
  for (let i = 0; i < c.pairs; i++) {
    for (let r = first[i]! + 1; r < first[i + 1]!; r++) {
      for (let j = offsets[r * c.n]!; j < offsets[r * c.n + n]!; j++) {
        const id = ids[j]!;
        if (lastImage[id] !== i + 1) {
          lastImage[id] = i + 1;
          df[id]! += 1;
        }
      }
    }
  }
  const logN = Math.log(c.pairs);
  const idf = new Float64Array(c.idLimit);
  for (let id = 0; id < c.idLimit; id++) idf[id] = logN - Math.log(Math.max(1, df[id]!));
  return idf;
}

/**
 * Every sentence's per-order tf-idf norms (sentence s, order k at s·n + k) and the toolkit's length, which counts
 * bigrams (its `n == 1` is the 0-based order index), i.e. tokens - 1. The weights themselves (count × IDF) are
 * recomputed where they are used: the same product, without an 8 MB array of them.
 */
function normsAndLengths(c: CountedCorpus, idf: Float64Array, n: number): { norms: Float64Array; lengths: Float64Array } {
  const { ids, counts, offsets } = c;
  const sentences = c.lengths.length;
  const norms = new Float64Array(sentences * n);
  const lengths = new Float64Array(sentences);
  for (let s = 0; s < sentences; s++) {
    for (let k = 0; k < n; k++) {
      const to = offsets[s * c.n + k + 1]!;
      let squares = 0;
      for (let j = offsets[s * c.n + k]!; j < to; j++) {
        const w = counts[j]! * idf[ids[j]!]!;
        squares += w * w;
      }
      norms[s * n + k] = Math.sqrt(squares);
    }
    if (n > 1) {
      let length = 0;
      for (let j = offsets[s * c.n + 1]!; j < offsets[s * c.n + 2]!; j++) length += counts[j]!;
      lengths[s] = length;
    }
  }
  return { norms, lengths };
}

/** Each image's CIDEr-D: 10 × the mean over orders of the mean over references of the penalised, clipped cosine. */
function scores(c: CountedCorpus, idf: Float64Array, n: number, sigma: number): number[] {
  const { ids, counts, offsets, first } = c;
  const { norms, lengths } = normsAndLengths(c, idf, n);
  // The current reference's weight of each n-gram (0 elsewhere).
  const refWeight = new Float64Array(c.idLimit);
  // Per order, the sum over references of the penalised cosine (reused across images).
  const sum = new Float64Array(n);
  const perImage = new Array<number>(c.pairs);
  for (let i = 0; i < c.pairs; i++) {
    const cand = first[i]!;
    const refs = first[i + 1]! - cand - 1;
    if (refs === 0) {
      perImage[i] = 0;
      continue;
    }
    sum.fill(0);
    for (let r = cand + 1; r <= cand + refs; r++) {
      const penalty = Math.exp(-((lengths[cand]! - lengths[r]!) ** 2) / (2 * sigma ** 2));
      for (let k = 0; k < n; k++) {
        const rFrom = offsets[r * c.n + k]!;
        const rTo = offsets[r * c.n + k + 1]!;
        for (let j = rFrom; j < rTo; j++) refWeight[ids[j]!] = counts[j]! * idf[ids[j]!]!;
        let dot = 0;
        const cTo = offsets[cand * c.n + k + 1]!;
        for (let j = offsets[cand * c.n + k]!; j < cTo; j++) {
          const id = ids[j]!;
          const w = counts[j]! * idf[id]!;
          const ref = refWeight[id]!;
          dot += Math.min(w, ref) * ref; // CIDEr-D clips the candidate's weight by the reference's
        }
        for (let j = rFrom; j < rTo; j++) refWeight[ids[j]!] = 0;
        const candNorm = norms[cand * n + k]!;
        const refNorm = norms[r * n + k]!;
        if (candNorm !== 0 && refNorm !== 0) dot /= candNorm * refNorm;
        sum[k]! += dot * penalty;
      }
    }
    let total = 0; // mean(sum), summed in the same order
    for (let k = 0; k < n; k++) total += sum[k]!;
    perImage[i] = (10 * (n ? total / n : 0)) / refs;
  }
  return perImage;
}

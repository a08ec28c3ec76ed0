import { countPairs, type CountedCorpus, type TokenizedPair } from "./ngrams.js";

export type { TokenizedPair };

/** One image's BLEU statistics, which pool over any set of images by summing. */
export interface BleuStats {
  testlen: number;
  reflen: number;
  guess: number[];
  correct: number[];
}

export interface BleuResult {
  /** Corpus BLEU-1..n (index n - 1). */
  bleu: number[];
  /** Per-image BLEU-1..n, in input order, as the toolkit computes them (own brevity penalty per image). */
  perImage: number[][];
  /** Total candidate length (the toolkit's testlen). */
  testlen: number;
  /** Sum over images of the reference length closest to the candidate's (ties: the shorter). */
  reflen: number;
  /** Candidate n-grams per order, summed over images. */
  guess: number[];
  /** Candidate n-grams matched in the references, clipped by the most generous single reference. */
  correct: number[];
  /** Each image's statistics, in input order (pooledBleu of a subset gives that subset's corpus BLEU). */
  perImageStats: BleuStats[];
}

// The toolkit's smoothing constants: a zero match count still gives 0, a zero guess count does not divide by 0.
const TINY = 1e-15;
const SMALL = 1e-9;

/** Cumulative BLEU-1..n from match and guess counts, with the brevity penalty exp(1 - R/C) when C < R. */
function bleuScores(correct: readonly number[], guess: readonly number[], testlen: number, reflen: number): number[] {
  const ratio = (testlen + TINY) / (reflen + SMALL);
  const penalty = ratio < 1 ? Math.exp(1 - 1 / ratio) : 1;
  const scores = new Array<number>(correct.length);
  let product = 1;
  for (let k = 0; k < correct.length; k++) {
    product *= (correct[k]! + TINY) / (guess[k]! + SMALL);
    scores[k] = product ** (1 / (k + 1)) * penalty; // × 1 is exact when there is no penalty
  }
  return scores;
}

/** bleu(): the COCO toolkit's BLEU-1..n, corpus level and per image. */
export function bleu(pairs: readonly TokenizedPair[], n = 4): BleuResult {
  return bleuOfCounts(countPairs(pairs, n), n);
}

/** BLEU-1..n from already counted pairs (orders 1..n at least; see countPairs). */
export function bleuOfCounts(c: CountedCorpus, n = 4): BleuResult {
  if (c.n < n) throw new RangeError(`bleuOfCounts: counted orders 1..${c.n}, asked for BLEU-${n}`);
  const { ids, counts, offsets, first, lengths } = c;
  const orders = c.n;
  // The most generous single reference's count of each n-gram of the current image (0 elsewhere).
  const maxRef = new Int32Array(c.idLimit);
  const perImage = new Array<number[]>(c.pairs);
  const perImageStats = new Array<BleuStats>(c.pairs);
  for (let i = 0; i < c.pairs; i++) {
    const cand = first[i]!;
    const end = first[i + 1]!;
    const length = lengths[cand]!;
    // The reference length closest to the candidate's; on a tie the shorter one, as the toolkit's "closest" option.
    let reflen = end > cand + 1 ? lengths[cand + 1]! : 0;
    for (let r = cand + 1; r < end; r++) {
      const l = lengths[r]!;
      const d = Math.abs(l - length);
      const bestD = Math.abs(reflen - length);
      if (d < bestD || (d === bestD && l < reflen)) reflen = l;
      const to = offsets[r * orders + n]!;
      for (let j = offsets[r * orders]!; j < to; j++) {
        const id = ids[j]!;
        if (counts[j]! > maxRef[id]!) maxRef[id] = counts[j]!;
      }
    }
    const guess = new Array<number>(n);
    const correct = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      guess[k] = Math.max(0, length - k);
      let matched = 0;
      const to = offsets[cand * orders + k + 1]!;
      for (let j = offsets[cand * orders + k]!; j < to; j++) matched += Math.min(maxRef[ids[j]!]!, counts[j]!);
      correct[k] = matched;
    }
    for (let r = cand + 1; r < end; r++) {
      const to = offsets[r * orders + n]!;
      for (let j = offsets[r * orders]!; j < to; j++) maxRef[ids[j]!] = 0;
    }
    perImage[i] = bleuScores(correct, guess, length, reflen);
    perImageStats[i] = { testlen: length, reflen, guess, correct };
  }
  return { ...pooledBleu(perImageStats, n), perImage, perImageStats };
}

/** Corpus BLEU-1..n of a set of images from their statistics: counts and lengths summed, then scored. */
export function pooledBleu(stats: readonly BleuStats[], n = 4): Omit<BleuResult, "perImage" | "perImageStats"> {
  const guess = new Array<number>(n).fill(0);
  const correct = new Array<number>(n).fill(0);
  let testlen = 0;
  let reflen = 0;
  for (const s of stats) {
    testlen += s.testlen;
    reflen += s.reflen;
    for (let k = 0; k < n; k++) {
      guess[k]! += s.guess[k]!;
      correct[k]! += s.correct[k]!;
    }
  }
  return { bleu: bleuScores(correct, guess, testlen, reflen), testlen, reflen, guess, correct };
}

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

/** The reference length closest to the candidate's; on a tie the shorter one, as the toolkit's "closest" option. */
function closestRefLength(refLengths: readonly number[], testlen: number): number {
  let best = refLengths[0] ?? 0;
  for (const l of refLengths) {
    const d = Math.abs(l - testlen);
    const bestD = Math.abs(best - testlen);
    if (d < bestD || (d === bestD && l < best)) best = l;
  }
  return best;
}

/** Cumulative BLEU-1..n from match and guess counts, with the brevity penalty exp(1 - R/C) when C < R. */
function bleuScores(correct: readonly number[], guess: readonly number[], testlen: number, reflen: number): number[] {
  const scores: number[] = [];
  let product = 1;
  for (let k = 0; k < correct.length; k++) {
    product *= (correct[k]! + TINY) / (guess[k]! + SMALL);
    scores.push(product ** (1 / (k + 1)));
  }
  const ratio = (testlen + TINY) / (reflen + SMALL);
  return ratio < 1 ? scores.map((s) => s * Math.exp(1 - 1 / ratio)) : scores;
}

/** bleu(): the COCO toolkit's BLEU-1..n, corpus level and per image. */
export function bleu(pairs: readonly TokenizedPair[], n = 4): BleuResult {
  return bleuOfCounts(countPairs(pairs, n), n);
}

/** BLEU-1..n from already counted pairs (orders 1..n at least; see countPairs). */
export function bleuOfCounts(c: CountedCorpus, n = 4): BleuResult {
  if (c.n < n) throw new RangeError(`bleuOfCounts: counted orders 1..${c.n}, asked for BLEU-${n}`);
  const { ids, counts, offsets } = c;
  // The most generous single reference's count of each n-gram of the current image (0 elsewhere).
  const maxRef = new Int32Array(c.idLimit);
  const touched: number[] = [];
  const perImage: number[][] = [];
  const perImageStats: BleuStats[] = [];
  for (let i = 0; i < c.pairs; i++) {
    const cand = c.first[i]!;
    const end = c.first[i + 1]!;
    const refLengths: number[] = [];
    for (let r = cand + 1; r < end; r++) {
      refLengths.push(c.lengths[r]!);
      for (let j = offsets[r * c.n]!; j < offsets[r * c.n + n]!; j++) {
        const id = ids[j]!;
        if (counts[j]! > maxRef[id]!) {
          if (maxRef[id] === 0) touched.push(id);
          maxRef[id] = counts[j]!;
        }
      }
    }
    const length = c.lengths[cand]!;
    const guess = Array.from({ length: n }, (_, k) => Math.max(0, length - k));
    const correct = Array.from({ length: n }, (_, k) => {
      let matched = 0;
      for (let j = offsets[cand * c.n + k]!; j < offsets[cand * c.n + k + 1]!; j++) matched += Math.min(maxRef[ids[j]!]!, counts[j]!);
      return matched;
    });
    for (const id of touched) maxRef[id] = 0;
    touched.length = 0;
    const reflen = closestRefLength(refLengths, length);
    perImage.push(bleuScores(correct, guess, length, reflen));
    perImageStats.push({ testlen: length, reflen, guess, correct });
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

import { ngramCounts } from "./ngrams.js";

/** One evaluated image: the candidate's tokens and each reference's tokens. */
export interface TokenizedPair {
  candidate: readonly string[];
  references: readonly (readonly string[])[];
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
  const guess = new Array<number>(n).fill(0);
  const correct = new Array<number>(n).fill(0);
  let testlen = 0;
  let reflen = 0;
  const perImage: number[][] = [];
  for (const { candidate, references } of pairs) {
    const maxRefCounts = new Map<string, number>();
    for (const ref of references) {
      for (const order of ngramCounts(ref, n)) {
        for (const [gram, count] of order) maxRefCounts.set(gram, Math.max(maxRefCounts.get(gram) ?? 0, count));
      }
    }
    const imageGuess = Array.from({ length: n }, (_, k) => Math.max(0, candidate.length - k));
    const imageCorrect = ngramCounts(candidate, n).map((order) => {
      let matched = 0;
      for (const [gram, count] of order) matched += Math.min(maxRefCounts.get(gram) ?? 0, count);
      return matched;
    });
    const imageReflen = closestRefLength(references.map((r) => r.length), candidate.length);
    perImage.push(bleuScores(imageCorrect, imageGuess, candidate.length, imageReflen));
    testlen += candidate.length;
    reflen += imageReflen;
    for (let k = 0; k < n; k++) {
      guess[k]! += imageGuess[k]!;
      correct[k]! += imageCorrect[k]!;
    }
  }
  return { bleu: bleuScores(correct, guess, testlen, reflen), perImage, testlen, reflen, guess, correct };
}

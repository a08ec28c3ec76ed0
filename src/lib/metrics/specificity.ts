import { countCorpus, encodePairs, type CountedCorpus } from "./ngrams.js";
import type { WordNet } from "../wordnet/index.js";
import { nounDepth, type NounDepth } from "./noun-depth.js";

export interface SpecificityOptions {
  /** Parsed WordNet; without it the noun depths are left out (NaN). */
  wordnet?: WordNet;
  /** Largest n for distinct-n (default 4). */
  n?: number;
}

export interface CaptionSpecificity {
  nouns: NounDepth[];
  /** Mean depth of this caption's nouns (NaN without nouns or WordNet). */
  meanNounDepth: number;
}

export interface SpecificityResult {
  captions: number;
  /** Mean caption length in tokens. */
  meanLength: number;
  /** Distinct tokens over all captions. */
  vocabularySize: number;
  /** distinct-1..n: distinct n-grams / all n-grams, pooled over captions (index n - 1; 0 when there are none). */
  distinct: number[];
  /** Mean WordNet depth over every noun occurrence (NaN without nouns or WordNet). */
  meanNounDepth: number;
  nounCount: number;
  perCaption: CaptionSpecificity[];
}

/** The nouns of a tokenised caption with their WordNet depths. */
export function captionNouns(tokens: readonly string[], wordnet: WordNet): NounDepth[] {
  const nouns: NounDepth[] = [];
  tokens.forEach((token, i) => {
    const noun = nounDepth(wordnet, token, tokens[i - 1]);
    if (noun) nouns.push(noun);
  });
  return nouns;
}

/** Each caption's nouns and their mean depth (none without WordNet). */
export function captionSpecificities(captions: readonly (readonly string[])[], wordnet: WordNet | undefined): CaptionSpecificity[] {
  return captions.map((caption) => {
    const nouns = wordnet ? captionNouns(caption, wordnet) : [];
    return { nouns, meanNounDepth: nouns.length ? nouns.reduce((s, x) => s + x.depth, 0) / nouns.length : Number.NaN };
  });
}

/**
 * Specificity of some sentences of an already counted corpus (orders 1..n at least), given their nouns: distinct-k
 * pools each sentence's distinct k-grams (already listed by the count) over the sentences.
 */
export function specificityOfCounts(c: CountedCorpus, sentences: ArrayLike<number>, perCaption: readonly CaptionSpecificity[], n = 4): Omit<SpecificityResult, "perCaption"> {
  if (c.n < n) throw new RangeError(`specificityOfCounts: counted orders 1..${c.n}, asked for distinct-${n}`);
  const seen = new Uint8Array(c.idLimit);
  const distinct = new Array<number>(n).fill(0);
  const totals = new Array<number>(n).fill(0);
  let tokens = 0;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i]!;
    const length = c.lengths[s]!;
    tokens += length;
    for (let k = 0; k < n; k++) {
      totals[k]! += Math.max(0, length - k);
      for (let j = c.offsets[s * c.n + k]!; j < c.offsets[s * c.n + k + 1]!; j++) {
        const id = c.ids[j]!;
        if (seen[id] === 0) {
          seen[id] = 1;
          distinct[k]! += 1;
        }
      }
    }
  }
  let depthSum = 0;
  let nounCount = 0;
  for (const caption of perCaption) {
    depthSum += caption.nouns.reduce((s, x) => s + x.depth, 0);
    nounCount += caption.nouns.length;
  }
  return {
    captions: sentences.length,
    meanLength: sentences.length ? tokens / sentences.length : 0,
    vocabularySize: n > 0 ? distinct[0]! : 0,
    distinct: distinct.map((d, k) => (totals[k] ? d / totals[k]! : 0)),
    meanNounDepth: nounCount ? depthSum / nounCount : Number.NaN,
    nounCount,
  };
}

/** specificity(): how specific and varied a set of tokenised captions is. */
export function specificity(captions: readonly (readonly string[])[], options: SpecificityOptions = {}): SpecificityResult {
  const n = options.n ?? 4;
  // Each caption a pair of its own with no references: sentence i is caption i.
  const counted = countCorpus(encodePairs(captions.map((candidate) => ({ candidate, references: [] }))), n);
  const perCaption = captionSpecificities(captions, options.wordnet);
  return { ...specificityOfCounts(counted, counted.first.subarray(0, captions.length), perCaption, n), perCaption };
}

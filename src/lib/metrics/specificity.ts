import { NgramIndex } from "./ngrams.js";
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

/** specificity(): how specific and varied a set of tokenised captions is. */
export function specificity(captions: readonly (readonly string[])[], options: SpecificityOptions = {}): SpecificityResult {
  const n = options.n ?? 4;
  const index = new NgramIndex();
  const distinctSets = Array.from({ length: n }, () => new Set<number>());
  const totals = new Array<number>(n).fill(0);
  let tokens = 0;
  let depthSum = 0;
  let nounCount = 0;
  const perCaption = captions.map((caption) => {
    tokens += caption.length;
    index.chains(caption, n).forEach((chain, k) => {
      for (const gram of chain) distinctSets[k]!.add(gram);
      totals[k]! += chain.length;
    });
    const nouns = options.wordnet ? captionNouns(caption, options.wordnet) : [];
    const sum = nouns.reduce((s, x) => s + x.depth, 0);
    depthSum += sum;
    nounCount += nouns.length;
    return { nouns, meanNounDepth: nouns.length ? sum / nouns.length : Number.NaN };
  });
  return {
    captions: captions.length,
    meanLength: captions.length ? tokens / captions.length : 0,
    vocabularySize: distinctSets[0]?.size ?? 0,
    distinct: distinctSets.map((set, k) => (totals[k] ? set.size / totals[k]! : 0)),
    meanNounDepth: nounCount ? depthSum / nounCount : Number.NaN,
    nounCount,
    perCaption,
  };
}

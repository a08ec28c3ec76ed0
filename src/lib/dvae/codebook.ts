/** How a batch of token grids uses the codebook. */
export interface CodebookUsage {
  vocabSize: number;
  tokens: number;
  /** Occurrences of each code id. */
  counts: number[];
  /** Codes used at least once. */
  used: number;
  usedFraction: number;
  /** exp(entropy) of the code distribution: the effective number of codes (vocabSize when uniform). */
  perplexity: number;
}

/** Counts code ids (any iterable of integers in [0, vocabSize)); ids outside that range are an error. */
export function codebookUsage(ids: Iterable<number>, vocabSize: number): CodebookUsage {
  const counts = new Array<number>(vocabSize).fill(0);
  let tokens = 0;
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new Error(`code id ${id} is outside [0, ${vocabSize})`);
    counts[id]!++;
    tokens++;
  }
  let entropy = 0;
  let used = 0;
  for (const n of counts) {
    if (n === 0) continue;
    used++;
    const p = n / tokens;
    entropy -= p * Math.log(p);
  }
  return { vocabSize, tokens, counts, used, usedFraction: used / vocabSize, perplexity: tokens ? Math.exp(entropy) : 0 };
}

/**
 * N-gram counting shared by BLEU, CIDEr-D and distinct-n. An NgramIndex interns every n-gram as an integer (a
 * k-gram's id comes from its (k-1)-gram prefix's id and its last token's id), so counting allocates no strings.
 */

/** One evaluated image: the candidate's tokens and each reference's tokens. */
export interface TokenizedPair {
  candidate: readonly string[];
  references: readonly (readonly string[])[];
}

/** Token ids stay below 2^22, as they did when (prefix, token) was packed into one double; kept as the index's limit. */
const TOKEN_SPACE = 2 ** 22;

/**
 * Interns tokens and n-grams: equal n-grams get equal ids, across sentences and orders. Ids start at 1. The
 * (prefix id, token id) → id table is open addressing over typed arrays: a Map keyed by doubles boxed every key,
 * and its garbage was a third of `ccw eval-captions`' time.
 */
export class NgramIndex {
  private readonly tokens = new Map<string, number>();
  private prefixes = new Int32Array(1 << 12);
  private lasts = new Int32Array(1 << 12);
  /** The n-gram id at each slot; 0 marks an empty slot. */
  private ids = new Int32Array(1 << 12);
  private size = 0;

  /** A token's id (interned on first sight). */
  tokenId(token: string): number {
    let id = this.tokens.get(token);
    if (id === undefined) {
      id = this.tokens.size;
      if (id >= TOKEN_SPACE) throw new RangeError(`NgramIndex: more than ${TOKEN_SPACE} distinct tokens`);
      this.tokens.set(token, id);
    }
    return id;
  }

  private static slot(prefix: number, token: number, mask: number): number {
    return (Math.imul(prefix, 0x9e3779b1) ^ Math.imul(token + 0x7f4a7c15, 0x85ebca6b)) & mask;
  }

  /** The id of the n-gram made of the gram `prefix` (0: none) followed by token `token`. */
  gramId(prefix: number, token: number): number {
    const mask = this.ids.length - 1;
    let at = NgramIndex.slot(prefix, token, mask);
    for (;;) {
      const id = this.ids[at]!;
      if (id === 0) break;
      if (this.prefixes[at] === prefix && this.lasts[at] === token) return id;
      at = (at + 1) & mask;
    }
    const id = ++this.size;
    this.prefixes[at] = prefix;
    this.lasts[at] = token;
    this.ids[at] = id;
    if (this.size * 2 > this.ids.length) this.grow();
    return id;
  }

  /** Doubles the table (kept at most half full, so probes stay short) and re-inserts every n-gram. */
  private grow(): void {
    const { prefixes, lasts, ids } = this;
    const capacity = ids.length * 2;
    this.prefixes = new Int32Array(capacity);
    this.lasts = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] === 0) continue;
      let at = NgramIndex.slot(prefixes[i]!, lasts[i]!, mask);
      while (this.ids[at] !== 0) at = (at + 1) & mask;
      this.prefixes[at] = prefixes[i]!;
      this.lasts[at] = lasts[i]!;
      this.ids[at] = ids[i]!;
    }
  }

  /** The id of every k-gram occurrence, for k = 1..n, left to right (one array per order, index k - 1). */
  chains(tokens: readonly string[], n: number): number[][] {
    const ids = tokens.map((t) => this.tokenId(t));
    const chains: number[][] = [];
    const prefixes = new Array<number>(ids.length).fill(0);
    for (let k = 0; k < n; k++) {
      const chain: number[] = [];
      for (let i = 0; i + k < ids.length; i++) {
        const id = this.gramId(prefixes[i]!, ids[i + k]!);
        prefixes[i] = id;
        chain.push(id);
      }
      chains.push(chain);
    }
    return chains;
  }
}

/**
 * Every sentence of a set of (candidate, references) pairs, counted once: for sentence s and order k (0-based),
 * its distinct n-gram ids in first-seen order are ids[offsets[s·n + k] .. offsets[s·n + k + 1]) and their counts
 * the same slice of counts. Flat typed arrays, so BLEU and CIDEr-D score 5,000 images without a Map per sentence.
 */
export interface CountedCorpus {
  /** Largest order counted. */
  n: number;
  /** An upper bound of the n-gram ids: the length an array indexed by id needs. */
  idLimit: number;
  ids: Int32Array;
  counts: Int32Array;
  offsets: Int32Array;
  /** Tokens per sentence. */
  lengths: Int32Array;
  /** Pair i's candidate is sentence first[i]; its references are sentences first[i] + 1 .. first[i + 1] - 1. */
  first: Int32Array;
  pairs: number;
}

/** Counts every sentence of the pairs once (orders 1..n), with one fresh index so ids compare across pairs. */
export function countPairs(pairs: readonly TokenizedPair[], n: number): CountedCorpus {
  const index = new NgramIndex();
  const sentences: (readonly string[])[] = [];
  const first = new Int32Array(pairs.length + 1);
  pairs.forEach((p, i) => {
    first[i] = sentences.length;
    sentences.push(p.candidate, ...p.references);
  });
  first[pairs.length] = sentences.length;
  let bound = 0;
  for (const s of sentences) for (let k = 0; k < n; k++) bound += Math.max(0, s.length - k);
  const ids = new Int32Array(bound);
  const counts = new Int32Array(bound);
  const offsets = new Int32Array(sentences.length * n + 1);
  const lengths = new Int32Array(sentences.length);
  // slot[id]: where id was last written; a slot before the current segment's start belongs to an earlier one.
  const slot = new Int32Array(bound + 1).fill(-1);
  // One sentence's token ids and running (k-1)-gram prefixes, reused: no array per sentence and order.
  let tokenIds = new Int32Array(64);
  let prefixes = new Int32Array(64);
  let at = 0;
  sentences.forEach((tokens, s) => {
    lengths[s] = tokens.length;
    if (tokens.length > tokenIds.length) {
      tokenIds = new Int32Array(tokens.length * 2);
      prefixes = new Int32Array(tokens.length * 2);
    }
    for (let i = 0; i < tokens.length; i++) {
      tokenIds[i] = index.tokenId(tokens[i]!);
      prefixes[i] = 0;
    }
    for (let k = 0; k < n; k++) {
      const start = at;
      offsets[s * n + k] = start;
      for (let i = 0; i + k < tokens.length; i++) {
        const id = index.gramId(prefixes[i]!, tokenIds[i + k]!);
        prefixes[i] = id;
        const j = slot[id]!;
        if (j >= start) counts[j]! += 1;
        else {
          slot[id] = at;
          ids[at] = id;
          counts[at] = 1;
          at += 1;
        }
      }
    }
  });
  offsets[sentences.length * n] = at;
  return { n, idLimit: bound + 1, ids, counts, offsets, lengths, first, pairs: pairs.length };
}

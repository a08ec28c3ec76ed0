/**
 * Sentences as integers, shared by BLEU, CIDEr-D, ROUGE-L and distinct-n. An EncodedCorpus holds every sentence's
 * token ids in one flat array (the token strings die as soon as they are interned); an NgramIndex interns every
 * n-gram as an integer (a k-gram's id comes from its (k-1)-gram prefix's id and its last token's id), so counting
 * allocates no strings.
 */

/** One evaluated image: the candidate's tokens and each reference's tokens. */
export interface TokenizedPair {
  candidate: readonly string[];
  references: readonly (readonly string[])[];
}

/** Token ids stay below 2^22, as they did when (prefix, token) was packed into one double; kept as the limit. */
const TOKEN_SPACE = 2 ** 22;

/**
 * Sentences grouped into pairs (a candidate, then its references), their tokens as ids into one vocabulary.
 * Sentence s is tokens[starts[s] .. starts[s + 1]); pair i's candidate is sentence first[i], its references are
 * sentences first[i] + 1 .. first[i + 1] - 1.
 */
export interface EncodedCorpus {
  /** Token id → token. */
  vocabulary: readonly string[];
  tokens: Int32Array;
  starts: Int32Array;
  first: Int32Array;
  pairs: number;
}

/** FNV-1a over UTF-16 code units, one step: tokens and text ranges hash alike. */
const fnv = (hash: number, code: number) => Math.imul(hash ^ code, 0x01000193);
const FNV_SEED = 0x811c9dc5 | 0;
/** A code unit read as lower case when it is an ASCII capital. */
const folded = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

/**
 * Interns tokens: equal tokens get equal ids, from 0, each string kept once. Open addressing over a typed array,
 * so a token can also be looked up as a range of a caption's text without cutting it out (tokenize.ts's plain-caption
 * scan): only a token's first occurrence becomes a string.
 */
export class Vocabulary {
  /** Token id → token. */
  readonly tokens: string[] = [];
  private hashes: number[] = [];
  /** Id + 1 at each slot; 0 marks an empty slot. */
  private slots = new Int32Array(1 << 10);

  get size(): number {
    return this.tokens.length;
  }

  /** A token's id (interned on first sight). */
  id(token: string): number {
    let hash = FNV_SEED;
    for (let i = 0; i < token.length; i++) hash = fnv(hash, token.charCodeAt(i));
    const mask = this.slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const id = this.slots[at]! - 1;
      if (id < 0) return this.add(token, hash, at);
      if (this.hashes[id] === hash && this.tokens[id] === token) return id;
    }
  }

  /** The id of text[start .. end) with ASCII capitals read as lower case (interned, lower-cased, on first sight). */
  idOfRange(text: string, start: number, end: number): number {
    let hash = FNV_SEED;
    for (let i = start; i < end; i++) hash = fnv(hash, folded(text.charCodeAt(i)));
    const mask = this.slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const id = this.slots[at]! - 1;
      if (id < 0) return this.add(text.slice(start, end).toLowerCase(), hash, at);
      if (this.hashes[id] === hash && sameFolded(this.tokens[id]!, text, start, end)) return id;
    }
  }

  private add(token: string, hash: number, at: number): number {
    const id = this.tokens.length;
    if (id >= TOKEN_SPACE) throw new RangeError(`Vocabulary: more than ${TOKEN_SPACE} distinct tokens`);
    this.tokens.push(token);
    this.hashes.push(hash);
    this.slots[at] = id + 1;
    if (this.tokens.length * 2 > this.slots.length) this.grow();
    return id;
  }

  /** Doubles the table (kept at most half full, so probes stay short) and re-inserts every token. */
  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    this.hashes.forEach((hash, id) => {
      let at = hash & mask;
      while (this.slots[at] !== 0) at = (at + 1) & mask;
      this.slots[at] = id + 1;
    });
  }
}

/** Whether token equals text[start .. end) with ASCII capitals read as lower case. */
function sameFolded(token: string, text: string, start: number, end: number): boolean {
  if (token.length !== end - start) return false;
  for (let i = 0; i < token.length; i++) if (token.charCodeAt(i) !== folded(text.charCodeAt(start + i))) return false;
  return true;
}

/** Builds an EncodedCorpus pair by pair, sentence by sentence: tokens become ids as they come, no array per sentence. */
export class CorpusEncoder {
  readonly vocabulary = new Vocabulary();
  private tokens: Int32Array;
  private starts: Int32Array;
  private first: Int32Array;
  private length = 0;
  private sentences = 0;
  private pairs = 0;

  /** Sized for `expected` pairs and sentences when known (the arrays grow past them), 16 tokens a sentence. */
  constructor(expected: { pairs: number; sentences: number } = { pairs: 256, sentences: 1024 }) {
    this.first = new Int32Array(expected.pairs + 1);
    this.starts = new Int32Array(expected.sentences + 1);
    this.tokens = new Int32Array(expected.sentences * 16);
  }

  /** Starts the next pair; the sentence added next is its candidate. */
  pair(): void {
    if (this.pairs + 2 > this.first.length) this.first = grown(this.first, this.pairs + 2);
    this.first[this.pairs++] = this.sentences;
  }

  /** Adds one sentence to the current pair. */
  sentence(tokens: readonly string[]): void {
    this.open(tokens.length);
    for (const token of tokens) this.tokens[this.length++] = this.vocabulary.id(token);
  }

  /** Adds one sentence given as ids of this encoder's vocabulary. */
  sentenceOfIds(ids: readonly number[]): void {
    this.open(ids.length);
    for (const id of ids) this.tokens[this.length++] = id;
  }

  /** Starts a sentence of `length` tokens. */
  private open(length: number): void {
    if (this.length + length > this.tokens.length) this.tokens = grown(this.tokens, this.length + length);
    if (this.sentences + 2 > this.starts.length) this.starts = grown(this.starts, this.sentences + 2);
    this.starts[this.sentences++] = this.length;
  }

  finish(): EncodedCorpus {
    this.starts[this.sentences] = this.length;
    this.first[this.pairs] = this.sentences;
    return {
      vocabulary: this.vocabulary.tokens,
      tokens: this.tokens.subarray(0, this.length),
      starts: this.starts.subarray(0, this.sentences + 1),
      first: this.first.subarray(0, this.pairs + 1),
      pairs: this.pairs,
    };
  }
}

/** A copy of `array` with room for at least `needed` elements. */
function grown(array: Int32Array, needed: number): Int32Array {
  const copy = new Int32Array(Math.max(needed, array.length * 2));
  copy.set(array);
  return copy;
}

/** The pairs' sentences as ids (candidate first, then references, pair by pair). */
export function encodePairs(pairs: readonly TokenizedPair[]): EncodedCorpus {
  const encoder = new CorpusEncoder();
  for (const p of pairs) {
    encoder.pair();
    encoder.sentence(p.candidate);
    for (const r of p.references) encoder.sentence(r);
  }
  return encoder.finish();
}

/** A sentence's tokens back as strings. */
export function decodeSentence(corpus: EncodedCorpus, s: number): string[] {
  const out: string[] = [];
  for (let j = corpus.starts[s]!; j < corpus.starts[s + 1]!; j++) out.push(corpus.vocabulary[corpus.tokens[j]!]!);
  return out;
}

/**
 * Interns n-grams of order 2 and up over a known vocabulary: a unigram's id is its token id + 1, a longer gram's id
 * comes from (prefix gram id, last token id) and follows the unigrams'. Ids start at 1. The table is open addressing
 * over typed arrays: a Map keyed by doubles boxed every key, and its garbage was a third of `ccw eval-captions`' time.
 */
export class NgramIndex {
  private prefixes = new Int32Array(1 << 12);
  private lasts = new Int32Array(1 << 12);
  /** The n-gram id at each slot; 0 marks an empty slot. */
  private ids = new Int32Array(1 << 12);
  private grams = 0;

  /** `tokens`: the vocabulary's size, so unigram ids are 1..tokens. */
  constructor(private readonly tokens: number) {}

  /** One more than the largest id handed out so far: the length an array indexed by id needs. */
  get limit(): number {
    return this.tokens + this.grams + 1;
  }

  private static slot(prefix: number, token: number, mask: number): number {
    return (Math.imul(prefix, 0x9e3779b1) ^ Math.imul(token + 0x7f4a7c15, 0x85ebca6b)) & mask;
  }

  /** The id of the n-gram made of the gram `prefix` (0: none, a unigram) followed by token `token`. */
  gramId(prefix: number, token: number): number {
    if (prefix === 0) return token + 1;
    const mask = this.ids.length - 1;
    let at = NgramIndex.slot(prefix, token, mask);
    for (;;) {
      const id = this.ids[at]!;
      if (id === 0) break;
      if (this.prefixes[at] === prefix && this.lasts[at] === token) return id;
      at = (at + 1) & mask;
    }
    const id = this.tokens + ++this.grams;
    this.prefixes[at] = prefix;
    this.lasts[at] = token;
    this.ids[at] = id;
    if (this.grams * 2 > this.ids.length) this.grow();
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
}

/**
 * Every sentence of an encoded corpus, counted once: for sentence s and order k (0-based), its distinct n-gram ids
 * in first-seen order are ids[offsets[s·n + k] .. offsets[s·n + k + 1]) and their counts the same slice of counts.
 * Flat typed arrays, so BLEU and CIDEr-D score 5,000 images without a Map per sentence.
 */
export interface CountedCorpus {
  /** Largest order counted. */
  n: number;
  /** One more than the largest n-gram id: the length an array indexed by id needs. */
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
  return countCorpus(encodePairs(pairs), n);
}

/** Counts every sentence of an encoded corpus once (orders 1..n). */
export function countCorpus(corpus: EncodedCorpus, n: number): CountedCorpus {
  const { tokens, starts } = corpus;
  const index = new NgramIndex(corpus.vocabulary.length);
  const sentences = starts.length - 1;
  let bound = 0;
  for (let s = 0; s < sentences; s++) for (let k = 0; k < n; k++) bound += Math.max(0, starts[s + 1]! - starts[s]! - k);
  const ids = new Int32Array(bound);
  const counts = new Int32Array(bound);
  const offsets = new Int32Array(sentences * n + 1);
  const lengths = new Int32Array(sentences);
  // slot[id] - 1: where id was last written (0: never); a slot before the current segment's start belongs to an
  // earlier one. Sized by the most ids there can be; a fresh array is zero without a fill.
  const slot = new Int32Array(corpus.vocabulary.length + bound + 1);
  // One sentence's running (k-1)-gram prefixes, reused: no array per sentence and order.
  let prefixes = new Int32Array(64);
  let at = 0;
  for (let s = 0; s < sentences; s++) {
    const from = starts[s]!;
    const length = starts[s + 1]! - from;
    lengths[s] = length;
    if (length > prefixes.length) prefixes = new Int32Array(length * 2);
    prefixes.fill(0, 0, length);
    for (let k = 0; k < n; k++) {
      const start = at;
      offsets[s * n + k] = start;
      for (let i = 0; i + k < length; i++) {
        const id = index.gramId(prefixes[i]!, tokens[from + i + k]!);
        prefixes[i] = id;
        const j = slot[id]! - 1;
        if (j >= start) counts[j]! += 1;
        else {
          slot[id] = at + 1;
          ids[at] = id;
          counts[at] = 1;
          at += 1;
        }
      }
    }
  }
  offsets[sentences * n] = at;
  return { n, idLimit: index.limit, ids, counts, offsets, lengths, first: corpus.first, pairs: corpus.pairs };
}

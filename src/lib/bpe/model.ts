/** The BPE model: its validated layout, encoding by merge rank, decoding. */
import { Heap } from "./heap.js";
import { BPE_WORD_START, bpeNormalize, splitPieces } from "./normalize.js";

/**
 * A trained byte-pair encoding. Immutable. Layout of `vocab` (ids are indices):
 * 0 `<unk>`, 1 the word-start marker, then the base alphabet (single code points, by code point),
 * then merged tokens in the order their first merge created them. `merges` are in rank order.
 */
export interface Bpe {
  readonly vocab: readonly string[];
  readonly merges: readonly (readonly [string, string])[];
}

/** The token for characters never seen in training; always id 0. */
export const BPE_UNK = "<unk>";
/** Id of BPE_UNK. */
export const BPE_UNK_ID = 0;
/** Id of the word-start marker. */
export const BPE_WORD_START_ID = 1;

/** What encoding and decoding need, derived once per model and kept out of the immutable model. */
interface Lookup {
  readonly ids: ReadonlyMap<string, number>;
  /** pairKey(left, right) → the merge's rank and resulting id. */
  readonly ranks: ReadonlyMap<number, { readonly rank: number; readonly id: number }>;
  /** Token text as decoding writes it (the marker as a space). */
  readonly text: readonly string[];
  /** Encoded pieces, bounded; repeated words are the common case in captions. */
  readonly cache: Map<string, readonly number[]>;
}

const CACHE_LIMIT = 50_000;
const CACHE_MAX_PIECE = 64;

const lookups = new WeakMap<Bpe, Lookup>();

/** A unique number for an ordered pair of ids below `size`. */
function pairKey(left: number, right: number, size: number): number {
  return left * size + right;
}

/**
 * Checks a vocabulary and merge list against the layout documented on `Bpe` and derives the lookup tables.
 * Errors name the field (`vocab[i]`, `merges[k]`) and what is valid there.
 */
function buildLookup(vocab: readonly string[], merges: readonly (readonly [string, string])[]): Lookup {
  if (vocab[0] !== BPE_UNK) throw new Error(`bpe: vocab[0] must be "${BPE_UNK}", got ${JSON.stringify(vocab[0])}`);
  if (vocab[1] !== BPE_WORD_START) throw new Error(`bpe: vocab[1] must be the word-start marker "${BPE_WORD_START}" (U+2581), got ${JSON.stringify(vocab[1])}`);
  const ids = new Map<string, number>();
  const text: string[] = [];
  let base = 0;
  for (let i = 0; i < vocab.length; i++) {
    const token = vocab[i] as string;
    if (typeof token !== "string" || token === "") throw new Error(`bpe: vocab[${i}] must be a non-empty string, got ${JSON.stringify(token)}`);
    const previous = ids.get(token);
    if (previous !== undefined) throw new Error(`bpe: vocab[${i}] ${JSON.stringify(token)} repeats vocab[${previous}]; tokens must be unique`);
    ids.set(token, i);
    text.push(token.startsWith(BPE_WORD_START) ? " " + token.slice(BPE_WORD_START.length) : token);
    if (i >= 2 && base === 0) {
      const codePoints = [...token].length;
      if (codePoints > 1) base = i;
      else if (token === " ") throw new Error(`bpe: vocab[${i}] is a space; spaces are spelled by the word-start marker`);
    }
  }
  if (base === 0) base = vocab.length;
  const size = vocab.length;
  const ranks = new Map<number, { rank: number; id: number }>();
  // Merged tokens enter the vocabulary in the order of the merges that first produce them.
  let next = base;
  for (let k = 0; k < merges.length; k++) {
    const merge = merges[k];
    if (!Array.isArray(merge) || merge.length !== 2) throw new Error(`bpe: merges[${k}] must be a pair [left, right] of vocabulary tokens, got ${JSON.stringify(merge)}`);
    const [left, right] = merge;
    const a = ids.get(left);
    const b = ids.get(right);
    if (a === undefined || a < 1 || a >= next) throw new Error(`bpe: merges[${k}][0] ${JSON.stringify(left)} must be a token defined before this merge (vocab[1..${next - 1}])`);
    if (b === undefined || b < 2 || b >= next) throw new Error(`bpe: merges[${k}][1] ${JSON.stringify(right)} must be a token defined before this merge (vocab[2..${next - 1}])`);
    if (right.startsWith(BPE_WORD_START)) throw new Error(`bpe: merges[${k}][1] ${JSON.stringify(right)} starts a word; only the left part of a merge may`);
    const key = pairKey(a, b, size);
    if (ranks.has(key)) throw new Error(`bpe: merges[${k}] repeats merges[${ranks.get(key)?.rank}] ${JSON.stringify(merge)}; each pair is merged once`);
    const joined = left + right;
    let id = ids.get(joined);
    if (id === undefined || id >= next) {
      if (vocab[next] !== joined) {
        throw new Error(`bpe: merges[${k}] ${JSON.stringify(merge)} produces ${JSON.stringify(joined)}, so vocab[${next}] must be ${JSON.stringify(joined)}, got ${JSON.stringify(vocab[next])}`);
      }
      id = next++;
    } else if (id < base) {
      throw new Error(`bpe: merges[${k}] ${JSON.stringify(merge)} produces ${JSON.stringify(joined)}, which is the reserved vocab[${id}]`);
    }
    ranks.set(key, { rank: k, id });
  }
  if (next !== size) throw new Error(`bpe: vocab[${next}] ${JSON.stringify(vocab[next])} is produced by no merge; vocab has ${size} tokens but the merges produce only up to vocab[${next - 1}]`);
  return { ids, ranks, text, cache: new Map() };
}

/** The lookup for a model, built (and the model validated) on first use. */
function lookupOf(bpe: Bpe): Lookup {
  let lookup = lookups.get(bpe);
  if (lookup === undefined) {
    lookup = buildLookup(bpe.vocab, bpe.merges);
    lookups.set(bpe, lookup);
  }
  return lookup;
}

/** A validated, frozen model from a vocabulary and merges (copied). */
export function makeBpe(vocab: readonly string[], merges: readonly (readonly [string, string])[]): Bpe {
  const bpe: Bpe = Object.freeze({
    vocab: Object.freeze([...vocab]),
    merges: Object.freeze(merges.map((m) => Object.freeze([m[0], m[1]] as const))),
  });
  lookups.set(bpe, buildLookup(bpe.vocab, bpe.merges));
  return bpe;
}

/** Encodes one piece (see splitPieces): its characters, then merges lowest rank first, leftmost first among equals. */
function encodePiece(lookup: Lookup, piece: string): number[] {
  const symbols: number[] = [];
  let chars = piece;
  if (piece.startsWith(" ")) {
    symbols.push(BPE_WORD_START_ID);
    chars = piece.slice(1);
  }
  // The marker character in input text is not the marker token: it would decode as a space.
  for (const ch of chars) symbols.push(ch === BPE_WORD_START ? BPE_UNK_ID : (lookup.ids.get(ch) ?? BPE_UNK_ID));
  const n = symbols.length;
  if (n < 2) return symbols;
  const size = lookup.text.length;
  const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
  const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
  // Candidates [rank, position]; stale ones are skipped when popped.
  const heap = new Heap<readonly [number, number]>((x, y) => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]));
  const consider = (i: number): void => {
    if (i < 0) return;
    const j = next[i] as number;
    if (j < 0) return;
    const merge = lookup.ranks.get(pairKey(symbols[i] as number, symbols[j] as number, size));
    if (merge !== undefined) heap.push([merge.rank, i]);
  };
  for (let i = 0; i + 1 < n; i++) consider(i);
  for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
    const [rank, i] = top;
    const j = next[i] as number;
    if (symbols[i] === -1 || j < 0) continue;
    const merge = lookup.ranks.get(pairKey(symbols[i] as number, symbols[j] as number, size));
    if (merge === undefined || merge.rank !== rank) continue;
    symbols[i] = merge.id;
    symbols[j] = -1;
    const after = next[j] as number;
    next[i] = after;
    if (after >= 0) prev[after] = i;
    consider(prev[i] as number);
    consider(i);
  }
  return symbols.filter((s) => s !== -1);
}

/** Normalises text (bpeNormalize) and encodes it. Characters never seen in training become BPE_UNK_ID; never throws on text. */
export function bpeEncode(bpe: Bpe, text: string): number[] {
  const lookup = lookupOf(bpe);
  const out: number[] = [];
  for (const piece of splitPieces(bpeNormalize(String(text)))) {
    let ids = lookup.cache.get(piece);
    if (ids === undefined) {
      ids = encodePiece(lookup, piece);
      if (piece.length <= CACHE_MAX_PIECE) {
        if (lookup.cache.size >= CACHE_LIMIT) lookup.cache.clear();
        lookup.cache.set(piece, ids);
      }
    }
    for (const id of ids) out.push(id);
  }
  return out;
}

/** Token ids back to text: the marker as a space (a leading one dropped), BPE_UNK_ID as "<unk>". Throws on ids outside the vocabulary. */
export function bpeDecode(bpe: Bpe, ids: readonly number[]): string {
  const { text } = lookupOf(bpe);
  let out = "";
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const token = text[id];
    if (!Number.isInteger(id) || token === undefined) throw new RangeError(`bpeDecode: ids[${i}] = ${id} is not a token id; valid ids are the integers 0..${text.length - 1}`);
    out += token;
  }
  return out.startsWith(" ") ? out.slice(1) : out;
}

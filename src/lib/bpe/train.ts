/** BPE training with incremental pair counts: each merge touches only the words that contain its pair. */
import { Heap } from "./heap.js";
import { BPE_UNK, BPE_UNK_ID, makeBpe, type Bpe } from "./model.js";
import { BPE_WORD_START, bpeNormalize, splitPieces } from "./normalize.js";

export interface TrainBpeOptions {
  /** Most tokens in the vocabulary: `<unk>`, the marker, the alphabet, then merges. Training stops earlier when no pair is frequent enough. */
  vocabSize: number;
  /** Fewest occurrences a pair needs to be merged (default 2: a pair seen once teaches nothing). */
  minPairCount?: number;
  /** Called every few merges and at the end with (merges so far, merges wanted). */
  onProgress?: (merges: number, target: number) => void;
}

/** Ids fit below this, so a pair of ids packs into one exact number. */
const MAX_VOCAB = 1 << 21;
const PROGRESS_EVERY = 64;

interface Candidate {
  readonly count: number;
  readonly left: number;
  readonly right: number;
}

/** Most frequent first; ties by lower left id, then lower right id, so training is deterministic. */
function before(x: Candidate, y: Candidate): boolean {
  return x.count > y.count || (x.count === y.count && (x.left < y.left || (x.left === y.left && x.right < y.right)));
}

function checkOptions(options: TrainBpeOptions): { vocabSize: number; minPairCount: number } {
  if (options === null || typeof options !== "object") throw new Error(`trainBpe: options must be an object { vocabSize, minPairCount?, onProgress? }, got ${String(options)}`);
  const { vocabSize, minPairCount = 2, onProgress } = options;
  if (typeof vocabSize !== "number" || !Number.isInteger(vocabSize) || vocabSize < 3 || vocabSize > MAX_VOCAB) {
    throw new Error(`trainBpe: vocabSize must be an integer from 3 to ${MAX_VOCAB}, got ${String(vocabSize)}`);
  }
  if (typeof minPairCount !== "number" || !Number.isInteger(minPairCount) || minPairCount < 1) {
    throw new Error(`trainBpe: minPairCount must be an integer of at least 1, got ${String(minPairCount)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== "function") throw new Error(`trainBpe: onProgress must be a function (merges, target) => void, got ${typeof onProgress}`);
  return { vocabSize, minPairCount };
}

/**
 * Trains BPE on texts (each normalised with bpeNormalize). The base alphabet is every character seen (the marker
 * character itself excepted: in text it is unknown); merges are chosen by pair frequency, ties by lower ids.
 */
export function trainBpe(texts: Iterable<string>, options: TrainBpeOptions): Bpe {
  const { vocabSize, minPairCount } = checkOptions(options);
  if (texts === null || typeof texts !== "object" || typeof (texts as Iterable<string>)[Symbol.iterator] !== "function") {
    throw new Error(`trainBpe: texts must be an iterable of strings, got ${texts === null ? "null" : typeof texts}`);
  }
  const pieceCounts = new Map<string, number>();
  let textCount = 0;
  for (const text of texts) {
    if (typeof text !== "string") throw new Error(`trainBpe: texts[${textCount}] must be a string, got ${text === null ? "null" : typeof text}`);
    for (const piece of splitPieces(bpeNormalize(text))) pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + 1);
    textCount++;
  }
  if (pieceCounts.size === 0) throw new Error(`trainBpe: the corpus has no text to learn from (${textCount} texts, all empty or whitespace)`);

  const seen = new Set<string>();
  for (const piece of pieceCounts.keys()) for (const ch of piece) if (ch !== " " && ch !== BPE_WORD_START) seen.add(ch);
  const alphabet = [...seen].sort((x, y) => (x.codePointAt(0) as number) - (y.codePointAt(0) as number));
  const vocab: string[] = [BPE_UNK, BPE_WORD_START, ...alphabet];
  if (vocabSize < vocab.length) {
    throw new Error(`trainBpe: vocabSize ${vocabSize} is smaller than the base vocabulary: "${BPE_UNK}", the word-start marker and the ${alphabet.length} characters seen in training; use at least ${vocab.length}`);
  }
  const ids = new Map<string, number>(vocab.map((token, id) => [token, id]));

  // Unique pieces as id sequences, with their counts.
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [piece, count] of pieceCounts) {
    const symbols: number[] = [];
    let chars = piece;
    if (piece.startsWith(" ")) {
      symbols.push(1);
      chars = piece.slice(1);
    }
    for (const ch of chars) symbols.push(ch === BPE_WORD_START ? BPE_UNK_ID : (ids.get(ch) as number));
    words.push(symbols);
    freqs.push(count);
  }

  const key = (left: number, right: number): number => left * MAX_VOCAB + right;
  const pairCounts = new Map<number, number>();
  /** Words that contain (or once contained) each pair. */
  const where = new Map<number, Set<number>>();
  const heap = new Heap<Candidate>(before);
  for (let w = 0; w < words.length; w++) {
    const symbols = words[w] as number[];
    const f = freqs[w] as number;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const a = symbols[i] as number;
      const b = symbols[i + 1] as number;
      if (a === BPE_UNK_ID || b === BPE_UNK_ID) continue;
      const k = key(a, b);
      pairCounts.set(k, (pairCounts.get(k) ?? 0) + f);
      let set = where.get(k);
      if (set === undefined) where.set(k, (set = new Set()));
      set.add(w);
    }
  }
  for (const [k, count] of pairCounts) if (count >= minPairCount) heap.push({ count, left: Math.floor(k / MAX_VOCAB), right: k % MAX_VOCAB });

  const merges: [string, string][] = [];
  const merged = new Set<number>();
  const target = vocabSize - vocab.length;
  let reported = -1;
  while (vocab.length < vocabSize) {
    const top = heap.pop();
    if (top === undefined) break;
    const k = key(top.left, top.right);
    const count = pairCounts.get(k) ?? 0;
    if (count !== top.count) {
      // Stale: counts only fall without a new entry, so re-queue at the current count.
      if (count < top.count && count >= minPairCount) heap.push({ count, left: top.left, right: top.right });
      continue;
    }
    const { left: a, right: b } = top;
    const joined = (vocab[a] as string) + (vocab[b] as string);
    let c = ids.get(joined);
    if (c === undefined) {
      c = vocab.length;
      vocab.push(joined);
      ids.set(joined, c);
    }
    // A pair can reappear only after another merge re-created one of its tokens; encoding already merges it by its first rank.
    if (!merged.has(k)) {
      merged.add(k);
      merges.push([vocab[a] as string, vocab[b] as string]);
    }
    const delta = new Map<number, number>();
    const add = (x: number, y: number, by: number): void => {
      if (x === BPE_UNK_ID || y === BPE_UNK_ID) return;
      const dk = key(x, y);
      delta.set(dk, (delta.get(dk) ?? 0) + by);
    };
    for (const w of where.get(k) ?? []) {
      const symbols = words[w] as number[];
      const f = freqs[w] as number;
      let found = false;
      for (let i = 0; i + 1 < symbols.length; i++) if (symbols[i] === a && symbols[i + 1] === b) found = true;
      if (!found) continue;
      for (let i = 0; i + 1 < symbols.length; i++) add(symbols[i] as number, symbols[i + 1] as number, -f);
      const out: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          out.push(c);
          i++;
        } else out.push(symbols[i] as number);
      }
      words[w] = out;
      for (let i = 0; i + 1 < out.length; i++) {
        const x = out[i] as number;
        const y = out[i + 1] as number;
        add(x, y, f);
        if ((x === c || y === c) && x !== BPE_UNK_ID && y !== BPE_UNK_ID) {
          const nk = key(x, y);
          let set = where.get(nk);
          if (set === undefined) where.set(nk, (set = new Set()));
          set.add(w);
        }
      }
    }
    for (const [dk, by] of delta) {
      if (by === 0) continue;
      const now = (pairCounts.get(dk) ?? 0) + by;
      if (now > 0) pairCounts.set(dk, now);
      else pairCounts.delete(dk);
      if (by > 0 && now >= minPairCount) heap.push({ count: now, left: Math.floor(dk / MAX_VOCAB), right: dk % MAX_VOCAB });
    }
    where.delete(k);
    if (options.onProgress && merges.length % PROGRESS_EVERY === 0 && merges.length !== reported) {
      reported = merges.length;
      options.onProgress(merges.length, target);
    }
  }
  if (options.onProgress && merges.length !== reported) options.onProgress(merges.length, target);
  return makeBpe(vocab, merges);
}

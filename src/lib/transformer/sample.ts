// Sampling from the transformer: temperature, top-k, top-p, a key/value cache (one position per step), priming.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../synth/index.js";
import { DEFAULT_SAMPLING } from "./config.js";
import {
  disposeCache,
  embedBos,
  embedToken,
  emptyCache,
  forwardHidden,
  isPad,
  logitsAt,
  padText,
  teacherInputs,
  type Transformer,
} from "./model.js";

export interface SampleOptions {
  temperature?: number; // logits divided by it; 0 = greedy (argmax); default 1 (the paper's)
  topK?: number; // keep the k most likely tokens; 0 = off (default)
  topP?: number; // keep the smallest set with this much probability (nucleus); 1 = off (default)
  seed?: number | string; // the sampler's PRNG seed (default 0)
  useCache?: boolean; // key/value cache: each new token costs one position; false recomputes the prefix (default true)
  onToken?: (done: number, total: number) => void; // progress, once per generated position
}

/** Validates sampling options; the error names the option and what is valid. */
export function checkSampleOptions(o: SampleOptions): Required<Omit<SampleOptions, "onToken">> {
  const temperature = o.temperature ?? DEFAULT_SAMPLING.temperature;
  const topK = o.topK ?? DEFAULT_SAMPLING.topK;
  const topP = o.topP ?? DEFAULT_SAMPLING.topP;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be a finite number ≥ 0 (0 = greedy), got ${o.temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new Error(`topK must be an integer ≥ 0 (0 = off), got ${o.topK}`);
  if (!(topP > 0 && topP <= 1)) throw new Error(`topP must be in (0, 1] (1 = off), got ${o.topP}`);
  return { temperature, topK, topP, seed: o.seed ?? DEFAULT_SAMPLING.seed, useCache: o.useCache ?? true };
}

/**
 * Draws one id from logits restricted to `allowed` ids, after temperature, top-k and top-p. Pure; `u` in [0, 1).
 * Ties in ranking keep the lower id first, so the result depends only on the numbers.
 */
export function pickToken(logits: ArrayLike<number>, allowed: readonly number[], opts: { temperature: number; topK: number; topP: number }, u: number): number {
  let ranked = allowed.slice().sort((a, b) => logits[b]! - logits[a]! || a - b);
  if (opts.temperature === 0) return ranked[0]!;
  if (opts.topK > 0) ranked = ranked.slice(0, opts.topK);
  const max = logits[ranked[0]!]!;
  let weights = ranked.map((id) => Math.exp((logits[id]! - max) / opts.temperature));
  if (opts.topP < 1) {
    const total = weights.reduce((a, b) => a + b, 0);
    let cum = 0;
    let keep = 0;
    while (keep < weights.length && cum < opts.topP * total) cum += weights[keep++]!;
    ranked = ranked.slice(0, Math.max(1, keep));
    weights = weights.slice(0, ranked.length);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  let r = u * total;
  for (let i = 0; i < ranked.length; i++) {
    r -= weights[i]!;
    if (r < 0) return ranked[i]!;
  }
  return ranked[ranked.length - 1]!;
}

const range = (n: number, start = 0) => Array.from({ length: n }, (_, i) => start + i);

/**
 * Continues sequences s of a batch from a given prefix to the end: `prefix[b]` holds s[0..P-1] for every row
 * (same length), positions P..L-1 are sampled. Returns the full sequences [B][L].
 */
async function continueSequences(m: Transformer, prefix: Int32Array[], options: SampleOptions, allowedAt: (i: number) => number[]): Promise<Int32Array[]> {
  const o = checkSampleOptions(options);
  const { layout } = m;
  const B = prefix.length;
  const L = layout.length;
  const P = prefix[0]!.length;
  const seqs = prefix.map((row) => {
    const s = new Int32Array(L);
    s.set(row);
    return s;
  });
  const rngs = seqs.map((_, b) => new Rng(`transformer-sample-${o.seed}`).fork(b));
  const cache = o.useCache ? emptyCache(m.config) : null;
  try {
    for (let i = P; i < L; i++) {
      // Logits predicting s[i]: from the input at position i (BOS for i = 0, else s[i-1]).
      const logits = tf.tidy(() => {
        if (cache) {
          // Feed the positions not yet cached: [cache.length, i] (the whole prefix on the first step).
          const parts: tf.Tensor3D[] = [];
          for (let q = cache.length; q <= i; q++) parts.push(q === 0 ? embedBos(m, B) : embedToken(m, q - 1, tf.tensor1d(seqs.map((s) => s[q - 1]!), "int32")));
          const hidden = forwardHidden(m, parts.length === 1 ? parts[0]! : (tf.concat(parts, 1) as tf.Tensor3D), cache.length, cache); // [B, n, d]
          return logitsAt(m, i, tf.slice(hidden, [0, hidden.shape[1] - 1, 0], [B, 1, -1])); // [B, V]
        }
        const hidden = forwardHidden(m, prefixInputs(m, seqs, i + 1)); // [B, i+1, d]
        return logitsAt(m, i, tf.slice(hidden, [0, i, 0], [B, 1, -1]));
      });
      const values = (await logits.data()) as Float32Array;
      const V = logits.shape[1];
      logits.dispose();
      const allowed = allowedAt(i);
      for (let b = 0; b < B; b++) seqs[b]![i] = pickToken(values.subarray(b * V, (b + 1) * V), allowed, o, rngs[b]!.next());
      options.onToken?.(i - P + 1, L - P);
    }
  } finally {
    if (cache) disposeCache(cache);
  }
  return seqs;
}

/** Input embeddings of positions [0, n) for full sequences (teacher forcing on the known prefix): [B, n, d]. */
function prefixInputs(m: Transformer, seqs: Int32Array[], n: number): tf.Tensor3D {
  return tf.tidy(() => {
    const { layout, config } = m;
    const text = tf.tensor2d(seqs.map((s) => Array.from(s.subarray(layout.textStart, layout.textStart + config.textLength))), undefined, "int32");
    const image = tf.tensor2d(seqs.map((s) => Array.from(s.subarray(layout.imageStart, layout.imageStart + layout.imageTokens))), undefined, "int32");
    return tf.slice(teacherInputs(m, text, image), [0, 0, 0], [seqs.length, n, -1]) as tf.Tensor3D;
  });
}

/**
 * Text → image tokens (DALL-E): `n` samples for one caption's BPE ids, optionally primed with the first image
 * tokens (image completion: the top rows of a known grid). Returns n grids, row-major, grid² ids each.
 */
export async function sampleImages(m: Transformer, textIds: readonly number[], n: number, options: SampleOptions & { prime?: readonly number[] } = {}): Promise<Int32Array[]> {
  const c = m.config;
  if (c.direction !== "text-to-image") throw new Error(`sampleImages needs a text-to-image model; this one is ${c.direction}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`the number of samples must be a positive integer, got ${n}`);
  const prime = options.prime ?? [];
  if (prime.length > m.layout.imageTokens) throw new Error(`prime has ${prime.length} image tokens; the grid holds ${m.layout.imageTokens}`);
  for (const id of prime) if (!Number.isInteger(id) || id < 0 || id >= c.imageVocab) throw new Error(`prime token ${id} is outside the codebook [0, ${c.imageVocab})`);
  for (const id of textIds) if (!Number.isInteger(id) || id < 0 || id >= c.textVocab) throw new Error(`text id ${id} is outside the BPE vocabulary [0, ${c.textVocab})`);
  const row = new Int32Array(c.textLength + prime.length);
  row.set(padText(c, textIds));
  row.set(prime, c.textLength);
  const images = range(c.imageVocab);
  const seqs = await continueSequences(m, Array.from({ length: n }, () => row.slice()), options, () => images);
  return seqs.map((s) => s.slice(m.layout.imageStart));
}

/**
 * Image tokens → caption (the reverse model, a captioner): one caption's BPE ids per grid, up to the first pad.
 * Temperature 0 (greedy) is the usual choice for captioning.
 */
export async function sampleCaptions(m: Transformer, grids: readonly ArrayLike<number>[], options: SampleOptions = {}): Promise<number[][]> {
  const c = m.config;
  if (c.direction !== "image-to-text") throw new Error(`sampleCaptions needs an image-to-text model; this one is ${c.direction}`);
  const N = m.layout.imageTokens;
  for (const g of grids) if (g.length !== N) throw new Error(`an image token grid must hold ${N} ids, got ${g.length}`);
  if (grids.length === 0) return [];
  const words = range(c.textVocab);
  // Slot k may hold a BPE id or its own pad; once a row has padded, the rest of its slots are pads anyway.
  const seqs = await continueSequences(m, grids.map((g) => Int32Array.from(g)), options, (i) => [...words, c.textVocab + (i - m.layout.textStart)]);
  return seqs.map((s) => {
    const out: number[] = [];
    for (const id of s.subarray(m.layout.textStart)) {
      if (isPad(c, id)) break;
      out.push(id);
    }
    return out;
  });
}

// DALL-E's transformer at workbench size: a decoder-only GPT over [text | image] tokens (or [image | text]).
// Built bottom-up: embeddings → attention (with an optional key/value cache) → MLP → block → model → loss.
import * as tf from "@tensorflow/tfjs";
import { checkConfig, type AttentionKind, type TransformerConfig } from "./config.js";
import { attentionBias, layoutOf, type Layout } from "./layout.js";

export type Params = Map<string, tf.Variable>;

/** Every weight's name and shape; names follow GPT-2's (h.<layer>.attn.c_attn.w ...), embeddings split by token type. */
export function paramShapes(c: TransformerConfig): Map<string, number[]> {
  const d = c.dModel;
  const ff = c.ffMult * d;
  const shapes = new Map<string, number[]>([
    ["wte_text", [c.textVocab + c.textLength, d]], // BPE ids, then one learned pad token per text slot
    ["wte_image", [c.imageVocab, d]],
    ["bos", [1, d]], // the input at position 0
    ["wpe_text", [c.textLength, d]],
    ["wpe_row", [c.grid, d]], // image positions: row + column embeddings
    ["wpe_col", [c.grid, d]],
  ]);
  for (let i = 0; i < c.nLayers; i++) {
    const h = `h.${i}`;
    shapes.set(`${h}.ln_1.g`, [d]).set(`${h}.ln_1.b`, [d]);
    shapes.set(`${h}.attn.c_attn.w`, [d, 3 * d]).set(`${h}.attn.c_attn.b`, [3 * d]);
    shapes.set(`${h}.attn.c_proj.w`, [d, d]).set(`${h}.attn.c_proj.b`, [d]);
    shapes.set(`${h}.ln_2.g`, [d]).set(`${h}.ln_2.b`, [d]);
    shapes.set(`${h}.mlp.c_fc.w`, [d, ff]).set(`${h}.mlp.c_fc.b`, [ff]);
    shapes.set(`${h}.mlp.c_proj.w`, [ff, d]).set(`${h}.mlp.c_proj.b`, [d]);
  }
  shapes.set("ln_f.g", [d]).set("ln_f.b", [d]);
  shapes.set("head_text.w", [d, c.textVocab + c.textLength]); // logits over BPE ids and pads
  shapes.set("head_image.w", [d, c.imageVocab]);
  return shapes;
}

/** GPT-2 initialisation: N(0, 0.02), residual projections scaled by 1/√(2·nLayers), gains 1, biases 0. Seeded. */
export function initParams(c: TransformerConfig, seed = 0): Params {
  const params: Params = new Map();
  let k = 0;
  for (const [name, shape] of paramShapes(c)) {
    const init = tf.tidy(() => {
      if (name.endsWith(".g")) return tf.ones(shape);
      if (name.endsWith(".b")) return tf.zeros(shape);
      const std = name.endsWith("c_proj.w") ? 0.02 / Math.sqrt(2 * c.nLayers) : 0.02;
      return tf.randomNormal(shape, 0, std, "float32", seed * 10_007 + ++k); // never 0: TF.js takes a 0 seed as "unseeded"
    });
    params.set(name, tf.variable(init, true, undefined));
    init.dispose();
  }
  return params;
}

/** Per-layer keys and values of the positions seen so far: [B, H, t, dh] each. */
export interface KvCache {
  keys: (tf.Tensor4D | null)[];
  values: (tf.Tensor4D | null)[];
  length: number; // positions cached (t)
}

export function emptyCache(c: TransformerConfig): KvCache {
  return { keys: Array(c.nLayers).fill(null), values: Array(c.nLayers).fill(null), length: 0 };
}

export function disposeCache(cache: KvCache): void {
  tf.dispose([...cache.keys, ...cache.values].filter((t): t is tf.Tensor4D => t !== null));
  cache.keys.fill(null);
  cache.values.fill(null);
  cache.length = 0;
}

/** A transformer: config, weights, its attention biases, and dispose(). The verbs are the functions below. */
export interface Transformer {
  config: TransformerConfig;
  layout: Layout;
  params: Params;
  /** Additive masks [L, L] per attention kind in use (not trained). */
  biases: Map<AttentionKind, tf.Tensor2D>;
  dispose(): void;
}

export function createTransformer(config: TransformerConfig, options: { seed?: number; params?: Params } = {}): Transformer {
  const c = checkConfig(config);
  const layout = layoutOf(c);
  const params = options.params ?? initParams(c, options.seed ?? 0);
  for (const [name, shape] of paramShapes(c)) {
    const p = params.get(name);
    if (!p) throw new Error(`transformer weights lack "${name}" (shape [${shape.join(", ")}])`);
    if (p.shape.join() !== shape.join()) throw new Error(`transformer weight "${name}" has shape [${p.shape.join(", ")}], the config needs [${shape.join(", ")}]`);
  }
  const biases = new Map<AttentionKind, tf.Tensor2D>();
  for (const kind of new Set(c.attention)) biases.set(kind, tf.tensor2d(attentionBias(c, kind), [layout.length, layout.length]));
  return {
    config: c,
    layout,
    params,
    biases,
    dispose: () => {
      for (const v of params.values()) v.dispose();
      for (const b of biases.values()) b.dispose();
    },
  };
}

const p = (m: Transformer, name: string): tf.Variable => m.params.get(name)!;

/** Text slot ids for a caption's BPE ids: truncated to textLength, the rest filled with each slot's pad (textVocab + slot). */
export function padText(c: TransformerConfig, ids: readonly number[]): Int32Array {
  const out = new Int32Array(c.textLength);
  for (let i = 0; i < c.textLength; i++) out[i] = i < ids.length ? ids[i]! : c.textVocab + i;
  return out;
}

/** Whether a text id is a pad (of any slot). */
export const isPad = (c: TransformerConfig, id: number): boolean => id >= c.textVocab;

/** Image position embeddings [N, d]: row r's plus column c's for token r·grid + c. */
function imagePositions(m: Transformer): tf.Tensor2D {
  const { grid, dModel } = m.config;
  return tf.reshape(tf.add(tf.expandDims(p(m, "wpe_row"), 1), tf.expandDims(p(m, "wpe_col"), 0)), [grid * grid, dModel]); // [N, d]
}

/** Embeddings of the whole sequence s (token + position): [B, L, d]. text [B, T] slot ids, image [B, N] code ids. */
export function embedSequence(m: Transformer, text: tf.Tensor2D, image: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const textEmb = tf.add(tf.gather(p(m, "wte_text"), text), p(m, "wpe_text")); // [B, T, d]
    const imageEmb = tf.add(tf.gather(p(m, "wte_image"), image), imagePositions(m)); // [B, N, d]
    return tf.concat(m.config.direction === "text-to-image" ? [textEmb, imageEmb] : [imageEmb, textEmb], 1) as tf.Tensor3D; // [B, L, d]
  });
}

/** Embedding of token s[i] for a batch of ids [B]: [B, 1, d]. */
export function embedToken(m: Transformer, i: number, ids: tf.Tensor1D): tf.Tensor3D {
  return tf.tidy(() => {
    const j = i - m.layout.imageStart;
    const image = j >= 0 && j < m.layout.imageTokens;
    const table = image ? p(m, "wte_image") : p(m, "wte_text");
    const pos = image ? tf.slice(imagePositions(m), [j, 0], [1, -1]) : tf.slice(p(m, "wpe_text"), [i - m.layout.textStart, 0], [1, -1]); // [1, d]
    return tf.expandDims(tf.add(tf.gather(table, ids), pos), 1) as tf.Tensor3D; // [B, 1, d]
  });
}

/** BOS vectors [B, 1, d]. */
export function embedBos(m: Transformer, batch: number): tf.Tensor3D {
  return tf.tidy(() => tf.tile(tf.expandDims(p(m, "bos"), 0), [batch, 1, 1]) as tf.Tensor3D);
}

/**
 * Layer norm over the last axis with its gradient written out (autodiff through tf.moments builds full-size ones
 * tensors in JS for every mean's gradient): with x̂ = (x − μ)·r, r = 1/√(σ² + ε), y = x̂·g + b,
 * dx = r·(dy·g − mean(dy·g) − x̂·mean(dy·g·x̂)), dg = Σ dy·x̂, db = Σ dy (sums over every position).
 */
const layerNormOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const { mean, variance } = tf.moments(x, -1, true); // [B, P, 1]
  const r = tf.rsqrt(tf.add(variance, 1e-5)); // [B, P, 1]
  const xHat = tf.mul(tf.sub(x, mean), r); // [B, P, d]
  save([xHat, r, g]);
  return {
    value: tf.add(tf.mul(xHat, g), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xh, rs, gain] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const d = xh.shape.at(-1)!;
      const lead = [...Array(xh.rank - 1).keys()]; // every axis but the last
      const dyg = tf.mul(dy, gain); // [B, P, d]
      const centred = tf.sub(dyg, tf.mean(dyg, -1, true));
      const dx = tf.mul(tf.sub(centred, tf.mul(xh, tf.div(tf.sum(tf.mul(dyg, xh), -1, true), d))), rs);
      return [dx, tf.sum(tf.mul(dy, xh), lead), tf.sum(dy, lead)];
    },
  };
});

export function layerNorm(x: tf.Tensor3D, g: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  return layerNormOp(x, g, b) as tf.Tensor3D;
}

/** x·W + b over the last axis: [B, P, in] → [B, P, out]. */
function linear(x: tf.Tensor3D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor3D {
  const [B, P, n] = x.shape;
  const y = tf.matMul(tf.reshape(x, [B * P, n]), w as tf.Tensor2D); // [B·P, out]
  return tf.reshape(b ? tf.add(y, b) : y, [B, P, w.shape[1]!]) as tf.Tensor3D;
}

const GELU_C = 2 * Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * GELU, tanh approximation (GPT-2's): 0.5·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), computed as the
 * identical x·σ(z), z = 2u (1 + tanh(u) = 2σ(2u)): the WASM backend's sigmoid is XNNPACK's vector kernel, its tanh a
 * scalar loop ~15× slower. Its derivative written out: σ(z) + x·σ(z)·(1 − σ(z))·z′, z′ = c + 3ca·x² (c = 2√(2/π),
 * a = 0.044715): eight element-wise ops where autodiff through the chain takes about twice as many.
 */
const geluOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const x2 = tf.mul(x, x);
  const s = tf.sigmoid(tf.mul(x, tf.add(tf.mul(x2, GELU_C * GELU_A), GELU_C))); // σ(z)
  save([x, x2, s]);
  return {
    value: tf.mul(x, s),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, sq, sig] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const dz = tf.add(tf.mul(sq, 3 * GELU_C * GELU_A), GELU_C); // z′
      return tf.mul(dy, tf.add(sig, tf.mul(tf.mul(tf.mul(xs, sig), tf.sub(1, sig)), dz)));
    },
  };
});

export function gelu(x: tf.Tensor): tf.Tensor {
  return geluOp(x);
}

/**
 * Causal self-attention of positions [p0, p0 + P) over [0, p0 + P). With a cache, keys/values of [0, p0) come from it
 * and this chunk's are appended (the caller keeps the result); without one, p0 must be 0.
 */
function attention(m: Transformer, layer: number, x: tf.Tensor3D, p0: number, cache: KvCache | null): tf.Tensor3D {
  const { nHeads, dModel } = m.config;
  const dh = dModel / nHeads;
  const [B, P] = x.shape;
  const h = `h.${layer}.attn`;
  const qkv = linear(x, p(m, `${h}.c_attn.w`), p(m, `${h}.c_attn.b`)); // [B, P, 3d]
  // One transpose to [3, B, H, P, dh], then three contiguous slices (a split of the last axis copies strided rows).
  const [q, kNew, vNew] = tf.unstack(tf.transpose(tf.reshape(qkv, [B, P, 3, nHeads, dh]), [2, 0, 3, 1, 4])) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // [B, H, P, dh] each
  let k = kNew;
  let v = vNew;
  if (cache) {
    const pastK = cache.keys[layer];
    const pastV = cache.values[layer];
    k = pastK ? (tf.concat([pastK, kNew], 2) as tf.Tensor4D) : kNew; // [B, H, p0 + P, dh]
    v = pastV ? (tf.concat([pastV, vNew], 2) as tf.Tensor4D) : vNew;
    cache.keys[layer] = tf.keep(k);
    cache.values[layer] = tf.keep(v);
    if (pastK) pastK.dispose();
    if (pastV) pastV.dispose();
  }
  const t = p0 + P;
  const bias = tf.slice(m.biases.get(m.config.attention[layer]!)!, [p0, 0], [P, t]); // [P, t]
  const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), bias); // [B, H, P, t]
  const out = tf.matMul(tf.softmax(scores), v); // [B, H, P, dh]
  const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B, P, dModel]) as tf.Tensor3D; // [B, P, d]
  return linear(merged, p(m, `${h}.c_proj.w`), p(m, `${h}.c_proj.b`)); // [B, P, d]
}

function mlp(m: Transformer, layer: number, x: tf.Tensor3D): tf.Tensor3D {
  const h = `h.${layer}.mlp`;
  return linear(gelu(linear(x, p(m, `${h}.c_fc.w`), p(m, `${h}.c_fc.b`))) as tf.Tensor3D, p(m, `${h}.c_proj.w`), p(m, `${h}.c_proj.b`)); // [B, P, d]
}

/** The blocks and final norm over input embeddings x [B, P, d] at positions [p0, p0 + P): hidden states [B, P, d]. */
export function forwardHidden(m: Transformer, x: tf.Tensor3D, p0 = 0, cache: KvCache | null = null): tf.Tensor3D {
  if (!cache && p0 !== 0) throw new Error("forwardHidden: a chunk that does not start at position 0 needs a key/value cache");
  return tf.tidy(() => {
    let h = x;
    for (let i = 0; i < m.config.nLayers; i++) {
      h = tf.add(h, attention(m, i, layerNorm(h, p(m, `h.${i}.ln_1.g`), p(m, `h.${i}.ln_1.b`)), p0, cache)) as tf.Tensor3D; // [B, P, d]
      h = tf.add(h, mlp(m, i, layerNorm(h, p(m, `h.${i}.ln_2.g`), p(m, `h.${i}.ln_2.b`)))) as tf.Tensor3D;
    }
    if (cache) cache.length = p0 + x.shape[1];
    return layerNorm(h, p(m, "ln_f.g"), p(m, "ln_f.b"));
  });
}

/** Logits [B, V] predicting s[i] from hidden states [B, 1, d] at input position i (text head or image head). */
export function logitsAt(m: Transformer, i: number, hidden: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const j = i - m.layout.imageStart;
    const head = j >= 0 && j < m.layout.imageTokens ? p(m, "head_image.w") : p(m, "head_text.w");
    return tf.matMul(tf.reshape(hidden, [hidden.shape[0], m.config.dModel]), head as tf.Tensor2D) as tf.Tensor2D; // [B, V]
  });
}

/** Input embeddings for teacher forcing: [BOS, s[0..L-2]] → [B, L, d]. */
export function teacherInputs(m: Transformer, text: tf.Tensor2D, image: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const s = embedSequence(m, text, image); // [B, L, d]
    const [B, L] = s.shape;
    return tf.concat([embedBos(m, B), tf.slice(s, [0, 0, 0], [B, L - 1, -1])], 1) as tf.Tensor3D; // [B, L, d]
  });
}

export interface LossTerms {
  loss: tf.Scalar; // textLossWeight·text + imageLossWeight·image
  text: tf.Scalar; // mean cross-entropy (nats) over text slots, pads included
  image: tf.Scalar; // mean cross-entropy (nats) over image tokens
}

/**
 * Mean cross-entropy (nats) of logits [n, V] against target ids [n], with its gradient (softmax − one-hot)/n written
 * out. log p(t) = z_t − max z + log max p: exact, never log 0 (the largest probability is at least 1/V), and the
 * probabilities come from the backend's softmax kernel (XNNPACK's on WASM) instead of a log-softmax's exp and log.
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, vocab: number): tf.Scalar {
  const n = targets.shape[0];
  const picks = tf.add(tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i * vocab), "int32"), targets); // [n] flat index of each target
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const probs = tf.softmax(z); // [n, V]
    save([probs, targets]); // saved, not captured: the caller's tidy may dispose targets before the backward pass
    const logp = tf.add(tf.sub(tf.gather(tf.reshape(z, [-1]), picks), tf.max(z, -1)), tf.log(tf.max(probs, -1))); // [n]
    return {
      value: tf.neg(tf.mean(logp)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.sub(saved[0]!, tf.oneHot(saved[1] as tf.Tensor1D, vocab)), tf.div(dy, n)),
    };
  });
  return op(logits) as tf.Scalar;
}

/** The paper's objective: cross-entropy of every token given the ones before, weighted by token type. */
export function transformerLoss(m: Transformer, text: tf.Tensor2D, image: tf.Tensor2D): LossTerms {
  return tf.tidy(() => {
    const c = m.config;
    const { layout } = m;
    const hidden = forwardHidden(m, teacherInputs(m, text, image)); // [B, L, d]
    const B = hidden.shape[0];
    const ce = (start: number, count: number, head: string, targets: tf.Tensor2D, vocab: number): tf.Scalar => {
      const h = tf.reshape(tf.slice(hidden, [0, start, 0], [B, count, -1]), [B * count, c.dModel]); // [B·n, d]
      return crossEntropy(tf.matMul(h, p(m, head) as tf.Tensor2D), tf.reshape(targets, [B * count]), vocab); // logits [B·n, V]
    };
    const textLoss = ce(layout.textStart, c.textLength, "head_text.w", text, c.textVocab + c.textLength);
    const imageLoss = ce(layout.imageStart, layout.imageTokens, "head_image.w", image, c.imageVocab);
    const loss = tf.add(tf.mul(textLoss, c.textLossWeight), tf.mul(imageLoss, c.imageLossWeight)) as tf.Scalar;
    return { loss, text: textLoss, image: imageLoss };
  });
}

export function parameterCount(m: Transformer): number {
  return [...m.params.values()].reduce((n, v) => n + v.size, 0);
}

/**
 * Floating-point operations of one training step's matrix products, counted from the config: per sequence the
 * forward pass's linear layers, attention products (dense [L, L] per head, as computed: the masks are additive) and
 * the two output heads, then ×3 for forward + backward (each product's gradient is two products of its size).
 * Element-wise work (norms, softmax, GELU, the optimizer) is not counted.
 */
export function trainingStepFlops(config: TransformerConfig, batch: number): number {
  const c = checkConfig(config);
  const L = c.textLength + c.grid * c.grid;
  const d = c.dModel;
  const ff = c.ffMult * d;
  const linears = L * 2 * d * (3 * d + d + 2 * ff); // qkv, projection, MLP in and out, per layer
  const attention = 2 * (2 * L * L * d); // q·kᵀ and weights·v over all heads, per layer
  const heads = 2 * d * (c.textLength * (c.textVocab + c.textLength) + c.grid * c.grid * c.imageVocab);
  return 3 * batch * (c.nLayers * (linears + attention) + heads);
}

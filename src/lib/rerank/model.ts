// The reranker: a small CLIP-like image–text dual encoder (Radford et al. 2021), used as DALL-E uses CLIP to rank samples.
// Built bottom-up: config -> parameters -> layers -> image tower / text tower -> symmetric InfoNCE -> ranking.
// Images are NHWC in [0, 1]; conv kernels HWIO. Text ids inside the model are BPE ids + 1, so 0 is padding and the
// BPE's own 0 ("<unk>") stays a real token (id 1 here); packTexts() does the shift.
import * as tf from "@tensorflow/tfjs";
import { checkConfigFields, type ConfigField } from "../safetensors/index.js";
import { DEFAULT_RERANKER_CONFIG } from "./settings.js";

/** Size of the dual encoder. Every field has a default in DEFAULT_RERANKER_CONFIG except textVocab (the tokenizer's). */
export interface RerankerConfig {
  /** Side of the square RGB input in pixels. */
  imageSize: number;
  /** Text tokens kept per caption; longer captions are cut (packTexts counts them). */
  textLength: number;
  /** BPE vocabulary size; the embedding has textVocab + 1 rows because row 0 is padding. */
  textVocab: number;
  /** Width of the shared, L2-normalised image–text embedding. */
  embedDim: number;
  /** Widths of the stride-2 3×3 convolutions of the image tower (each halves the side). */
  imageChannels: number[];
  /** Hidden width of the MLP over the flattened last feature map (flattening keeps where things are). */
  imageHidden: number;
  /** Token embedding and transformer width of the text tower. */
  textWidth: number;
  /** Transformer blocks over the caption (bidirectional attention, padding masked). */
  textLayers: number;
  /** Attention heads per block; must divide textWidth. */
  textHeads: number;
  /** Starting softmax temperature T; the model learns log(1/T). */
  initTemperature: number;
  /** Cap of the logit scale 1/T. */
  maxLogitScale: number;
}

export { DEFAULT_RERANKER_CONFIG } from "./settings.js";

/** Every field's valid values (one table: the checks and their messages derive from it). */
export const RERANKER_CONFIG_FIELDS = {
  imageSize: { kind: "int", min: 8, max: 1024 },
  textLength: { kind: "int", min: 1, max: 1024 },
  textVocab: { kind: "int", min: 1, max: 1_000_000 },
  embedDim: { kind: "int", min: 1, max: 4096 },
  imageChannels: { kind: "ints", min: 1, max: 4096, minLength: 1, maxLength: 8 },
  imageHidden: { kind: "int", min: 1, max: 65536 },
  textWidth: { kind: "int", min: 1, max: 4096 },
  textLayers: { kind: "int", min: 0, max: 64 },
  textHeads: { kind: "int", min: 1, max: 256 },
  initTemperature: { kind: "number", min: 0, max: 1, minExclusive: true },
  maxLogitScale: { kind: "number", min: 1, max: 1e6 },
} as const satisfies Record<keyof RerankerConfig, ConfigField>;

/** Floats in one image's largest feature map ((imageSize/2^(i+1))² × imageChannels[i]): a config from a file cannot ask for gigabytes. */
export const MAX_RERANKER_FEATURE_FLOATS = 2 ** 24;

/** Defaults filled in and every field checked; errors name the field and its valid range. */
export function resolveRerankerConfig(spec: Partial<RerankerConfig> & { textVocab: number }): RerankerConfig {
  const given = checkConfigFields<Partial<RerankerConfig>>("reranker config", spec, RERANKER_CONFIG_FIELDS, { partial: true });
  const config = checkConfigFields<RerankerConfig>("reranker config", { ...DEFAULT_RERANKER_CONFIG, ...given, imageChannels: [...(given.imageChannels ?? DEFAULT_RERANKER_CONFIG.imageChannels)] }, RERANKER_CONFIG_FIELDS);
  const ch = config.imageChannels;
  if (config.imageSize % 2 ** ch.length !== 0) throw new Error(`reranker config imageSize ${config.imageSize} must be divisible by 2^${ch.length} (one halving per conv)`);
  const floats = Math.max(...ch.map((c, i) => (config.imageSize / 2 ** (i + 1)) ** 2 * c));
  if (floats > MAX_RERANKER_FEATURE_FLOATS) throw new Error(`reranker config imageSize ${config.imageSize} with imageChannels [${ch.join(", ")}] needs a feature map of ${floats} floats per image, over the limit of ${MAX_RERANKER_FEATURE_FLOATS}`);
  if (config.textWidth % config.textHeads !== 0) throw new Error(`reranker config textHeads ${config.textHeads} must divide textWidth ${config.textWidth}`);
  if (!(config.maxLogitScale >= 1 / config.initTemperature)) throw new Error(`reranker config maxLogitScale must be at least 1/initTemperature = ${1 / config.initTemperature}, got ${config.maxLogitScale}`);
  return config;
}

/** A dual encoder: config, weights by name, and dispose(). The verbs are the functions below. */
export interface Reranker {
  config: RerankerConfig;
  params: Map<string, tf.Variable>;
  dispose(): void;
}

/** Every weight's name and shape, in a fixed order (the safetensors layout). */
export function rerankerShapes(c: RerankerConfig): [string, number[]][] {
  const shapes: [string, number[]][] = [];
  let inC = 3;
  c.imageChannels.forEach((outC, i) => {
    shapes.push([`image.conv${i}.w`, [3, 3, inC, outC]], [`image.conv${i}.b`, [outC]]);
    inC = outC;
  });
  const side = c.imageSize / 2 ** c.imageChannels.length;
  shapes.push(["image.fc.w", [side * side * inC, c.imageHidden]], ["image.fc.b", [c.imageHidden]], ["image.proj.w", [c.imageHidden, c.embedDim]]);
  const W = c.textWidth;
  shapes.push(["text.tok_emb", [c.textVocab + 1, W]], ["text.pos_emb", [c.textLength, W]]);
  for (let l = 0; l < c.textLayers; l++) {
    const p = `text.block${l}`;
    shapes.push([`${p}.ln1.g`, [W]], [`${p}.ln1.b`, [W]], [`${p}.attn.qkv.w`, [W, 3 * W]], [`${p}.attn.qkv.b`, [3 * W]], [`${p}.attn.proj.w`, [W, W]], [`${p}.attn.proj.b`, [W]]);
    shapes.push([`${p}.ln2.g`, [W]], [`${p}.ln2.b`, [W]], [`${p}.mlp.fc.w`, [W, 4 * W]], [`${p}.mlp.fc.b`, [4 * W]], [`${p}.mlp.proj.w`, [4 * W, W]], [`${p}.mlp.proj.b`, [W]]);
  }
  shapes.push(["text.ln_f.g", [W]], ["text.ln_f.b", [W]], ["text.proj.w", [W, c.embedDim]], ["logit_scale", []]);
  return shapes;
}

/** Initial value of one weight: He for convs, 1/√fan-in for dense layers, N(0, 0.02) for embeddings, 1/0 for norms. */
function initialValue(c: RerankerConfig, name: string, shape: number[], seed: number): tf.Tensor {
  if (name === "logit_scale") return tf.scalar(Math.log(1 / c.initTemperature));
  if (name.endsWith(".g")) return tf.ones(shape);
  if (name.endsWith(".b")) return tf.zeros(shape);
  if (name.endsWith("_emb")) return tf.randomNormal(shape, 0, 0.02, "float32", seed);
  const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const gain = name.startsWith("image.conv") || name === "image.fc.w" ? 2 : 1; // ReLU follows these
  return tf.randomNormal(shape, 0, Math.sqrt(gain / fanIn), "float32", seed);
}

/** A fresh model with seeded initialisation (same seed, same weights). */
export function createReranker(config: RerankerConfig, seed = 0): Reranker {
  const c = resolveRerankerConfig(config);
  const params = new Map<string, tf.Variable>();
  // TF.js variable names must be unique per process, so the weight name is the map key, not the variable's name.
  rerankerShapes(c).forEach(([name, shape], i) => {
    const init = initialValue(c, name, shape, seed * 1000 + i + 1); // never 0: TF.js treats a 0 seed as "unseeded"
    params.set(name, tf.variable(init));
    init.dispose(); // the variable holds its own reference to the data
  });
  return { config: c, params, dispose: () => params.forEach((v) => v.dispose()) };
}

function param(model: Reranker, name: string): tf.Variable {
  const p = model.params.get(name);
  if (!p) throw new Error(`reranker weights lack "${name}"; were they made for another config?`);
  return p;
}

const dense = (model: Reranker, x: tf.Tensor2D, name: string, bias = true): tf.Tensor2D => {
  const y = tf.matMul(x, param(model, `${name}.w`) as tf.Tensor2D) as tf.Tensor2D;
  return bias ? (tf.add(y, param(model, `${name}.b`)) as tf.Tensor2D) : y;
};

function layerNorm(model: Reranker, x: tf.Tensor, name: string): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), param(model, `${name}.g`)), param(model, `${name}.b`));
}

const l2Normalize = (x: tf.Tensor2D): tf.Tensor2D => tf.div(x, tf.maximum(tf.norm(x, 2, -1, true), 1e-12));

/** Image tower: images [B, S, S, 3] in [0, 1] → embeddings [B, D], L2-normalised. */
export function encodeImages(model: Reranker, images: tf.Tensor4D): tf.Tensor2D {
  const c = model.config;
  const [, h, w, ch] = images.shape;
  if (h !== c.imageSize || w !== c.imageSize || ch !== 3) throw new Error(`reranker expects images [B, ${c.imageSize}, ${c.imageSize}, 3], got [${images.shape.join(", ")}]`);
  return tf.tidy(() => {
    let x = tf.sub(tf.mul(images, 2), 1) as tf.Tensor4D; // [B, S, S, 3] in [-1, 1]
    for (let i = 0; i < c.imageChannels.length; i++) {
      // Strided convolutions, no pooling: the WASM backend has convolution gradients (src/lib/tfjs) but none for pooling.
      x = tf.relu(tf.add(tf.conv2d(x, param(model, `image.conv${i}.w`) as tf.Tensor4D, 2, "same"), param(model, `image.conv${i}.b`))) as tf.Tensor4D; // [B, S/2^(i+1), S/2^(i+1), C_i]
    }
    const flat = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D; // [B, s·s·C]
    const hidden = tf.relu(dense(model, flat, "image.fc")); // [B, imageHidden]
    return l2Normalize(dense(model, hidden, "image.proj", false)); // [B, D]
  });
}

/** Padding mask [B, L]: 1 for the first lengths[b] positions, 0 after. */
function paddingMask(lengths: tf.Tensor1D, L: number): tf.Tensor2D {
  return tf.cast(tf.less(tf.expandDims(tf.range(0, L, 1, "int32"), 0), tf.expandDims(tf.cast(lengths, "int32"), 1)), "float32") as tf.Tensor2D; // [B, L]
}

/** Multi-head self-attention over all unpadded positions (a caption encoder may look both ways). */
function attention(model: Reranker, x: tf.Tensor3D, keyBias: tf.Tensor, name: string): tf.Tensor3D {
  const [B, L, W] = x.shape;
  const H = model.config.textHeads;
  const dh = W / H;
  const qkv = tf.reshape(dense(model, tf.reshape(x, [B * L, W]) as tf.Tensor2D, `${name}.qkv`), [B, L, 3, H, dh]); // [B, L, 3, H, dh]
  const heads = tf.transpose(qkv, [2, 0, 3, 1, 4]); // [3, B, H, L, dh]
  const [q, k, v] = tf.unstack(heads, 0) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // each [B, H, L, dh]
  const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)), keyBias); // [B, H, L, L]
  const y = tf.matMul(tf.softmax(scores, -1), v); // [B, H, L, dh]
  const merged = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * L, W]) as tf.Tensor2D; // [B·L, W]
  return tf.reshape(dense(model, merged, `${name}.proj`), [B, L, W]) as tf.Tensor3D;
}

/** Pre-norm transformer block: x + attn(ln(x)), then x + mlp(ln(x)). */
function block(model: Reranker, x: tf.Tensor3D, keyBias: tf.Tensor, name: string): tf.Tensor3D {
  const [B, L, W] = x.shape;
  const a = tf.add(x, attention(model, layerNorm(model, x, `${name}.ln1`) as tf.Tensor3D, keyBias, `${name}.attn`)) as tf.Tensor3D; // [B, L, W]
  const h = tf.reshape(layerNorm(model, a, `${name}.ln2`), [B * L, W]) as tf.Tensor2D; // [B·L, W]
  const m = dense(model, tf.relu(dense(model, h, `${name}.mlp.fc`)), `${name}.mlp.proj`); // [B·L, W]
  return tf.add(a, tf.reshape(m, [B, L, W])) as tf.Tensor3D;
}

/** Text tower: ids [B, L] (BPE id + 1, 0 = padding) with their lengths [B] → embeddings [B, D], L2-normalised. */
export function encodeTexts(model: Reranker, ids: tf.Tensor2D, lengths: tf.Tensor1D): tf.Tensor2D {
  const c = model.config;
  const [B, L] = ids.shape;
  if (L !== c.textLength) throw new Error(`reranker expects text ids [B, ${c.textLength}], got [${ids.shape.join(", ")}]; pad or cut with packTexts()`);
  if (lengths.shape[0] !== B) throw new Error(`reranker: ${lengths.shape[0]} lengths for ${B} texts`);
  return tf.tidy(() => {
    const mask = paddingMask(lengths, L); // [B, L]
    // Embedding lookup as one-hot × table: a matmul, whose gradient every backend has (the vocabulary is small).
    const oneHot = tf.oneHot(tf.reshape(tf.cast(ids, "int32"), [B * L]), c.textVocab + 1); // [B·L, V+1]
    const tokens = tf.reshape(tf.matMul(oneHot, param(model, "text.tok_emb")), [B, L, c.textWidth]); // [B, L, W]
    let x = tf.add(tokens, param(model, "text.pos_emb")) as tf.Tensor3D; // [B, L, W]
    const keyBias = tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [B, 1, 1, L]); // padding keys get no attention
    for (let l = 0; l < c.textLayers; l++) x = block(model, x, keyBias, `text.block${l}`);
    const summed = tf.sum(tf.mul(x, tf.expandDims(mask, 2)), 1); // [B, W]: padding masked out of the pool
    const pooled = tf.div(summed, tf.maximum(tf.sum(mask, 1, true), 1)) as tf.Tensor2D; // [B, W] masked mean
    return l2Normalize(dense(model, layerNorm(model, pooled, "text.ln_f") as tf.Tensor2D, "text.proj", false)); // [B, D]
  });
}

/** Texts packed for encodeTexts: ids shifted by +1, cut to textLength, 0-padded. */
export interface PackedTexts {
  ids: Int32Array; // [B·L] row-major
  lengths: Int32Array; // [B]
  /** How many texts were longer than textLength and cut. */
  truncated: number;
}

/** Packs BPE id lists (0 = "<unk>" stays a token); throws naming an id outside [0, textVocab). */
export function packTexts(config: RerankerConfig, texts: readonly (readonly number[])[]): PackedTexts {
  const L = config.textLength;
  const ids = new Int32Array(texts.length * L);
  const lengths = new Int32Array(texts.length);
  let truncated = 0;
  texts.forEach((text, b) => {
    if (text.length > L) truncated++;
    const n = Math.min(L, text.length);
    for (let i = 0; i < n; i++) {
      const id = text[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= config.textVocab) throw new Error(`text ${b} token ${i} is ${id}; BPE ids must be integers in [0, ${config.textVocab})`);
      ids[b * L + i] = id + 1;
    }
    lengths[b] = n;
  });
  return { ids, lengths, truncated };
}

/** packTexts() as the tensors encodeTexts takes: ids [B, L] int32 and lengths [B] int32. */
export function textTensors(config: RerankerConfig, texts: readonly (readonly number[])[]): { ids: tf.Tensor2D; lengths: tf.Tensor1D } {
  const packed = packTexts(config, texts);
  return { ids: tf.tensor2d(packed.ids, [texts.length, config.textLength], "int32"), lengths: tf.tensor1d(packed.lengths, "int32") };
}

/** [B, B] with 1 where texts i and j are the same token sequence: those pairs are positives, not negatives. */
export function sameTextMatrix(ids: tf.Tensor2D, lengths: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const masked = tf.mul(tf.cast(ids, "float32"), paddingMask(lengths, ids.shape[1])); // [B, L]: ids past the length ignored
    const equal = tf.cast(tf.equal(tf.expandDims(masked, 1), tf.expandDims(masked, 0)), "float32"); // [B, B, L]
    return tf.min(equal, 2) as tf.Tensor2D; // [B, B]
  });
}

/**
 * Symmetric InfoNCE (CLIP): cross-entropy of image→text and text→image softmaxes over scale · cosine similarities,
 * averaged. `positives` [B, B] spreads each row's target over its equal captions (identity when all differ).
 */
export function infoNce(imageEmb: tf.Tensor2D, textEmb: tf.Tensor2D, logitScale: tf.Scalar | number, positives?: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const B = imageEmb.shape[0];
    const logits = tf.mul(tf.matMul(imageEmb, textEmb, false, true), logitScale) as tf.Tensor2D; // [B, B]: row = image, column = text
    const pos = positives ?? (tf.eye(B) as tf.Tensor2D); // [B, B]
    const xent = (l: tf.Tensor2D, p: tf.Tensor2D) => tf.neg(tf.mean(tf.sum(tf.mul(tf.div(p, tf.sum(p, 1, true)), tf.logSoftmax(l, -1)), 1)));
    return tf.div(tf.add(xent(logits, pos), xent(tf.transpose(logits), tf.transpose(pos))), 2) as tf.Scalar;
  });
}

/** 1/T, the learned logit scale, capped at maxLogitScale. */
export function logitScale(model: Reranker): tf.Scalar {
  return tf.tidy(() => tf.exp(tf.minimum(param(model, "logit_scale"), Math.log(model.config.maxLogitScale))) as tf.Scalar);
}

/** The training objective on a batch of matching pairs; equal captions in the batch count as positives. */
export function contrastiveLoss(model: Reranker, images: tf.Tensor4D, ids: tf.Tensor2D, lengths: tf.Tensor1D): tf.Scalar {
  if (images.shape[0] !== ids.shape[0]) throw new Error(`reranker: ${images.shape[0]} images but ${ids.shape[0]} texts; the batch pairs them one to one`);
  return tf.tidy(() => infoNce(encodeImages(model, images), encodeTexts(model, ids, lengths), logitScale(model), sameTextMatrix(ids, lengths)));
}

/** Ranks images [N, S, S, 3] by cosine similarity to one caption (BPE ids), best first, as DALL-E reranks its samples. */
export async function rankImages(model: Reranker, images: tf.Tensor4D, textIds: number[]): Promise<{ index: number; score: number }[]> {
  const { ids, lengths } = textTensors(model.config, [textIds]);
  const scores = tf.tidy(() => tf.reshape(tf.matMul(encodeImages(model, images), encodeTexts(model, ids, lengths), false, true), [-1])); // [N]
  try {
    const values = await scores.data();
    return Array.from(values, (score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
  } finally {
    tf.dispose([ids, lengths, scores]);
  }
}

/** Number of scalar weights per tower (the total adds the logit scale). */
export function rerankerParameterCount(model: Reranker): { image: number; text: number; total: number } {
  const count = (prefix: string) => [...model.params].reduce((n, [name, v]) => n + (name.startsWith(prefix) ? v.size : 0), 0);
  return { image: count("image."), text: count("text."), total: count("") };
}

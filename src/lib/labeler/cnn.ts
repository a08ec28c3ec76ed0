/**
 * The synthetic-world labeler's model (TF.js, pure): a small convolutional multi-label classifier
 * over the synthetic world's categories. Strided convolutions instead of pooling (the WASM backend
 * has gradients for convolutions, src/lib/tfjs, but not for pooling), then global max and mean
 * pooling (an object anywhere in the image counts) and one dense layer of per-category logits.
 */
import * as tf from "@tensorflow/tfjs";
import { checkConfigFields, checkConfigObject, parseConfigJson, parseJsonEntry, readSafetensors, type ConfigField } from "../safetensors/index.js";

export interface CnnConfig {
  /** Input side, pixels (images are resized to size × size, aspect not kept). */
  size: number;
  /** Output channels of the four 3×3 convolutions; the first three have stride 2. */
  channels: [number, number, number, number];
  /** Category names, one logit each, in this order. */
  categories: string[];
}

export type CnnParams = Record<string, tf.Variable>;

export interface Cnn {
  config: CnnConfig;
  params: CnnParams;
}

const STRIDES = [2, 2, 2, 1] as const;

/** A model with He-initialised weights from `seed`. */
export function createCnn(config: CnnConfig, seed = 0): Cnn {
  const params: CnnParams = {};
  let inC = 3;
  // tidy frees the initial values once copied into the variables (variables outlive it).
  tf.tidy(() => {
    config.channels.forEach((outC, i) => {
      const fanIn = 9 * inC;
      params[`conv${i}.w`] = tf.variable(tf.randomNormal([3, 3, inC, outC], 0, Math.sqrt(2 / fanIn), "float32", seed + i)); // [kh, kw, Cin, Cout]
      params[`conv${i}.b`] = tf.variable(tf.zeros([outC]));
      inC = outC;
    });
    const features = 2 * inC;
    params["head.w"] = tf.variable(tf.randomNormal([features, config.categories.length], 0, Math.sqrt(1 / features), "float32", seed + 10)); // [2C, K]
    params["head.b"] = tf.variable(tf.fill([config.categories.length], -2)); // rare labels: start near p = 0.12
  });
  return { config, params };
}

/** Logits [B, K] for images [B, size, size, 3] in [0, 1]. */
export function cnnLogits(model: Cnn, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let h: tf.Tensor4D = images.sub(0.5).mul(2) as tf.Tensor4D; // [B, S, S, 3] in [-1, 1]
    for (let i = 0; i < model.config.channels.length; i++) {
      h = tf.relu(tf.conv2d(h, model.params[`conv${i}.w`] as tf.Tensor4D, STRIDES[i]!, "same").add(model.params[`conv${i}.b`]!)) as tf.Tensor4D; // [B, S/2^k, S/2^k, C]
    }
    const pooled = tf.concat([tf.max(h, [1, 2]), tf.mean(h, [1, 2])], 1); // [B, 2C]
    return pooled.matMul(model.params["head.w"]!).add(model.params["head.b"]!) as tf.Tensor2D; // [B, K]
  });
}

/** Mean sigmoid cross-entropy against multi-hot targets [B, K]. */
export function cnnLoss(model: Cnn, images: tf.Tensor4D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.losses.sigmoidCrossEntropy(targets, cnnLogits(model, images)) as tf.Scalar);
}

/** Per-category probabilities for a batch, as plain arrays. */
export async function cnnPredict(model: Cnn, images: tf.Tensor4D): Promise<number[][]> {
  const probs = tf.tidy(() => tf.sigmoid(cnnLogits(model, images)));
  try {
    return (await probs.array()) as number[][];
  } finally {
    probs.dispose();
  }
}

/** Weights as plain Float32 arrays, for safetensors. */
export async function cnnWeights(model: Cnn): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, v] of Object.entries(model.params)) out.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array });
  return out;
}

/** A model from stored weights; throws naming a missing or misshapen tensor. */
export function cnnFromWeights(config: CnnConfig, tensors: ReadonlyMap<string, { shape: number[]; data: ArrayLike<number> }>): Cnn {
  const fresh = createCnn(config);
  try {
    for (const [name, v] of Object.entries(fresh.params)) {
      const t = tensors.get(name);
      if (!t) throw new Error(`labeler weights lack ${name}; found: ${[...tensors.keys()].join(", ")}`);
      if (t.shape.join("x") !== v.shape.join("x")) throw new Error(`labeler weight ${name} has shape [${t.shape}], expected [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(Float32Array.from(t.data), v.shape))); // the loaded copy is freed once assigned
    }
  } catch (error) {
    disposeCnn(fresh);
    throw error;
  }
  return fresh;
}

export function disposeCnn(model: Cnn): void {
  for (const v of Object.values(model.params)) v.dispose();
}

/** Every config field's valid values (one table: the checks and their messages derive from it). */
export const CNN_CONFIG_FIELDS = {
  size: { kind: "int", min: 8, max: 512 },
  channels: { kind: "ints", min: 1, max: 1024, minLength: 4, maxLength: 4 },
  categories: { kind: "strings", maxChars: 200, minLength: 1, maxLength: 10_000 },
} as const satisfies Record<keyof CnnConfig, ConfigField>;

/** Floats in one image's largest feature map ((size/2)² × channels[0], after the first stride-2 conv). */
export const MAX_CNN_FEATURE_FLOATS = 2 ** 24;

/** Checks a labeler config field by field; the error names the field and its valid values. */
export function checkCnnConfig(value: unknown, what = "labeler config"): CnnConfig {
  const config = checkConfigFields<CnnConfig>(what, value, CNN_CONFIG_FIELDS);
  const floats = Math.ceil(config.size / 2) ** 2 * config.channels[0];
  if (floats > MAX_CNN_FEATURE_FLOATS) throw new Error(`${what} size ${config.size} with channels[0] ${config.channels[0]} needs a feature map of ${floats} floats per image, over the limit of ${MAX_CNN_FEATURE_FLOATS}`);
  return config;
}

/** The config and info a labeler weights file records in its metadata, both checked; `source` names the file in errors. */
export function cnnMetadata(metadata: Record<string, string>, source = "labeler weights"): { config: CnnConfig; info: Record<string, unknown> } {
  const config = checkCnnConfig(parseConfigJson(`${source}: metadata "config"`, metadata.config), `${source}: metadata "config"`);
  const info = metadata.info === undefined ? {} : checkConfigObject(`${source}: metadata "info"`, parseJsonEntry(`${source}: metadata "info"`, metadata.info));
  return { config, info };
}

/** A model from a safetensors file as `saveLabelerWeights` writes it (config and info in the metadata); throws naming what is missing. */
export function cnnFromSafetensors(bytes: Uint8Array, source = "labeler weights"): { model: Cnn; info: Record<string, unknown> } {
  const file = readSafetensors(bytes);
  const { config, info } = cnnMetadata(file.metadata, source);
  return { model: cnnFromWeights(config, file.tensors as never), info };
}

/** The judge's decision on one image: every category with p ≥ threshold (none forced), most probable first. */
export async function cnnJudgeLabels(model: Cnn, pixels: Float32Array, threshold = 0.5): Promise<{ category: string; p: number }[]> {
  const { size, categories } = model.config;
  if (pixels.length !== size * size * 3) throw new Error(`the judge takes ${size}×${size}×3 pixels, got ${pixels.length} values`);
  const x = tf.tensor4d(pixels, [1, size, size, 3]);
  const [probs] = await cnnPredict(model, x);
  x.dispose();
  return probs!.flatMap((p, k) => (p >= threshold ? [{ category: categories[k]!, p }] : [])).sort((a, b) => b.p - a.p);
}

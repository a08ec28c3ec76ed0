// DALL-E's discrete VAE (Ramesh et al. 2021; openai/DALL-E encoder.py/decoder.py), in TensorFlow.js.
// Built bottom-up: parameter specs -> conv -> residual blocks -> encoder / decoder -> the Dvae object.
// Tensors are NHWC; kernels HWIO. Parameter names are the official state-dict names (OIHW there).
import * as tf from "@tensorflow/tfjs";
import { resolveConfig, tokenGridSize, type DvaeConfig, type DvaeConfigName } from "./config.js";

export type Half = "encoder" | "decoder";

/** One convolution's weights as the official state dict names them (`blocks.group_1.block_1.res_path.conv_1`). */
export interface ConvSpec {
  half: Half;
  /** Official module path without the `.w`/`.b` suffix. */
  name: string;
  kernel: number;
  nIn: number;
  nOut: number;
}

/** Width of group g (1-based) in the encoder; the decoder runs the same widths in reverse. */
const groupWidth = (c: DvaeConfig, g: number): number => c.nHid * 2 ** (g - 1);

/** Every convolution of one half, in forward order, with the official names. */
export function convSpecs(c: DvaeConfig, half: Half): ConvSpec[] {
  const specs: ConvSpec[] = [];
  const conv = (name: string, kernel: number, nIn: number, nOut: number) => specs.push({ half, name, kernel, nIn, nOut });
  const G = c.groupCount;
  if (half === "encoder") {
    conv("blocks.input", 7, c.inputChannels, groupWidth(c, 1));
    for (let g = 1; g <= G; g++) {
      for (let b = 1; b <= c.nBlkPerGroup; b++) {
        const nIn = b === 1 ? groupWidth(c, Math.max(1, g - 1)) : groupWidth(c, g);
        const nOut = groupWidth(c, g);
        const nMid = nOut / 4;
        const p = `blocks.group_${g}.block_${b}`;
        if (nIn !== nOut) conv(`${p}.id_path`, 1, nIn, nOut);
        conv(`${p}.res_path.conv_1`, 3, nIn, nMid);
        conv(`${p}.res_path.conv_2`, 3, nMid, nMid);
        conv(`${p}.res_path.conv_3`, 3, nMid, nMid);
        conv(`${p}.res_path.conv_4`, 1, nMid, nOut);
      }
    }
    conv("blocks.output.conv", 1, groupWidth(c, G), c.vocabSize);
  } else {
    conv("blocks.input", 1, c.vocabSize, c.nInit);
    for (let g = 1; g <= G; g++) {
      for (let b = 1; b <= c.nBlkPerGroup; b++) {
        const nOut = groupWidth(c, G - g + 1);
        const nIn = b === 1 ? (g === 1 ? c.nInit : groupWidth(c, G - g + 2)) : nOut;
        const nMid = nOut / 4;
        const p = `blocks.group_${g}.block_${b}`;
        if (nIn !== nOut) conv(`${p}.id_path`, 1, nIn, nOut);
        conv(`${p}.res_path.conv_1`, 1, nIn, nMid);
        conv(`${p}.res_path.conv_2`, 3, nMid, nMid);
        conv(`${p}.res_path.conv_3`, 3, nMid, nMid);
        conv(`${p}.res_path.conv_4`, 3, nMid, nOut);
      }
    }
    conv("blocks.output.conv", 1, groupWidth(c, 1), 2 * c.outputChannels);
  }
  return specs;
}

/** Weights of one half: `${name}.w` is HWIO [k, k, nIn, nOut], `${name}.b` is [nOut]. */
export type Params = Map<string, tf.Variable>;

/** Official initialisation: w ~ N(0, 1/(nIn·k²)), b = 0; seeded, so the same seed gives the same model. */
export function initParams(c: DvaeConfig, half: Half, seed: number): Params {
  const params: Params = new Map();
  // tidy frees the initial values once copied into the variables (variables outlive it).
  tf.tidy(() => convSpecs(c, half).forEach((s, i) => {
    const std = 1 / Math.sqrt(s.nIn * s.kernel * s.kernel);
    // TF.js variable names must be unique per process, so the official name is the map key, not the variable's name.
    params.set(`${s.name}.w`, tf.variable(tf.randomNormal([s.kernel, s.kernel, s.nIn, s.nOut], 0, std, "float32", seed * 1000 + i + 1))); // never 0: TF.js takes a 0 seed as "unseeded"
    params.set(`${s.name}.b`, tf.variable(tf.zeros([s.nOut])));
  }));
  return params;
}

function param(params: Params, name: string): tf.Variable {
  const p = params.get(name);
  if (!p) throw new Error(`dVAE weights lack "${name}"; were they made for another config?`);
  return p;
}

/** "Same"-padded stride-1 convolution plus bias. */
function conv(x: tf.Tensor4D, params: Params, name: string): tf.Tensor4D {
  return tf.add(tf.conv2d(x, param(params, `${name}.w`) as tf.Tensor4D, 1, "same"), param(params, `${name}.b`));
}

/** id(x) + postGain · res(x); res is ReLU→conv four times (encoder 3,3,3,1; decoder 1,3,3,3). */
function residualBlock(x: tf.Tensor4D, params: Params, prefix: string, postGain: number): tf.Tensor4D {
  const id = params.has(`${prefix}.id_path.w`) ? conv(x, params, `${prefix}.id_path`) : x; // [B, h, w, nOut]
  let r = x;
  for (let i = 1; i <= 4; i++) r = conv(tf.relu(r), params, `${prefix}.res_path.conv_${i}`); // [B, h, w, nMid … nOut]
  return tf.add(id, tf.mul(r, postGain));
}

const postGainOf = (c: DvaeConfig): number => 1 / (c.groupCount * c.nBlkPerGroup) ** 2;

/** Encoder: mapped pixels [B, S, S, C] → code logits [B, S/2^(G-1), S/2^(G-1), vocab]. */
export function encoderForward(c: DvaeConfig, params: Params, x: tf.Tensor4D): tf.Tensor4D {
  let h = conv(x, params, "blocks.input"); // [B, S, S, nHid]
  for (let g = 1; g <= c.groupCount; g++) {
    for (let b = 1; b <= c.nBlkPerGroup; b++) h = residualBlock(h, params, `blocks.group_${g}.block_${b}`, postGainOf(c)); // [B, s, s, nHid·2^(g-1)]
    if (g < c.groupCount) h = tf.maxPool(h, 2, 2, "valid"); // [B, s/2, s/2, …]
  }
  return conv(tf.relu(h), params, "blocks.output.conv"); // [B, t, t, vocab]
}

/** Decoder: code assignments (one-hot or relaxed) [B, t, t, vocab] → logit-Laplace statistics [B, S, S, 2·C]. */
export function decoderForward(c: DvaeConfig, params: Params, z: tf.Tensor4D): tf.Tensor4D {
  let h = conv(z, params, "blocks.input"); // [B, t, t, nInit]
  for (let g = 1; g <= c.groupCount; g++) {
    for (let b = 1; b <= c.nBlkPerGroup; b++) h = residualBlock(h, params, `blocks.group_${g}.block_${b}`, postGainOf(c)); // [B, s, s, nHid·2^(G-g)]
    if (g < c.groupCount) h = tf.image.resizeNearestNeighbor(h, [h.shape[1] * 2, h.shape[2] * 2]); // [B, 2s, 2s, …]
  }
  return conv(tf.relu(h), params, "blocks.output.conv"); // [B, S, S, 2·C]: mu then log b
}

/** The logit-Laplace's pixel squashing: images live in [eps, 1-eps] so logit() stays finite. */
export const LOGIT_LAPLACE_EPS = 0.1;
export const mapPixels = (x: tf.Tensor): tf.Tensor => tf.add(tf.mul(x, 1 - 2 * LOGIT_LAPLACE_EPS), LOGIT_LAPLACE_EPS);
export const unmapPixels = (x: tf.Tensor): tf.Tensor => tf.clipByValue(tf.div(tf.sub(x, LOGIT_LAPLACE_EPS), 1 - 2 * LOGIT_LAPLACE_EPS), 0, 1);

/** A dVAE: config, both halves' weights, and the verbs. Call dispose() when done. */
export interface Dvae {
  config: DvaeConfig;
  encoder: Params;
  decoder: Params;
  /** Images [B, S, S, C] in [0, 1] → token ids [B, t, t] (argmax of the encoder's logits). */
  encode(images: tf.Tensor4D): tf.Tensor3D;
  /** Token ids [B, t, t] → images [B, S, S, C] in [0, 1] (unmap(sigmoid(mu))). */
  decode(tokens: tf.Tensor3D): tf.Tensor4D;
  /** decode(encode(images)). */
  reconstruct(images: tf.Tensor4D): tf.Tensor4D;
  /** Number of scalar weights in each half. */
  parameterCount(): { encoder: number; decoder: number };
  dispose(): void;
}

function checkImages(c: DvaeConfig, images: tf.Tensor4D): void {
  const [, h, w, ch] = images.shape;
  if (h !== c.inputSize || w !== c.inputSize || ch !== c.inputChannels) {
    throw new Error(`dVAE expects images [B, ${c.inputSize}, ${c.inputSize}, ${c.inputChannels}], got [${images.shape.join(", ")}]`);
  }
}

/** Builds a dVAE from a config (preset name or fields) with seeded official initialisation, or from given weights. */
export function createDvae(
  spec: DvaeConfigName | Partial<DvaeConfig> = "small",
  options: { seed?: number; encoder?: Params; decoder?: Params } = {},
): Dvae {
  const config = resolveConfig(spec);
  const seed = options.seed ?? 0;
  const encoder = options.encoder ?? initParams(config, "encoder", seed);
  const decoder = options.decoder ?? initParams(config, "decoder", seed + 1);
  const t = tokenGridSize(config);
  const dvae: Dvae = {
    config,
    encoder,
    decoder,
    encode: (images) =>
      tf.tidy(() => {
        checkImages(config, images);
        return tf.argMax(encoderForward(config, encoder, mapPixels(images) as tf.Tensor4D), 3) as tf.Tensor3D; // [B, t, t]
      }),
    decode: (tokens) =>
      tf.tidy(() => {
        if (tokens.shape[1] !== t || tokens.shape[2] !== t) throw new Error(`dVAE expects tokens [B, ${t}, ${t}], got [${tokens.shape.join(", ")}]`);
        const z = tf.oneHot(tf.cast(tokens, "int32"), config.vocabSize).toFloat() as tf.Tensor4D; // [B, t, t, vocab]
        const stats = decoderForward(config, decoder, z); // [B, S, S, 2C]
        const mu = tf.slice(stats, [0, 0, 0, 0], [-1, -1, -1, config.outputChannels]);
        return unmapPixels(tf.sigmoid(mu)) as tf.Tensor4D; // [B, S, S, C]
      }),
    reconstruct: (images) =>
      tf.tidy(() => {
        const tokens = dvae.encode(images);
        return dvae.decode(tokens);
      }),
    parameterCount: () => {
      const count = (p: Params) => [...p.values()].reduce((n, v) => n + v.size, 0);
      return { encoder: count(encoder), decoder: count(decoder) };
    },
    dispose: () => {
      for (const v of encoder.values()) v.dispose();
      for (const v of decoder.values()) v.dispose();
    },
  };
  return dvae;
}

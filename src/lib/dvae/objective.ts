// The dVAE's training objective (Ramesh et al. 2021, appendix): Gumbel-softmax relaxation of the
// encoder's codes, logit-Laplace reconstruction likelihood, KL to a uniform prior over the codebook.
import * as tf from "@tensorflow/tfjs";
import type { DvaeConfig } from "./config.js";
import { LOGIT_LAPLACE_EPS, decoderForward, encoderForward, mapPixels, unmapPixels, type Params } from "./model.js";

/** Relaxed one-hot samples: softmax((logits + noiseScale · Gumbel noise) / tau) over the last axis. */
export function gumbelSoftmax(logits: tf.Tensor4D, tau: number, seed?: number, noiseScale = 1): tf.Tensor4D {
  return tf.tidy(() => {
    if (noiseScale === 0) return tf.softmax(tf.div(logits, tau)) as tf.Tensor4D;
    const u = tf.randomUniform(logits.shape, 1e-6, 1 - 1e-6, "float32", seed);
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
    return tf.softmax(tf.div(tf.add(logits, tf.mul(gumbel, noiseScale)), tau)) as tf.Tensor4D; // [B, t, t, vocab]
  });
}

/** Identity forward, zero gradient backward (TF.js has no stop_gradient op). */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]);

/**
 * Straight-through relaxed samples: the decoder sees the hard one-hot argmax of the relaxed sample, while
 * gradients flow as if it had seen the soft one. Forces information through the discrete choice.
 */
export function straightThrough(soft: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const hard = tf.oneHot(tf.argMax(soft, -1), soft.shape[3]).toFloat();
    return tf.add(soft, stopGradient(tf.sub(hard, soft))) as tf.Tensor4D;
  });
}

/**
 * Negative log-likelihood of mapped pixels x under the logit-Laplace with location mu and scale exp(logB):
 * −log f = |logit(x) − mu| / b + log(2b) + log(x(1−x)). Summed over every pixel value.
 */
export function logitLaplaceNll(xMapped: tf.Tensor, mu: tf.Tensor, logB: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const logitX = tf.sub(tf.log(xMapped), tf.log(tf.sub(1, xMapped)));
    const b = tf.exp(logB);
    const nll = tf.add(tf.add(tf.div(tf.abs(tf.sub(logitX, mu)), b), tf.add(tf.log(b), Math.log(2))), tf.log(tf.mul(xMapped, tf.sub(1, xMapped))));
    return tf.sum(nll) as tf.Scalar;
  });
}

/** KL(q ‖ uniform) summed over token positions, with q = softmax(logits): Σ q log q + log(vocab). */
export function klToUniform(logits: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const logQ = tf.logSoftmax(logits);
    const perToken = tf.add(tf.sum(tf.mul(tf.exp(logQ), logQ), -1), Math.log(logits.shape[3]));
    return tf.sum(perToken) as tf.Scalar;
  });
}

/**
 * Codebook diversity penalty (Baevski et al. 2020, wav2vec 2.0): log(vocab) − H(q̄), where q̄ is the encoder softmax
 * (no noise, no temperature) averaged over the batch and every token position. 0 when the batch spreads evenly over
 * all codes, log(vocab) when every position picks the same code. Not part of DALL-E's recipe: small runs use it to
 * keep codes alive (see TrainConfig.diversityWeight).
 */
export function codebookDiversityPenalty(logits: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const vocab = logits.shape[3];
    const mean = tf.mean(tf.reshape(tf.softmax(logits), [-1, vocab]), 0); // [vocab]
    const entropy = tf.neg(tf.sum(tf.mul(mean, tf.log(tf.add(mean, 1e-10)))));
    return tf.sub(Math.log(vocab), entropy) as tf.Scalar;
  });
}

export interface LossTerms {
  /** (reconstruction NLL + beta · KL) / number of pixel values: what is minimised. */
  loss: tf.Scalar;
  /** Reconstruction NLL per pixel value. */
  reconstruction: tf.Scalar;
  /** KL to the uniform prior per pixel value (unweighted). */
  kl: tf.Scalar;
  /** Mean squared error of the relaxed reconstruction in [0,1] pixel space. */
  mse: tf.Scalar;
  /** Codebook diversity penalty (unweighted; see codebookDiversityPenalty). */
  diversity: tf.Scalar;
}

/** The objective on a batch of images [B, S, S, C] in [0, 1], normalised by the number of pixel values as in the paper (plus the optional diversity penalty). */
export function dvaeLoss(
  config: DvaeConfig,
  encoder: Params,
  decoder: Params,
  images: tf.Tensor4D,
  opts: { tau: number; beta: number; seed?: number; noiseScale?: number; straightThrough?: boolean; diversityWeight?: number },
): LossTerms {
  return tf.tidy(() => {
    const x = mapPixels(images); // [B, S, S, C] in [eps, 1-eps]
    const logits = encoderForward(config, encoder, x as tf.Tensor4D); // [B, t, t, vocab]
    const soft = gumbelSoftmax(logits, opts.tau, opts.seed, opts.noiseScale ?? 1); // [B, t, t, vocab]
    const z = opts.straightThrough ? straightThrough(soft) : soft;
    const stats = decoderForward(config, decoder, z); // [B, S, S, 2C]
    const C = config.outputChannels;
    const mu = tf.slice(stats, [0, 0, 0, 0], [-1, -1, -1, C]);
    const logB = tf.slice(stats, [0, 0, 0, C], [-1, -1, -1, C]);
    const pixelValues = images.size;
    const reconstruction = tf.div(logitLaplaceNll(x, mu, logB), pixelValues) as tf.Scalar;
    const kl = tf.div(klToUniform(logits), pixelValues) as tf.Scalar;
    const diversity = codebookDiversityPenalty(logits);
    const weight = opts.diversityWeight ?? 0;
    // At weight 0 the penalty is only reported: left out of the loss, it adds nothing to the backward pass.
    const base = tf.add(reconstruction, tf.mul(kl, opts.beta));
    const loss = (weight > 0 ? tf.add(base, tf.mul(diversity, weight)) : base) as tf.Scalar;
    const mse = tf.mean(tf.square(tf.sub(unmapPixels(tf.sigmoid(mu)), images))) as tf.Scalar;
    return { loss, reconstruction, kl, mse, diversity };
  });
}

/** Peak signal-to-noise ratio in dB per image, for images in [0, 1]: 10·log10(1 / MSE). */
export function psnr(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  return tf.tidy(() => {
    const mse = tf.mean(tf.square(tf.sub(a, b)), [1, 2, 3]);
    return Array.from(tf.mul(tf.log(tf.div(1, tf.maximum(mse, 1e-10))), 10 / Math.LN10).dataSync());
  });
}

export { LOGIT_LAPLACE_EPS };

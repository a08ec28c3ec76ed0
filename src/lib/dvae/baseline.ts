// A context-free reference for the dVAE: k-means over non-overlapping P×P×3 patches, each patch replaced by its
// nearest centroid (no decoder). What a token grid of that side and vocabulary can keep without learned context.
import * as tf from "@tensorflow/tfjs";

export interface PatchBaselineOptions {
  size: number; // image side in pixels
  patch: number; // patch side: size / patch is the token grid's side
  codes: number; // centroids (the vocabulary)
  iterations: number; // Lloyd iterations
  seed: number; // initial centroids: a seeded draw of training patches
}

export interface PatchBaselineReport {
  grid: number;
  codes: number;
  trainImages: number;
  heldoutImages: number;
  /** Mean PSNR (dB) over the held-out images of the centroid-replaced images. */
  psnrMean: number;
  /** Centroids that some held-out patch uses. */
  codesUsed: number;
}

/** [N·(S/P)², P·P·3] patches of images [S·S·3] floats, row-major patches, channels last. */
function patches(images: readonly Float32Array[], size: number, p: number): tf.Tensor2D {
  const g = size / p, d = p * p * 3;
  const out = new Float32Array(images.length * g * g * d);
  let o = 0;
  for (const im of images) {
    for (let gy = 0; gy < g; gy++) for (let gx = 0; gx < g; gx++) {
      for (let y = 0; y < p; y++) {
        const start = ((gy * p + y) * size + gx * p) * 3;
        out.set(im.subarray(start, start + p * 3), o);
        o += p * 3;
      }
    }
  }
  return tf.tensor2d(out, [images.length * g * g, d]);
}

/** Nearest centroid of every row of x, in blocks (the distance matrix of a block stays small). */
function assign(x: tf.Tensor2D, c: tf.Tensor2D): Int32Array {
  const out = new Int32Array(x.shape[0]);
  const block = Math.max(1, Math.floor(2 ** 24 / c.shape[0]));
  for (let start = 0; start < x.shape[0]; start += block) {
    const ids = tf.tidy(() => {
      const xb = x.slice([start, 0], [Math.min(block, x.shape[0] - start), -1]);
      return tf.argMin(c.square().sum(1).expandDims(0).sub(xb.matMul(c, false, true).mul(2)), 1); // [b] ‖c‖² − 2x·c
    });
    out.set(ids.dataSync() as Int32Array, start);
    ids.dispose();
  }
  return out;
}

/** Fits the centroids on `train`'s patches and reports the held-out PSNR of the centroid-replaced images. */
export function patchBaseline(train: readonly Float32Array[], heldout: readonly Float32Array[], o: PatchBaselineOptions): PatchBaselineReport {
  if (!Number.isInteger(o.size / o.patch)) throw new Error(`patch side ${o.patch} must divide the image side ${o.size}`);
  const x = patches(train, o.size, o.patch);
  if (x.shape[0] < o.codes) throw new Error(`${x.shape[0]} training patches are fewer than ${o.codes} codes`);
  let c = tf.tidy(() => tf.gather(x, tf.randomUniform([o.codes], 0, x.shape[0], "int32", o.seed + 1))) as tf.Tensor2D;
  const data = x.dataSync() as Float32Array;
  const [n, d] = x.shape;
  for (let it = 0; it < o.iterations; it++) {
    const ids = assign(x, c);
    // Centroid update in plain JS: a one-hot matrix of n × K floats would not fit for large vocabularies.
    const sums = new Float64Array(o.codes * d), counts = new Float64Array(o.codes);
    for (let i = 0; i < n; i++) {
      const k = ids[i]!;
      counts[k]!++;
      for (let j = 0; j < d; j++) sums[k * d + j]! += data[i * d + j]!;
    }
    const previous = c.dataSync() as Float32Array;
    const next = new Float32Array(o.codes * d);
    for (let k = 0; k < o.codes; k++) for (let j = 0; j < d; j++) next[k * d + j] = counts[k]! > 0 ? sums[k * d + j]! / counts[k]! : previous[k * d + j]!; // empty clusters keep their centroid
    c.dispose();
    c = tf.tensor2d(next, [o.codes, d]);
  }
  const h = patches(heldout, o.size, o.patch);
  const ids = assign(h, c);
  const mse = tf.tidy(() => tf.gather(c, tf.tensor1d(ids, "int32")).sub(h).square().reshape([heldout.length, -1]).mean(1));
  const values = mse.dataSync();
  tf.dispose([x, c, h, mse]);
  const psnr = Array.from(values, (v) => -10 * Math.log10(Math.max(v, 1e-10)));
  return {
    grid: o.size / o.patch,
    codes: o.codes,
    trainImages: train.length,
    heldoutImages: heldout.length,
    psnrMean: psnr.reduce((a, b) => a + b, 0) / psnr.length,
    codesUsed: new Set(ids).size,
  };
}

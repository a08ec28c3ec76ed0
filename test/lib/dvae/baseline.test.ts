import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { patchBaseline } from "../../../src/lib/dvae/index.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const image = (seed: number) => Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => ((i * 7 + seed * 13) % 17) / 16);

describe("patchBaseline() (k-means over patches, no decoder)", () => {
  it("reconstructs the held-out images exactly when every distinct patch has its own centroid", () => {
    const images = [image(1), image(2)];
    const report = patchBaseline(images, images, { size: 8, patch: 4, codes: 8, iterations: 3, seed: 0 });
    expect(report.grid).toBe(2);
    expect(report.psnrMean).toBeGreaterThan(60);
  });

  it("with one centroid gives the PSNR of replacing every patch by the mean patch", () => {
    const images = [image(1), image(2), image(3)];
    const report = patchBaseline(images, images, { size: 8, patch: 4, codes: 1, iterations: 2, seed: 0 });
    // The mean patch over the 12 training patches, pixel by pixel.
    const mean = new Float64Array(4 * 4 * 3);
    const patchOf = (im: Float32Array, gy: number, gx: number) => Array.from({ length: 48 }, (_, k) => im[((gy * 4 + Math.floor(k / 12)) * 8 + gx * 4) * 3 + (k % 12)]!);
    for (const im of images) for (let gy = 0; gy < 2; gy++) for (let gx = 0; gx < 2; gx++) patchOf(im, gy, gx).forEach((v, k) => (mean[k]! += v / 12));
    const psnrs = images.map((im) => {
      let se = 0;
      for (let gy = 0; gy < 2; gy++) for (let gx = 0; gx < 2; gx++) patchOf(im, gy, gx).forEach((v, k) => (se += (v - mean[k]!) ** 2));
      return -10 * Math.log10(se / 192);
    });
    expect(report.psnrMean).toBeCloseTo(psnrs.reduce((a, b) => a + b, 0) / 3, 3);
    expect(report.codesUsed).toBe(1);
  });

  it("names a patch side that does not divide the image, and leaves no tensors behind", () => {
    expect(() => patchBaseline([image(1)], [image(1)], { size: 8, patch: 3, codes: 2, iterations: 1, seed: 0 })).toThrow(/patch side 3 must divide the image side 8/);
    const before = tf.memory().numTensors;
    patchBaseline([image(1), image(2)], [image(3)], { size: 8, patch: 4, codes: 4, iterations: 2, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../../src/lib/tfjs/index.js";
import { createTransformer, padText, smallConfig, type Transformer } from "../../../src/lib/transformer/index.js";
import { GradientReplicas, shardRows } from "../../../src/lib/transformer/node.js";
import { lossAndGradients, type StepGradients } from "../../../src/lib/transformer/train.js";

const CONFIG = smallConfig({ textVocab: 40, imageVocab: 24, grid: 4, textLength: 6, nLayers: 2, dModel: 16, nHeads: 2 });

function batch(rows: number, seed: number): { text: tf.Tensor2D; image: tf.Tensor2D } {
  const text = tf.tensor2d(Array.from({ length: rows }, (_, b) => Array.from(padText(CONFIG, [(b * 7 + seed) % 40, (b + 3) % 40]))), undefined, "int32");
  const image = tf.randomUniform([rows, 16], 0, 24, "int32", seed) as tf.Tensor2D;
  return { text, image };
}

/** Largest |a − b| over every weight's gradient, and the largest |a|. */
function gradientGap(model: Transformer, a: StepGradients, b: StepGradients): { gap: number; scale: number } {
  let gap = 0;
  let scale = 0;
  for (const v of model.params.values()) {
    const x = a.grads[v.name]!.dataSync();
    const y = b.grads[v.name]!.dataSync();
    for (let i = 0; i < x.length; i++) {
      gap = Math.max(gap, Math.abs(x[i]! - y[i]!));
      scale = Math.max(scale, Math.abs(x[i]!));
    }
  }
  return { gap, scale };
}

describe("shardRows cuts a batch into near-equal row shards", () => {
  it("gives the first shards one row more when the batch does not divide", () => {
    expect(shardRows(32, 2)).toEqual([{ start: 0, count: 16 }, { start: 16, count: 16 }]);
    expect(shardRows(5, 3)).toEqual([{ start: 0, count: 2 }, { start: 2, count: 2 }, { start: 4, count: 1 }]);
    expect(shardRows(1, 1)).toEqual([{ start: 0, count: 1 }]);
  });
});

describe("GradientReplicas: data-parallel gradients of a batch", () => {
  let model: Transformer;
  let two: GradientReplicas;
  let three: GradientReplicas;

  beforeAll(async () => {
    await useBackend("wasm");
    model = createTransformer(CONFIG, { seed: 3 });
    [two, three] = await Promise.all([GradientReplicas.start(model, { replicas: 2, backend: "wasm", threads: 1 }), GradientReplicas.start(model, { replicas: 3, backend: "wasm", threads: 1 })]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([two?.dispose(), three?.dispose()]);
    model?.dispose();
  });

  for (const [rows, which] of [
    [8, "two"],
    [5, "three"],
    [2, "three"],
  ] as const) {
    it(`equals one thread's loss and gradients on ${rows} rows with ${which} replicas (to rounding)`, async () => {
      const replicas = which === "two" ? two : three;
      const { text, image } = batch(rows, rows);
      const alone = lossAndGradients(model, text, image);
      const shared = await replicas.gradients(model, text, image);
      expect(shared.loss).toBeCloseTo(alone.loss, 5);
      expect(shared.text).toBeCloseTo(alone.text, 5);
      expect(shared.image).toBeCloseTo(alone.image, 5);
      expect(Object.keys(shared.grads).sort()).toEqual(Object.keys(alone.grads).sort());
      const { gap, scale } = gradientGap(model, alone, shared);
      expect(scale).toBeGreaterThan(1e-3);
      expect(gap).toBeLessThan(1e-5 * Math.max(1, scale));
      tf.dispose([text, image, ...Object.values(alone.grads), ...Object.values(shared.grads)]);
    }, 60_000);
  }

  it("sends the replicas the weights as they are at each step", async () => {
    const { text, image } = batch(6, 11);
    const before = await two.gradients(model, text, image);
    const w = model.params.get("head_image.w")!;
    const saved = w.clone();
    w.assign(tf.add(w, tf.randomNormal(w.shape, 0, 0.5, "float32", 2)));
    const alone = lossAndGradients(model, text, image);
    const shared = await two.gradients(model, text, image);
    w.assign(saved);
    expect(Math.abs(shared.loss - before.loss)).toBeGreaterThan(1e-4);
    expect(shared.loss).toBeCloseTo(alone.loss, 5);
    tf.dispose([text, image, saved, ...[before, alone, shared].flatMap((g) => Object.values(g.grads))]);
  }, 60_000);

  it("refuses mismatched batches and replica counts below 2", async () => {
    const { text } = batch(4, 1);
    const { image } = batch(3, 1);
    await expect(two.gradients(model, text, image)).rejects.toThrow("text and image batches differ: 4 and 3 rows");
    await expect(GradientReplicas.start(model, { replicas: 1, backend: "wasm", threads: 1 })).rejects.toThrow("data-parallel replicas must be an integer from 2 to 64, got 1");
    tf.dispose([text, image]);
  });
});

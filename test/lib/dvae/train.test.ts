import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DvaeTrainer, codebookDiversityPenalty, codebookUsage, cosineSchedule, createDvae, scaledRecipe, scheduleAt } from "../../../src/lib/dvae/index.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

beforeAll(async () => {
  await useBackend("wasm");
});
afterAll(async () => {
  await useBackend("cpu");
});

/** Flat-colour squares on a light background: structure a dVAE can learn in a few steps. */
function squares(n: number, size: number): tf.Tensor4D {
  const data = new Float32Array(n * size * size * 3).fill(0.9);
  for (let b = 0; b < n; b++) {
    const colour = [(b * 0.37) % 1, (b * 0.61) % 1, (b * 0.23) % 1];
    const x0 = (b * 3) % (size / 2);
    for (let y = x0; y < x0 + size / 2; y++)
      for (let x = x0; x < x0 + size / 2; x++) for (let k = 0; k < 3; k++) data[((b * size + y) * size + x) * 3 + k] = colour[k]!;
  }
  return tf.tensor4d(data, [n, size, size, 3]);
}

describe("DvaeTrainer", () => {
  it("lowers the loss over a few AdamW steps without leaking tensors", () => {
    const dvae = createDvae({ groupCount: 3, nHid: 16, nBlkPerGroup: 1, vocabSize: 32, nInit: 16, inputSize: 16 }, { seed: 2 });
    const trainer = new DvaeTrainer(dvae, scaledRecipe(40, { lrStart: 3e-3, betaEnd: 0.01, batchSize: 8 }));
    const images = squares(8, 16);
    const first = trainer.update(images);
    const tensorsAfterFirst = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 15; i++) last = trainer.update(images);
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.mse).toBeLessThan(first.mse);
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    images.dispose();
    trainer.dispose();
    dvae.dispose();
  });

  it("resumes from saved optimizer state at the same step", () => {
    const dvae = createDvae({ groupCount: 2, nHid: 8, nBlkPerGroup: 1, vocabSize: 8, nInit: 8, inputSize: 8 }, { seed: 4 });
    const trainer = new DvaeTrainer(dvae, scaledRecipe(10));
    const images = squares(2, 8);
    trainer.update(images);
    const saved = trainer.optimizer.state();
    const copy = { step: saved.step, tensors: new Map([...saved.tensors].map(([k, v]) => [k, v.clone()])) };
    const other = new DvaeTrainer(dvae, scaledRecipe(10));
    other.optimizer.restore(copy);
    expect(other.step).toBe(1);
    expect(Array.from(other.optimizer.state().tensors.get("adam_m.encoder.blocks.input.w")!.dataSync().slice(0, 5))).toEqual(
      Array.from(saved.tensors.get("adam_m.encoder.blocks.input.w")!.dataSync().slice(0, 5)),
    );
    tf.dispose([images, ...copy.tensors.values()]);
    trainer.dispose();
    other.dispose();
    dvae.dispose();
  });
});

describe("codebookDiversityPenalty() (the optional wav2vec 2.0 term)", () => {
  it("is 0 when the batch spreads evenly over the codes and log(vocab) when every position picks one code", () => {
    const vocab = 16;
    // Each of 16 positions confidently picks a different code: even usage.
    const spread = tf.tidy(() => tf.mul(tf.oneHot(tf.range(0, vocab, 1, "int32"), vocab).reshape([1, 4, 4, vocab]), 50) as tf.Tensor4D);
    const same = tf.tidy(() => tf.mul(tf.oneHot(tf.fill([16], 3, "int32") as tf.Tensor1D, vocab).reshape([1, 4, 4, vocab]), 50) as tf.Tensor4D);
    const flat = tf.zeros([2, 4, 4, vocab]) as tf.Tensor4D;
    expect(codebookDiversityPenalty(spread).dataSync()[0]).toBeCloseTo(0, 4);
    expect(codebookDiversityPenalty(flat).dataSync()[0]).toBeCloseTo(0, 4);
    expect(codebookDiversityPenalty(same).dataSync()[0]).toBeCloseTo(Math.log(vocab), 3);
    tf.dispose([spread, same, flat]);
  });

  it("is reported by every update, and with a weight it raises the codes an untrained encoder spreads over", () => {
    const images = squares(8, 16);
    const config = { groupCount: 2, nHid: 8, nBlkPerGroup: 1, vocabSize: 32, nInit: 8, inputSize: 16 };
    const penaltyAfter = (weight: number) => {
      const dvae = createDvae(config, { seed: 3 });
      const trainer = new DvaeTrainer(dvae, scaledRecipe(20, { lrStart: 3e-3, diversityWeight: weight, emaDecay: 0 }));
      let last = trainer.update(images);
      for (let i = 0; i < 19; i++) last = trainer.update(images);
      trainer.dispose();
      dvae.dispose();
      return last.diversity;
    };
    const without = penaltyAfter(0);
    const withPenalty = penaltyAfter(1);
    expect(withPenalty).toBeLessThan(without);
    images.dispose();
  });
});

describe("the schedules", () => {
  it("cosineSchedule() runs from start to end and stays at end", () => {
    expect(cosineSchedule(1, 0, 0, 10)).toBe(1);
    expect(cosineSchedule(1, 0, 5, 10)).toBeCloseTo(0.5, 10);
    expect(cosineSchedule(1, 0, 10, 10)).toBe(0);
    expect(cosineSchedule(1, 0, 99, 10)).toBe(0);
  });
  it("scaledRecipe() scales the paper's schedule lengths from 3M updates to the run", () => {
    const r = scaledRecipe(30_000);
    expect(r.tauSteps).toBe(1500); // 150k of 3M
    expect(r.betaSteps).toBe(50); // 5k of 3M
    expect(scheduleAt(r, 0)).toEqual({ lr: 1e-4, tau: 1, beta: 0, noise: 1 });
    expect(scheduleAt(r, 30_000).tau).toBeCloseTo(1 / 16, 10);
  });
});

describe("codebookUsage()", () => {
  it("counts used codes and the perplexity of their distribution", () => {
    const u = codebookUsage([0, 0, 1, 1], 4);
    expect(u.used).toBe(2);
    expect(u.usedFraction).toBe(0.5);
    expect(u.perplexity).toBeCloseTo(2, 10);
  });
  it("rejects an id outside the codebook", () => {
    expect(() => codebookUsage([4], 4)).toThrow(/code id 4 is outside \[0, 4\)/);
  });
});

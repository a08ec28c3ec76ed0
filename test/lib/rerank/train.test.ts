import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BatchSampler,
  DEFAULT_RERANKER_TRAIN,
  RerankerTrainer,
  createReranker,
  evaluateRetrieval,
  learningRateAt,
  packBatch,
  rankImages,
  resolveRerankerConfig,
  type RerankerPair,
  type RerankerTrainOptions,
} from "../../../src/lib/rerank/index.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

const TINY = resolveRerankerConfig({ imageSize: 16, textLength: 6, textVocab: 10, embedDim: 8, imageChannels: [4, 8], imageHidden: 16, textWidth: 16, textLayers: 1, textHeads: 2 });

/** A 16 px image: one colour on the left half, another on the right (so position matters, as in "a left of b"). */
function image(left: [number, number, number], right: [number, number, number]): Uint8Array {
  const out = new Uint8Array(16 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) out.set(x < 8 ? left : right, (y * 16 + x) * 3);
  return out;
}
const RED: [number, number, number] = [255, 0, 0], GREEN: [number, number, number] = [0, 255, 0], BLUE: [number, number, number] = [0, 0, 255];
// Caption ids: 1 red, 2 green, 3 blue, 4 "left of"; the last two pairs differ only in order.
const PAIRS: RerankerPair[] = [
  { pixels: image(RED, RED), text: [1] },
  { pixels: image(GREEN, GREEN), text: [2] },
  { pixels: image(BLUE, BLUE), text: [3] },
  { pixels: image(RED, BLUE), text: [1, 4, 3] },
  { pixels: image(BLUE, RED), text: [3, 4, 1] },
];

const options = (o: Partial<RerankerTrainOptions> = {}): RerankerTrainOptions => ({ ...DEFAULT_RERANKER_TRAIN, steps: 80, batchSize: PAIRS.length, learningRate: 3e-3, finalLearningRate: 3e-3, warmupSteps: 0, ...o });

beforeAll(async () => {
  await useBackend("wasm");
});

describe("training the reranker", () => {
  it("a few AdamW steps on a fixed batch lower the contrastive loss", () => {
    const model = createReranker(TINY, 2);
    const trainer = new RerankerTrainer(model, options());
    const batch = packBatch(TINY, PAIRS);
    const losses = Array.from({ length: 15 }, () => trainer.update(batch).loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    expect(trainer.step).toBe(15);
    tf.dispose(Object.values(batch));
    trainer.dispose();
    model.dispose();
  });

  it("after a short training, rankImages() puts the image that matches the caption first, word order included", async () => {
    const model = createReranker(TINY, 3);
    const o = options();
    const trainer = new RerankerTrainer(model, o);
    const sampler = new BatchSampler(PAIRS, o);
    for (let s = 0; s < o.steps; s++) {
      const { pairs, decoded } = sampler.at(s);
      const batch = packBatch(TINY, pairs, decoded);
      trainer.update(batch);
      tf.dispose(Object.values(batch));
    }
    const images = packBatch(TINY, PAIRS).images;
    for (const [i, pair] of PAIRS.entries()) expect((await rankImages(model, images, pair.text))[0]!.index).toBe(i);
    const report = await evaluateRetrieval(model, PAIRS, { batchSize: 5 });
    expect(report).toMatchObject({ pairs: 5, batchSize: 5, view: "original", imageToText: 1, textToImage: 1, chance: 0.2 });
    tf.dispose(images);
    trainer.dispose();
    model.dispose();
  });

  it("the trainer and the retrieval evaluation leak no tensors from one call to the next", async () => {
    const model = createReranker(TINY, 4);
    const trainer = new RerankerTrainer(model, options());
    const batch = packBatch(TINY, PAIRS);
    trainer.update(batch);
    await evaluateRetrieval(model, PAIRS);
    const before = tf.memory().numTensors;
    trainer.update(batch);
    trainer.update(batch);
    await evaluateRetrieval(model, PAIRS);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(batch));
    trainer.dispose();
    model.dispose();
  });
});

describe("batches and schedules", () => {
  it("BatchSampler visits every pair once per epoch, in an order fixed by (seed, step), so a resumed run repeats it", () => {
    const pairs = Array.from({ length: 6 }, (_, i) => ({ ...PAIRS[0]!, text: [i] }));
    const o = { batchSize: 3, decodedShare: 0.5, seed: 1 };
    const a = new BatchSampler(pairs, o);
    const epoch = [...a.at(0).pairs, ...a.at(1).pairs].map((p) => p.text[0]);
    expect([...epoch].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new BatchSampler(pairs, o).at(1).pairs.map((p) => p.text[0])).toEqual(epoch.slice(3));
    expect(a.at(0).decoded).toEqual([false, false, false]); // no pair has a decode to show
  });

  it("BatchSampler shows dVAE decodes about decodedShare of the time when pairs have them", () => {
    const pairs = PAIRS.map((p) => ({ ...p, decoded: p.pixels }));
    const s = new BatchSampler(pairs, { batchSize: 5, decodedShare: 0.5, seed: 0 });
    const shown = Array.from({ length: 40 }, (_, step) => s.at(step).decoded.filter(Boolean).length).reduce((a, b) => a + b, 0);
    expect(shown / 200).toBeGreaterThan(0.35);
    expect(shown / 200).toBeLessThan(0.65);
    expect(new BatchSampler(pairs, { batchSize: 5, decodedShare: 0, seed: 0 }).at(0).decoded).toEqual([false, false, false, false, false]);
  });

  it("learningRateAt() warms up linearly, peaks, and decays by cosine to the final rate", () => {
    const o = { ...DEFAULT_RERANKER_TRAIN, steps: 1000, warmupSteps: 100, learningRate: 1e-3, finalLearningRate: 1e-5 };
    expect(learningRateAt(o, 0)).toBeCloseTo(1e-5, 8);
    expect(learningRateAt(o, 99)).toBeCloseTo(1e-3, 8);
    expect(learningRateAt(o, 100)).toBeCloseTo(1e-3, 8);
    expect(learningRateAt(o, 550)).toBeCloseTo((1e-3 + 1e-5) / 2, 8);
    expect(learningRateAt(o, 1000)).toBeCloseTo(1e-5, 8);
  });

  it("evaluateRetrieval() scores a batch of one repeated caption as always right, at chance 1", async () => {
    const model = createReranker(TINY, 5);
    const pairs = PAIRS.map((p) => ({ ...p, text: [7, 7] }));
    expect(await evaluateRetrieval(model, pairs, { batchSize: 5 })).toMatchObject({ imageToText: 1, textToImage: 1, chance: 1 });
    await expect(evaluateRetrieval(model, pairs, { view: "decoded" })).rejects.toThrow(/needs every pair's dVAE decode/);
    model.dispose();
  });

  it("packBatch() refuses a pair whose image has the wrong size, naming it", () => {
    expect(() => packBatch(TINY, [PAIRS[0]!, { pixels: new Uint8Array(10), text: [1] }])).toThrow(/pair 1 has 10 pixel bytes/);
  });
});

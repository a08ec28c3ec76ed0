import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../../src/lib/tfjs/index.js";
import {
  createTransformer,
  padText,
  parameterCount,
  pickToken,
  sampleCaptions,
  sampleImages,
  smallConfig,
  TransformerTrainer,
  DEFAULT_TRAIN,
  transformerFromSafetensors,
  transformerLoss,
  transformerToSafetensors,
  trainingStepFlops,
  type TransformerConfig,
} from "../../../src/lib/transformer/index.js";
import { crossEntropy, gelu, layerNorm } from "../../../src/lib/transformer/model.js";

beforeAll(async () => {
  await useBackend("wasm");
});
afterAll(async () => {
  await useBackend("cpu");
});

const TINY: TransformerConfig = smallConfig({ textVocab: 20, textLength: 4, grid: 3, imageVocab: 16, dModel: 32, nHeads: 4, nLayers: 4, convKernel: 3 });

describe("the transformer model", () => {
  it("pads text with one pad id per slot and counts its weights", () => {
    expect(Array.from(padText(TINY, [3, 7]))).toEqual([3, 7, 22, 23]);
    expect(Array.from(padText(TINY, [1, 2, 3, 4, 5]))).toEqual([1, 2, 3, 4]);
    const m = createTransformer(TINY, { seed: 1 });
    // embeddings (24+16+1+4+3+3)·32, 4 blocks of 12·32² + 9·32 + 4·32, final norm, heads 32·24 + 32·16
    expect(parameterCount(m)).toBe(51 * 32 + 4 * (12 * 32 * 32 + 13 * 32) + 64 + 32 * 40);
    m.dispose();
  });

  it("weights the text and image cross-entropies 1/8 and 7/8, starting near log(vocab)", () => {
    const m = createTransformer(TINY, { seed: 2 });
    const text = tf.tensor2d([Array.from(padText(TINY, [1, 2]))], undefined, "int32");
    const image = tf.tensor2d([[0, 1, 2, 3, 4, 5, 6, 7, 8]], undefined, "int32");
    const t = transformerLoss(m, text, image);
    const [loss, tl, il] = [t.loss, t.text, t.image].map((x) => x.dataSync()[0]!);
    expect(loss).toBeCloseTo(tl! / 8 + (7 * il!) / 8, 5);
    expect(il).toBeGreaterThan(Math.log(16) - 0.3);
    expect(il).toBeLessThan(Math.log(16) + 0.3);
    tf.dispose([text, image, t.loss, t.text, t.image]);
    m.dispose();
  });

  it("samples the same tokens with and without the key/value cache for a fixed seed (each sparse pattern in use)", async () => {
    const m = createTransformer(TINY, { seed: 3 });
    const before = tf.memory().numTensors;
    const withCache = await sampleImages(m, [4, 9, 1], 3, { seed: 7, topK: 8 });
    const without = await sampleImages(m, [4, 9, 1], 3, { seed: 7, topK: 8, useCache: false });
    expect(withCache.map((g) => Array.from(g))).toEqual(without.map((g) => Array.from(g)));
    expect(withCache[0]!.length).toBe(9);
    // Different rows of the batch draw different samples.
    expect(new Set(withCache.map((g) => g.join())).size).toBeGreaterThan(1);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it("completes an image from primed top rows, keeping them", async () => {
    const m = createTransformer(TINY, { seed: 4 });
    const grids = await sampleImages(m, [2], 2, { seed: 1, prime: [5, 6, 7] });
    for (const g of grids) expect(Array.from(g.slice(0, 3))).toEqual([5, 6, 7]);
    m.dispose();
  });

  it("rejects ids outside the vocabularies and bad options with a message naming them", async () => {
    const m = createTransformer(TINY, { seed: 5 });
    await expect(sampleImages(m, [20], 1)).rejects.toThrow(/text id 20 is outside the BPE vocabulary \[0, 20\)/);
    await expect(sampleImages(m, [1], 1, { prime: [99] })).rejects.toThrow(/outside the codebook/);
    await expect(sampleImages(m, [1], 1, { topP: 0 })).rejects.toThrow(/topP must be in \(0, 1\]/);
    await expect(sampleCaptions(m, [[1, 2, 3, 4, 5, 6, 7, 8, 9]])).rejects.toThrow(/image-to-text model/);
    m.dispose();
  });

  it("serves the reverse direction with the same code: captions stop at the first pad", async () => {
    const m = createTransformer({ ...TINY, direction: "image-to-text" }, { seed: 6 });
    const caps = await sampleCaptions(m, [[1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 0, 0, 0, 0, 0, 0, 0, 0]], { temperature: 0 });
    expect(caps).toHaveLength(2);
    for (const ids of caps) {
      expect(ids.length).toBeLessThanOrEqual(4);
      for (const id of ids) expect(id).toBeLessThan(20);
    }
    m.dispose();
  });

  it("round-trips through safetensors with its config and metadata, giving identical losses", async () => {
    const m = createTransformer(TINY, { seed: 8 });
    const bytes = await transformerToSafetensors(m, { bpe: { note: "vocab here" } });
    const { model: back, metadata } = transformerFromSafetensors(bytes);
    expect(back.config).toEqual(m.config);
    expect(metadata).toEqual({ bpe: { note: "vocab here" } });
    const text = tf.tensor2d([Array.from(padText(TINY, [3]))], undefined, "int32");
    const image = tf.tensor2d([[1, 1, 2, 3, 5, 8, 13, 2, 1]], undefined, "int32");
    const a = transformerLoss(m, text, image);
    const b = transformerLoss(back, text, image);
    expect(b.loss.dataSync()[0]).toBe(a.loss.dataSync()[0]);
    tf.dispose([text, image, a.loss, a.text, a.image, b.loss, b.text, b.image]);
    m.dispose();
    back.dispose();
    expect(() => transformerFromSafetensors(new Uint8Array(bytes.length))).toThrow();
  });
});

describe("the written-out gradients (GELU, layer norm, cross-entropy)", () => {
  const worstRelative = (a: tf.Tensor, b: tf.Tensor): number => {
    const x = a.dataSync() as Float32Array;
    const y = b.dataSync() as Float32Array;
    const scale = Math.max(1e-6, ...y.map(Math.abs));
    return x.reduce((w, v, i) => Math.max(w, Math.abs(v - y[i]!)), 0) / scale;
  };

  it("GELU: value and gradient equal autodiff of GPT-2's tanh form, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))", () => {
    tf.tidy(() => {
      const x = tf.linspace(-8, 8, 161);
      const definition = (v: tf.Tensor): tf.Tensor => tf.mul(tf.mul(v, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(v, tf.mul(0.044715, tf.pow(v, 3)))))));
      expect(worstRelative(gelu(x), definition(x))).toBeLessThan(1e-5);
      expect(worstRelative(tf.grad(gelu)(x), tf.grad(definition)(x))).toBeLessThan(1e-5);
    });
  });

  it("layer norm: value and gradients equal autodiff through its definition", () => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 5, 16], 0.5, 2, "float32", 1);
      const g = tf.randomNormal([16], 1, 0.3, "float32", 2);
      const b = tf.randomNormal([16], 0, 0.3, "float32", 3);
      const w = tf.randomNormal([3, 5, 16], 0, 1, "float32", 4); // a loss that weighs every output differently
      const definition = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor): tf.Tensor => {
        const { mean, variance } = tf.moments(xi, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(xi, mean), tf.sqrt(tf.add(variance, 1e-5))), gi), bi);
      };
      const ours = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(layerNorm(xi as tf.Tensor3D, gi, bi), w)))([x, g, b]);
      const ref = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(definition(xi, gi, bi), w)))([x, g, b]);
      expect(worstRelative(layerNorm(x as tf.Tensor3D, g, b), definition(x, g, b))).toBeLessThan(1e-5);
      ours.forEach((d, i) => expect(worstRelative(d, ref[i]!), ["dx", "dg", "db"][i]).toBeLessThan(1e-4));
    });
  });

  it("cross-entropy: value and gradient equal autodiff of −mean log-softmax at the targets, and stay finite where a target's probability underflows", () => {
    tf.tidy(() => {
      const logits = tf.randomNormal([6, 11], 0, 3, "float32", 5);
      const targets = tf.tensor1d([0, 3, 10, 5, 5, 7], "int32");
      const definition = (z: tf.Tensor): tf.Tensor => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(z), tf.oneHot(targets, 11)), -1)));
      const ours = tf.grad((z: tf.Tensor) => crossEntropy(z as tf.Tensor2D, targets, 11))(logits);
      const ref = tf.grad(definition)(logits);
      expect(worstRelative(crossEntropy(logits as tf.Tensor2D, targets, 11), definition(logits))).toBeLessThan(1e-5);
      expect(worstRelative(ours, ref)).toBeLessThan(1e-5);
      // A target 200 nats below the best logit: its softmax probability is 0 in float32, its loss is not infinite.
      const far = crossEntropy(tf.tensor2d([[200, 0, 0]]), tf.tensor1d([1], "int32"), 3).dataSync()[0]!;
      expect(far).toBeCloseTo(200, 3);
    });
  });
});

describe("gradients on the WASM backend", () => {
  // Batch 3 and 4 heads make every attention product batched ([3, 4, L, dh]): the path the WASM kernels rebuild.
  const gradients = (): Map<string, Float32Array> => {
    const m = createTransformer(TINY, { seed: 5 });
    const text = tf.tensor2d([Array.from(padText(TINY, [1, 2])), Array.from(padText(TINY, [5])), Array.from(padText(TINY, [7, 8, 9]))], undefined, "int32");
    const image = tf.tensor2d([[0, 1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1, 0], [3, 3, 3, 9, 9, 9, 15, 15, 15]], undefined, "int32");
    const { value, grads } = tf.variableGrads(() => transformerLoss(m, text, image).loss, [...m.params.values()]);
    const out = new Map([...m.params].map(([name, v]) => [name, grads[v.name]!.dataSync() as Float32Array]));
    tf.dispose([value, text, image, ...Object.values(grads)]);
    m.dispose();
    return out;
  };

  // Big enough for the WASM kernels' JS paths (tensors of 65,536 elements and more): qkv [6, 72, 192], its
  // [3, 6, 4, 72, 16] head split, weight gradients whose operands swap, embedding gathers of 64-wide rows.
  const MID: TransformerConfig = smallConfig({ textVocab: 40, textLength: 8, grid: 8, imageVocab: 32, dModel: 64, nHeads: 4, nLayers: 2, convKernel: 3 });
  const midGradients = (): Map<string, Float32Array> => {
    const m = createTransformer(MID, { seed: 6 });
    const text = tf.tensor2d(Array.from({ length: 6 }, (_, b) => Array.from(padText(MID, [b, b + 3, (7 * b) % 40]))), undefined, "int32");
    const image = tf.randomUniform([6, 64], 0, 32, "int32", 9) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => transformerLoss(m, text, image).loss, [...m.params.values()]);
    const out = new Map([...m.params].map(([name, v]) => [name, grads[v.name]!.dataSync() as Float32Array]));
    tf.dispose([value, text, image, ...Object.values(grads)]);
    m.dispose();
    return out;
  };

  for (const [label, of] of [
    ["a tiny model (batch 3)", gradients],
    ["a model big enough for the kernels' JS paths (batch 6, width 64, 72 tokens)", midGradients],
  ] as const) {
    it(`equal the CPU backend's for every weight: ${label}`, async () => {
      await useBackend("cpu");
      const cpu = of();
      await useBackend("wasm");
      const wasm = of();
      expect([...wasm.keys()]).toEqual([...cpu.keys()]);
      for (const [name, g] of wasm) {
        const ref = cpu.get(name)!;
        const scale = Math.max(1e-6, ...ref.map(Math.abs));
        const worst = g.reduce((w, x, i) => Math.max(w, Math.abs(x - ref[i]!)), 0);
        expect(worst / scale, name).toBeLessThan(1e-3);
      }
    });
  }

  it("counts a step's matrix-product FLOPs from the config (forward ×3)", () => {
    // L = 4 + 9; per layer 13·2·32·(4·32 + 2·128) linear + 4·13²·32 attention; heads 2·32·(4·24 + 9·16); batch 2.
    const perSequence = 4 * (13 * 2 * 32 * (4 * 32 + 2 * 128) + 4 * 13 * 13 * 32) + 2 * 32 * (4 * 24 + 9 * 16);
    expect(trainingStepFlops(TINY, 2)).toBe(3 * 2 * perSequence);
  });
});

describe("pickToken", () => {
  const logits = [0, 3, 1, 2.9, -5];
  it("is greedy at temperature 0 and with top-k 1", () => {
    expect(pickToken(logits, [0, 1, 2, 3, 4], { temperature: 0, topK: 0, topP: 1 }, 0.99)).toBe(1);
    expect(pickToken(logits, [0, 1, 2, 3, 4], { temperature: 1, topK: 1, topP: 1 }, 0.99)).toBe(1);
  });
  it("only draws allowed ids, and top-p keeps the smallest set reaching p", () => {
    expect(pickToken(logits, [0, 2, 4], { temperature: 0, topK: 0, topP: 1 }, 0.5)).toBe(2);
    // p(1) ≈ 0.47, p(3) ≈ 0.43: top-p 0.5 keeps {1, 3}; u near 1 picks the second.
    expect(pickToken(logits, [0, 1, 2, 3, 4], { temperature: 1, topK: 0, topP: 0.5 }, 0.999)).toBe(3);
    expect(pickToken(logits, [0, 1, 2, 3, 4], { temperature: 1, topK: 0, topP: 0.3 }, 0.999)).toBe(1);
  });
});

describe("training", () => {
  it("lowers the loss over a few steps on a task where the caption fixes the image", () => {
    const m = createTransformer(TINY, { seed: 9 });
    const trainer = new TransformerTrainer(m, { ...DEFAULT_TRAIN, steps: 40, warmupSteps: 5, lr: 3e-3 });
    const texts: number[][] = [];
    const images: number[][] = [];
    for (let b = 0; b < 8; b++) {
      texts.push(Array.from(padText(TINY, [b, b + 1])));
      images.push(Array.from({ length: 9 }, (_, j) => (b * 3 + j) % 16));
    }
    const text = tf.tensor2d(texts, undefined, "int32");
    const image = tf.tensor2d(images, undefined, "int32");
    const before = tf.memory().numTensors;
    const first = trainer.update(text, image);
    let last = first;
    for (let i = 0; i < 39; i++) last = trainer.update(text, image);
    expect(tf.memory().numTensors).toBe(before);
    expect(last.image).toBeLessThan(first.image * 0.6);
    expect(last.loss).toBeLessThan(first.loss);
    tf.dispose([text, image]);
    trainer.dispose();
    m.dispose();
  });
});

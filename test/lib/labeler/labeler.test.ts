import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { firstLabels, inputLabeler, labelsByUrl, tsvLabeler } from "../../../src/lib/labeler/index.js";
import { cnnFromWeights, cnnLogits, cnnLoss, cnnWeights, createCnn, disposeCnn } from "../../../src/lib/labeler/cnn.js";
import { DEFAULT_CNN_CONFIG, loadSynthLabeler, readLabelerWeights } from "../../../src/lib/labeler/node.js";
import { generateCrawl } from "../../../src/lib/synth/index.js";
import { defaultNameLists, encodeScene } from "../../../src/lib/synth/node-index.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("supplied labelers", () => {
  it("labelsByUrl() indexes a CC image-labels TSV by URL with confidences, the first row winning", () => {
    const map = labelsByUrl([
      { url: "https://a/1.jpg", labels: ["dog", "pet"], confidences: [0.9, 0.7] },
      { url: "https://a/1.jpg", labels: ["cat"], confidences: [1] },
    ]);
    expect(map.get("https://a/1.jpg")).toEqual({ source: "tsv", labels: [{ name: "dog", confidence: 0.9 }, { name: "pet", confidence: 0.7 }] });
  });

  it("each labeler answers only for its own source; firstLabels() reports which one answered", async () => {
    const tsv = { id: "1", url: null, labels: { source: "tsv" as const, labels: [{ name: "dog", confidence: 1 }] } };
    expect(await inputLabeler().label(tsv)).toBeNull();
    expect(await tsvLabeler().label(tsv)).toEqual([{ name: "dog", confidence: 1 }]);
    expect(await firstLabels([inputLabeler(), tsvLabeler()], tsv)).toEqual({ labeler: "tsv", labels: [{ name: "dog", confidence: 1 }] });
    expect(await firstLabels([inputLabeler()], { id: "2", url: null })).toBeNull();
  });
});

describe("the synthetic-world CNN", () => {
  it("maps [B, S, S, 3] images to [B, K] logits, and its loss has gradients for every weight", () => {
    const model = createCnn({ ...DEFAULT_CNN_CONFIG, size: 32 }, 3);
    const x = tf.randomUniform([2, 32, 32, 3]) as tf.Tensor4D;
    const y = tf.zeros([2, DEFAULT_CNN_CONFIG.categories.length]) as tf.Tensor2D;
    const logits = cnnLogits(model, x);
    expect(logits.shape).toEqual([2, DEFAULT_CNN_CONFIG.categories.length]);
    const { grads } = tf.variableGrads(() => cnnLoss(model, x, y), Object.values(model.params));
    expect(Object.keys(grads).length).toBe(Object.keys(model.params).length);
    tf.dispose([x, y, logits, ...Object.values(grads)]);
    disposeCnn(model);
  });

  it("round-trips its weights and names a misshapen tensor", async () => {
    const config = { ...DEFAULT_CNN_CONFIG, size: 32 };
    const model = createCnn(config, 5);
    const weights = await cnnWeights(model);
    const copy = cnnFromWeights(config, weights);
    const x = tf.randomUniform([1, 32, 32, 3]) as tf.Tensor4D;
    expect(Array.from(await cnnLogits(copy, x).data())).toEqual(Array.from(await cnnLogits(model, x).data()));
    weights.set("head.b", { shape: [3], data: new Float32Array(3) });
    expect(() => cnnFromWeights(config, weights)).toThrow(/head.b has shape \[3\]/);
    tf.dispose(x);
    disposeCnn(model);
    disposeCnn(copy);
  });

  it("does not leak tensors across a forward pass", () => {
    const model = createCnn({ ...DEFAULT_CNN_CONFIG, size: 32 }, 1);
    const x = tf.randomUniform([1, 32, 32, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    cnnLogits(model, x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    disposeCnn(model);
  });

  it("creating, loading and disposing a model leaves no tensors behind", async () => {
    const config = { ...DEFAULT_CNN_CONFIG, size: 32 };
    const before = tf.memory().numTensors;
    const model = createCnn(config, 2);
    const copy = cnnFromWeights(config, await cnnWeights(model));
    disposeCnn(model);
    disposeCnn(copy);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("the committed labeler weights (models/synth-labeler.safetensors)", () => {
  it("record their training options and held-out evaluation", () => {
    const { config, info } = readLabelerWeights();
    expect(config.categories.length).toBe(DEFAULT_CNN_CONFIG.categories.length);
    expect(info).toHaveProperty("evaluation.top1");
  });

  it("label rendered scenes of an unseen seed mostly with one of their categories, with synonyms", async () => {
    const labeler = await loadSynthLabeler();
    const images = generateCrawl({ seed: "labeler-test", pages: 20 }, defaultNameLists()).images.filter((im) => im.kind === "photo").slice(0, 20);
    let hits = 0;
    for (const im of images) {
      const labels = await labeler.label({ id: im.id, url: null, image: await encodeScene(im.scene, "jpeg") });
      const names = new Set(labels!.map((l) => l.name));
      if (im.scene.objects.some((o) => names.has(o.category))) hits++;
    }
    expect(hits / images.length).toBeGreaterThan(0.5);
    expect(await labeler.label({ id: "x", url: null, image: null })).toBeNull();
    expect(await labeler.label({ id: "y", url: null, image: new TextEncoder().encode("not an image") })).toBeNull();
    labeler.dispose?.();
  }, 60_000);
});

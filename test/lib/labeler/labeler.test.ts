import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { firstLabels, inputLabeler, labelsByUrl, tsvLabeler } from "../../../src/lib/labeler/index.js";
import { cnnFromWeights, cnnLogits, cnnLoss, cnnWeights, createCnn, disposeCnn } from "../../../src/lib/labeler/cnn.js";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { createDvae, dvaeToTfjs } from "../../../src/lib/dvae/index.js";
import { checkDvaeFolder } from "../../../src/lib/dvae/node.js";
import {
  DEFAULT_CNN_CONFIG, DEFAULT_JUDGE_WEIGHTS, JUDGE_CNN_CONFIG, evaluateCnnRules, loadSynthLabeler, openDvae, readLabelerWeights, renderModelWorldSet, renderTrainingSet, throughDvae,
  trainSynthLabeler, type LabelerEvaluation,
} from "../../../src/lib/labeler/node.js";
import { MODEL_CATEGORIES, STYLES, generateCrawl, modelWorldScenes } from "../../../src/lib/synth/index.js";
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

describe("the committed judge (models/judge.safetensors)", () => {
  it("is the model world's labeler, and its recorded held-out scores meet the bar under p ≥ 0.5 alone: macro precision ≥ 97%, recall ≥ 95%, also per style", () => {
    const { config, info } = readLabelerWeights(DEFAULT_JUDGE_WEIGHTS);
    expect(config.categories).toEqual([...MODEL_CATEGORIES]);
    expect((info.options as { world: string }).world).toBe("model");
    const judge = info.judge as LabelerEvaluation;
    expect(judge.rule).toBe("judge");
    expect(judge.images).toBeGreaterThanOrEqual(1500);
    for (const [name, e] of [["all", judge], ...Object.entries(judge.perStyle!)] as const) {
      expect(e.macroPrecision, `${name}: macro precision`).toBeGreaterThanOrEqual(0.97);
      expect(e.macroRecall, `${name}: macro recall`).toBeGreaterThanOrEqual(0.95);
    }
    expect(Object.keys(judge.perStyle!).sort()).toEqual([...STYLES].sort());
  });

  it("judges freshly rendered model-world scenes of a stream it never trained on as its record says", async () => {
    const { config, tensors } = readLabelerWeights(DEFAULT_JUDGE_WEIGHTS);
    const model = cnnFromWeights(config, tensors as never);
    const set = await renderModelWorldSet({ name: "labeler-test-unseen", count: 96, size: config.size, categories: config.categories });
    const { judge } = await evaluateCnnRules(model, set, 0.5, ["judge"]);
    expect(judge!.recall).toBeGreaterThan(0.9);
    expect(judge!.precision).toBeGreaterThan(0.9);
    disposeCnn(model);
  }, 60_000);
});

describe("model-world sets", () => {
  it("renderModelWorldSet() renders the frame at the labeler's size with multi-hot targets and each image's style", async () => {
    const set = await renderModelWorldSet({ name: "set-test", count: 6, size: 32, categories: JUDGE_CNN_CONFIG.categories });
    expect(set.images.length).toBe(6 * 32 * 32 * 3);
    expect(set.styles).toEqual(["modern", "flat", "high-contrast", "modern", "flat", "high-contrast"]);
    const scenes = modelWorldScenes("set-test", 6);
    scenes.forEach((scene, i) => {
      const hot = JUDGE_CNN_CONFIG.categories.filter((_, k) => set.targets[i * JUDGE_CNN_CONFIG.categories.length + k] === 1);
      expect(hot.sort()).toEqual([...new Set(scene.objects.map((o) => o.category))].sort());
    });
    await expect(renderModelWorldSet({ name: "set-test", count: 6, size: 32, categories: ["dog"] })).rejects.toThrow(/which the labeler's categories lack/);
  });

  it("evaluateCnnRules() reports macro averages and per-style scores when the set knows its styles", async () => {
    const config = { ...JUDGE_CNN_CONFIG, size: 32 };
    const model = createCnn(config, 4);
    const set = await renderModelWorldSet({ name: "macro-test", count: 12, size: 32, categories: config.categories });
    const { judge } = await evaluateCnnRules(model, set, 0.5, ["judge"]);
    expect(Object.keys(judge!.perStyle!).sort()).toEqual([...STYLES].sort());
    expect(judge!.perStyle!.modern!.images).toBe(4);
    expect(judge!.macroRecall).toBeGreaterThanOrEqual(0);
    expect(judge!.macroRecall).toBeLessThanOrEqual(1);
    disposeCnn(model);
  });

  it("a few training epochs on the model world lower the loss, and training leaves no tensors behind", async () => {
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const result = await trainSynthLabeler({ world: "model", trainImages: 64, evalImages: 24, epochs: 3, batchSize: 16, learningRate: 3e-3, onProgress: (l) => lines.push(l) });
    const losses = lines.filter((l) => /loss/.test(l)).map((l) => Number(/loss ([\d.]+)/.exec(l)![1]));
    expect(losses).toHaveLength(3);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    expect(result.judge.perStyle).toBeDefined();
    expect(result.model.config.categories).toEqual([...MODEL_CATEGORIES]);
    disposeCnn(result.model);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});

describe("the pixel path through a dVAE (the judge of decoded images)", () => {
  const size = 64; // the labeler's input, and the "small" dVAE's
  let dir: string;
  let bin: Uint8Array;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "labeler-dvae-"));
    const dvae = createDvae("small", { seed: 3 }); // fresh, untrained: its decodes are far from the scenes
    const saved = await dvaeToTfjs(dvae, { note: "test" });
    dvae.dispose();
    bin = saved.bin;
    writeFileSync(join(dir, "model.json"), JSON.stringify(saved.manifest));
    writeFileSync(join(dir, "weights.bin"), bin);
  });

  it("throughDvae() replaces the images with the dVAE's reconstructions, keeps the targets, and leaks no tensors", async () => {
    const set = await renderTrainingSet({ seed: "through-dvae-test", count: 6, size, categories: DEFAULT_CNN_CONFIG.categories });
    const { dvae } = await openDvae(dir, size);
    const before = tf.memory().numTensors;
    const recon = await throughDvae(set, dvae, { size, batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect([...recon.reconstructed]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(recon.targets).toEqual(set.targets);
    const x = tf.tensor4d(set.images, [6, size, size, 3]);
    const expected = dvae.reconstruct(x);
    const want = (await expected.data()) as Float32Array;
    tf.dispose([x, expected]);
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(maxDiff(recon.images, want)).toBeLessThan(1e-5); // batches of 4 and 2 give the batch of 6's pixels
    expect(maxDiff(recon.images, set.images)).toBeGreaterThan(0.1); // not the originals
    expect(set.images).not.toBe(recon.images); // the input set is left as rendered
    dvae.dispose();
  }, 60_000);

  it("throughDvae() keeps about the originalShare of scenes as rendered, spread over the set", async () => {
    const set = await renderTrainingSet({ seed: "through-dvae-mix", count: 10, size, categories: DEFAULT_CNN_CONFIG.categories });
    const { dvae } = await openDvae(dir, size);
    const mixed = await throughDvae(set, dvae, { size, originalShare: 0.2, seed: 1 });
    const pixels = size * size * 3;
    const kept = [...mixed.reconstructed.keys()].filter((i) => !mixed.reconstructed[i]);
    expect(Math.abs(kept.length - 2)).toBeLessThanOrEqual(1); // about 0.2 × 10: a low-discrepancy sequence, not an exact count
    expect(kept.length).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) {
      const same = mixed.images.subarray(i * pixels, (i + 1) * pixels).every((v, p) => v === set.images[i * pixels + p]);
      expect(same, `scene ${i}`).toBe(!mixed.reconstructed[i]);
    }
    await expect(throughDvae(set, dvae, { size, originalShare: 1.5 })).rejects.toThrow(/originalShare must be between 0 and 1, got 1.5/);
    dvae.dispose();
  }, 60_000);

  it("openDvae() fingerprints the folder by its weights.bin's SHA-256 and refuses a dVAE of another input size", async () => {
    const { dvae, fingerprint } = await openDvae(dir, size);
    dvae.dispose();
    expect(fingerprint.weightsSha256).toBe(createHash("sha256").update(bin).digest("hex"));
    await expect(openDvae(dir, 32)).rejects.toThrow(/takes 64 × 64 × 3 images; the labeler needs 32 × 32 × 3/);
  });

  it("checkDvaeFolder() names the bad folder and what a dVAE folder holds", () => {
    const empty = mkdtempSync(join(tmpdir(), "not-a-dvae-"));
    expect(() => checkDvaeFolder(join(empty, "nowhere"))).toThrow(/no dVAE folder at .*nowhere: it does not exist.*model\.json .* and weights\.bin/);
    expect(() => checkDvaeFolder(empty)).toThrow(/no dVAE in .*not-a-dvae-.*: model\.json is missing; a dVAE folder holds model\.json/);
    mkdirSync(join(empty, "half"));
    writeFileSync(join(empty, "half", "model.json"), JSON.stringify({ weightsManifest: [{ paths: ["weights.bin"] }] }));
    expect(() => checkDvaeFolder(join(empty, "half"))).toThrow(/weights\.bin \(named by model\.json\) is missing/);
  });

  it("evaluateCnnRules() scores both decision rules: the judge's never adds a label below the threshold", async () => {
    const model = createCnn(DEFAULT_CNN_CONFIG, 1);
    const set = await renderTrainingSet({ seed: "rules", count: 8, size, categories: DEFAULT_CNN_CONFIG.categories });
    const { labeler, judge } = await evaluateCnnRules(model, set, 1.01, ["labeler", "judge"]); // no probability reaches 1.01
    expect(judge).toMatchObject({ images: 8, rule: "judge", recall: 0, exact: 0 });
    expect(labeler!.perCategory![DEFAULT_CNN_CONFIG.categories[0]!]).toHaveProperty("support");
    const predicted = Object.values(labeler!.perCategory!).reduce((n, c) => n + c.predicted, 0);
    expect(predicted).toBe(8); // exactly the top label of each image
    disposeCnn(model);
  });
});

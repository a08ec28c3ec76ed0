/**
 * Node-only door of src/lib/labeler: the synthetic-world classifier (labeler b) — training data
 * rendered from the synthetic world, the training run (`ccw labeler train`, `npm run train:labeler`),
 * its weights file in the repo, and the Labeler that decodes an image and names its categories.
 */
import { readFileSync, existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import * as tf from "@tensorflow/tfjs";
import { readSafetensors, writeSafetensors } from "../safetensors/index.js";
import { CATEGORIES, category, generateCrawl, type Scene } from "../synth/index.js";
import { defaultNameLists, renderRaw } from "../synth/node-index.js";
import { loadSharp, imageFacts } from "../images/index.js";
import { useBackend } from "../tfjs/index.js";
import { cnnFromWeights, cnnLoss, cnnPredict, cnnWeights, createCnn, disposeCnn, type Cnn, type CnnConfig } from "./cnn.js";
import type { Label, Labeler } from "./types.js";

/** The committed weights, trained by `npm run train:labeler`. */
export const DEFAULT_LABELER_WEIGHTS = new URL("../../../models/synth-labeler.safetensors", import.meta.url);

export const DEFAULT_CNN_CONFIG: CnnConfig = { size: 64, channels: [24, 48, 64, 96], categories: CATEGORIES.map((c) => c.id) };

export interface TrainingSet {
  images: Float32Array; // [N, S, S, 3] in [0, 1]
  targets: Float32Array; // [N, K] multi-hot
  count: number;
}

/** Renders `count` scenes of the synthetic crawl with `seed` at size × size, with multi-hot category targets. */
export async function renderTrainingSet(options: { seed: string; count: number; size: number; categories: readonly string[]; onProgress?: (done: number, total: number) => void }): Promise<TrainingSet> {
  const { seed, count, size, categories } = options;
  const index = new Map(categories.map((c, i) => [c, i]));
  const scenes: Scene[] = [];
  for (let pages = Math.ceil(count / 1.5); scenes.length < count; pages *= 2) {
    scenes.length = 0;
    for (const im of generateCrawl({ seed, pages }, defaultNameLists()).images) if (scenes.length < count) scenes.push(im.scene);
  }
  const images = new Float32Array(count * size * size * 3);
  const targets = new Float32Array(count * categories.length);
  const CONCURRENT = 8;
  for (let start = 0; start < count; start += CONCURRENT) {
    const batch = scenes.slice(start, start + CONCURRENT);
    const raws = await Promise.all(batch.map((s) => renderRaw(s, { width: size, height: size })));
    raws.forEach((raw, j) => {
      const n = start + j;
      for (let p = 0; p < size * size; p++) for (let ch = 0; ch < 3; ch++) images[(n * size * size + p) * 3 + ch] = raw.data[p * raw.channels + ch]! / 255;
      for (const o of batch[j]!.objects) targets[n * categories.length + index.get(o.category)!] = 1;
    });
    options.onProgress?.(Math.min(count, start + CONCURRENT), count);
  }
  return { images, targets, count };
}

export interface TrainOptions {
  /** Scenes rendered for each epoch (new ones every epoch). */
  trainImages: number;
  evalImages: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  onProgress?: (line: string) => void;
}

/** Defaults: 14 epochs of 4,000 fresh scenes each (56,000 distinct scenes), about 7 minutes on one core. */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { trainImages: 4000, evalImages: 500, epochs: 14, batchSize: 32, learningRate: 3e-3, seed: 1 };

export interface LabelerEvaluation {
  images: number;
  /** Micro-averaged precision and recall of the labels the labeler returns (threshold 0.5, top-1 always). */
  precision: number;
  recall: number;
  /** Share of images whose top label is one of their categories. */
  top1: number;
}

/** Evaluates a model on a rendered set with the Labeler's own decision rule. */
export async function evaluateCnn(model: Cnn, set: TrainingSet, threshold = LABEL_THRESHOLD): Promise<LabelerEvaluation> {
  const { size, categories } = model.config;
  let tp = 0, fp = 0, fn = 0, top1 = 0;
  for (let start = 0; start < set.count; start += 64) {
    const n = Math.min(64, set.count - start);
    const x = tf.tensor4d(set.images.subarray(start * size * size * 3, (start + n) * size * size * 3), [n, size, size, 3]);
    const probs = await cnnPredict(model, x);
    x.dispose();
    probs.forEach((p, j) => {
      const truth = set.targets.subarray((start + j) * categories.length, (start + j + 1) * categories.length);
      const chosen = chosenIndices(p, threshold);
      for (const k of chosen) truth[k] ? tp++ : fp++;
      fn += truth.reduce((s, t, k) => s + (t && !chosen.includes(k) ? 1 : 0), 0);
      if (truth[chosen[0]!]) top1++;
    });
  }
  return { images: set.count, precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn), top1: top1 / Math.max(1, set.count) };
}

/** Trains the labeler on rendered synthetic scenes (WASM backend); returns the model and its held-out evaluation. */
export async function trainSynthLabeler(options: Partial<TrainOptions> = {}): Promise<{ model: Cnn; evaluation: LabelerEvaluation; options: TrainOptions }> {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  await useBackend("wasm");
  const config = DEFAULT_CNN_CONFIG;
  const { size, categories } = config;
  const say = o.onProgress ?? (() => {});
  const held = await renderTrainingSet({ seed: `labeler-eval-${o.seed}`, count: o.evalImages, size, categories, onProgress: (d, t) => d === t && say(`rendered ${t} held-out scenes`) });
  const model = createCnn(config, o.seed);
  const optimizer = tf.train.adam(o.learningRate);
  const order = Array.from({ length: o.trainImages }, (_, i) => i);
  let state = o.seed * 2654435761 >>> 0;
  const random = () => ((state = (Math.imul(state ^ (state >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const pixels = size * size * 3;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    // Fresh scenes every epoch: rendering is cheap, and a small set is memorised within a few epochs.
    const train = await renderTrainingSet({ seed: `labeler-train-${o.seed}-${epoch}`, count: o.trainImages, size, categories });
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    (optimizer as unknown as { learningRate: number }).learningRate = o.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / o.epochs)); // cosine decay per epoch
    let total = 0, batches = 0;
    for (let start = 0; start + o.batchSize <= order.length; start += o.batchSize) {
      const ids = order.slice(start, start + o.batchSize);
      const xb = new Float32Array(ids.length * pixels);
      const yb = new Float32Array(ids.length * categories.length);
      ids.forEach((id, j) => {
        xb.set(train.images.subarray(id * pixels, (id + 1) * pixels), j * pixels);
        yb.set(train.targets.subarray(id * categories.length, (id + 1) * categories.length), j * categories.length);
      });
      const x = tf.tensor4d(xb, [ids.length, size, size, 3]);
      const y = tf.tensor2d(yb, [ids.length, categories.length]);
      const loss = optimizer.minimize(() => cnnLoss(model, x, y), true, Object.values(model.params)) as tf.Scalar;
      total += (await loss.data())[0]!;
      batches++;
      tf.dispose([x, y, loss]);
    }
    say(`epoch ${epoch + 1}/${o.epochs}: loss ${(total / Math.max(1, batches)).toFixed(4)}`);
  }
  optimizer.dispose();
  const evaluation = await evaluateCnn(model, held);
  return { model, evaluation, options: o };
}

/** Writes a trained model as safetensors, with its config and evaluation in the metadata. */
export async function saveLabelerWeights(path: string | URL, model: Cnn, info: Record<string, unknown>): Promise<number> {
  const bytes = writeSafetensors(await cnnWeights(model), { config: JSON.stringify(model.config), info: JSON.stringify(info) });
  await writeFile(path, bytes);
  return bytes.byteLength;
}

/** Probability at or above which a category is returned (the top one is always returned). */
export const LABEL_THRESHOLD = 0.5;

function chosenIndices(probs: readonly number[], threshold: number): number[] {
  const ranked = probs.map((p, k) => [p, k] as const).sort((a, b) => b[0] - a[0]);
  return ranked.filter(([p], i) => i === 0 || p >= threshold).map(([, k]) => k);
}

/** Reads the weights file and its metadata; throws naming the path when it is missing or malformed. */
export function readLabelerWeights(path: string | URL = DEFAULT_LABELER_WEIGHTS): { config: CnnConfig; tensors: ReturnType<typeof readSafetensors>["tensors"]; info: Record<string, unknown> } {
  if (!existsSync(path)) throw new Error(`labeler weights not found at ${String(path)}; train them with \`npm run train:labeler\``);
  const file = readSafetensors(readFileSync(path));
  const config = JSON.parse(file.metadata.config ?? "null") as CnnConfig | null;
  if (!config) throw new Error(`${String(path)} has no labeler config in its metadata`);
  return { config, tensors: file.tensors, info: JSON.parse(file.metadata.info ?? "{}") as Record<string, unknown> };
}

export function labelerWeightsExist(path: string | URL = DEFAULT_LABELER_WEIGHTS): boolean {
  return existsSync(path);
}

/**
 * Labeler (b): decodes the image (pixel limit from the header first), resizes it to the model's
 * input, and returns the categories at or above LABEL_THRESHOLD (the top one always), each with
 * the words the vocabulary uses for it (person: person, people, man, woman, ...).
 */
export async function loadSynthLabeler(options: { path?: string | URL; threshold?: number; maxPixels?: number } = {}): Promise<Labeler> {
  await useBackend("wasm");
  const { config, tensors } = readLabelerWeights(options.path);
  const model = cnnFromWeights(config, tensors as never);
  const sharp = await loadSharp();
  const threshold = options.threshold ?? LABEL_THRESHOLD;
  const maxPixels = options.maxPixels ?? 89_478_485;
  return {
    name: "synth-cnn",
    async label(input) {
      if (!input.image) return null;
      if (imageFacts(input.image, { maxPixels }).status !== "ok") return null;
      let raw: Buffer;
      try {
        raw = await sharp(input.image, { limitInputPixels: maxPixels, failOn: "error", animated: false })
          .flatten({ background: "#ffffff" })
          .resize(config.size, config.size, { fit: "fill" })
          .removeAlpha()
          .raw()
          .toBuffer();
      } catch {
        return null;
      }
      const x = tf.tidy(() => tf.tensor4d(Uint8Array.from(raw), [1, config.size, config.size, 3], "int32").toFloat().div(255) as tf.Tensor4D);
      const [probs] = await cnnPredict(model, x);
      x.dispose();
      const labels: Label[] = [];
      for (const k of chosenIndices(probs!, threshold)) {
        const id = config.categories[k]!;
        const names = new Set([id, ...safeMentions(id)]);
        for (const name of names) labels.push({ name, confidence: probs![k]! });
      }
      return labels;
    },
    dispose: () => disposeCnn(model),
  };
}

function safeMentions(id: string): readonly string[] {
  try {
    return category(id).mentions;
  } catch {
    return [];
  }
}

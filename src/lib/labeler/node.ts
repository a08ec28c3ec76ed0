/**
 * Node-only door of src/lib/labeler: the synthetic-world classifier (labeler b) — training data
 * rendered from the synthetic world, the training run (`ccw labeler train`, `npm run train:labeler`),
 * its weights file in the repo, and the Labeler that decodes an image and names its categories.
 * Its judge variant (`--through-dvae`) is the same classifier trained on scenes passed through a dVAE
 * (encode → decode), so that it can score dVAE decodes (generated images) and their ceiling.
 */
import { createHash } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { relative, resolve, isAbsolute } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { readSafetensors, writeSafetensors } from "../safetensors/index.js";
import { STYLES, category, generateCrawl, modelWorldScenes, type Scene, type Style } from "../synth/index.js";
import { defaultNameLists, renderRaw } from "../synth/node-index.js";
import { loadSharp, imageFacts } from "../images/index.js";
import { useBackend } from "../tfjs/index.js";
import type { Dvae } from "../dvae/index.js";
import { checkDvaeFolder, loadDvae } from "../dvae/node.js";
import { cnnFromWeights, cnnLoss, cnnMetadata, cnnPredict, cnnWeights, createCnn, disposeCnn, type Cnn, type CnnConfig } from "./cnn.js";
import type { Label, Labeler } from "./types.js";
import {
  DECISION_RULES, DEFAULT_CNN_CONFIG, DEFAULT_JUDGE_WEIGHTS, DEFAULT_LABELER_WEIGHTS, DEFAULT_TRAIN_OPTIONS, JUDGE_CNN_CONFIG, JUDGE_TRAIN_OPTIONS,
  LABELER_WORLDS, LABEL_THRESHOLD, type DecisionRule, type LabelerWorld, type TrainOptions,
} from "./settings.js";

export {
  DECISION_RULES, DEFAULT_CNN_CONFIG, DEFAULT_JUDGE_WEIGHTS, DEFAULT_LABELER_WEIGHTS, DEFAULT_TRAIN_OPTIONS, JUDGE_CNN_CONFIG, JUDGE_TRAIN_OPTIONS,
  LABELER_WORLDS, LABEL_THRESHOLD, type DecisionRule, type LabelerWorld, type TrainOptions,
};


export interface TrainingSet {
  images: Float32Array; // [N, S, S, 3] in [0, 1]
  targets: Float32Array; // [N, K] multi-hot
  count: number;
  /** Style of each image, when known (evaluations then break down by style). */
  styles?: Style[];
}

/** Renders model-world scenes `start`.. of the stream `name` at size × size (the frame only), with multi-hot targets and styles. */
export async function renderModelWorldSet(options: { name: string; count: number; size: number; categories: readonly string[]; start?: number }): Promise<TrainingSet> {
  const { name, count, size, categories } = options;
  const index = new Map(categories.map((c, i) => [c, i]));
  const images = new Float32Array(count * size * size * 3);
  const targets = new Float32Array(count * categories.length);
  const styles: Style[] = [];
  const CONCURRENT = 8;
  for (let start = 0; start < count; start += CONCURRENT) {
    const scenes = modelWorldScenes(name, Math.min(CONCURRENT, count - start), (options.start ?? 0) + start);
    const raws = await Promise.all(scenes.map((s) => renderRaw(s, { width: size, height: size, frame: true })));
    raws.forEach((raw, j) => {
      const n = start + j;
      for (let p = 0; p < size * size; p++) for (let ch = 0; ch < 3; ch++) images[(n * size * size + p) * 3 + ch] = raw.data[p * raw.channels + ch]! / 255;
      for (const o of scenes[j]!.objects) {
        const k = index.get(o.category);
        if (k === undefined) throw new Error(`model-world scene ${scenes[j]!.id} holds ${o.category}, which the labeler's categories lack`);
        targets[n * categories.length + k] = 1;
      }
      styles.push(scenes[j]!.style);
    });
  }
  return { images, targets, count, styles };
}

/** The held-out or training set of a world: model-world streams are named "judge-<split>-<seed>[-<epoch>]", the crawl's "labeler-<split>-<seed>[-<epoch>]". */
function worldSet(world: LabelerWorld, split: "train" | "eval", seed: number, epoch: number | null, count: number, config: CnnConfig): Promise<TrainingSet> {
  const suffix = epoch === null ? `${seed}` : `${seed}-${epoch}`;
  return world === "model"
    ? renderModelWorldSet({ name: `judge-${split}-${suffix}`, count, size: config.size, categories: config.categories })
    : renderTrainingSet({ seed: `labeler-${split}-${suffix}`, count, size: config.size, categories: config.categories });
}

/** The held-out scenes `ccw labeler eval` and training score a labeler on: never the training streams' names. */
export function heldoutSet(world: LabelerWorld, seed: number, count: number, config: CnnConfig): Promise<TrainingSet> {
  return worldSet(world, "eval", seed, null, count, config);
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


/** Which dVAE a judge was trained through: its folder and the SHA-256 of its weights.bin. */
export interface DvaeFingerprint {
  dir: string;
  weightsSha256: string;
}

/** The network a world's labeler uses. */
export function configFor(world: LabelerWorld): CnnConfig {
  return world === "model" ? JUDGE_CNN_CONFIG : DEFAULT_CNN_CONFIG;
}

/** Loads a dVAE folder for the labeler's pixel path; the folder is recorded relative to the working directory when inside it. */
export async function openDvae(dir: string, size: number): Promise<{ dvae: Dvae; fingerprint: DvaeFingerprint }> {
  const { bin } = checkDvaeFolder(dir);
  const dvae = await loadDvae(dir);
  const { inputSize, inputChannels } = dvae.config;
  if (inputSize !== size || inputChannels !== 3) {
    dvae.dispose();
    throw new Error(`the dVAE in ${dir} takes ${inputSize} × ${inputSize} × ${inputChannels} images; the labeler needs ${size} × ${size} × 3`);
  }
  const rel = relative(process.cwd(), resolve(dir));
  const recorded = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : resolve(dir);
  return { dvae, fingerprint: { dir: recorded, weightsSha256: createHash("sha256").update(readFileSync(bin)).digest("hex") } };
}

/**
 * The set with its images passed through the dVAE (encode → decode, in batches), targets unchanged.
 * Scene i stays as rendered when a golden-ratio sequence (shifted by `seed`) puts it in the first
 * `originalShare` of [0, 1): about that share, spread evenly;
 * `reconstructed[i]` says which ones were replaced.
 */
export async function throughDvae(
  set: TrainingSet,
  dvae: Dvae,
  options: { size: number; originalShare?: number; seed?: number; batchSize?: number; onProgress?: (done: number, total: number) => void } ,
): Promise<TrainingSet & { reconstructed: Uint8Array }> {
  const { size } = options;
  const share = options.originalShare ?? 0;
  if (!(share >= 0 && share <= 1)) throw new Error(`originalShare must be between 0 and 1, got ${share}`);
  const pixels = size * size * 3;
  const offset = ((options.seed ?? 0) * 0.754877666) % 1;
  const reconstructed = new Uint8Array(set.count);
  // A golden-ratio sequence spreads the kept originals evenly, so every batch mixes both kinds.
  for (let i = 0; i < set.count; i++) reconstructed[i] = ((i * 0.618033988749895 + offset) % 1) < share ? 0 : 1;
  const ids = [...reconstructed.keys()].filter((i) => reconstructed[i]);
  const images = set.images.slice();
  const batch = options.batchSize ?? 16;
  for (let start = 0; start < ids.length; start += batch) {
    const chunk = ids.slice(start, start + batch);
    const xb = new Float32Array(chunk.length * pixels);
    chunk.forEach((id, j) => xb.set(set.images.subarray(id * pixels, (id + 1) * pixels), j * pixels));
    const x = tf.tensor4d(xb, [chunk.length, size, size, 3]);
    const y = dvae.reconstruct(x); // [b, S, S, 3] in [0, 1]
    const out = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    chunk.forEach((id, j) => images.set(out.subarray(j * pixels, (j + 1) * pixels), id * pixels));
    options.onProgress?.(Math.min(ids.length, start + batch), ids.length);
  }
  return { images, targets: set.targets, count: set.count, reconstructed, ...(set.styles ? { styles: set.styles } : {}) };
}


export interface CategoryScores {
  /** Images showing the category. */
  support: number;
  /** Images the rule labels with it. */
  predicted: number;
  precision: number;
  recall: number;
}

export interface LabelerEvaluation {
  images: number;
  rule?: DecisionRule;
  /** Micro-averaged precision and recall of the returned categories over objects' categories (threshold 0.5). */
  precision: number;
  recall: number;
  /** Macro averages: each category's precision (over categories the rule returned at least once) and recall (over categories present), averaged. */
  macroPrecision: number;
  macroRecall: number;
  /** The same scores over each style's images alone, when the set knows its styles. */
  perStyle?: Partial<Record<Style, Omit<LabelerEvaluation, "perStyle" | "perCategory" | "rule">>>;
  /** Share of images whose top label is one of their categories. */
  top1: number;
  /** Share of images whose returned set equals their set of categories. */
  exact?: number;
  perCategory?: Record<string, CategoryScores>;
}

/** Evaluates a model on a rendered set with a decision rule (default: the Labeler's own). */
export async function evaluateCnn(model: Cnn, set: TrainingSet, threshold = LABEL_THRESHOLD, rule: DecisionRule = "labeler"): Promise<LabelerEvaluation> {
  return (await evaluateCnnRules(model, set, threshold, [rule]))[rule]!;
}

/** Evaluates a model under several decision rules with one forward pass per batch (and per style, when the set knows its styles). */
export async function evaluateCnnRules(model: Cnn, set: TrainingSet, threshold: number, rules: readonly DecisionRule[]): Promise<Partial<Record<DecisionRule, LabelerEvaluation>>> {
  const { size, categories } = model.config;
  const K = categories.length;
  const groups = ["all", ...(set.styles ? STYLES : [])] as const;
  const newTally = () => ({ tp: new Float64Array(K), fp: new Float64Array(K), fn: new Float64Array(K), exact: 0, top1: 0, images: 0 });
  const tally = rules.map(() => new Map(groups.map((g) => [g, newTally()])));
  for (let start = 0; start < set.count; start += 64) {
    const n = Math.min(64, set.count - start);
    const x = tf.tensor4d(set.images.subarray(start * size * size * 3, (start + n) * size * size * 3), [n, size, size, 3]);
    const probs = await cnnPredict(model, x);
    x.dispose();
    probs.forEach((p, j) => {
      const truth = set.targets.subarray((start + j) * K, (start + j + 1) * K);
      const style = set.styles?.[start + j];
      rules.forEach((rule, r) => {
        const chosen = rule === "labeler" ? chosenIndices(p, threshold) : p.flatMap((q, k) => (q >= threshold ? [k] : []));
        const picked = new Set(chosen);
        for (const t of [tally[r]!.get("all")!, ...(style ? [tally[r]!.get(style)!] : [])]) {
          let same = true;
          for (let k = 0; k < K; k++) {
            if (picked.has(k) && truth[k]) t.tp[k]!++;
            else if (picked.has(k)) (t.fp[k]!++, (same = false));
            else if (truth[k]) (t.fn[k]!++, (same = false));
          }
          if (same) t.exact++;
          if (truth[argMax(p)]) t.top1++;
          t.images++;
        }
      });
    });
  }
  const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const scores = (t: ReturnType<typeof newTally>) => {
    const perCategory: Record<string, CategoryScores> = {};
    categories.forEach((c, k) => {
      const support = t.tp[k]! + t.fn[k]!, predicted = t.tp[k]! + t.fp[k]!;
      perCategory[c] = { support, predicted, precision: t.tp[k]! / Math.max(1, predicted), recall: t.tp[k]! / Math.max(1, support) };
    });
    const rows = Object.values(perCategory);
    const tp = sum(t.tp), fp = sum(t.fp), fn = sum(t.fn);
    return {
      images: t.images,
      precision: tp / Math.max(1, tp + fp),
      recall: tp / Math.max(1, tp + fn),
      macroPrecision: mean(rows.filter((c) => c.predicted > 0).map((c) => c.precision)),
      macroRecall: mean(rows.filter((c) => c.support > 0).map((c) => c.recall)),
      top1: t.top1 / Math.max(1, t.images),
      exact: t.exact / Math.max(1, t.images),
      perCategory,
    };
  };
  const out: Partial<Record<DecisionRule, LabelerEvaluation>> = {};
  rules.forEach((rule, r) => {
    const all = scores(tally[r]!.get("all")!);
    const evaluation: LabelerEvaluation = { ...all, rule };
    if (set.styles) {
      const perStyle: NonNullable<LabelerEvaluation["perStyle"]> = {};
      for (const style of STYLES) {
        const { perCategory: _categories, ...rest } = scores(tally[r]!.get(style)!);
        perStyle[style] = rest;
      }
      evaluation.perStyle = perStyle;
    }
    out[rule] = evaluation;
  });
  return out;
}

function argMax(xs: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < xs.length; k++) if (xs[k]! > xs[best]!) best = k;
  return best;
}

export interface TrainResult {
  model: Cnn;
  /** Held-out scenes as rendered, Labeler rule. */
  evaluation: LabelerEvaluation;
  /** The same scenes under the judge's rule (p ≥ 0.5 alone), per style for the model world. */
  judge: LabelerEvaluation;
  /** With `throughDvae`: the same held-out scenes passed through the dVAE, under both decision rules. */
  reconstructions?: Partial<Record<DecisionRule, LabelerEvaluation>>;
  dvae?: DvaeFingerprint;
  options: TrainOptions;
}

/** Trains the labeler on rendered synthetic scenes (WASM backend), through a dVAE if asked; returns the model and its held-out evaluation. */
export async function trainSynthLabeler(options: Partial<TrainOptions> = {}): Promise<TrainResult> {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  if (!(o.originalShare >= 0 && o.originalShare <= 1)) throw new Error(`originalShare must be between 0 and 1, got ${o.originalShare}`);
  await useBackend("wasm");
  // Opened first so a bad folder fails before any rendering.
  const opened = o.throughDvae === undefined ? null : await openDvae(o.throughDvae, configFor(o.world).size);
  try {
    return await trainWith(o, opened);
  } finally {
    opened?.dvae.dispose();
  }
}

async function trainWith(o: TrainOptions, opened: { dvae: Dvae; fingerprint: DvaeFingerprint } | null): Promise<TrainResult> {
  const config = configFor(o.world);
  const { size, categories } = config;
  const say = o.onProgress ?? (() => {});
  const held = await heldoutSet(o.world, o.seed, o.evalImages, config);
  say(`rendered ${held.count} held-out scenes`);
  const model = createCnn(config, o.seed);
  const optimizer = tf.train.adam(o.learningRate);
  const order = Array.from({ length: o.trainImages }, (_, i) => i);
  let state = o.seed * 2654435761 >>> 0;
  const random = () => ((state = (Math.imul(state ^ (state >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const pixels = size * size * 3;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    // Fresh scenes every epoch: rendering is cheap, and a small set is memorised within a few epochs.
    const rendered = await worldSet(o.world, "train", o.seed, epoch, o.trainImages, config);
    const train = opened
      ? await throughDvae(rendered, opened.dvae, { size, originalShare: o.originalShare, seed: epoch, onProgress: (d, t) => d === t && say(`epoch ${epoch + 1}/${o.epochs}: ${t} of ${o.trainImages} scenes passed through the dVAE`) })
      : rendered;
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
  const byRule = await evaluateCnnRules(model, held, LABEL_THRESHOLD, DECISION_RULES);
  const evaluation = byRule.labeler!, judge = byRule.judge!;
  if (!opened) return { model, evaluation, judge, options: o };
  const recon = await throughDvae(held, opened.dvae, { size });
  const reconstructions = await evaluateCnnRules(model, recon, LABEL_THRESHOLD, DECISION_RULES);
  return { model, evaluation, judge, reconstructions, dvae: opened.fingerprint, options: o };
}

/** Writes a trained model as safetensors, with its config and evaluation in the metadata. */
export async function saveLabelerWeights(path: string | URL, model: Cnn, info: Record<string, unknown>): Promise<number> {
  const bytes = writeSafetensors(await cnnWeights(model), { config: JSON.stringify(model.config), info: JSON.stringify(info) });
  await writeFile(path, bytes);
  return bytes.byteLength;
}


function chosenIndices(probs: readonly number[], threshold: number): number[] {
  const ranked = probs.map((p, k) => [p, k] as const).sort((a, b) => b[0] - a[0]);
  return ranked.filter(([p], i) => i === 0 || p >= threshold).map(([, k]) => k);
}

/** Reads the weights file and its metadata; throws naming the path when it is missing or malformed. */
export function readLabelerWeights(path: string | URL = DEFAULT_LABELER_WEIGHTS): { config: CnnConfig; tensors: ReturnType<typeof readSafetensors>["tensors"]; info: Record<string, unknown> } {
  if (!existsSync(path)) throw new Error(`labeler weights not found at ${String(path)}; train them with \`npm run train:labeler\``);
  let file: ReturnType<typeof readSafetensors>;
  try {
    file = readSafetensors(readFileSync(path));
  } catch (error) {
    throw new Error(`${String(path)}: ${(error as Error).message}`, { cause: error });
  }
  const { config, info } = cnnMetadata(file.metadata, String(path));
  return { config, tensors: file.tensors, info };
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

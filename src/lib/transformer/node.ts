// Node-only side of the transformer: a training run over a text–image pairs set (checkpoints, resume, log),
// and loading the committed weights with their BPE vocabulary.
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { bpeEncode, bpeFromJson, bpeToJson, trainBpe, type Bpe } from "../bpe/index.js";
import { readPairs, type Pair } from "../pairs/node.js";
import { Rng } from "../synth/index.js";
import { DEFAULT_DVAE_DIR, smallConfig, type Direction, type TransformerConfig } from "./config.js";
import { createTransformer, padText, type Transformer } from "./model.js";
import { DEFAULT_TRAIN, evaluateLoss, TransformerTrainer, type TransformerStepMetrics, type TransformerTrainConfig } from "./train.js";
import { transformerFromSafetensors, transformerToSafetensors } from "./weights.js";
import type { CompositionGroup, ZeroShotPrompt } from "./zero-shot.js";
import { writeAtomic } from "../files/index.js";
import { runningWasmThreads } from "../tfjs/node.js";
import { GradientReplicas } from "./replicas.js";

/** The committed text-to-image model (trained by `npm run train:transformer`). */
export const DEFAULT_TRANSFORMER_DIR = new URL("../../../models/transformer-small/", import.meta.url);

export { DEFAULT_DVAE_DIR };

/**
 * The dVAE whose tokens a transformer folder's model writes: its own `dvae/` subfolder when it keeps one (a
 * transformer trained on an earlier dVAE's tokens decodes only with that dVAE), else the workbench's dVAE.
 */
export function transformerDvaeDir(transformerDir: string): string {
  const own = join(transformerDir, "dvae");
  return existsSync(join(own, "model.json")) ? own : DEFAULT_DVAE_DIR;
}

export interface TransformerRunOptions {
  pairs: string; // folder written by `ccw pairs build`
  out: string; // output folder: weights.safetensors, train-log.jsonl, checkpoint/
  direction: Direction; // text-to-image (DALL-E) or image-to-text (a captioner)
  train: TransformerTrainConfig; // optimizer and schedule
  model: Partial<Omit<TransformerConfig, "textVocab" | "imageVocab" | "grid" | "direction">>; // sizes; vocabularies come from the data
  bpeVocab: number; // BPE vocabulary size trained on the training captions (ignored when `bpe` is given)
  bpe?: Bpe; // reuse a tokenizer (the two captioners share one)
  checkpointEvery: number; // updates between checkpoints
  logEvery: number; // updates between log lines with validation losses
  resume: boolean; // continue from <out>/checkpoint when present
  replicas?: number; // data-parallel shards per batch (this thread + worker threads on the same backend); default 1
  onStep?: (m: TransformerStepMetrics, secondsPerStep: number) => void;
  onLog?: (line: string) => void;
}

export interface TransformerRunSummary {
  steps: number;
  seconds: number;
  trainPairs: number;
  valPairs: number;
  truncatedCaptions: number; // captions longer than the text slots (cut, counted)
  unknownTokens: number; // BPE <unk> ids in the training captions
  final: TransformerStepMetrics;
  val: { loss: number; text: number; image: number };
  config: TransformerConfig;
}

/** Caption → text slot ids: BPE ids, truncated to the slots, padded per slot. */
export function captionSlots(config: TransformerConfig, bpe: Bpe, caption: string): { slots: Int32Array; truncated: boolean; unknown: number } {
  const ids = bpeEncode(bpe, caption);
  return { slots: padText(config, ids), truncated: ids.length > config.textLength, unknown: ids.filter((id) => id === 0).length };
}

interface Encoded {
  text: Int32Array; // [n·T]
  image: Int32Array; // [n·N]
  count: number;
}

function encodePairs(config: TransformerConfig, bpe: Bpe, pairs: readonly Pair[]): Encoded & { truncated: number; unknown: number } {
  const T = config.textLength;
  const N = config.grid * config.grid;
  const text = new Int32Array(pairs.length * T);
  const image = new Int32Array(pairs.length * N);
  let truncated = 0;
  let unknown = 0;
  pairs.forEach((pair, i) => {
    const s = captionSlots(config, bpe, pair.caption);
    text.set(s.slots, i * T);
    image.set(pair.tokens, i * N);
    if (s.truncated) truncated++;
    unknown += s.unknown;
  });
  return { text, image, count: pairs.length, truncated, unknown };
}

function batchOf(config: TransformerConfig, data: Encoded, rows: readonly number[]): { text: tf.Tensor2D; image: tf.Tensor2D } {
  const T = config.textLength;
  const N = config.grid * config.grid;
  const text = new Int32Array(rows.length * T);
  const image = new Int32Array(rows.length * N);
  rows.forEach((r, i) => {
    text.set(data.text.subarray(r * T, (r + 1) * T), i * T);
    image.set(data.image.subarray(r * N, (r + 1) * N), i * N);
  });
  return { text: tf.tensor2d(text, [rows.length, T], "int32"), image: tf.tensor2d(image, [rows.length, N], "int32") };
}

function* batches(config: TransformerConfig, data: Encoded, size: number): Generator<{ text: tf.Tensor2D; image: tf.Tensor2D }> {
  for (let start = 0; start < data.count; start += size) {
    const b = batchOf(config, data, Array.from({ length: Math.min(size, data.count - start) }, (_, i) => start + i));
    yield b;
    tf.dispose([b.text, b.image]);
  }
}

/** Trains a transformer on a pairs set (train split; val split for validation losses), resumably. */
export async function trainTransformerRun(o: TransformerRunOptions): Promise<TransformerRunSummary> {
  const set = await readPairs(o.pairs);
  const trainPairs = set.pairs.filter((p) => p.split === "train");
  const valPairs = set.pairs.filter((p) => p.split === "val");
  if (trainPairs.length === 0) throw new Error(`${o.pairs} has no training pairs (split "train"); rebuild it with \`ccw pairs build\``);
  await mkdir(o.out, { recursive: true });
  const checkpointDir = join(o.out, "checkpoint");
  const logPath = join(o.out, "train-log.jsonl");
  const resuming = o.resume && existsSync(join(checkpointDir, "model.safetensors"));

  let model: Transformer;
  let bpe: Bpe;
  if (resuming) {
    const saved = transformerFromSafetensors(await readFile(join(checkpointDir, "model.safetensors")));
    model = saved.model;
    bpe = bpeFromJson(saved.metadata.bpe);
  } else {
    bpe = o.bpe ?? trainBpe(trainPairs.map((p) => p.caption), { vocabSize: o.bpeVocab });
    const config = smallConfig({ ...o.model, direction: o.direction, textVocab: bpe.vocab.length, imageVocab: set.info.vocab, grid: set.info.grid });
    model = createTransformer(config, { seed: o.train.seed });
    await rm(logPath, { force: true });
  }
  const config = model.config;
  const train = encodePairs(config, bpe, trainPairs);
  const val = encodePairs(config, bpe, valPairs);
  const trainer = new TransformerTrainer(model, o.train);
  if (resuming) {
    trainer.optimizer.restoreFrom(await readFile(join(checkpointDir, "optimizer.safetensors")));
    o.onLog?.(`resumed at step ${trainer.step}`);
  }

  const replicas = await startReplicas(model, o.replicas ?? 1, o.train.batchSize);
  if (replicas) o.onLog?.(`${replicas.count} data-parallel replicas (this thread and ${replicas.count - 1} worker thread${replicas.count > 2 ? "s" : ""}), ${tf.getBackend()} backend`);
  const meta = (extra: Record<string, unknown>) => ({ bpe: bpeToJson(bpe), pairs: { dir: o.pairs, source: set.info.source, seed: set.info.seed, heldoutCompositions: set.info.heldoutCompositions }, train: o.train, ...extra });
  const started = Date.now();
  const startStep = trainer.step;
  const { batchSize, steps, seed } = o.train;
  const order = (epoch: number) => new Rng(`transformer-order-${seed}-${epoch}`).shuffle(Array.from({ length: train.count }, (_, i) => i));
  const perEpoch = Math.floor(train.count / batchSize) || 1;
  let last: TransformerStepMetrics | undefined;
  try {
    while (trainer.step < steps) {
      const epoch = Math.floor(trainer.step / perEpoch);
      const within = trainer.step % perEpoch;
      const perm = order(epoch);
      const rows = Array.from({ length: batchSize }, (_, i) => perm[(within * batchSize + i) % train.count]!);
      const b = batchOf(config, train, rows);
      try {
        last = replicas ? trainer.apply(await replicas.gradients(model, b.text, b.image)) : trainer.update(b.text, b.image);
      } finally {
        tf.dispose([b.text, b.image]);
      }
      const perStep = (Date.now() - started) / 1000 / (trainer.step - startStep);
      o.onStep?.(last, perStep);
      if (trainer.step % o.logEvery === 0 || trainer.step === steps) {
        const v = val.count > 0 ? evaluateLoss(model, batches(config, val, 64)) : null;
        await appendFile(logPath, `${JSON.stringify({ ...last, seconds: Math.round((Date.now() - started) / 1000), valLoss: v?.loss ?? null, valText: v?.text ?? null, valImage: v?.image ?? null })}\n`);
      }
      if (trainer.step % o.checkpointEvery === 0 && trainer.step < steps) {
        await mkdir(checkpointDir, { recursive: true });
        await writeAtomic(join(checkpointDir, "model.safetensors"), await transformerToSafetensors(model, meta({ step: trainer.step })));
        await writeAtomic(join(checkpointDir, "optimizer.safetensors"), trainer.optimizer.serialize());
      }
    }
  } finally {
    await replicas?.dispose();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const valFinal = val.count > 0 ? evaluateLoss(model, batches(config, val, 64)) : { loss: NaN, text: NaN, image: NaN };
  const summary: TransformerRunSummary = {
    steps,
    seconds,
    trainPairs: train.count,
    valPairs: val.count,
    truncatedCaptions: train.truncated,
    unknownTokens: train.unknown,
    final: last ?? { step: trainer.step, loss: NaN, text: NaN, image: NaN, lr: 0 },
    val: valFinal,
    config,
  };
  await writeAtomic(join(o.out, "weights.safetensors"), await transformerToSafetensors(model, meta({ summary }), o.train.emaDecay > 0 ? trainer.optimizer.averagedWeights() : undefined));
  await rm(checkpointDir, { recursive: true, force: true });
  trainer.dispose();
  model.dispose();
  return summary;
}

/**
 * Worker replicas for `replicas` shards per batch, on this thread's backend (WASM on as many threads as here, or
 * CPU); null for 1. At most one shard per row of the batch.
 */
async function startReplicas(model: Transformer, replicas: number, batch: number): Promise<GradientReplicas | null> {
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`data-parallel replicas must be a positive integer, got ${replicas}`);
  const count = Math.min(replicas, batch);
  if (count === 1) return null;
  const backend = tf.getBackend();
  if (backend !== "wasm" && backend !== "cpu") throw new Error(`data-parallel replicas run on the wasm or cpu backend, not ${backend}`);
  return GradientReplicas.start(model, { replicas: count, backend, threads: backend === "wasm" ? (runningWasmThreads() ?? 1) : 1 });
}

/** Loads a trained transformer folder (weights.safetensors): the model, its BPE, and the rest of its metadata. */
export async function loadTransformer(dir: string | URL = DEFAULT_TRANSFORMER_DIR): Promise<{ model: Transformer; bpe: Bpe; metadata: Record<string, unknown> }> {
  const path = join(dir instanceof URL ? dir.pathname : dir, "weights.safetensors");
  if (!existsSync(path)) throw new Error(`transformer weights not found at ${path}; train them with \`npm run train:transformer\``);
  const bytes = await readFile(path);
  const { model, metadata } = (() => {
    try {
      return transformerFromSafetensors(bytes);
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
  })();
  try {
    return { model, bpe: bpeFromJson(metadata.bpe), metadata };
  } catch (error) {
    model.dispose();
    throw new Error(`${path}: metadata "bpe": ${(error as Error).message}`, { cause: error });
  }
}

export { DEFAULT_TRAIN };
export { GradientReplicas, shardRows, type ReplicaOptions } from "./replicas.js";

/**
 * Prompts for the zero-shot test from a pairs set: "unseen" are held-out captions naming both categories of a
 * held-out pair; "seen" are validation captions naming two or more categories whose pairs all occur in training.
 * Distinct captions, a seeded choice of at most `perGroup` each.
 */
export function zeroShotPrompts(set: { info: { heldoutCompositions: [string, string][] }; pairs: readonly Pair[] }, options: { perGroup: number; seed: string }): ZeroShotPrompt[] {
  const heldout = set.info.heldoutCompositions;
  const namesHeldout = (m: readonly string[]) => heldout.some(([a, b]) => m.includes(a) && m.includes(b));
  const pick = (rows: Pair[], group: CompositionGroup): ZeroShotPrompt[] => {
    const seen = new Set<string>();
    const distinct = rows.filter((p) => !seen.has(p.caption) && seen.add(p.caption));
    return new Rng(`zero-shot-${options.seed}-${group}`)
      .shuffle(distinct)
      .slice(0, options.perGroup)
      .map((p) => ({ caption: p.caption, mentioned: p.mentioned, group, pixels: p.pixels, tokens: p.tokens }));
  };
  return [
    ...pick(set.pairs.filter((p) => p.split === "val" && p.mentioned.length >= 2 && !namesHeldout(p.mentioned)), "seen"),
    ...pick(set.pairs.filter((p) => p.split === "heldout" && namesHeldout(p.mentioned)), "unseen"),
  ];
}

// `ccw transformer train|eval|card` and `ccw generate`: their flags and help; the runs are in transformer-run.ts,
// loaded only when a command runs.
import { DEFAULT_JUDGE_WEIGHTS, LABEL_THRESHOLD } from "../lib/labeler/settings.js";
import { DEFAULT_RERANKER_DIR, RERANKER_WEIGHTS_FILE } from "../lib/rerank/settings.js";
import { DEFAULT_DVAE_DIR, DEFAULT_SAMPLING, DEFAULT_TRAIN, DIRECTIONS, smallConfig, TRANSFORMER_CONFIG_FIELDS as F } from "../lib/transformer/config.js";
import { lazyRun, repoPath, threadsFlag, type Command } from "./command.js";
import { bounds, defineFlags, helpText } from "./flags.js";
import { pairsDir } from "./pairs.js";

export const DEFAULT_TRANSFORMER_OUT = "models/transformer-small";
/** The library's small model (sizes, direction), whose values the size flags default to. */
const SMALL = smallConfig({ textVocab: 1 });
const SEED = { type: "int", min: 0, max: 2 ** 31 - 1 } as const;

/** The model's size; the captioners train the same. */
export const SIZE_FLAGS = defineFlags({
  layers: { type: "int", ...bounds(F.nLayers), default: SMALL.nLayers, doc: "transformer blocks (DALL-E's pattern row, column, row, row …, conv last)" },
  "d-model": { type: "int", ...bounds(F.dModel), default: SMALL.dModel, doc: "width" },
  heads: { type: "int", ...bounds(F.nHeads), default: SMALL.nHeads, doc: "attention heads" },
});

export const TRAIN_FLAGS = defineFlags({
  pairs: { type: "path", arg: "<dir>", default: pairsDir("conceptual"), doc: "pairs set" },
  out: { type: "path", arg: "<dir>", default: DEFAULT_TRANSFORMER_OUT, doc: "output folder" },
  direction: { type: "enum", arg: "<d>", values: DIRECTIONS, default: SMALL.direction, doc: "which way; image-to-text trains a captioner" },
  steps: { type: "int", min: 1, max: 10_000_000, default: DEFAULT_TRAIN.steps, doc: "updates" },
  batch: { type: "int", min: 1, max: 4096, default: DEFAULT_TRAIN.batchSize, doc: "sequences per update" },
  lr: { type: "number", min: 1e-7, max: 1, default: DEFAULT_TRAIN.lr, doc: "peak learning rate after warm-up; decays to lr/10" },
  warmup: { type: "int", min: 0, max: 10_000_000, default: DEFAULT_TRAIN.warmupSteps, defaultDoc: "at most the steps", doc: "warm-up updates" },
  ...SIZE_FLAGS,
  "text-length": { type: "int", ...bounds(F.textLength), default: SMALL.textLength, doc: "text slots; longer captions are cut and counted" },
  "bpe-vocab": { type: "int", min: 16, max: 65536, default: 1024, doc: "BPE vocabulary size" },
  bpe: { type: "path", arg: "<file.json>", doc: "use this tokenizer (a saved BPE, e.g. the captioners' shared one) instead of training one" },
  "ema-decay": { type: "number", min: 0, max: 0.999999, default: DEFAULT_TRAIN.emaDecay, doc: "decay of a saved weight average; 0 saves the last weights" },
  seed: { ...SEED, default: DEFAULT_TRAIN.seed, doc: "initialisation and data order" },
  "checkpoint-every": { type: "int", min: 1, max: 10_000_000, default: 250, doc: "updates between checkpoints" },
  "log-every": { type: "int", min: 1, max: 10_000_000, default: 50, doc: "updates between log lines with validation losses" },
  resume: { type: "boolean", doc: "continue from <out>/checkpoint if present" },
  replicas: {
    type: "int",
    min: 1,
    max: 64,
    defaultDoc: "the machine's cores, at most 4; 1 for an in-process caller",
    doc: "data-parallel replicas: each batch is cut into this many row shards, one per thread (this one and worker threads, each with its own backend), their gradients summed; what they gain over XNNPACK threads: the transformer-train-step rows of bench/RESULTS.md",
  },
  threads: threadsFlag(1, "WASM threads of each replica; the replicas already use the cores, and XNNPACK's threads speed up only the matrix products"),
});

const SAMPLING_FLAGS = defineFlags({
  temperature: { type: "number", min: 0, max: 100, default: DEFAULT_SAMPLING.temperature, defaultDoc: "the paper's", doc: "sampling temperature; 0 = greedy" },
  "top-k": { type: "int", min: 0, max: 1_000_000, default: DEFAULT_SAMPLING.topK, doc: "keep the k most likely tokens; 0 = off" },
  "top-p": { type: "number", min: 1e-6, max: 1, default: DEFAULT_SAMPLING.topP, doc: "keep the smallest set with this much probability (nucleus); 1 = off" },
});

/** The models a generator loads: the transformer, the dVAE that decodes its tokens, the reranker. */
const MODEL_FLAGS = defineFlags({
  weights: { type: "path", arg: "<dir>", default: DEFAULT_TRANSFORMER_OUT, doc: "transformer folder" },
  dvae: { type: "path", arg: "<dir>", defaultDoc: `the transformer folder's own dvae/ when it has one, else ${DEFAULT_DVAE_DIR}`, doc: "dVAE weights folder" },
  reranker: { type: "path", arg: "<file>", default: `${DEFAULT_RERANKER_DIR}/${RERANKER_WEIGHTS_FILE}`, doc: "reranker weights" },
});

export const EVAL_FLAGS = defineFlags({
  ...MODEL_FLAGS,
  reranker: { ...MODEL_FLAGS.reranker, defaultDoc: "skipped when absent" },
  pairs: { type: "path", arg: "<dir>", defaultDoc: `the one the model was trained on, else ${pairsDir("conceptual")}`, doc: "pairs set with the held-out compositions" },
  samples: { type: "int", min: 1, max: 1024, default: 8, doc: "images per prompt" },
  prompts: { type: "int", min: 1, max: 100_000, default: 40, doc: "prompts per group, seen and unseen" },
  ...SAMPLING_FLAGS,
  seed: { ...SEED, default: DEFAULT_SAMPLING.seed, doc: "sampling and prompt choice" },
  judge: { type: "path", arg: "<file>", defaultDoc: `${repoPath(DEFAULT_JUDGE_WEIGHTS)}, the model world's judge (\`npm run train:judge\`), else the grounding stage's labeler`, doc: "classifier weights that judge the images" },
  "judge-top": { type: "int", arg: "<k>", min: 0, max: 1000, default: 3, doc: `a category also counts as found when among the judge's k most probable; 0 = only p ≥ ${LABEL_THRESHOLD}` },
});

export const CARD_FLAGS = defineFlags({ weights: MODEL_FLAGS.weights });

export const GENERATE_FLAGS = defineFlags({
  out: { type: "path", arg: "<dir>", needs: "an output folder", doc: "output folder (required)" },
  n: { type: "int", min: 1, max: 256, default: 8, doc: "samples" },
  rerank: { type: "boolean", doc: "order by the reranker's image–text similarity (needs its weights)" },
  seed: { ...SEED, default: DEFAULT_SAMPLING.seed, doc: "sampler seed" },
  ...SAMPLING_FLAGS,
  ...MODEL_FLAGS,
});

const TRAIN_INTRO = `Usage: ccw transformer <train|eval|card> [options]

  ccw transformer train [options]
      Trains the transformer on a text–image pairs set (\`ccw pairs build\`): a BPE tokenizer on the
      training captions, then AdamW with warm-up and cosine decay, text loss 1/8 and image loss 7/8
      (text-to-image). Writes <out>/weights.safetensors (weights, config, BPE, summary) and
      <out>/train-log.jsonl; checkpoints to <out>/checkpoint/ (--resume continues from there).
  ccw transformer card [--weights <dir>]
      Writes <dir>/MODEL.md from the weights' metadata, train-log.jsonl and zero-shot.json (also done by train and eval).
  ccw transformer eval [options]
      The zero-shot composition test: for seen and held-out prompts of the pairs set, generates
      --samples images each, decodes them with the dVAE, and asks the synthetic-world classifier whether
      every object the prompt names is there (with and without reranking). Writes <weights>/zero-shot.json.`;

const GENERATE_INTRO = `Usage: ccw generate "<prompt>" --out <dir> [options]

  Samples --n token grids for the prompt with the text-to-image transformer (key/value cache), decodes
  them with the dVAE, optionally reranks them with the contrastive reranker, and writes
  <out>/sample-<rank>.png plus <out>/scores.json (prompt, BPE ids, per image: rank, sample, score, tokens).`;

export const transformerCommand: Command = {
  name: "transformer",
  summary: "train the small DALL-E transformer (or a captioner) on text–image pairs; run the zero-shot test",
  get usage() {
    return helpText(TRAIN_INTRO, [
      { title: "Train options:", flags: TRAIN_FLAGS },
      { title: "Eval options:", flags: EVAL_FLAGS },
    ]);
  },
  verbs: { train: TRAIN_FLAGS, eval: EVAL_FLAGS, card: CARD_FLAGS },
  run: lazyRun(async () => (await import("./transformer-run.js")).runTransformer),
};

export const generateCommand: Command = {
  name: "generate",
  summary: "text → images with the small DALL-E: sample, decode, rerank; writes PNGs and scores",
  get usage() {
    return helpText(GENERATE_INTRO, [{ title: "Options:", flags: GENERATE_FLAGS }]);
  },
  flags: GENERATE_FLAGS,
  allowPositionals: true,
  run: lazyRun(async () => (await import("./transformer-run.js")).runGenerate),
};

// `ccw rerank train|score`: its flags and help; the run is in rerank-run.ts, loaded only when it runs.
import { DEFAULT_RERANKER_CONFIG, DEFAULT_RERANKER_DIR, DEFAULT_RERANKER_TRAIN as d, RERANKER_WEIGHTS_FILE } from "../lib/rerank/settings.js";
import { BACKEND_FLAG, lazyRun, threadsFlag, type Command } from "./command.js";
import { DEFAULT_MODEL_DIR as DEFAULT_DVAE } from "./dvae.js";
import { defineFlags, helpText } from "./flags.js";
import { pairsDir } from "./pairs.js";

export const DATA_FLAGS = defineFlags({
  pairs: {
    type: "path",
    arg: "<dir>",
    default: pairsDir("conceptual"),
    doc: "a pairs dataset from `ccw pairs build`: train learns from its train split and logs its val split; score reports val and heldout (compositions never seen in training); the image size is the set's",
  },
  synthetic: { type: "int", min: 16, max: 1_000_000, doc: "instead, render n synthetic scenes captioned with their literal description (n for training, n/8 held out); for development before the pairs exist" },
  dvae: { type: "path", arg: "<dir>", default: DEFAULT_DVAE, doc: "dVAE whose decodes are shown and scored" },
  seed: { type: "int", min: 0, max: 2 ** 31 - 1, default: d.seed, doc: "the synthetic scenes; train: also initialisation, data order and views" },
});

const COMMON_FLAGS = defineFlags({
  backend: BACKEND_FLAG,
  threads: threadsFlag(1, "its small steps measured slower on 2 threads than on 1: the rerank-train-step rows of bench/RESULTS.md"),
});

const TRAIN_ONLY = defineFlags({
  "decoded-share": { type: "number", min: 0, max: 1, default: d.decodedShare, doc: "share of images shown as their dVAE decode; 0 skips the dVAE entirely" },
  out: { type: "path", arg: "<dir>", default: DEFAULT_RERANKER_DIR, doc: "output folder" },
  steps: { type: "int", min: 1, max: 10_000_000, default: d.steps, doc: "updates" },
  batch: { type: "int", min: 2, max: 1024, default: d.batchSize, doc: "pairs per update" },
  lr: { type: "number", min: 0, max: 1, default: d.learningRate, doc: "peak learning rate after warm-up, cosine-decayed to lr/20" },
  warmup: { type: "int", min: 0, max: 10_000_000, default: d.warmupSteps, doc: "warm-up updates" },
  "weight-decay": { type: "number", min: 0, max: 10, default: d.weightDecay, doc: "decoupled weight decay on matrices and kernels" },
  vocab: { type: "int", min: 3, max: 1_000_000, default: 512, doc: "BPE vocabulary size when training one" },
  bpe: { type: "path", arg: "<file.json>", doc: "use this BPE (bpeToJson format) instead of training one" },
  "text-length": { type: "int", min: 1, max: 1024, default: DEFAULT_RERANKER_CONFIG.textLength, doc: "caption tokens kept" },
  "embed-dim": { type: "int", min: 1, max: 4096, default: DEFAULT_RERANKER_CONFIG.embedDim, doc: "shared embedding width" },
  "log-every": { type: "int", min: 1, max: 10_000_000, default: 50, doc: "updates between train-log lines" },
  "eval-every": { type: "int", min: 1, max: 10_000_000, default: 250, doc: "updates between held-out retrieval scores in the log" },
  "eval-pairs": { type: "int", min: 2, max: 10_000_000, default: 512, defaultDoc: "the end scores all", doc: "held-out pairs scored during training" },
  "checkpoint-every": { type: "int", min: 1, max: 10_000_000, default: 250, doc: "updates between checkpoints" },
  resume: { type: "boolean", doc: "continue from <out>/checkpoint if present (same data and options)" },
});

const SCORE_ONLY = defineFlags({
  weights: { type: "path", arg: "<file>", default: `${DEFAULT_RERANKER_DIR}/${RERANKER_WEIGHTS_FILE}`, doc: "weights to score" },
  batch: { type: "int", min: 2, max: 1024, default: 32, doc: "retrieval batch size" },
  json: { type: "boolean", doc: "print the report as JSON" },
});

export const TRAIN_FLAGS = defineFlags({ ...DATA_FLAGS, ...TRAIN_ONLY, ...COMMON_FLAGS });
export const SCORE_FLAGS = defineFlags({ ...DATA_FLAGS, ...SCORE_ONLY, ...COMMON_FLAGS });
const VERB_FLAGS = { train: TRAIN_FLAGS, score: SCORE_FLAGS };
export const VERBS = Object.keys(VERB_FLAGS);

const INTRO = `Usage: ccw rerank <train|score> [options]

  ccw rerank train [options]
      Trains the reranker, a small CLIP-like image–text dual encoder (strided-conv image tower, transformer text
      tower, symmetric InfoNCE with a learned temperature), on the pairs' training split, each image shown either
      as itself or as its dVAE decode (what the transformer generates). Trains a BPE on the training captions
      unless --bpe is given. Writes <out>/${RERANKER_WEIGHTS_FILE} (BPE vocabulary in its metadata),
      <out>/train-log.jsonl and <out>/eval.json; checkpoints to <out>/checkpoint/. npm run train:reranker.
  ccw rerank score [options]
      Held-out retrieval accuracy of trained weights: within batches of ${SCORE_ONLY.batch.default} pairs, how often an image's most
      similar caption is its own (image → text) and the reverse, on the originals and on their dVAE decodes.`;

export const rerankCommand: Command = {
  name: "rerank",
  summary: "train and score the CLIP-like reranker that orders generated samples by image–text similarity",
  get usage() {
    return helpText(INTRO, [
      { title: "Data (both verbs):", flags: DATA_FLAGS },
      { title: "Train options:", flags: TRAIN_ONLY },
      { title: "Score options:", flags: SCORE_ONLY },
      { title: "Common:", flags: COMMON_FLAGS },
    ]);
  },
  verbs: VERB_FLAGS,
  run: lazyRun(async () => (await import("./rerank-run.js")).run),
};

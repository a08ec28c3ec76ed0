// `ccw labeler train|eval`: its flags and help; the run is in labeler-run.ts, loaded only when it runs.
import {
  DEFAULT_CNN_CONFIG, DEFAULT_JUDGE_WEIGHTS, DEFAULT_LABELER_WEIGHTS, DEFAULT_TRAIN_OPTIONS as d, JUDGE_CNN_CONFIG, JUDGE_TRAIN_OPTIONS as j, LABELER_WORLDS, LABEL_THRESHOLD,
  type TrainOptions,
} from "../lib/labeler/settings.js";
import { lazyRun, repoPath, threadsFlag, type Command } from "./command.js";
import { DEFAULT_MODEL_DIR as DEFAULT_DVAE } from "./dvae.js";
import { defineFlags, helpText } from "./flags.js";

/** A recipe default in words: the labeler's, and the judge's where it differs (the run picks by --world). */
function byWorld(key: keyof TrainOptions): string {
  return d[key] === j[key] ? String(d[key]) : `${d[key]}; --world model: ${j[key]}`;
}

const IMAGES = { type: "int", min: 16, max: 100_000 } as const;
const WORLD = {
  type: "enum",
  values: LABELER_WORLDS,
  doc: `crawl: the grounding stage's labeler over the crawl's photos (${DEFAULT_CNN_CONFIG.categories.length} categories); model: the judge over the model world`,
} as const;
const DVAE_NEEDS = `a dVAE folder (model.json + weights.bin), e.g. ${DEFAULT_DVAE}`;

const BOTH_FLAGS = defineFlags({
  "eval-images": { ...IMAGES, defaultDoc: byWorld("evalImages"), doc: "rendered held-out scenes" },
  seed: { type: "int", min: 0, max: 2 ** 31 - 1, default: d.seed, doc: "seed of the scenes, the shuffling and the initial weights" },
  threads: threadsFlag("cores", "its convolutions run on XNNPACK's thread pool"),
});

const TRAIN_ONLY = defineFlags({
  world: { ...WORLD, default: d.world },
  weights: { type: "path", defaultDoc: `${repoPath(DEFAULT_LABELER_WEIGHTS)}; --world model: ${repoPath(DEFAULT_JUDGE_WEIGHTS)}`, doc: "weights file to write" },
  out: { type: "path", doc: "the same as --weights" },
  "through-dvae": { type: "path", arg: "<dir>", needs: DVAE_NEEDS, doc: "pass training scenes through this dVAE folder (model.json + weights.bin, as `ccw dvae train` writes them)" },
  originals: { type: "number", arg: "<share>", min: 0, max: 1, defaultDoc: `${byWorld("originalShare")}, the judge scores real images too`, doc: "with --through-dvae: share of each epoch's scenes kept as rendered" },
  "train-images": { ...IMAGES, defaultDoc: byWorld("trainImages"), doc: "scenes rendered for each epoch (fresh every epoch)" },
  epochs: { type: "int", min: 1, max: 1000, defaultDoc: byWorld("epochs"), doc: "passes over the training scenes" },
  batch: { type: "int", min: 1, max: 1024, defaultDoc: byWorld("batchSize"), doc: "scenes per update" },
});

const EVAL_ONLY = defineFlags({
  world: { ...WORLD, defaultDoc: "the world the weights were trained on" },
  weights: { ...TRAIN_ONLY.weights, doc: "weights file to read" },
  "through-dvae": { type: "path", arg: "<dir>", needs: DVAE_NEEDS, defaultDoc: `the one the weights were trained through, else ${DEFAULT_DVAE}`, doc: "the dVAE for the reconstructions" },
  save: { type: "path", arg: "<file.json>", doc: "also write the JSON report to this file (e.g. <dVAE dir>/eval-judge.json, which the dVAE's model card shows)" },
});

export const TRAIN_FLAGS = defineFlags({ ...TRAIN_ONLY, ...BOTH_FLAGS });
export const EVAL_FLAGS = defineFlags({ ...EVAL_ONLY, ...BOTH_FLAGS });

const INTRO = `Usage: ccw labeler <train|eval> [options]

  ccw labeler train --world model
                         the judge of model-world images and of everything the models generate: the
                         same CNN (${JUDGE_CNN_CONFIG.categories.length} categories, channels ${JUDGE_CNN_CONFIG.channels.join("/")}) on the model world's 64 px scenes,
                         written to ${repoPath(DEFAULT_JUDGE_WEIGHTS)}. npm run train:judge.
  ccw labeler train      renders synthetic scenes (all styles) at ${DEFAULT_CNN_CONFIG.size} × ${DEFAULT_CNN_CONFIG.size}, trains the small
                         multi-label CNN on the TF.js WASM backend (cosine-decayed Adam, sigmoid
                         cross-entropy), evaluates it on held-out scenes, writes the weights
                         (safetensors, config and evaluation in its metadata). npm run train:labeler.
  ccw labeler train --through-dvae <dVAE dir>
                         the same scenes and recipe, but each scene passed through the dVAE
                         (encode → decode) bar --originals of them, so the classifier learns what
                         dVAE decodes look like; the weights record the dVAE (folder, SHA-256 of its
                         weights.bin)
  ccw labeler eval       evaluates weights on freshly rendered held-out scenes (a seed never used in
                         training), as rendered and as reconstructed by a dVAE: micro and macro
                         precision/recall (also per style for the model world), exact-set accuracy,
                         top-1 and per-category precision/recall, under the Labeler's rule
                         (p ≥ ${LABEL_THRESHOLD}, top one always) and the judge's (p ≥ ${LABEL_THRESHOLD} alone); JSON on stdout, a
                         table on stderr`;

export const labelerCommand: Command = {
  name: "labeler",
  summary: "train or evaluate the grounding stage's image labeler, or the model world's judge",
  get usage() {
    return helpText(INTRO, [
      { title: "Train options:", flags: TRAIN_ONLY },
      { title: "Eval options:", flags: EVAL_ONLY },
      { title: "Both:", flags: BOTH_FLAGS },
    ]);
  },
  verbs: { train: TRAIN_FLAGS, eval: EVAL_FLAGS },
  run: lazyRun(async () => (await import("./labeler-run.js")).run),
};

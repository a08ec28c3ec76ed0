// `ccw dvae train|encode|decode|eval|card|sheet|baseline`: its flags and help; the run is in dvae-run.ts, loaded
// only when the command runs.
import { DVAE_CONFIG_FIELDS, DVAE_CONFIGS, type DvaeConfig } from "../lib/dvae/config.js";
import { DVAE_TRAINING as PAPER } from "../lib/reference/index.js";
import { BACKEND_FLAG, lazyRun, threadsFlag, type Command } from "./command.js";
import { bounds, defineFlags, helpText, type IntFlag } from "./flags.js";

export const DEFAULT_MODEL_DIR = "models/dvae-small";

/** Real photographs for the out-of-domain check, when the shared datasets sit beside the repository. */
export const DEFAULT_EVAL_IMAGES = "../shared/datasets/coco-mini/train2017";

const SEED = { type: "int", min: 0, max: 2 ** 31 - 1, default: 0 } as const;
const UPDATES = { type: "int", min: 1, max: 10_000_000 } as const;

/** The config fields a flag overrides one by one, with the field's own valid range. */
export const CONFIG_FIELD_OF = {
  "group-count": "groupCount",
  "n-hid": "nHid",
  blocks: "nBlkPerGroup",
  vocab: "vocabSize",
  "n-init": "nInit",
  "input-size": "inputSize",
} as const satisfies Record<string, keyof DvaeConfig>;
const FIELD_DOCS: Record<keyof typeof CONFIG_FIELD_OF, string> = {
  "group-count": "groups of residual blocks; each but the last halves the resolution",
  "n-hid": "base width",
  blocks: "residual blocks per group",
  vocab: "codebook size",
  "n-init": "decoder stem width",
  "input-size": "side of the square input image in pixels",
};
const FIELD_FLAGS = Object.fromEntries(
  Object.entries(CONFIG_FIELD_OF).map(([flag, key]) => [flag, { type: "int", ...bounds(DVAE_CONFIG_FIELDS[key]), arg: flag === "input-size" ? "<px>" : "<n>", doc: `config ${key}: ${FIELD_DOCS[flag as keyof typeof CONFIG_FIELD_OF]}` } satisfies IntFlag]),
) as Record<keyof typeof CONFIG_FIELD_OF, IntFlag>;

const WEIGHTS_FLAGS = defineFlags({
  weights: { type: "path", default: DEFAULT_MODEL_DIR, doc: "a TF.js weights folder (model.json + weights.bin) or an official-layout .safetensors file" },
});

/** The architecture: a preset or JSON object, then single fields, so any size of the official architecture runs. */
export const CONFIG_FLAGS = defineFlags({
  config: { type: "string", arg: "<name|json>", defaultDoc: "small for train, the weights' own config otherwise", doc: `${Object.keys(DVAE_CONFIGS).join(" | ")} | a JSON object of fields` },
  ...FIELD_FLAGS,
});

const TRAIN_ONLY = defineFlags({
  out: { type: "path", arg: "<dir>", default: DEFAULT_MODEL_DIR, doc: "output folder" },
  steps: { ...UPDATES, default: 3000, doc: "updates" },
  batch: { type: "int", min: 1, max: 4096, default: 16, doc: "images per update" },
  "train-images": { type: "int", min: 1, max: 1_000_000, default: 4096, doc: "rendered training scenes, cycled" },
  "heldout-images": { type: "int", min: 1, max: 100_000, default: 256, doc: "rendered held-out scenes for evaluation" },
  lr: { type: "number", min: 1e-7, max: 1, default: 1e-3, doc: `starting learning rate, cosine-decayed to lr/80 like the paper's ${PAPER.learningRateStart.value.toExponential()} → ${PAPER.learningRateEnd.value.toExponential()}` },
  "kl-weight": { type: "number", min: 0, max: 100, default: 0.1, defaultDoc: `small runs collapse the codebook at ${PAPER.klWeightFinal.value}`, doc: `final KL weight beta (paper: ${PAPER.klWeightFinal.value})` },
  "tau-steps": {
    ...UPDATES,
    defaultDoc: "half the run, since 5% of a short run collapses the codebook",
    doc: `updates over which the Gumbel temperature anneals ${PAPER.temperatureStart.value} → 1/${1 / PAPER.temperatureEnd.value} (paper: ${PAPER.temperatureUpdates.value / 1000}k of 3M, i.e. 5%)`,
  },
  "kl-steps": { ...UPDATES, defaultDoc: "that fraction of the run", doc: `KL-weight warm-up updates (paper: ${PAPER.klWarmupUpdates.value / 1000}k of 3M)` },
  "noise-steps": { ...UPDATES, min: 0, default: 0, doc: "Gumbel noise ramps from 0 to full over these updates (paper: 0)" },
  "straight-through": { type: "boolean", doc: "decoder sees hard one-hot codes with soft gradients (paper: off)" },
  diversity: {
    type: "number",
    min: 0,
    max: 100,
    default: 0.1,
    doc: "weight of a codebook diversity penalty, log(vocab) − entropy of the encoder's mean code distribution over the batch (wav2vec 2.0's; not in DALL-E's recipe). Keeps codes alive in short runs (paper: 0)",
  },
  "ema-decay": {
    type: "number",
    min: 0,
    max: 0.999999,
    defaultDoc: `the smaller of ${PAPER.emaDecay.value} and 1 − 20/steps, so a short run's average is not dominated by its start`,
    doc: `decay of the weight average that is saved (paper: ${PAPER.emaDecay.value}); 0 saves the last weights`,
  },
  seed: { ...SEED, doc: "initialisation, data and Gumbel noise" },
  "checkpoint-every": { ...UPDATES, default: 250, doc: "updates between checkpoints" },
  "log-every": { ...UPDATES, default: 50, doc: "updates between log lines with codebook usage" },
  resume: { type: "boolean", doc: "continue from <out>/checkpoint if present" },
  "eval-images": { type: "path", arg: "<dir>", defaultDoc: `${DEFAULT_EVAL_IMAGES} when present`, doc: "real photos to evaluate after training, written to <out>/eval-coco.json" },
});

const CODEC_ONLY = defineFlags({
  out: { type: "path", arg: "<path>", doc: "encode: the token table to write, .arrow or .parquet; decode: the folder the PNG files go to (required)" },
});

const EVAL_ONLY = defineFlags({
  json: { type: "boolean", doc: "print the summary as JSON" },
  save: { type: "path", arg: "<file.json>", doc: "also write the summary to this file" },
});

const SHEET_ONLY = defineFlags({
  count: { type: "int", min: 1, max: 64, default: 16, doc: "held-out scenes shown" },
  out: { type: "path", arg: "<file.png>", defaultDoc: "<weights dir>/reconstructions.png, which the card shows", doc: "the sheet to write" },
});

const SMALL = DVAE_CONFIGS.small;
const BASELINE_ONLY = defineFlags({
  grid: { type: "int", min: 1, max: 1024, default: 16, defaultDoc: "at most the input size", doc: "token grid side, dividing the input size" },
  vocab: { ...FIELD_FLAGS.vocab, default: SMALL.vocabSize, doc: "k-means centroids (codes)" },
  "input-size": { type: "int", arg: "<px>", min: 8, max: 1024, default: SMALL.inputSize, doc: "side of the rendered scenes in pixels" },
  "train-images": { type: "int", min: 1, max: 100_000, default: 1500, doc: "rendered training scenes" },
  "heldout-images": { type: "int", min: 1, max: 100_000, default: 256, doc: "rendered held-out scenes" },
  seed: { ...SEED, doc: "the scenes' streams (the training run's) and k-means" },
  save: { type: "path", arg: "<file.json>", doc: "write the report here; <dir>/baseline-<grid>x<grid>-<vocab>.json puts it in the dVAE's card" },
});

const COMMON_FLAGS = defineFlags({
  backend: BACKEND_FLAG,
  threads: threadsFlag("cores", "its convolutions run on XNNPACK's thread pool, elementwise ops and the workbench's JS kernels on one thread; what 2 gain: the dvae-train-step-* rows of bench/RESULTS.md"),
});

export const TRAIN_FLAGS = defineFlags({ ...CONFIG_FLAGS, ...TRAIN_ONLY, ...COMMON_FLAGS });
export const ENCODE_FLAGS = defineFlags({ ...WEIGHTS_FLAGS, ...CONFIG_FLAGS, ...CODEC_ONLY, ...COMMON_FLAGS });
export const DECODE_FLAGS = defineFlags({ ...WEIGHTS_FLAGS, ...CONFIG_FLAGS, ...CODEC_ONLY, ...COMMON_FLAGS });
export const EVAL_FLAGS = defineFlags({ ...WEIGHTS_FLAGS, ...CONFIG_FLAGS, ...EVAL_ONLY, ...COMMON_FLAGS });
export const CARD_FLAGS = defineFlags({ ...WEIGHTS_FLAGS, ...COMMON_FLAGS });
export const SHEET_FLAGS = defineFlags({ ...WEIGHTS_FLAGS, ...CONFIG_FLAGS, ...SHEET_ONLY, ...COMMON_FLAGS });
export const BASELINE_FLAGS = defineFlags({ ...BASELINE_ONLY, ...COMMON_FLAGS });

const VERB_FLAGS = { train: TRAIN_FLAGS, encode: ENCODE_FLAGS, decode: DECODE_FLAGS, eval: EVAL_FLAGS, card: CARD_FLAGS, sheet: SHEET_FLAGS, baseline: BASELINE_FLAGS };
export const VERBS = Object.keys(VERB_FLAGS);

const INTRO = `Usage: ccw dvae <train|encode|decode|eval|card|sheet|baseline> [args] [options]

  ccw dvae train [options]
      Trains a dVAE on freshly rendered model-world scenes (all three styles, both worlds; 1-3 large objects)
      with the paper's recipe, schedule lengths scaled to the run. Writes <out>/model.json + weights.bin
      (TF.js format), <out>/train-log.jsonl, <out>/eval.json; checkpoints to <out>/checkpoint/.
  ccw dvae encode <images dir> --out <tokens.arrow|tokens.parquet> [options]
      Encodes every image of a folder (centre-cropped, resized to the input size) to a token grid.
  ccw dvae decode <tokens.arrow|tokens.parquet> --out <dir> [options]
      Decodes token grids (as written by encode) to PNG files.
  ccw dvae eval <images dir> [--json] [--save <file.json>]
      Reconstructs every image of a folder: mean PSNR (dB) and codebook usage (codes used, perplexity).
  ccw dvae card [--weights <dir>]
      Writes <dir>/MODEL.md from the folder's model.json, eval.json, eval-coco.json, eval-judge.json,
      history.json, reconstructions.png and train-log.jsonl.
  ccw dvae baseline --grid <n> --vocab <n> [--train-images <n>] [--heldout-images <n>] [--save <file.json>]
      A context-free reference: k-means with <vocab> centroids over the (64/grid)-pixel patches of
      rendered model-world scenes (the training run's streams), each held-out patch replaced by its
      nearest centroid. The held-out PSNR says what a grid×grid token grid over that vocabulary keeps
      without a decoder's context.
  ccw dvae sheet [--weights <dir>] [--count <n>] [--out <file.png>]
      Renders the first n held-out model-world scenes of the training run over their reconstructions
      as one PNG.`;

export const dvaeCommand: Command = {
  name: "dvae",
  summary: "train the small dVAE; encode image folders to tokens and decode them back",
  get usage() {
    return helpText(INTRO, [
      { title: "Model options (encode, decode, eval, sheet, card; config also train's architecture):", flags: { ...WEIGHTS_FLAGS, ...CONFIG_FLAGS } },
      { title: "Train options:", flags: TRAIN_ONLY },
      { title: "Encode and decode:", flags: CODEC_ONLY },
      { title: "Eval options:", flags: EVAL_ONLY },
      { title: "Sheet options:", flags: SHEET_ONLY },
      { title: "Baseline options:", flags: BASELINE_ONLY },
      { title: "Common:", flags: COMMON_FLAGS },
    ]);
  },
  verbs: VERB_FLAGS,
  run: lazyRun(async () => (await import("./dvae-run.js")).run),
};

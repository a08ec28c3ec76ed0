// `ccw captioners train|eval`: its flags and help; the run is in captioners-run.ts, loaded only when it runs.
import { lazyRun, type Command } from "./command.js";
import { defineFlags, helpText } from "./flags.js";
import { pairsDir } from "./pairs.js";
import { SIZE_FLAGS, TRAIN_FLAGS as T } from "./transformer.js";

export const MODELS = ["coco", "conceptual"] as const;

const COMMON_FLAGS = defineFlags({
  out: { type: "path", arg: "<dir>", default: "models", doc: "folder of the captioners and the files above" },
  conceptual: { type: "path", arg: "<dir>", default: pairsDir("conceptual"), doc: "conceptual pairs set; its val and held-out images are the test set" },
});

/** The transformer's training flags at the captioners' own budget, passed on to both `ccw transformer train` runs. */
const TRAIN_ONLY = defineFlags({
  coco: { type: "path", arg: "<dir>", default: pairsDir("coco"), doc: "COCO-style pairs set" },
  steps: { ...T.steps, default: 600 },
  batch: { ...T.batch, default: 16 },
  lr: { ...T.lr, doc: "peak learning rate" },
  warmup: { ...T.warmup, default: 60 },
  ...SIZE_FLAGS,
  "bpe-vocab": { ...T["bpe-vocab"], doc: "shared BPE vocabulary size" },
  seed: T.seed,
  sequential: { type: "boolean", doc: "train one after the other instead of at once" },
});

const EVAL_ONLY = defineFlags({
  limit: { type: "int", min: 1, max: 1_000_000, defaultDoc: "all", doc: "only the first n test images" },
  batch: { type: "int", min: 1, max: 4096, default: 64, doc: "images captioned at once" },
});

export const TRAIN_FLAGS = defineFlags({ ...COMMON_FLAGS, ...TRAIN_ONLY });
export const EVAL_FLAGS = defineFlags({ ...COMMON_FLAGS, ...EVAL_ONLY });

const INTRO = `Usage: ccw captioners <train|eval> [options]

  ccw captioners train [options]
      Trains one BPE on both pairs sets' training captions (<out>/captioners-bpe.json), then the two captioners
      (the transformer with --direction image-to-text) with that tokenizer and the same size and budget, in two
      processes at once: <out>/captioner-coco (COCO-style captions of the COCO-like world's photos) and
      <out>/captioner-conceptual (the filter pipeline's hypernymized captions, all styles). Each folder gets
      weights.safetensors (with its training time) and train-log.jsonl.
  ccw captioners eval [options]
      Captions the test images (the conceptual set's val and held-out images: all three styles, decorrelated)
      greedily with both captioners and scores them: BLEU-1..4, ROUGE-L, CIDEr-D against the scenes' five
      COCO-style captions, CHAIR-i/s and object recall against the ground-truth objects, the ground-truth judge
      (GOOD = names every object in the image and nothing absent), specificity; per model and style.
      Writes <out>/captioners-eval.json (the captioning page's data).`;

export const captionersCommand: Command = {
  name: "captioners",
  summary: "train the COCO-trained and Conceptual-trained captioners (shared BPE, same budget); evaluate them side by side",
  get usage() {
    return helpText(INTRO, [
      { title: "Options:", flags: COMMON_FLAGS },
      { title: "Train options (both captioners alike):", flags: TRAIN_ONLY },
      { title: "Eval options:", flags: EVAL_ONLY },
    ]);
  },
  verbs: { train: TRAIN_FLAGS, eval: EVAL_FLAGS },
  run: lazyRun(async () => (await import("./captioners-run.js")).run),
};

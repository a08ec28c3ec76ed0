// `ccw labeler train|eval`: its flags and help; the run is in labeler-run.ts, loaded only when it runs.
import { fileURLToPath } from "node:url";
import { DEFAULT_CNN_CONFIG, DEFAULT_JUDGE_WEIGHTS, DEFAULT_LABELER_WEIGHTS, DEFAULT_TRAIN_OPTIONS, JUDGE_CNN_CONFIG, JUDGE_TRAIN_OPTIONS, LABEL_THRESHOLD } from "../lib/labeler/settings.js";
import { lazyRun, threadsHelp, type Command } from "./command.js";

export const DEFAULT_PATH = fileURLToPath(DEFAULT_LABELER_WEIGHTS);
export const DEFAULT_JUDGE_PATH = fileURLToPath(DEFAULT_JUDGE_WEIGHTS);
export const DEFAULT_DVAE = "models/dvae-small";
const d = DEFAULT_TRAIN_OPTIONS;
const j = JUDGE_TRAIN_OPTIONS;

export const labelerCommand: Command = {
  name: "labeler",
  summary: "train or evaluate the grounding stage's image labeler, or the model world's judge",
  usage: `Usage: ccw labeler <train|eval> [options]

  ccw labeler train --world model
                         the judge of model-world images and of everything the models generate: the
                         same CNN (${JUDGE_CNN_CONFIG.categories.length} categories, channels ${JUDGE_CNN_CONFIG.channels.join("/")}) on the model world's 64 px scenes,
                         written to models/judge.safetensors. npm run train:judge.
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
                         table on stderr

Options:
  --world <crawl|model>  crawl: the grounding stage's labeler over the crawl's photos (51 categories);
                         model: the judge over the model world (default: crawl for train; eval: the
                         world the weights were trained on)
  --weights <path>       weights file to read (eval) or write (train) (default: models/synth-labeler.safetensors;
                         --world model: models/judge.safetensors)
  --out <path>           train: the same as --weights
  --through-dvae <dir>   train: pass training scenes through this dVAE folder (model.json + weights.bin,
                         as \`ccw dvae train\` writes them); eval: the dVAE for the reconstructions
                         (default: the one the weights were trained through, else ${DEFAULT_DVAE})
  --originals <share>    train --through-dvae: share of each epoch's scenes kept as rendered, 0 to 1
                         (default: ${d.originalShare}; --world model: ${j.originalShare}, the judge scores real images too)
  --train-images <n>     scenes rendered for each epoch (fresh every epoch), 16 to 100000 (default: ${d.trainImages})
  --eval-images <n>      rendered held-out scenes, 16 to 100000 (default: ${d.evalImages}; --world model: ${j.evalImages})
  --epochs <n>           passes over the training scenes, 1 to 1000 (default: ${d.epochs}; --world model: ${j.epochs})
  --batch <n>            scenes per update, 1 to 1024 (default: ${d.batchSize})
  --seed <n>             seed of the scenes, the shuffling and the initial weights (default: ${d.seed})
  --save <file.json>     eval: also write the JSON report to this file (e.g. <dVAE dir>/eval-judge.json, which
                         the dVAE's model card shows)
${threadsHelp("cores", "its convolutions run on XNNPACK's thread pool")}
  -h, --help             show this help`,
  options: {
    threads: { type: "string" },
    world: { type: "string" },
    weights: { type: "string" },
    out: { type: "string" },
    "through-dvae": { type: "string" },
    originals: { type: "string" },
    "train-images": { type: "string" },
    "eval-images": { type: "string" },
    epochs: { type: "string" },
    batch: { type: "string" },
    seed: { type: "string" },
    save: { type: "string" },
  },
  allowPositionals: true,
  run: lazyRun(async () => (await import("./labeler-run.js")).run),
};

// `ccw labeler train|eval`: the grounding stage's synthetic-world classifier (labeler b).
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import {
  DEFAULT_CNN_CONFIG, DEFAULT_LABELER_WEIGHTS, DEFAULT_TRAIN_OPTIONS, evaluateCnn, readLabelerWeights, renderTrainingSet, saveLabelerWeights, trainSynthLabeler,
} from "../lib/labeler/node.js";
import { cnnFromWeights, disposeCnn } from "../lib/labeler/cnn.js";
import { useBackend } from "../lib/tfjs/index.js";
import { intOption, UsageError, type Command } from "./command.js";

const DEFAULT_PATH = fileURLToPath(DEFAULT_LABELER_WEIGHTS);
const d = DEFAULT_TRAIN_OPTIONS;

export const labelerCommand: Command = {
  name: "labeler",
  summary: "train or evaluate the grounding stage's synthetic-world image labeler",
  usage: `Usage: ccw labeler <train|eval> [options]

  ccw labeler train      renders synthetic scenes (all styles) at ${DEFAULT_CNN_CONFIG.size} × ${DEFAULT_CNN_CONFIG.size}, trains the small
                         multi-label CNN on the TF.js WASM backend (cosine-decayed Adam, sigmoid
                         cross-entropy), evaluates it on held-out scenes, writes the weights
                         (safetensors, config and evaluation in its metadata). npm run train:labeler.
  ccw labeler eval       evaluates existing weights on freshly rendered held-out scenes

Options:
  --weights <path>       weights file to write (train) or read (eval) (default: models/synth-labeler.safetensors)
  --train-images <n>     scenes rendered for each epoch (fresh every epoch), 16 to 100000 (default: ${d.trainImages})
  --eval-images <n>      rendered held-out scenes, 16 to 100000 (default: ${d.evalImages})
  --epochs <n>           passes over the training scenes, 1 to 1000 (default: ${d.epochs})
  --batch <n>            scenes per update, 1 to 1024 (default: ${d.batchSize})
  --seed <n>             seed of the scenes, the shuffling and the initial weights (default: ${d.seed})
  -h, --help             show this help`,
  options: {
    weights: { type: "string" },
    "train-images": { type: "string" },
    "eval-images": { type: "string" },
    epochs: { type: "string" },
    batch: { type: "string" },
    seed: { type: "string" },
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const verb = positionals[0];
    if (verb !== "train" && verb !== "eval") throw new UsageError(`ccw labeler: expected train or eval, got ${JSON.stringify(verb ?? "")}; see \`ccw labeler --help\``);
    const path = resolve((values.weights as string | undefined) ?? DEFAULT_PATH);
    const seed = intOption("labeler", "seed", values.seed, d.seed, 0, 2 ** 31 - 1);
    const evalImages = intOption("labeler", "eval-images", values["eval-images"], d.evalImages, 16, 100_000);
    const started = performance.now();
    const say = (line: string) => io.err(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${line}`);
    if (verb === "eval") {
      await useBackend("wasm");
      const { config, tensors, info } = readLabelerWeights(path);
      const model = cnnFromWeights(config, tensors as never);
      const held = await renderTrainingSet({ seed: `labeler-eval-${seed}`, count: evalImages, size: config.size, categories: config.categories });
      const evaluation = await evaluateCnn(model, held);
      disposeCnn(model);
      io.out(JSON.stringify({ weights: path, evaluation, trainedWith: info }, null, 2));
      return 0;
    }
    const { model, evaluation, options } = await trainSynthLabeler({
      trainImages: intOption("labeler", "train-images", values["train-images"], d.trainImages, 16, 100_000),
      evalImages,
      epochs: intOption("labeler", "epochs", values.epochs, d.epochs, 1, 1000),
      batchSize: intOption("labeler", "batch", values.batch, d.batchSize, 1, 1024),
      seed,
      onProgress: say,
    });
    await mkdir(dirname(path), { recursive: true });
    const { onProgress: _drop, ...recorded } = options;
    const bytes = await saveLabelerWeights(path, model, { options: recorded, evaluation, seconds: Math.round((performance.now() - started) / 1000) });
    disposeCnn(model);
    io.out(`ccw labeler: held-out ${evaluation.images} scenes: precision ${evaluation.precision.toFixed(3)}, recall ${evaluation.recall.toFixed(3)}, top-1 ${evaluation.top1.toFixed(3)}`);
    io.out(`wrote ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
    return 0;
  },
};

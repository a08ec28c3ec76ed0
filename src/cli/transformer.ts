// `ccw transformer train|eval|card` and `ccw generate`: their flags and help; the runs are in transformer-run.ts,
// loaded only when a command runs.
import { LABEL_THRESHOLD } from "../lib/labeler/settings.js";
import { DEFAULT_RERANKER_DIR, RERANKER_WEIGHTS_FILE } from "../lib/rerank/settings.js";
import { DEFAULT_DVAE_DIR, DEFAULT_TRAIN, DIRECTIONS } from "../lib/transformer/config.js";
import { lazyRun, threadsHelp, type Command } from "./command.js";

export const DEFAULT_TRANSFORMER_OUT = "models/transformer-small";
export const DEFAULT_PAIRS = "out/pairs-conceptual";

const TRAIN_USAGE = `Usage: ccw transformer <train|eval|card> [options]

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
      every object the prompt names is there (with and without reranking). Writes <weights>/zero-shot.json.

Train options:
  --pairs <dir>          pairs set (default: ${DEFAULT_PAIRS})
  --out <dir>            output folder (default: ${DEFAULT_TRANSFORMER_OUT})
  --direction <d>        ${DIRECTIONS.join(" | ")} (default: text-to-image; image-to-text trains a captioner)
  --steps <n>            updates (default: ${DEFAULT_TRAIN.steps})
  --batch <n>            sequences per update (default: ${DEFAULT_TRAIN.batchSize})
  --lr <x>               peak learning rate after warm-up (default: ${DEFAULT_TRAIN.lr}); decays to lr/10
  --warmup <n>           warm-up updates (default: ${DEFAULT_TRAIN.warmupSteps})
  --layers <n>           transformer blocks (default: 4; DALL-E's pattern row, column, row, row …, conv last)
  --d-model <n>          width (default: 128)
  --heads <n>            attention heads (default: 4)
  --text-length <n>      text slots (default: 32; longer captions are cut and counted)
  --bpe-vocab <n>        BPE vocabulary size (default: 1024)
  --bpe <file.json>      use this tokenizer (a saved BPE, e.g. the captioners' shared one) instead of training one
  --ema-decay <x>        save an EMA of the weights (default: 0, the last weights)
  --seed <n>             initialisation and data order (default: 0)
  --checkpoint-every <n> updates between checkpoints (default: 250)
  --log-every <n>        updates between log lines with validation losses (default: 50)
  --resume               continue from <out>/checkpoint if present

Eval options:
  --weights <dir>        transformer folder (default: ${DEFAULT_TRANSFORMER_OUT})
  --pairs <dir>          pairs set with the held-out compositions (default: the one the model was trained on)
  --dvae <dir>           dVAE weights folder (default: the transformer folder's own dvae/ when it has one,
                         else ${DEFAULT_DVAE_DIR})
  --reranker <file>      reranker weights (default: ${DEFAULT_RERANKER_DIR}/${RERANKER_WEIGHTS_FILE}; skipped when absent)
  --samples <n>          images per prompt (default: 8)
  --prompts <n>          prompts per group, seen and unseen (default: 40)
  --temperature <x>  --top-k <n>  --top-p <x>   sampling (defaults: 1, 0 = off, 1 = off)
  --seed <n>             sampling and prompt choice (default: 0)
  --judge <file>         classifier weights that judge the images (default: models/judge.safetensors, the model
                         world's judge (\`npm run train:judge\`), else the grounding stage's labeler)
  --judge-top <k>        a category also counts as found when among the judge's k most probable (default: 3;
                         0 = only p ≥ ${LABEL_THRESHOLD})

Common:
${threadsHelp("cores", "train: its matrix products run on one thread (TF.js's WASM build runs XNNPACK's fully-connected path without the thread pool), its elementwise kernels on the pool; what 2 gain: the transformer-train-step rows of bench/RESULTS.md")}
  -h, --help             show this help`;

const GENERATE_USAGE = `Usage: ccw generate "<prompt>" --out <dir> [options]

  Samples --n token grids for the prompt with the text-to-image transformer (key/value cache), decodes
  them with the dVAE, optionally reranks them with the contrastive reranker, and writes
  <out>/sample-<rank>.png plus <out>/scores.json (prompt, BPE ids, per image: rank, sample, score, tokens).

Options:
  --out <dir>            output folder (required)
  --n <n>                samples (default: 8)
  --rerank               order by the reranker's image–text similarity (needs its weights)
  --seed <n>             sampler seed (default: 0)
  --temperature <x>      default 1 (the paper's); 0 = greedy
  --top-k <n>            default 0 (off)
  --top-p <x>            default 1 (off)
  --weights <dir>        transformer folder (default: ${DEFAULT_TRANSFORMER_OUT})
  --dvae <dir>           dVAE weights folder (default: the transformer folder's own dvae/ when it has one,
                         else ${DEFAULT_DVAE_DIR})
  --reranker <file>      reranker weights (default: ${DEFAULT_RERANKER_DIR}/${RERANKER_WEIGHTS_FILE})
  -h, --help             show this help`;

export const transformerCommand: Command = {
  name: "transformer",
  summary: "train the small DALL-E transformer (or a captioner) on text–image pairs; run the zero-shot test",
  usage: TRAIN_USAGE,
  allowPositionals: true,
  options: {
    threads: { type: "string" },
    pairs: { type: "string" },
    out: { type: "string" },
    direction: { type: "string" },
    steps: { type: "string" },
    batch: { type: "string" },
    lr: { type: "string" },
    warmup: { type: "string" },
    layers: { type: "string" },
    "d-model": { type: "string" },
    heads: { type: "string" },
    "text-length": { type: "string" },
    "bpe-vocab": { type: "string" },
    bpe: { type: "string" },
    "ema-decay": { type: "string" },
    seed: { type: "string" },
    "checkpoint-every": { type: "string" },
    "log-every": { type: "string" },
    resume: { type: "boolean" },
    weights: { type: "string" },
    dvae: { type: "string" },
    reranker: { type: "string" },
    judge: { type: "string" },
    "judge-top": { type: "string" },
    samples: { type: "string" },
    prompts: { type: "string" },
    temperature: { type: "string" },
    "top-k": { type: "string" },
    "top-p": { type: "string" },
  },
  run: lazyRun(async () => (await import("./transformer-run.js")).runTransformer),
};

export const generateCommand: Command = {
  name: "generate",
  summary: "text → images with the small DALL-E: sample, decode, rerank; writes PNGs and scores",
  usage: GENERATE_USAGE,
  allowPositionals: true,
  options: {
    out: { type: "string" },
    n: { type: "string" },
    rerank: { type: "boolean" },
    seed: { type: "string" },
    temperature: { type: "string" },
    "top-k": { type: "string" },
    "top-p": { type: "string" },
    weights: { type: "string" },
    dvae: { type: "string" },
    reranker: { type: "string" },
  },
  run: lazyRun(async () => (await import("./transformer-run.js")).runGenerate),
};

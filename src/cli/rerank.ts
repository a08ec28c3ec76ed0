// `ccw rerank train|score`: its flags and help; the run is in rerank-run.ts, loaded only when it runs.
import { DEFAULT_RERANKER_CONFIG, DEFAULT_RERANKER_DIR, DEFAULT_RERANKER_TRAIN, RERANKER_WEIGHTS_FILE } from "../lib/rerank/settings.js";
import { lazyRun, threadsHelp, type Command } from "./command.js";

export const VERBS = ["train", "score"] as const;
export const DEFAULT_PAIRS = "out/pairs-conceptual";
export const DEFAULT_DVAE = "models/dvae-small";
const d = DEFAULT_RERANKER_TRAIN;

const USAGE = `Usage: ccw rerank <train|score> [options]

  ccw rerank train [options]
      Trains the reranker, a small CLIP-like image–text dual encoder (strided-conv image tower, transformer text
      tower, symmetric InfoNCE with a learned temperature), on the pairs' training split, each image shown either
      as itself or as its dVAE decode (what the transformer generates). Trains a BPE on the training captions
      unless --bpe is given. Writes <out>/${RERANKER_WEIGHTS_FILE} (BPE vocabulary in its metadata),
      <out>/train-log.jsonl and <out>/eval.json; checkpoints to <out>/checkpoint/. npm run train:reranker.
  ccw rerank score [options]
      Held-out retrieval accuracy of trained weights: within batches of 32 pairs, how often an image's most
      similar caption is its own (image → text) and the reverse, on the originals and on their dVAE decodes.

Data (both verbs):
  --pairs <dir>          a pairs dataset from \`ccw pairs build\` (default: ${DEFAULT_PAIRS}): train learns from
                         its train split and logs its val split; score reports val and heldout (compositions
                         never seen in training); the image size is the set's
  --synthetic <n>        instead, render n synthetic scenes captioned with their literal description
                         (n for training, n/8 held out); for development before the pairs exist
  --dvae <dir>           dVAE whose decodes are shown and scored (default: ${DEFAULT_DVAE})
  --decoded-share <x>    train: share of images shown as their dVAE decode, 0 to 1 (default: ${d.decodedShare});
                         0 skips the dVAE entirely

Train options:
  --out <dir>            output folder (default: ${DEFAULT_RERANKER_DIR})
  --steps <n>            updates (default: ${d.steps})
  --batch <n>            pairs per update, 2 to 1024 (default: ${d.batchSize})
  --lr <x>               peak learning rate after warm-up, cosine-decayed to lr/20 (default: ${d.learningRate})
  --warmup <n>           warm-up updates (default: ${d.warmupSteps})
  --weight-decay <x>     decoupled weight decay on matrices and kernels (default: ${d.weightDecay})
  --vocab <n>            BPE vocabulary size when training one (default: 512)
  --bpe <file.json>      use this BPE (bpeToJson format) instead of training one
  --text-length <n>      caption tokens kept (default: ${DEFAULT_RERANKER_CONFIG.textLength})
  --embed-dim <n>        shared embedding width (default: ${DEFAULT_RERANKER_CONFIG.embedDim})
  --seed <n>             initialisation, data order and views (default: 0)
  --log-every <n>        updates between train-log lines (default: 50)
  --eval-every <n>       updates between held-out retrieval scores in the log (default: 250)
  --eval-pairs <n>       held-out pairs scored during training (default: 512; the end scores all)
  --checkpoint-every <n> updates between checkpoints (default: 250)
  --resume               continue from <out>/checkpoint if present (same data and options)

Score options:
  --weights <file>       weights to score (default: ${DEFAULT_RERANKER_DIR}/${RERANKER_WEIGHTS_FILE})
  --batch <n>            retrieval batch size (default: 32)
  --json                 print the report as JSON

Common:
  --backend <name>       wasm | cpu (default: wasm)
${threadsHelp(1, "its small steps measured slower on 2 threads than on 1: the rerank-train-step rows of bench/RESULTS.md")}
  -h, --help             show this help`;

export const rerankCommand: Command = {
  name: "rerank",
  summary: "train and score the CLIP-like reranker that orders generated samples by image–text similarity",
  usage: USAGE,
  options: {
    threads: { type: "string" },
    pairs: { type: "string" },
    synthetic: { type: "string" },
    dvae: { type: "string" },
    "decoded-share": { type: "string" },
    out: { type: "string" },
    steps: { type: "string" },
    batch: { type: "string" },
    lr: { type: "string" },
    warmup: { type: "string" },
    "weight-decay": { type: "string" },
    vocab: { type: "string" },
    bpe: { type: "string" },
    "text-length": { type: "string" },
    "embed-dim": { type: "string" },
    seed: { type: "string" },
    "log-every": { type: "string" },
    "eval-every": { type: "string" },
    "eval-pairs": { type: "string" },
    "checkpoint-every": { type: "string" },
    resume: { type: "boolean" },
    weights: { type: "string" },
    json: { type: "boolean" },
    backend: { type: "string" },
  },
  allowPositionals: true,
  run: lazyRun(async () => (await import("./rerank-run.js")).run),
};

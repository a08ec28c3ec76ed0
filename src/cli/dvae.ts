// `ccw dvae train|encode|decode|eval|card|sheet|baseline`: its flags and help; the run is in dvae-run.ts, loaded
// only when the command runs.
import { lazyRun, threadsHelp, type Command } from "./command.js";

export const VERBS = ["train", "encode", "decode", "eval", "card", "sheet", "baseline"] as const;
export type Verb = (typeof VERBS)[number];

export const DEFAULT_MODEL_DIR = "models/dvae-small";

/** Real photographs for the out-of-domain check, when the shared datasets sit beside the repository. */
export const DEFAULT_EVAL_IMAGES = "../shared/datasets/coco-mini/train2017";

const USAGE = `Usage: ccw dvae <train|encode|decode|eval|card> [args] [options]

  ccw dvae train [options]
      Trains a dVAE on freshly rendered model-world scenes (all three styles, both worlds; 1-3 large objects
      paper's recipe, schedule lengths scaled to the run. Writes <out>/model.json + weights.bin
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
      without a decoder's context (defaults: 1500 training and 256 held-out scenes; --save
      <dir>/baseline-<grid>x<grid>-<vocab>.json puts it in the dVAE's card).
  ccw dvae sheet [--weights <dir>] [--count <n>] [--out <file.png>]
      Renders the first n held-out model-world scenes of the training run (default 16) over their
      reconstructions as one PNG (default: <dir>/reconstructions.png, which the card shows).

Model options (encode, decode, and train's architecture):
  --weights <path>       a TF.js weights folder (model.json + weights.bin) or an official-layout
                         .safetensors file (default: ${DEFAULT_MODEL_DIR}; train ignores it)
  --config <name|json>   official | small | a JSON object of fields (default: small for train,
                         the weights' own config otherwise)
  --group-count <n>  --n-hid <n>  --blocks <n>  --vocab <n>  --n-init <n>  --input-size <px>
                         override single config fields, so any size of the official architecture runs

Train options:
  --out <dir>            output folder (default: ${DEFAULT_MODEL_DIR})
  --steps <n>            updates (default: 3000)
  --batch <n>            images per update (default: 16)
  --train-images <n>     rendered training scenes, cycled (default: 4096)
  --heldout-images <n>   rendered held-out scenes for evaluation (default: 256)
  --lr <x>               starting learning rate, cosine-decayed to lr/80 like the paper's 1e-4 → 1.25e-6 (default: 0.001)
  --kl-weight <x>        final KL weight beta (paper: 6.6; default: 0.1, small runs collapse the codebook at 6.6)
  --tau-steps <n>        updates over which the Gumbel temperature anneals 1 → 1/16 (paper: 150k of 3M,
                         i.e. 5%; default: half the run, since 5% of a short run collapses the codebook)
  --kl-steps <n>         KL-weight warm-up updates (paper: 5k of 3M; default: that fraction of the run)
  --noise-steps <n>      Gumbel noise ramps from 0 to full over these updates (paper: 0; default: 0)
  --straight-through     decoder sees hard one-hot codes with soft gradients (paper: off)
  --diversity <x>        weight of a codebook diversity penalty, log(vocab) − entropy of the encoder's mean
                         code distribution over the batch (wav2vec 2.0's; not in DALL-E's recipe). Keeps codes
                         alive in short runs (paper: 0; default: 0.1)
  --ema-decay <x>        decay of the weight average that is saved (paper: 0.999; default: the smaller of
                         0.999 and 1 − 20/steps, so a short run's average is not dominated by its start;
                         0 saves the last weights)
  --seed <n>             initialisation, data and Gumbel noise (default: 0)
  --checkpoint-every <n> updates between checkpoints (default: 250)
  --log-every <n>        updates between log lines with codebook usage (default: 50)
  --resume               continue from <out>/checkpoint if present
  --eval-images <dir>    real photos to evaluate after training, written to <out>/eval-coco.json
                         (default: ../shared/datasets/coco-mini/train2017 when present)

Common:
  --backend <name>       wasm | cpu (default: wasm, the fastest without a GPU)
${threadsHelp("cores", "its convolutions run on XNNPACK's thread pool, elementwise ops and the workbench's JS kernels on one thread; what 2 gain: the dvae-train-step-* rows of bench/RESULTS.md")}
  --count <n>            sheet: held-out scenes shown, 1-64 (default: 16)
  --grid <n>             baseline: token grid side, dividing the input size (default: 16)
  --json                 eval: print the summary as JSON
  --save <file.json>     eval: also write the summary to this file
  -h, --help             show this help`;

export const dvaeCommand: Command = {
  name: "dvae",
  summary: "train the small dVAE; encode image folders to tokens and decode them back",
  usage: USAGE,
  options: {
    weights: { type: "string" },
    config: { type: "string" },
    "group-count": { type: "string" },
    "n-hid": { type: "string" },
    blocks: { type: "string" },
    vocab: { type: "string" },
    "n-init": { type: "string" },
    "input-size": { type: "string" },
    out: { type: "string" },
    steps: { type: "string" },
    batch: { type: "string" },
    "train-images": { type: "string" },
    "heldout-images": { type: "string" },
    lr: { type: "string" },
    "kl-weight": { type: "string" },
    "tau-steps": { type: "string" },
    "kl-steps": { type: "string" },
    "noise-steps": { type: "string" },
    "straight-through": { type: "boolean" },
    diversity: { type: "string" },
    "ema-decay": { type: "string" },
    seed: { type: "string" },
    "checkpoint-every": { type: "string" },
    "log-every": { type: "string" },
    resume: { type: "boolean" },
    backend: { type: "string" },
    threads: { type: "string" },
    json: { type: "boolean" },
    count: { type: "string" },
    grid: { type: "string" },
    save: { type: "string" },
    "eval-images": { type: "string" },
  },
  allowPositionals: true,
  run: lazyRun(async () => (await import("./dvae-run.js")).run),
};

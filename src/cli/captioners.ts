// `ccw captioners train|eval`: its flags and help; the run is in captioners-run.ts, loaded only when it runs.
import { lazyRun, type Command } from "./command.js";

export const MODELS = ["coco", "conceptual"] as const;
export const DEFAULT_PAIRS = { coco: "out/pairs-coco", conceptual: "out/pairs-conceptual" } as const;

const USAGE = `Usage: ccw captioners <train|eval> [options]

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
      Writes <out>/captioners-eval.json (the captioning page's data).

Options:
  --out <dir>            folder of the captioners and the files above (default: models)
  --coco <dir>           COCO-style pairs set (default: ${DEFAULT_PAIRS.coco})
  --conceptual <dir>     conceptual pairs set; its val and held-out images are the test set (default: ${DEFAULT_PAIRS.conceptual})

Train options (both captioners alike):
  --steps <n>            updates (default: 600)
  --batch <n>            sequences per update (default: 16)
  --lr <x>               peak learning rate (default: 0.001)
  --warmup <n>           warm-up updates (default: 60)
  --layers <n>  --d-model <n>  --heads <n>   size (defaults: 4, 128, 4)
  --bpe-vocab <n>        shared BPE vocabulary size (default: 1024)
  --seed <n>             initialisation and data order (default: 0)
  --sequential           train one after the other instead of at once

Eval options:
  --limit <n>            only the first n test images (default: all)
  --batch <n>            images captioned at once (default: 64)

  -h, --help             show this help`;

export const captionersCommand: Command = {
  name: "captioners",
  summary: "train the COCO-trained and Conceptual-trained captioners (shared BPE, same budget); evaluate them side by side",
  usage: USAGE,
  allowPositionals: true,
  options: {
    out: { type: "string" },
    coco: { type: "string" },
    conceptual: { type: "string" },
    steps: { type: "string" },
    batch: { type: "string" },
    lr: { type: "string" },
    warmup: { type: "string" },
    layers: { type: "string" },
    "d-model": { type: "string" },
    heads: { type: "string" },
    "bpe-vocab": { type: "string" },
    seed: { type: "string" },
    sequential: { type: "boolean" },
    limit: { type: "string" },
  },
  run: lazyRun(async () => (await import("./captioners-run.js")).run),
};

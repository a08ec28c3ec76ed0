// `ccw eval-captions`: its flags and help; the run is in eval-captions-run.ts, loaded only when it runs.
import { lazyRun, type Command } from "./command.js";

export const CHAIR_TRUTHS = ["instances+captions", "instances"] as const;
export type ChairTruth = (typeof CHAIR_TRUTHS)[number];

export const evalCaptionsCommand: Command = {
  name: "eval-captions",
  summary: "score a model's COCO-format captions: BLEU-1..4, ROUGE-L, CIDEr-D, CHAIR",
  usage: `Usage: ccw eval-captions --results <results.json> --annotations <captions.json> [options]

Scores a captioning model's results as the COCO caption toolkit does (PTB tokenisation; BLEU-1..4,
ROUGE-L and CIDEr-D over the images that have a result, IDF from their references), and CHAIR
object hallucination (Rohrbach et al., 2018) with COCO's 80 categories when instances are given.
Malformed entries are counted and skipped; the summary says how many.

Options:
  --results <file>        COCO results JSON, [{"image_id": <int>, "caption": <string>}] (required)
  --annotations <file>    COCO captions JSON with the reference captions (required)
  --instances <file>      COCO instances JSON; adds CHAIR-i, CHAIR-s and object recall (default: none)
  --chair-truth <which>   what counts as present for CHAIR: ${CHAIR_TRUTHS.join(" (as the original CHAIR) or ")}
                          (annotated objects only) (default: instances+captions)
  --specificity           also report vocabulary size, distinct-1..4 and mean WordNet noun depth (default: off)
  --json                  print one JSON object: corpus metrics, error counts and per-image scores (default: off)
  -h, --help              show this help`,
  options: {
    results: { type: "string" },
    annotations: { type: "string" },
    instances: { type: "string" },
    "chair-truth": { type: "string" },
    specificity: { type: "boolean" },
    json: { type: "boolean" },
  },
  run: lazyRun(async () => (await import("./eval-captions-run.js")).run),
};

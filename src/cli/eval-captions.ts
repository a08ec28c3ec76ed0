// `ccw eval-captions`: its flags and help; the run is in eval-captions-run.ts, loaded only when it runs.
import { lazyRun, type Command } from "./command.js";
import { defineFlags, helpText } from "./flags.js";

export const CHAIR_TRUTHS = ["instances+captions", "instances"] as const;

export const FLAGS = defineFlags({
  results: { type: "path", arg: "<file>", doc: 'COCO results JSON, [{"image_id": <int>, "caption": <string>}] (required)' },
  annotations: { type: "path", arg: "<file>", doc: "COCO captions JSON with the reference captions (required)" },
  instances: { type: "path", arg: "<file>", defaultDoc: "none", doc: "COCO instances JSON; adds CHAIR-i, CHAIR-s and object recall" },
  "chair-truth": {
    type: "enum",
    arg: "<which>",
    values: CHAIR_TRUTHS,
    default: "instances+captions",
    doc: "what counts as present for CHAIR, in the order of the values: annotated objects and those the reference captions name (as the original CHAIR), or annotated objects only",
  },
  specificity: { type: "boolean", doc: "also report vocabulary size, distinct-1..4 and mean WordNet noun depth" },
  json: { type: "boolean", doc: "print one JSON object: corpus metrics, error counts and per-image scores" },
});

export const evalCaptionsCommand: Command = {
  name: "eval-captions",
  summary: "score a model's COCO-format captions: BLEU-1..4, ROUGE-L, CIDEr-D, CHAIR",
  get usage() {
    return helpText(
      `Usage: ccw eval-captions --results <results.json> --annotations <captions.json> [options]

Scores a captioning model's results as the COCO caption toolkit does (PTB tokenisation; BLEU-1..4,
ROUGE-L and CIDEr-D over the images that have a result, IDF from their references), and CHAIR
object hallucination (Rohrbach et al., 2018) with COCO's 80 categories when instances are given.
Malformed entries are counted and skipped; the summary says how many.`,
      [{ title: "Options:", flags: FLAGS }],
    );
  },
  flags: FLAGS,
  run: lazyRun(async () => (await import("./eval-captions-run.js")).run),
};

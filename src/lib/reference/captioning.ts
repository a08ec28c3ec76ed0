import { PAPERS, ref, type Reference } from "./source.js";

const CC = PAPERS.conceptualCaptions;

export interface HumanEvalRow {
  model: "RNN 8x8" | "Transformer 8x8";
  trainedOn: "COCO" | "Conceptual";
  /** Share of the 1,000 Flickr test images whose caption got at least k GOOD votes of 3. */
  good1: Reference;
  good2: Reference;
  good3: Reference;
}

const where = "experimental results, human evaluation on a 1,000-image Flickr test set";
const row = (model: HumanEvalRow["model"], trainedOn: HumanEvalRow["trainedOn"], g: [number, number, number]): HumanEvalRow => ({
  model,
  trainedOn,
  good1: ref(g[0], "fraction of images", CC, where),
  good2: ref(g[1], "fraction of images", CC, where),
  good3: ref(g[2], "fraction of images", CC, where),
});

/** The Conceptual Captions paper's captioner comparison, judged by 3 professional raters. */
export const CAPTIONER_HUMAN_EVAL: readonly HumanEvalRow[] = [
  row("RNN 8x8", "COCO", [0.39, 0.276, 0.173]),
  row("Transformer 8x8", "COCO", [0.478, 0.362, 0.275]),
  row("RNN 8x8", "Conceptual", [0.571, 0.418, 0.277]),
  row("Transformer 8x8", "Conceptual", [0.659, 0.506, 0.355]),
];

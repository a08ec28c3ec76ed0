import { evaluateCaptions, type CaptionRecord } from "../src/lib/metrics/index.js";
import type { Benchmark } from "./harness.js";

export const IMAGES = 5_000;
export const REFERENCES = 5;

// Caption-like sentences from small word lists, so n-grams repeat across images as in COCO.
const SUBJECTS = ["a man", "a woman", "two dogs", "a cat", "a child", "a group of people", "a giraffe", "a red bus", "a plate of food", "a skier"];
const VERBS = ["sitting on", "standing next to", "riding", "walking along", "looking at", "holding", "lying on", "playing with"];
const OBJECTS = ["a bench", "the street", "a surfboard", "a kitchen table", "a wooden fence", "the beach", "a large pizza", "a laptop", "the snow"];
const TAILS = ["", " in a park", " near the water", " on a sunny day", " in front of a building", " at night"];

/** A deterministic caption for (image, variant): the subject is fixed per image, the rest varies. */
export function caption(image: number, variant: number): string {
  const pick = <T>(list: readonly T[], k: number) => list[k % list.length]!;
  const h = (image * 7919 + variant * 104_729) >>> 0;
  return `${pick(SUBJECTS, image)} ${pick(VERBS, h)} ${pick(OBJECTS, h >>> 3)}${pick(TAILS, h >>> 7)}.`;
}

export const captionMetrics: Benchmark = {
  name: "caption-metrics",
  unit: "images",
  workload: `${IMAGES.toLocaleString("en-US")} images × ${REFERENCES} references: PTB tokenisation, BLEU-1..4, ROUGE-L, CIDEr-D, CHAIR (COCO table), distinct-n`,
  async setup() {
    const records: CaptionRecord[] = Array.from({ length: IMAGES }, (_, i) => ({
      imageId: i,
      caption: caption(i, 0),
      references: Array.from({ length: REFERENCES }, (_, r) => caption(i, r + 1)),
      objects: ["person", "bench"],
    }));
    return () => {
      const { corpus } = evaluateCaptions(records, { specificity: true });
      if (!(corpus.ciderD > 0)) throw new Error("CIDEr-D is not positive");
      return IMAGES;
    };
  },
};

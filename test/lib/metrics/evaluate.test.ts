import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateCaptions, splitTokens, type CaptionRecord } from "../../../src/lib/metrics/index.js";
import { loadWordNet } from "../../../src/lib/metrics/node.js";
import { captionsByImage, objectsByImage, readCocoCaptions, readCocoInstances } from "../../../src/lib/sources/index.js";
import { COCO_MINI, COCO_MINI_SKIP, HAS_COCO_MINI, VECTOR_CANDIDATES, VECTOR_REFERENCES } from "./fixtures.js";

describe("evaluateCaptions()", () => {
  it("reproduces the toolkit's test vector from records with pre-tokenised text", () => {
    const records: CaptionRecord[] = VECTOR_CANDIDATES.map((caption, i) => ({ imageId: i, caption, references: VECTOR_REFERENCES[i]! }));
    const { corpus, perImage } = evaluateCaptions(records, { tokenize: splitTokens });
    expect(corpus.bleu.map((b) => b.toFixed(4))).toEqual(["0.4278", "0.4059", "0.4390", "0.4565"]);
    expect(corpus.ciderD.toFixed(4)).toBe("0.9614");
    expect(corpus.rougeL.toFixed(4)).toBe("0.4871");
    expect(perImage.map((i) => i.ciderD.toFixed(4))).toEqual(["1.3641", "0.5587"]);
    expect(corpus.chair).toBeUndefined();
  });

  it("tokenises raw captions as the toolkit does, so punctuation and case do not change scores", () => {
    const raw = evaluateCaptions([
      { imageId: 1, caption: "A Man is speaking.", references: ["A man speaks!", "Someone speaks.", "A man is speaking, while a bird is chirping in the background"] },
      { imageId: 2, caption: "Rain falls...", references: ["Rain is falling hard on a surface."] },
    ]);
    expect(raw.corpus.ciderD.toFixed(4)).toBe("0.9614");
  });

  it("adds CHAIR when records carry objects, and breaks every score down by group", () => {
    const records: CaptionRecord[] = [
      { imageId: 1, caption: "A dog on a couch.", references: ["A dog lies on a couch.", "A puppy on a sofa."], objects: ["dog", "couch"], group: "photo" },
      { imageId: 2, caption: "A cat next to a dog.", references: ["A dog in the grass.", "A brown dog outside."], objects: ["dog"], group: "cartoon" },
      { imageId: 3, caption: "A man riding a horse.", references: ["A man rides a horse.", "A person on a horse."], objects: ["person", "horse"], group: "photo" },
    ];
    const { corpus, perImage, groups } = evaluateCaptions(records);
    expect(perImage[1]!.chair!.hallucinated.map((m) => m.word)).toEqual(["cat"]);
    expect(corpus.chair).toMatchObject({ mentions: 6, hallucinatedMentions: 1 });
    expect(Object.keys(groups)).toEqual(["photo", "cartoon"]);
    expect(groups.cartoon!.chair!.chairS).toBe(1);
    expect(groups.photo!.chair!.chairS).toBe(0);
    expect(groups.photo!.ciderD).toBeCloseTo((perImage[0]!.ciderD + perImage[2]!.ciderD) / 2, 12);
    expect(groups.photo!.images).toBe(2);
  });
});

describe(`evaluateCaptions() on coco-mini, leave-one-out${COCO_MINI_SKIP}`, () => {
  it.skipIf(!HAS_COCO_MINI)("scores each image's first human caption against the other four within human ranges, CHAIR against instances", async () => {
    const captions = readCocoCaptions(JSON.parse(readFileSync(join(COCO_MINI, "captions_val2017.json"), "utf-8")));
    const instances = readCocoInstances(JSON.parse(readFileSync(join(COCO_MINI, "instances_val2017.json"), "utf-8")));
    expect(captions.errors).toEqual([]);
    expect(instances.errors).toEqual([]);
    const objects = objectsByImage(instances);
    const records: CaptionRecord[] = [...captionsByImage(captions.captions)].map(([imageId, [first, ...rest]]) => ({
      imageId, caption: first!, references: rest, objects: objects.get(imageId) ?? [],
    }));
    expect(records.length).toBeGreaterThan(70);
    const { corpus } = evaluateCaptions(records, { wordnet: await loadWordNet(), chairReferenceObjects: false });
    // Human captions against human references: the published human upper bounds are roughly these.
    expect(corpus.bleu[0]).toBeGreaterThan(0.5);
    expect(corpus.bleu[0]).toBeLessThan(0.8);
    expect(corpus.bleu[3]).toBeGreaterThan(0.1);
    expect(corpus.bleu[3]).toBeLessThan(0.35);
    expect(corpus.rougeL).toBeGreaterThan(0.35);
    expect(corpus.rougeL).toBeLessThan(0.6);
    expect(corpus.ciderD).toBeGreaterThan(0.5);
    expect(corpus.ciderD).toBeLessThan(1.5);
    // People rarely name absent objects: hallucination low, mentions plentiful.
    expect(corpus.chair!.mentions).toBeGreaterThan(records.length);
    expect(corpus.chair!.chairI).toBeLessThan(0.1);
    expect(corpus.chair!.recall).toBeGreaterThan(0.2);
    expect(corpus.specificity!.meanNounDepth).toBeGreaterThan(5);
    expect(corpus.specificity!.meanNounDepth).toBeLessThan(10);
  });
});

import { describe, expect, it } from "vitest";
import { evaluateCaptioners, evaluateModel, judgeCaption, SYNTH_OBJECTS, type TestImage } from "../../../src/lib/captioning/index.js";
import { chairCaption, findObjects, ptbTokenize } from "../../../src/lib/metrics/index.js";
import { CATEGORIES } from "../../../src/lib/synth/index.js";

const image = (imageId: string, style: string, objects: string[], references: string[]): TestImage => ({
  imageId, cocoId: 1, style, split: "val", objects, description: references[0]!, references,
});

const IMAGES = [
  image("i1", "modern", ["dog"], ["a dog on the grass", "a dog sitting in a park"]),
  image("i2", "flat", ["cat", "cup"], ["a cat next to a cup", "a cartoon of a cat and a cup"]),
  image("i3", "flat", ["person"], ["a man in a kitchen", "a person standing in a kitchen"]),
];

describe("the synthetic world's object table", () => {
  it("knows every category's caption mentions, plurals and two-word names", () => {
    for (const c of CATEGORIES) expect(SYNTH_OBJECTS.categories).toContain(c.id);
    expect(findObjects(ptbTokenize("two teddy bears and some women near a hot dog"), SYNTH_OBJECTS).map((m) => m.category)).toEqual(["teddy bear", "person", "hot dog"]);
  });
});

describe("judgeCaption(): the ground-truth judge", () => {
  const judge = (caption: string, objects: string[]) => judgeCaption(chairCaption(ptbTokenize(caption), { objects }, SYNTH_OBJECTS));

  it("calls a caption GOOD when it names every object and nothing absent", () => {
    expect(judge("a cat next to a mug", ["cat", "cup"])).toEqual({ good: false, verdict: "missing" });
    expect(judge("a cat next to a cup", ["cat", "cup"])).toEqual({ good: true, verdict: "good" });
  });

  it("calls it BAD for a hallucinated object, a missing one, or both", () => {
    expect(judge("a cat and a cup on a table with a cake", ["cat", "cup"]).verdict).toBe("hallucinated");
    expect(judge("a dog", ["cat", "cup"]).verdict).toBe("missing+hallucinated");
    expect(judge("an animal", ["cat"]).verdict).toBe("missing");
  });
});

describe("evaluateCaptioners()", () => {
  const models = [
    { name: "coco", captions: new Map([["i1", "a dog on the grass"], ["i2", "a cat and a dog"], ["i3", "a man in a kitchen"]]) },
    { name: "conceptual", captions: new Map([["i1", "an animal in a park"], ["i2", "a cat next to a cup"], ["i3", "person in a kitchen"]]) },
  ];

  it("scores each image's captions side by side: metrics, mentioned and hallucinated words, the judge", () => {
    const ev = evaluateCaptioners(IMAGES, models);
    expect(ev.models).toEqual(["coco", "conceptual"]);
    expect(ev.styles).toEqual(["modern", "flat"]);
    const i2 = ev.images[1]!;
    expect(Object.keys(i2.captions)).toEqual(["coco", "conceptual"]);
    expect(i2.captions.coco).toMatchObject({ caption: "a cat and a dog", mentioned: ["cat", "dog"], hallucinated: ["dog"], good: false, verdict: "missing+hallucinated", recall: 0.5 });
    expect(i2.captions.conceptual).toMatchObject({ hallucinated: [], good: true, recall: 1 });
    // An exact copy of a reference scores BLEU-1 of 1.
    expect(ev.images[0]!.captions.coco!.bleu[0]).toBeCloseTo(1, 6);
    expect(ev.images[0]!).not.toHaveProperty("pixels");
  });

  it("aggregates per model overall and per style: GOOD share, CHAIR, recall, verdict counts", () => {
    const ev = evaluateCaptioners(IMAGES, models);
    const coco = ev.aggregates.coco!;
    expect(Object.keys(coco)).toEqual(["all", "modern", "flat"]);
    expect(coco.all!.images).toBe(3);
    expect(coco.all!.good).toBeCloseTo(2 / 3, 12);
    expect(coco.all!.verdicts).toEqual({ good: 2, missing: 0, hallucinated: 0, "missing+hallucinated": 1 });
    // Mentions: dog | cat, dog | man → 1 of 4 hallucinated; 1 of 3 captions.
    expect(coco.all!.chairI).toBeCloseTo(1 / 4, 12);
    expect(coco.all!.chairS).toBeCloseTo(1 / 3, 12);
    expect(coco.flat!.images).toBe(2);
    expect(ev.aggregates.conceptual!.all!.good).toBeCloseTo(2 / 3, 12);
    expect(ev.aggregates.conceptual!.modern!.recall).toBe(0);
  });

  it("lists images a model did not caption instead of dropping them silently", () => {
    const partial = evaluateModel(IMAGES, new Map([["i1", "a dog"]]));
    expect(partial.missing).toEqual(["i2", "i3"]);
    expect(partial.aggregates.all!.images).toBe(1);
  });

  it("rejects captions of images outside the test set, duplicate images and duplicate model names", () => {
    expect(() => evaluateCaptioners(IMAGES, [{ name: "x", captions: new Map([["nope", "a dog"]]) }])).toThrow(/outside the test set, e.g. "nope"/);
    expect(() => evaluateCaptioners([IMAGES[0]!, IMAGES[0]!], [])).toThrow(/listed twice/);
    expect(() => evaluateCaptioners(IMAGES, [models[0]!, models[0]!])).toThrow(/two models are named "coco"/);
  });
});

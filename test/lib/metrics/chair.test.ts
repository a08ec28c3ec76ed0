import { describe, expect, it } from "vitest";
import { buildObjectTable, chair, chairCaption, COCO_OBJECT_SYNONYMS, COCO_OBJECTS, findObjects, ptbTokenize } from "../../../src/lib/metrics/index.js";

const words = (caption: string) => ptbTokenize(caption);
const found = (caption: string) => findObjects(words(caption), COCO_OBJECTS).map((m) => `${m.word}:${m.category}`);

describe("findObjects()", () => {
  it("maps synonyms and plurals to their category", () => {
    expect(found("Two men and a puppy near the sofa with bikes")).toEqual(["men:person", "puppy:dog", "sofa:couch", "bikes:bicycle"]);
  });

  it("merges two-word terms before their parts, so a hot dog is not a dog", () => {
    expect(found("A teddy bear eats hot dogs next to a cell phone")).toEqual(["teddy bear:teddy bear", "hot dogs:hot dog", "cell phone:cell phone"]);
  });

  it("reads \"baby elephant\" as the animal, and ignores phrases that name no object", () => {
    expect(found("A baby elephant at the bus stop")).toEqual(["baby elephant:elephant"]);
    expect(found("A plane above telephone lines; a man holds a tv remote")).toEqual(["plane:airplane", "man:person", "tv remote:remote"]);
  });

  it("reads a colour word as a colour before a noun and as the object elsewhere", () => {
    expect(found("An orange bus and an orange and white cat")).toEqual(["bus:bus", "cat:cat"]);
    expect(found("An orange sitting on a plate")).toEqual(["orange:orange"]);
    expect(found("Oranges and apples")).toEqual(["oranges:orange", "apples:apple"]);
  });

  it("covers COCO's 80 categories", () => {
    expect(Object.keys(COCO_OBJECT_SYNONYMS)).toHaveLength(80);
    for (const category of Object.keys(COCO_OBJECT_SYNONYMS)) expect(findObjects(category.split(" "), COCO_OBJECTS)[0]?.category).toBe(category);
  });
});

describe("buildObjectTable()", () => {
  it("builds a table from any category -> synonyms map, with multi-word terms and plurals", () => {
    const table = buildObjectTable({ lighthouse: ["beacon tower"], "paper boat": ["origami boat"] });
    expect(findObjects(["two", "beacon", "towers", "and", "origami", "boats", "and", "paper", "boats"], table).map((m) => m.category)).toEqual(
      ["lighthouse", "paper boat", "paper boat"],
    );
  });

  it("refuses a term listed under two categories, naming both", () => {
    expect(() => buildObjectTable({ cat: ["kitty"], toy: ["kitty"] })).toThrow(/"kitty" names both "cat" and "toy"/);
  });
});

describe("chair()", () => {
  it("counts hallucinated mentions over all mentions (CHAIR-i) and captions with any (CHAIR-s)", () => {
    const result = chair(
      [words("A dog and a cat on a couch"), words("A dog on a bed"), words("A dog")],
      [{ objects: ["dog", "couch"] }, { objects: ["dog"] }, { objects: ["dog"] }],
    );
    expect(result.mentions).toBe(6);
    expect(result.hallucinatedMentions).toBe(2);
    expect(result.chairI).toBeCloseTo(2 / 6, 12);
    expect(result.chairS).toBeCloseTo(2 / 3, 12);
    expect(result.perCaption[0]!.hallucinated.map((m) => m.word)).toEqual(["cat"]);
    expect(result.perCaption[1]!.hallucinated.map((m) => m.word)).toEqual(["bed"]);
  });

  it("counts a repeated hallucination once per mention", () => {
    const result = chair([words("A cat next to another cat")], [{ objects: ["dog"] }]);
    expect(result.hallucinatedMentions).toBe(2);
    expect(result.chairI).toBe(1);
  });

  it("treats objects named in the references as present, as the original CHAIR does", () => {
    const truth = { objects: ["person"], references: [words("A man at a table")] };
    expect(chairCaption(words("A man at a table"), truth, COCO_OBJECTS).hallucinated).toEqual([]);
    expect(chairCaption(words("A man at a table"), { objects: ["person"] }, COCO_OBJECTS).hallucinated.map((m) => m.category)).toEqual(["dining table"]);
  });

  it("reports object recall over the annotated categories, and 0 scores for captions naming nothing", () => {
    const result = chair([words("A man"), words("Some grass")], [{ objects: ["person", "dog"] }, { objects: ["cat"] }]);
    expect(result.recall).toBeCloseTo(1 / 3, 12);
    expect(result.perCaption[0]!.recall).toBe(0.5);
    expect(result.chairI).toBe(0);
    expect(result.chairS).toBe(0);
  });

  it("refuses captions and truths of different lengths", () => {
    expect(() => chair([["a"]], [])).toThrow(/1 captions but 0 ground truths/);
  });
});

import { describe, expect, it } from "vitest";
import { parseWordNet, specificity, type WordNetFiles } from "../../../src/lib/metrics/index.js";

const split = (s: string) => s.split(" ");

describe("specificity()", () => {
  it("counts vocabulary and distinct-n over all captions", () => {
    const r = specificity([split("a dog runs"), split("a dog sits")], { n: 2 });
    expect(r.vocabularySize).toBe(4);
    expect(r.distinct[0]).toBeCloseTo(4 / 6, 12);
    expect(r.distinct[1]).toBeCloseTo(3 / 4, 12);
    expect(r.meanLength).toBe(3);
  });

  it("averages WordNet noun depths per caption and over all noun occurrences", () => {
    const wn = parseWordNet({
      "index.noun": "entity n 1 0 1 1 00000100  \nanimal n 1 0 1 1 00000200  \ndog n 1 0 1 1 00000300  ",
      "index.sense": "",
      "data.noun": "00000100 03 n 01 entity 0 000 | x\n00000200 05 n 01 animal 0 001 @ 00000100 n 0000 | x\n00000300 05 n 01 dog 0 001 @ 00000200 n 0000 | x",
    } satisfies WordNetFiles);
    const r = specificity([split("a dog and an animal"), split("a dog"), split("nothing here")], { wordnet: wn });
    expect(r.perCaption.map((c) => c.meanNounDepth)).toEqual([1.5, 2, Number.NaN]);
    expect(r.nounCount).toBe(3);
    expect(r.meanNounDepth).toBeCloseTo(5 / 3, 12);
  });

  it("leaves noun depth out without WordNet and scores no captions as zeros", () => {
    expect(Number.isNaN(specificity([split("a dog")]).meanNounDepth)).toBe(true);
    expect(specificity([])).toMatchObject({ captions: 0, vocabularySize: 0, meanLength: 0, distinct: [0, 0, 0, 0] });
  });
});

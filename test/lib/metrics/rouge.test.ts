import { describe, expect, it } from "vitest";
import { lcsLength, rougeL, rougeLImage } from "../../../src/lib/metrics/index.js";
import { pair, vectorPairs } from "./fixtures.js";

describe("rougeL()", () => {
  it("matches the toolkit's test vector to 4 decimals, corpus and per image", () => {
    const r = rougeL(vectorPairs());
    expect(r.rougeL.toFixed(4)).toBe("0.4871");
    expect(r.perImage.map((x) => x.toFixed(4))).toEqual(["0.7722", "0.2020"]);
  });

  it("takes the best precision and the best recall from possibly different references", () => {
    // Precision is best against the long reference, recall against the short one.
    const p = pair("a b", "a b c d e f", "a x");
    const precision = Math.max(2 / 2, 1 / 2);
    const recall = Math.max(2 / 6, 1 / 2);
    const expected = ((1 + 1.44) * precision * recall) / (recall + 1.44 * precision);
    expect(rougeLImage(p.candidate, p.references)).toBeCloseTo(expected, 10);
  });

  it("finds the longest common subsequence, not substring", () => {
    expect(lcsLength("a x b y c".split(" "), "a b c".split(" "))).toBe(3);
  });

  it("scores an identical caption 1 and an empty or disjoint caption 0", () => {
    const r = rougeL([pair("a dog runs", "a dog runs"), pair("", "a cat"), pair("x y", "a cat")]);
    expect(r.perImage).toEqual([1, 0, 0]);
  });
});

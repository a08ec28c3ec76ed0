import { describe, expect, it } from "vitest";
import { lcsLength, MAX_ROUGE_TOKENS, rougeL, rougeLImage } from "../../../src/lib/metrics/index.js";
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

  it("cuts candidate and references to their first MAX_ROUGE_TOKENS tokens, so two 1 MB captions cost one 1000 x 1000 table", () => {
    const words = ["a", "dog", "runs", "on", "the", "beach", "with", "red", "ball", "man"];
    const long = (step: number) => Array.from({ length: 200_000 }, (_, i) => words[(i * step + (i >> 3)) % 10]!); // ~1 MB of text
    const candidate = long(7);
    const reference = long(3);
    expect(rougeLImage(candidate, [reference])).toBe(rougeLImage(candidate.slice(0, MAX_ROUGE_TOKENS), [reference.slice(0, MAX_ROUGE_TOKENS)]));
    expect(MAX_ROUGE_TOKENS).toBe(1000);
  });

  it("computes the LCS over the shorter list whichever side it is on", () => {
    const a = "a b c d e f g".split(" ");
    const b = "x b y d f".split(" ");
    expect(lcsLength(a, b)).toBe(3);
    expect(lcsLength(b, a)).toBe(3);
  });
});

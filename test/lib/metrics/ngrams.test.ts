import { describe, expect, it } from "vitest";
import { countPairs, encodePairs, Vocabulary } from "../../../src/lib/metrics/ngrams.js";

describe("Vocabulary", () => {
  it("keeps every token's id as the table grows, looked up as a string or as a range of text read lower-cased", () => {
    const vocabulary = new Vocabulary();
    const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
    const ids = words.map((w) => vocabulary.id(w));
    expect(ids).toEqual(words.map((_, i) => i));
    expect(words.map((w) => vocabulary.id(w))).toEqual(ids);
    const text = ` ${words.join(" ").toUpperCase()} `;
    let at = 1;
    const ranged = words.map((w) => {
      const id = vocabulary.idOfRange(text, at, at + w.length);
      at += w.length + 1;
      return id;
    });
    expect(ranged).toEqual(ids);
    expect(vocabulary.size).toBe(5000);
    expect(vocabulary.idOfRange("A Cat", 2, 5)).toBe(5000);
    expect(vocabulary.tokens[5000]).toBe("cat");
  });
});

describe("countPairs()", () => {
  it("lists each sentence's distinct n-grams per order with their counts, equal n-grams under one id across sentences", () => {
    const c = countPairs([{ candidate: "a b a b".split(" "), references: ["b a b".split(" ")] }], 2);
    const segment = (s: number, k: number) => Array.from(c.ids.subarray(c.offsets[s * 2 + k], c.offsets[s * 2 + k + 1]));
    const counts = (s: number, k: number) => Array.from(c.counts.subarray(c.offsets[s * 2 + k], c.offsets[s * 2 + k + 1]));
    const [a, b] = segment(0, 0);
    const [ab, ba] = segment(0, 1);
    expect(counts(0, 0)).toEqual([2, 2]);
    expect(counts(0, 1)).toEqual([2, 1]);
    expect(segment(1, 0)).toEqual([b, a]);
    expect(segment(1, 1)).toEqual([ba, ab]);
    expect(new Set([a, b, ab, ba]).size).toBe(4);
    expect(Math.max(a!, b!, ab!, ba!)).toBeLessThan(c.idLimit);
    expect(Array.from(c.lengths)).toEqual([4, 3]);
    expect(encodePairs([{ candidate: ["x"], references: [[], ["x", "y"]] }]).starts).toEqual(new Int32Array([0, 1, 1, 3]));
  });
});

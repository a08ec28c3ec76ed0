import { describe, expect, it } from "vitest";
import { bleu } from "../../../src/lib/metrics/index.js";
import { pair, vectorPairs } from "./fixtures.js";

describe("bleu()", () => {
  it("matches the toolkit's test vector to 4 decimals, with its counts", () => {
    const r = bleu(vectorPairs());
    expect(r.bleu.map((b) => b.toFixed(4))).toEqual(["0.4278", "0.4059", "0.4390", "0.4565"]);
    expect({ testlen: r.testlen, reflen: r.reflen, guess: r.guess, correct: r.correct }).toEqual({ testlen: 6, reflen: 10, guess: [6, 4, 2, 1], correct: [5, 3, 2, 1] });
  });

  it("clips n-gram counts by the most generous single reference, not the sum over references", () => {
    // "the" appears once in each reference: two references do not license two "the"s.
    const r = bleu([pair("the the the", "the cat", "the dog")], 1);
    expect(r.correct).toEqual([1]);
    const generous = bleu([pair("the the the", "the the cat")], 1);
    expect(generous.correct).toEqual([2]);
  });

  it("picks the closest reference length, the shorter one on a tie", () => {
    expect(bleu([pair("a b c d", "a b c d e f", "a")]).reflen).toBe(6);
    expect(bleu([pair("a b c d", "a b c d e", "a b c")]).reflen).toBe(3);
  });

  it("applies the brevity penalty exp(1 - R/C) only when the candidates are shorter", () => {
    const short = bleu([pair("a b", "a b c d")], 1);
    expect(short.bleu[0]).toBeCloseTo(Math.exp(1 - 4 / 2), 8);
    const long = bleu([pair("a b c d e f", "a b c")], 1);
    expect(long.bleu[0]).toBeCloseTo(3 / 6, 8);
  });

  it("scores an identical caption 1 and an empty caption 0 without dividing by zero", () => {
    const r = bleu([pair("a dog runs on the grass", "a dog runs on the grass"), pair("", "a cat")]);
    expect(r.perImage[0]!.map((b) => b.toFixed(6))).toEqual(["1.000000", "1.000000", "1.000000", "1.000000"]);
    expect(r.perImage[1]!.every((b) => b === 0)).toBe(true);
    expect(r.bleu.every(Number.isFinite)).toBe(true);
  });

  it("pools counts over images for the corpus score instead of averaging per-image scores", () => {
    const r = bleu([pair("a b", "a b"), pair("c d e f", "x y z w")], 1);
    expect(r.bleu[0]).toBeCloseTo(2 / 6, 8);
    expect((r.perImage[0]![0]! + r.perImage[1]![0]!) / 2).not.toBeCloseTo(r.bleu[0]!, 3);
  });
});

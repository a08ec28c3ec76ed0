import { describe, expect, it } from "vitest";
import { ciderD } from "../../../src/lib/metrics/index.js";
import { pair, vectorPairs } from "./fixtures.js";

describe("ciderD()", () => {
  it("matches the toolkit's test vector to 4 decimals, corpus and per image", () => {
    const r = ciderD(vectorPairs());
    expect(r.ciderD.toFixed(4)).toBe("0.9614");
    expect(r.perImage.map((x) => x.toFixed(4))).toEqual(["1.3641", "0.5587"]);
  });

  it("scores a single image 0, because every n-gram's IDF over one image is log(1/1) = 0", () => {
    expect(ciderD([pair("a dog runs", "a dog runs")]).ciderD).toBe(0);
  });

  it("takes IDF from the evaluated set: the same image scores differently beside other images", () => {
    const target = pair("a dog on grass", "a dog on the grass", "a brown dog on grass");
    const alone = ciderD([target, pair("a cat", "a cat sleeps")]).perImage[0]!;
    const crowded = ciderD([target, pair("a dog", "a dog on grass"), pair("a cat", "a cat sleeps")]).perImage[0]!;
    expect(alone).not.toBeCloseTo(crowded, 3);
  });

  it("clips a repeated n-gram by the reference's weight, so repetition does not pay (CIDEr-D)", () => {
    const others = [pair("a cat sleeps", "a cat sleeps on a sofa"), pair("two birds", "two birds fly")];
    const once = ciderD([pair("dog running", "dog running fast"), ...others]).perImage[0]!;
    const repeated = ciderD([pair("dog dog dog running", "dog running fast"), ...others]).perImage[0]!;
    expect(repeated).toBeLessThan(once);
  });

  it("gives an identical caption 10 (cosine 1 for every n, times 10)", () => {
    const others = [pair("x y z", "x y z"), pair("p q r", "p q r")];
    expect(ciderD([pair("a b c d", "a b c d"), ...others]).perImage[0]).toBeCloseTo(10, 8);
  });

  it("multiplies by the Gaussian length penalty exp(-delta^2 / (2 * 6^2))", () => {
    const data = [pair("a b c d", "a b c d e f g h i j"), pair("x y z", "x y z")];
    const penalised = ciderD(data).perImage[0]!;
    const unpenalised = ciderD(data, { sigma: 1e9 }).perImage[0]!;
    expect(penalised / unpenalised).toBeCloseTo(Math.exp(-(6 ** 2) / (2 * 6 ** 2)), 10);
  });

  it("scores an empty caption 0", () => {
    expect(ciderD([pair("", "a b"), pair("c d", "c d")]).perImage[0]).toBe(0);
  });
});

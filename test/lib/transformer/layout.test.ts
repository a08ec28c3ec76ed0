import { describe, expect, it } from "vitest";
import { attends, attentionBias, checkConfig, dallePattern, layoutOf, patternAllows, smallConfig } from "../../../src/lib/transformer/index.js";

/** Allowed keys (image indices ≤ i) of image token i on a grid, as a grid of 0/1 rows for reading. */
function picture(kind: "dense" | "row" | "column" | "conv", grid: number, i: number, kernel = 3): string[] {
  return Array.from({ length: grid }, (_, r) => Array.from({ length: grid }, (_, c) => (patternAllows(kind, grid, kernel, i, r * grid + c) ? "1" : ".")).join(""));
}

describe("sparse attention patterns among image tokens (4×4 grid, query token 10 = row 2, column 2)", () => {
  it("row: the previous grid positions, the current row's start and the previous row's tail", () => {
    expect(picture("row", 4, 10)).toEqual(["....", "...1", "111.", "...."]);
  });
  it("column: the same column in earlier rows", () => {
    expect(picture("column", 4, 10)).toEqual(["..1.", "..1.", "..1.", "...."]);
  });
  it("conv (3×3): the causal part of the window around the query", () => {
    expect(picture("conv", 4, 10)).toEqual(["....", ".111", ".11.", "...."]);
  });
  it("dense: every earlier image token", () => {
    expect(picture("dense", 4, 10)).toEqual(["1111", "1111", "111.", "...."]);
  });
});

describe("the sequence layout and masks", () => {
  const c = smallConfig({ textVocab: 50, textLength: 3, grid: 2, nLayers: 2 });
  const layout = layoutOf(c);

  it("puts text first for text-to-image and image first for image-to-text", () => {
    expect(layout).toEqual({ length: 7, textStart: 0, imageStart: 3, imageTokens: 4 });
    expect(layoutOf({ ...c, direction: "image-to-text" })).toEqual({ length: 7, textStart: 4, imageStart: 0, imageTokens: 4 });
  });

  it("is causal: no position attends to a later one, whatever the pattern", () => {
    for (const kind of ["dense", "row", "column", "conv"] as const) for (let q = 0; q < 7; q++) for (let k = q + 1; k < 7; k++) expect(attends(c, layout, kind, q, k)).toBe(false);
  });

  it("lets image tokens see all text but restricts image-to-image pairs to the pattern", () => {
    // Input position p carries s[p-1]; position 6 carries image token 2 (row 1, col 0), position 4 image token 0.
    expect(attends(c, layout, "column", 6, 1)).toBe(true); // text
    expect(attends(c, layout, "column", 6, 4)).toBe(true); // image 0, same column
    expect(attends(c, layout, "column", 6, 5)).toBe(false); // image 1, other column
    expect(attends(c, layout, "row", 6, 5)).toBe(true);
  });

  it("encodes the mask as an additive bias of 0 and −1e9", () => {
    const bias = attentionBias(c, "column");
    expect(bias.length).toBe(49);
    expect(bias[6 * 7 + 5]).toBe(-1e9);
    expect(bias[6 * 7 + 4]).toBe(0);
    expect(bias[0 * 7 + 1]).toBe(-1e9);
  });

  it("follows DALL-E's layer pattern: row, column, row, row …, conv last", () => {
    expect(dallePattern(6)).toEqual(["row", "column", "row", "row", "row", "conv"]);
  });

  it("rejects bad configs naming the field and the valid values", () => {
    expect(() => checkConfig({ ...c, nHeads: 3 })).toThrow(/divisible by nHeads/);
    expect(() => checkConfig({ ...c, attention: ["row"] })).toThrow(/attention lists 1 layers, nLayers is 2/);
    expect(() => checkConfig({ ...c, attention: ["row", "diagonal" as never] })).toThrow(/dense, row, column, conv/);
    expect(() => checkConfig({ ...c, convKernel: 4 })).toThrow(/odd/);
    expect(() => checkConfig({ ...c, textLength: 0 })).toThrow(/textLength must be an integer from 1 to 256/);
  });
});

import { describe, expect, it } from "vitest";
import { STYLES, emojiNames, emojiSourceFromSheet, sceneSvg, makeScene, Rng } from "../../../src/lib/synth/index.js";
import { DEFAULT_SAMPLE_PAGES, emojiSheet, packageEmoji, sampleConfigFromEnv } from "../../../src/lib/synth/node-index.js";

describe("the loaders' sample configuration", () => {
  it("defaults to seed 1, 200 pages and the decorrelated world", () => {
    expect(sampleConfigFromEnv({})).toEqual({ seed: "1", pages: DEFAULT_SAMPLE_PAGES, world: "decorrelated" });
    expect(DEFAULT_SAMPLE_PAGES).toBe(200);
  });

  it("reads CCW_SYNTH_PAGES, CCW_SYNTH_SEED and CCW_SYNTH_WORLD", () => {
    expect(sampleConfigFromEnv({ CCW_SYNTH_PAGES: "50", CCW_SYNTH_SEED: "abc", CCW_SYNTH_WORLD: "coco-like" })).toEqual({ seed: "abc", pages: 50, world: "coco-like" });
  });

  it("rejects bad values, naming the variable and what is valid", () => {
    expect(() => sampleConfigFromEnv({ CCW_SYNTH_PAGES: "lots" })).toThrow(/CCW_SYNTH_PAGES must be an integer from 1 to 1000000, got "lots"/);
    expect(() => sampleConfigFromEnv({ CCW_SYNTH_WORLD: "mars" })).toThrow(/CCW_SYNTH_WORLD: unknown world "mars"; valid: coco-like, decorrelated/);
  });
});

describe("the emoji sheet for the browser renderer", () => {
  it("holds every vocabulary emoji in every style, and composes the same SVG as the package source", () => {
    const sheet = emojiSheet();
    expect(Object.keys(sheet)).toHaveLength(emojiNames().length * STYLES.length);
    const scene = makeScene(new Rng("sheet"), { id: "s", width: 300, height: 200, style: "flat", world: "coco-like", maxInstances: 4 });
    expect(sceneSvg(scene, emojiSourceFromSheet(sheet))).toBe(sceneSvg(scene, packageEmoji));
  });

  it("names a missing emoji", () => {
    expect(() => emojiSourceFromSheet({})("flat", "dog")).toThrow(/emoji flat\/dog is not in the sheet/);
    expect(() => packageEmoji("flat", "no-such-emoji")).toThrow(/fluentui-emoji has no flat\/no-such-emoji\.svg/);
  });
});

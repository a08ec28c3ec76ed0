import { describe, expect, it } from "vitest";
import * as reference from "../../../src/lib/reference/index.js";
import type { Reference } from "../../../src/lib/reference/index.js";

/** Walks every exported constant and yields each Reference found in it. */
function* references(value: unknown, path: string): Generator<[string, Reference<unknown>]> {
  if (value && typeof value === "object") {
    if ("value" in value && "source" in value && "unit" in value) {
      yield [path, value as Reference<unknown>];
      return;
    }
    for (const [key, child] of Object.entries(value)) yield* references(child, `${path}.${key}`);
  }
}

describe("the reference constants", () => {
  const all = [...references(Object.fromEntries(Object.entries(reference).filter(([, v]) => typeof v !== "function")), "reference")];

  it("are many, and every one names its paper, place and unit", () => {
    expect(all.length).toBeGreaterThan(50);
    for (const [path, r] of all) {
      expect(r.source.paper, path).not.toBe("");
      expect(r.source.where, path).not.toBe("");
      expect(r.unit, path).not.toBe("");
    }
  });

  it("hold the Conceptual Captions headline numbers", () => {
    expect(reference.RELEASED_TRAIN_PAIRS.value).toBe(3_318_333);
    expect(reference.INPUT_IMAGES.value).toBe(5e9);
    expect(reference.INPUT_PAGES.value).toBe(1e9);
    expect(reference.OVERALL_YIELD.value).toBe(0.002);
    expect(reference.CC3M_RULES.minSidePx.value).toBe(400);
    expect(reference.CC3M_RULES.maxAspectRatio.value).toBe(2);
    expect(reference.CC12M_RULES.maxAspectRatio.value).toBe(2.5);
    expect(reference.CC12M_RULES.releasedPairs.value).toBe(12_423_374);
  });

  it("give the DALL-E text/image loss weights that sum to one", () => {
    expect(reference.TRANSFORMER.textLossWeight.value + reference.TRANSFORMER.imageLossWeight.value).toBe(1);
  });

  it("keep the captioner human evaluation ordered by 1+, 2+, 3+ GOOD votes", () => {
    for (const row of reference.CAPTIONER_HUMAN_EVAL) {
      expect(row.good1.value).toBeGreaterThanOrEqual(row.good2.value);
      expect(row.good2.value).toBeGreaterThanOrEqual(row.good3.value);
    }
  });
});

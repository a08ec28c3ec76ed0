import { describe, expect, it } from "vitest";
import {
  PAIR_COLUMNS, checkCompositions, chooseHeldoutCompositions, compositionKey, heldoutCompositionOf, pairFromRow, pairRow, resolveSplitOptions, sortedUnique, splitCounts, splitOf,
  type Pair, type PairRow,
} from "../../../src/lib/pairs/index.js";
import { generateCrawl, mentionedCategories } from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";

// Realistic rows: the synthetic crawl's images with one COCO-style caption each.
const rows = generateCrawl({ seed: "split-test", pages: 1500 }, defaultNameLists()).images.map((im) => ({
  imageId: im.id,
  mentioned: sortedUnique(mentionedCategories(im.captions[0]!)),
  objects: sortedUnique(im.scene.objects.map((o) => o.category)),
}));

function pairCounts(list: readonly { mentioned: readonly string[] }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of list) for (const a of r.mentioned) for (const b of r.mentioned) if (a < b) counts.set(compositionKey(a, b), (counts.get(compositionKey(a, b)) ?? 0) + 1);
  return counts;
}

describe("chooseHeldoutCompositions()", () => {
  const options = { share: 0.1, seed: "7", minCount: 4 };
  const heldout = chooseHeldoutCompositions(rows, options);

  it("holds out about `share` of the compositions mentioned together at least minCount times, each sorted, the list sorted", () => {
    const eligible = [...pairCounts(rows)].filter(([, n]) => n >= options.minCount);
    expect(eligible.length).toBeGreaterThan(20);
    expect(heldout.length).toBe(Math.round(0.1 * eligible.length));
    const eligibleKeys = new Set(eligible.map(([k]) => k));
    for (const [a, b] of heldout) {
      expect(a < b).toBe(true);
      expect(eligibleKeys.has(compositionKey(a, b))).toBe(true);
    }
    expect(heldout.map(([a, b]) => `${a}+${b}`)).toEqual(heldout.map(([a, b]) => `${a}+${b}`).sort());
  });

  it("is deterministic in the seed and does not depend on row order", () => {
    expect(chooseHeldoutCompositions([...rows].reverse(), options)).toEqual(heldout);
    expect(chooseHeldoutCompositions(rows, { ...options, seed: "8" })).not.toEqual(heldout);
  });

  it("holds out at least one composition when any qualify, none at share 0 or when none qualify", () => {
    expect(chooseHeldoutCompositions(rows, { ...options, share: 1e-6 })).toHaveLength(1);
    expect(chooseHeldoutCompositions(rows, { ...options, share: 0 })).toEqual([]);
    expect(chooseHeldoutCompositions(rows, { ...options, minCount: 1_000_000 })).toEqual([]);
  });

  it("rejects a share outside [0, 1] and a minCount below 1, naming them", () => {
    expect(() => chooseHeldoutCompositions(rows, { ...options, share: 1.5 })).toThrow(/share must be a share in \[0, 1\], got 1.5/);
    expect(() => chooseHeldoutCompositions(rows, { ...options, minCount: 0 })).toThrow(/minCount must be an integer of at least 1, got 0/);
  });
});

describe("splitOf()", () => {
  const heldout = chooseHeldoutCompositions(rows, { share: 0.1, seed: "7", minCount: 4 });
  const split = (r: (typeof rows)[number]) => splitOf(r, heldout, { valShare: 0.05, seed: "7" });
  const splits = rows.map(split);

  it("gives every row exactly one of train, val, heldout", () => {
    expect(splits.every((s) => s === "train" || s === "val" || s === "heldout")).toBe(true);
    expect(new Set(splits)).toEqual(new Set(["train", "val", "heldout"]));
  });

  it("never lets the two categories of a held-out composition meet in a train or val row, in the caption, the image or across them", () => {
    const meetings = rows.filter((r, i) => splits[i] !== "heldout").flatMap((r) => {
      const present = new Set([...r.mentioned, ...r.objects]);
      return heldout.filter(([a, b]) => present.has(a) && present.has(b)).map(([a, b]) => `${r.imageId}: ${a}+${b}`);
    });
    expect(meetings).toEqual([]);
    expect(splits.filter((s) => s === "heldout").length).toBeGreaterThan(0);
  });

  it("sends a row to heldout when the pair is mentioned, drawn, or half mentioned and half drawn", () => {
    const [a, b] = heldout[0]!;
    const opts = { valShare: 1, seed: "7" }; // everything else would be val
    expect(splitOf({ imageId: "x", mentioned: [a, b], objects: [] }, heldout, opts)).toBe("heldout");
    expect(splitOf({ imageId: "x", mentioned: [], objects: [a, b] }, heldout, opts)).toBe("heldout");
    expect(splitOf({ imageId: "x", mentioned: [a], objects: [b] }, heldout, opts)).toBe("heldout");
    expect(splitOf({ imageId: "x", mentioned: [a], objects: [a] }, heldout, opts)).toBe("val");
    expect(heldoutCompositionOf({ mentioned: [b], objects: [a] }, heldout)).toEqual([a, b]);
  });

  it("puts about valShare of the other images in val, by image id alone (deterministic, order-free)", () => {
    const others = splits.filter((s) => s !== "heldout").length;
    const val = splits.filter((s) => s === "val").length / others;
    expect(val).toBeGreaterThan(0.03);
    expect(val).toBeLessThan(0.07);
    expect([...rows].reverse().map(split)).toEqual([...splits].reverse());
  });

  it("counts rows and distinct images per split", () => {
    const pairs = [
      { imageId: "a", split: "train" as const }, { imageId: "a", split: "train" as const }, { imageId: "b", split: "heldout" as const },
    ];
    expect(splitCounts(pairs)).toEqual({ counts: { train: 2, val: 0, heldout: 1 }, images: { train: 1, val: 0, heldout: 1 } });
  });
});

describe("split options and given compositions", () => {
  it("fills defaults and rejects bad values, naming them", () => {
    expect(resolveSplitOptions({ valShare: 0.1 }).valShare).toBe(0.1);
    expect(() => resolveSplitOptions({ heldoutShare: -1 })).toThrow(/heldoutShare must be a share in \[0, 1\], got -1/);
    expect(() => resolveSplitOptions({ minCount: 2.5 })).toThrow(/minCount must be an integer/);
  });

  it("checks given compositions: two different known categories, returned sorted and de-duplicated", () => {
    expect(checkCompositions([["dog", "cat"], ["cat", "dog"], ["bus", "apple"]])).toEqual([["apple", "bus"], ["cat", "dog"]]);
    expect(() => checkCompositions([["dog", "unicorn"]])).toThrow(/unknown category "unicorn"; valid: person, /);
    expect(() => checkCompositions([["dog", "dog"]])).toThrow(/names one category twice/);
    expect(() => checkCompositions([["dog"]])).toThrow(/two categories/);
  });
});

describe("pair rows", () => {
  it("round-trip through the stored row form, and name a bad split", () => {
    const pair: Pair = {
      id: "c-000001-0", imageId: "img-000001-0", caption: "a dog on a bed", altText: "Rex on a bed", style: "flat",
      objects: ["bed", "dog"], mentioned: ["bed", "dog"], tokens: Int32Array.from([1, 2, 3, 4]), pixels: Uint8Array.from([9, 8, 7]), split: "val",
    };
    const row = pairRow(pair);
    expect(Object.keys(row)).toEqual(PAIR_COLUMNS.map((c) => c.name));
    expect(pairFromRow(row)).toEqual(pair);
    expect(() => pairFromRow({ ...row, split: "test" } as PairRow)).toThrow(/split "test"; valid: train, val, heldout/);
  });
});

import { describe, expect, it } from "vitest";
import {
  combineRatings, fleissKappa, itemKey, kOrMoreGood, parseRatingsFile, raterOrder, ratingItems, ratingsKappa, RATINGS_FORMAT, type RatingsFile,
} from "../../../src/lib/captioning/index.js";

const file = (rater: string, ratings: Record<string, "good" | "bad">): RatingsFile => ({ format: RATINGS_FORMAT, version: 1, rater, ratings });

describe("fleissKappa()", () => {
  it("is 1/3 for two raters who agree on two of three items and split on the third (worked by hand)", () => {
    // P_i = 1, 1, 0 → P̄ = 2/3; p_good = p_bad = 1/2 → P_e = 1/2; κ = (2/3 − 1/2) / (1 − 1/2) = 1/3.
    expect(fleissKappa([[2, 0], [0, 2], [1, 1]])).toBeCloseTo(1 / 3, 12);
  });

  it("is 1 for perfect agreement with both categories used, and negative for systematic disagreement", () => {
    expect(fleissKappa([[3, 0], [0, 3], [3, 0]])).toBe(1);
    // Two raters always disagree: P̄ = 0, P_e = 1/2 → κ = −1.
    expect(fleissKappa([[1, 1], [1, 1]])).toBe(-1);
  });

  it("matches Fleiss' (1971) worked example: 10 items, 14 raters, 5 categories, κ ≈ 0.210", () => {
    const table = [
      [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ];
    expect(fleissKappa(table)).toBeCloseTo(0.20993, 4);
  });

  it("is NaN when every vote falls in one category (chance agreement is certain)", () => {
    expect(fleissKappa([[2, 0], [2, 0]])).toBeNaN();
  });

  it("rejects items with unequal numbers of ratings and items with a single rating, naming them", () => {
    expect(() => fleissKappa([[2, 0], [1, 0]])).toThrow(/item 1 has 1 ratings but item 0 has 2/);
    expect(() => fleissKappa([[1, 0]])).toThrow(/at least 2 ratings/);
  });
});

describe("the rating workflow", () => {
  const images = [
    { imageId: "a", captions: { coco: { caption: "a dog" }, conceptual: { caption: "an animal" } } },
    { imageId: "b", captions: { coco: { caption: "a cat" }, conceptual: { caption: "a cat on grass" } } },
  ];

  it("ratingItems() lists one item per image and model, keyed by image and model", () => {
    const items = ratingItems(images, ["coco", "conceptual"]);
    expect(items.map((i) => i.key)).toEqual([itemKey("a", "coco"), itemKey("a", "conceptual"), itemKey("b", "coco"), itemKey("b", "conceptual")]);
    expect(items[1]!.caption).toBe("an animal");
  });

  it("raterOrder() is the same for one rater every time and a permutation of the items", () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const alice = raterOrder(items, "alice");
    expect(raterOrder(items, "alice")).toEqual(alice);
    expect([...alice].sort((x, y) => x - y)).toEqual(items);
    expect(raterOrder(items, "bob")).not.toEqual(alice);
  });

  it("combines three raters into the k-or-more GOOD table per model (worked by hand)", () => {
    const ka = itemKey("a", "coco");
    const kb = itemKey("b", "coco");
    const kc = itemKey("a", "conceptual");
    const kd = itemKey("b", "conceptual");
    const combined = combineRatings([
      file("r1", { [ka]: "good", [kb]: "bad", [kc]: "good", [kd]: "good" }),
      file("r2", { [ka]: "good", [kb]: "bad", [kc]: "bad", [kd]: "good" }),
      file("r3", { [ka]: "bad", [kb]: "bad", [kc]: "good", [kd]: "good", }),
    ]);
    const modelOf = (key: string) => key.split("|")[1];
    const table = kOrMoreGood(combined, modelOf, ["coco", "conceptual"]);
    // coco: votes 2 and 0 → 1+: 1/2, 2+: 1/2, 3+: 0. conceptual: votes 2 and 3 → 1, 1, 1/2.
    expect(table).toEqual([
      { model: "coco", items: 2, share: [0.5, 0.5, 0] },
      { model: "conceptual", items: 2, share: [1, 1, 0.5] },
    ]);
    // Counts [good, bad]: [2,1], [0,3], [2,1], [3,0]; P_i = 1/3, 1, 1/3, 1 → P̄ = 2/3; p_good = 7/12 → P_e = 85/144.
    const pe = (49 + 25) / 144;
    expect(ratingsKappa(combined)).toBeCloseTo((2 / 3 - pe) / (1 - pe), 12);
  });

  it("counts items only some raters rated as partial and leaves them out of the table", () => {
    const combined = combineRatings([file("r1", { x: "good", y: "bad" }), file("r2", { x: "bad" })]);
    expect(combined.items).toEqual([{ key: "x", good: 1, bad: 1 }]);
    expect(combined.partial).toBe(1);
  });

  it("a single rater gives a one-column table and no kappa", () => {
    const combined = combineRatings([file("solo", { [itemKey("a", "coco")]: "good" })]);
    expect(kOrMoreGood(combined, (k) => k.split("|")[1], ["coco"])).toEqual([{ model: "coco", items: 1, share: [1] }]);
    expect(ratingsKappa(combined)).toBeNaN();
  });

  it("refuses the same rater twice", () => {
    expect(() => combineRatings([file("r", {}), file("r", {})])).toThrow(/rater "r"/);
  });

  it("parseRatingsFile() round-trips an exported file and names what is wrong otherwise", () => {
    const f = file("ann", { [itemKey("a", "coco")]: "good" });
    expect(parseRatingsFile(JSON.parse(JSON.stringify(f)))).toEqual(f);
    expect(() => parseRatingsFile([])).toThrow(/expected an object/);
    expect(() => parseRatingsFile({ ...f, format: "x" })).toThrow(/format must be "ccw-caption-ratings"/);
    expect(() => parseRatingsFile({ ...f, rater: "" })).toThrow(/rater must be a non-empty name/);
    expect(() => parseRatingsFile({ ...f, ratings: { k: "great" } })).toThrow(/rated "great"; valid: good, bad/);
    expect(() => parseRatingsFile(f, new Set(["other"]))).toThrow(/not a caption on this page/);
  });
});

import { describe, expect, it } from "vitest";
import { diffTokens, wordDiff } from "../../../src/lib/attrition/index.js";

describe("wordDiff()", () => {
  it("marks a replaced entity as removed then added, and keeps the rest", () => {
    expect(wordDiff("Henry Moore sculpture in the park", "sculptor sculpture in the park")).toEqual([
      { kind: "removed", text: "henry moore" },
      { kind: "added", text: "sculptor" },
      { kind: "same", text: "sculpture in the park" },
    ]);
  });

  it("marks a dropped location phrase as removed", () => {
    expect(wordDiff("A dog on the beach in Houston, Texas.", "a dog on the beach .")).toEqual([
      { kind: "same", text: "a dog on the beach" },
      { kind: "removed", text: "in houston , texas" },
      { kind: "same", text: "." },
    ]);
  });

  it("rebuilds both sides from its parts", () => {
    const before = "Actor Tom Hanks and actress Meg Ryan at the 2014 festival";
    const after = "actors at the festival";
    const parts = wordDiff(before, after);
    const side = (skip: string) => parts.filter((p) => p.kind !== skip).map((p) => p.text).join(" ");
    expect(side("added")).toBe(diffTokens(before).join(" "));
    expect(side("removed")).toBe(diffTokens(after).join(" "));
  });
});

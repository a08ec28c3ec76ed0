import { describe, expect, it } from "vitest";
import { captionStems, groundingDecision, groundingFeatures, resolveConfig, stemWord } from "../../../src/lib/filter/index.js";

const o = resolveConfig("cc3m").config.grounding;
const ground = (caption: string, labels: [string, number][] | null, labeler = "tsv") =>
  groundingFeatures(caption, labeler, labels && labels.map(([name, confidence]) => ({ name, confidence })), o);

describe("grounding: labels must match a caption token after stemming", () => {
  it("stems plural, irregular and inflected forms to one key", () => {
    expect(stemWord("dogs")).toBe(stemWord("dog"));
    expect(stemWord("people")).toBe(stemWord("person"));
    expect(stemWord("women")).toBe(stemWord("woman"));
    expect(captionStems("Two puppies playing").has(stemWord("puppy"))).toBe(true);
  });

  it("keeps a pair when one label matches and records which", () => {
    const f = ground("Two dogs playing on the beach", [["dog", 0.9], ["sand", 0.8], ["vehicle", 0.3]]);
    expect(f.matched).toEqual(["dog"]);
    expect(f.labeler).toBe("tsv");
    expect(groundingDecision(f, o).keep).toBe(true);
  });

  it("matches a multi-word label only when all its words occur", () => {
    expect(ground("a traffic light on a street", [["traffic light", 1]]).matched).toEqual(["traffic light"]);
    expect(ground("a light on a street", [["traffic light", 1]]).matched).toEqual([]);
  });

  it("rejects with no_label_match when nothing matches, and no_labels without labels", () => {
    expect(groundingDecision(ground("a cat on a sofa", [["dog", 0.9]]), o).reason).toBe("no_label_match");
    expect(groundingDecision(ground("a cat on a sofa", []), o).reason).toBe("no_labels");
    expect(groundingDecision(ground("a cat on a sofa", null), o).reason).toBe("no_labels");
  });

  it("ignores labels below grounding.minConfidence", () => {
    const strict = { ...o, minConfidence: 0.5 };
    const f = groundingFeatures("a cat on a sofa", "tsv", [{ name: "cat", confidence: 0.4 }], strict);
    expect(groundingDecision(f, strict).reason).toBe("no_label_match");
  });
});

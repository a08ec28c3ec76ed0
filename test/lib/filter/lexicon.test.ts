import { describe, expect, it } from "vitest";
import { ATTESTED_SHARE, estimatedCount, frequencyMap, nameTokenSet, vocabularyTokens, type Lexicon } from "../../../src/lib/filter/lexicon.js";
import { parseWordNet } from "../../../src/lib/wordnet/index.js";
import { toy } from "../wordnet/toy.js";

const wordnet = parseWordNet(toy());
const frequencies = frequencyMap([{ word: "Dog", count: 10 }, { word: "beach", count: 3 }]);
const lexicon = (names: Iterable<string>): Lexicon => ({
  frequencies, wikipediaScale: 70, wordnet, names: nameTokenSet(names, frequencies, wordnet), valence: {}, profanity: {},
});

describe("vocabularyTokens()", () => {
  it("splits at hyphens and underscores, keeps case and possessives, cuts closing quotes, leaves out tokens with digits", () => {
    expect(vocabularyTokens("Calista's close-up of 'Hollywood Homicide' IMG_2041.JPG ice_cream A319 dogs’")).toEqual([
      "Calista's", "close", "up", "of", "Hollywood", "Homicide", "JPG", "ice", "cream", "dogs",
    ]);
  });
});

describe("nameTokenSet()", () => {
  it("keeps the lower-case tokens of names that neither the frequency list nor WordNet knows", () => {
    const names = nameTokenSet(["Calista", "Flockhart", "Saint-Tropez", "Henry_Moore", "Dog", "Rex", "O'Brien's", "X"], frequencies, wordnet);
    expect([...names].sort()).toEqual(["calista", "flockhart", "henry", "moore", "o'brien", "saint", "tropez"]);
  });
});

describe("estimatedCount()", () => {
  const lex = lexicon(["Calista Flockhart", "Deauville"]);
  const attested = ATTESTED_SHARE * 70;

  it("scales frequency-list counts, possessives included, and counts WordNet-only words as attested", () => {
    expect([estimatedCount(lex, "dog"), estimatedCount(lex, "Dog's"), estimatedCount(lex, "poodle")]).toEqual([700, 700, attested]);
  });

  it("counts a listed name as attested when it is written capitalised, and as rare in lower case", () => {
    expect(["Calista", "Flockhart's", "DEAUVILLE", "calista", "deauville", "Zorblax"].map((w) => estimatedCount(lex, w))).toEqual([attested, attested, attested, 0, 0, 0]);
  });

  it("memoises by the word as given, so the case of a name is not lost", () => {
    const cache = new Map<string, number>();
    expect([estimatedCount(lex, "calista", cache), estimatedCount(lex, "Calista", cache)]).toEqual([0, attested]);
    expect([...cache]).toEqual([["calista", 0], ["Calista", attested]]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import {
  cropBoilerplate, estimatedCount, LexiconPackError, normalizeAltText, packLexicon, textFeatures, transformCaption, unpackLexicon, type Lexicon, type LexiconPack,
} from "../../../src/lib/filter/index.js";
import { candidateRows, generateCrawl } from "../../../src/lib/synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../../../src/lib/synth/node-index.js";
import { instanceClasses, isKnownWord, nounLemma } from "../../../src/lib/wordnet/index.js";
import { lexicon } from "./helpers.js";

let full: Lexicon;
let json: string;
let packed: Lexicon;
beforeAll(async () => {
  full = await lexicon();
  json = JSON.stringify(packLexicon(full));
  packed = unpackLexicon(JSON.parse(json) as LexiconPack);
});

const SENTENCES = [
  "Tom Cruise and Nicole Kidman attend the premiere of Eyes Wide Shut at the Cannes Film Festival in Cannes, France",
  "Two sculptures by Henry Moore adorn trees outside the derelict Enron offices in Houston, Texas - Stock Image",
  "Delta Air Lines Boeing 777 aircraft - Stock Image",
  "A view of Paris from the Eiffel Tower on June 12, 2014",
  "un perro en la playa con una pelota",
  "ice_cream x-ray zyzzyva's qwertyuiop floccinaucinihilipilification",
  "IMG_2041.JPG",
  "#sunset #beach #love",
];

describe("the packed lexicon a page fetches", () => {
  it("stays under 3 MB of JSON", () => {
    expect(json.length).toBeLessThan(3e6);
  });

  it("keeps every frequency-list count, every WordNet lemma and noun lemma, and every name token", () => {
    expect(packed.frequencies).toEqual(full.frequencies);
    expect(packed.names).toEqual(full.names);
    expect(packed.wordnet!.lemmas).toEqual(full.wordnet!.lemmas);
    expect(new Set(packed.wordnet!.nouns.keys())).toEqual(new Set(full.wordnet!.nouns.keys()));
    expect([packed.wikipediaScale, packed.valence, packed.profanity]).toEqual([full.wikipediaScale, full.valence, full.profanity]);
  });

  it("answers the vocabulary and instance questions as the full WordNet does", () => {
    const fw = full.wordnet!, pw = packed.wordnet!;
    const names = ["Paris", "Houston", "Henry Moore", "Ohio", "Texas", "Cannes", "Tracy", "Mount Everest", "Nile"];
    for (const name of names) expect([name, instanceClasses(pw, name)]).toEqual([name, instanceClasses(fw, name)]);
    const nameTokens = [...full.names].filter((_, i) => i % 97 === 0).flatMap((n) => [n, n[0]!.toUpperCase() + n.slice(1)]);
    const words = [...fw.lemmas].filter((_, i) => i % 97 === 0).concat(nameTokens, ["dogs", "sitting", "zebras", "qwertyuiop", "women's", "Flockhart", "Deauville's"]);
    for (const w of words) {
      expect([w, isKnownWord(pw, w), nounLemma(pw, w), estimatedCount(packed, w)]).toEqual([w, isKnownWord(fw, w), nounLemma(fw, w), estimatedCount(full, w)]);
    }
  });

  it("gives the same text features and transformed captions as the full lexicon on the built-in crawl and hand-picked sentences", () => {
    const crawl = generateCrawl(sampleConfigFromEnv({ CCW_SYNTH_PAGES: "40" }), defaultNameLists());
    const alts = [...candidateRows(crawl).map((r) => (r.alt_present ? r.alt_text : null)), ...SENTENCES];
    expect(alts.length).toBeGreaterThan(100);
    for (const alt of alts) {
      const text = cropBoilerplate(normalizeAltText(alt ?? "")).text;
      expect([alt, textFeatures(alt, packed)]).toEqual([alt, textFeatures(alt, full)]);
      expect([alt, transformCaption(text, "hypernymize", packed.wordnet)]).toEqual([alt, transformCaption(text, "hypernymize", full.wordnet)]);
    }
  });

  it("refuses a document that is not a pack, naming the expected format", () => {
    expect(() => unpackLexicon({ format: "something-else" } as unknown as LexiconPack)).toThrow(LexiconPackError);
    expect(() => unpackLexicon({ format: "something-else" } as unknown as LexiconPack)).toThrow(/expected "ccw-lexicon-pack\/2"/);
    const pack = JSON.parse(json) as LexiconPack;
    expect(() => unpackLexicon({ ...pack, kinds: pack.kinds.slice(1) })).toThrow(/counts and .* kinds/);
  });
});

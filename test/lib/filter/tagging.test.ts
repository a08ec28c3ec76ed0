import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import nlp from "compromise";
import "../../../src/lib/filter/nlp.js";
import { MAX_BATCH, referenceTerms, tagMany, tagTerms, useOriginalSweep } from "../../../src/lib/filter/tagging.js";
import { generateCrawl } from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";

const TSV = join(resolve(import.meta.dirname, "..", "..", ".."), "..", "shared", "datasets", "conceptual-captions", "Validation_GCC-1.1.0-Validation.tsv");
const present = existsSync(TSV);
if (!present) console.warn(`skipping tagTerms() on the CC3M captions: ${TSV} is absent (it lives in ../shared/datasets beside the repo)`);

/**
 * Texts whose terms differ from the plain compromise call of each alone (at most `show` of them, with both term
 * lists); with `batch`, tagged tagMany() `batch` at a time first.
 */
function mismatches(texts: readonly string[], batch = 0, show = 3): { count: number; examples: unknown[] } {
  const examples: unknown[] = [];
  let count = 0;
  texts.forEach((text, i) => {
    if (batch > 0 && i % batch === 0) tagMany(texts.slice(i, i + batch));
    const fast = tagTerms(text);
    const plain = referenceTerms(text);
    if (JSON.stringify(fast) === JSON.stringify(plain)) return;
    if (count++ < show) examples.push({ text, fast, plain });
  });
  return { count, examples };
}

describe("tagTerms()", () => {
  it("lists the terms, their pre/post text and tags exactly as nlp(text).json() on every alt-text of a 700-page synthetic crawl", () => {
    const texts = generateCrawl({ seed: "tagging", pages: 700 }, defaultNameLists()).images.map((im) => im.alt.text);
    expect(texts.length).toBeGreaterThan(1500);
    expect(mismatches(texts)).toEqual({ count: 0, examples: [] });
  }, 120_000);

  it("agrees on hand-made edge cases: empty, punctuation only, several sentences, commas, contractions, hyphens, brackets, quotes, non-Latin, long", () => {
    const texts = [
      "", " ", "...", "#", "a", "I", "Don't stop!", "It's Mr. O'Neil's dog. He isn't here; she'll come, won't she?",
      "close-up of a red, white and blue flag (2011) on June 12, 2014", "\"Hollywood Homicide\" premiere in Los Angeles, California",
      "Ein Zebra und zwei Lastwagen im Park", "東京の夜景", "IMG_2041.JPG", "#happy #beach #nofilter", "stock, umbrella cheap, city umbrella, free",
      "Henry Moore and Barbara Hepworth, sculptors, at the 29th American Film Festival.", "2 dogs & 3 cats — running!!!",
      Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? "the" : i % 3 === 0 ? "Dog," : "runs")).join(" "),
    ];
    expect(mismatches(texts)).toEqual({ count: 0, examples: [] });
  });

  it("gives a repeated text the same frozen terms, and the memo never leaks one text's terms into another's", () => {
    const a = tagTerms("A dog on the beach");
    expect(tagTerms("A dog on the beach")).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a[0]) && Object.isFrozen(a[0]!.tags)).toBe(true);
    for (const t of ["one", "two", "three", "four", "five"]) tagTerms(t);
    const again = tagTerms("A dog on the beach");
    expect(again).not.toBe(a);
    expect(again).toEqual(a);
    expect(tagTerms("A cat on the beach").map((t) => t.text)).toEqual(["A", "cat", "on", "the", "beach"]);
  });

  it("selects the patterns compromise's own sweep selects for a pattern set with repeated match strings, needs, wants and ifNo", () => {
    const words = ["dog", "cat", "beach", "park", "red", "runs", "sits", "the", "a", "on"];
    const patterns = words.flatMap((w, i) => [
      { match: `${w} #Noun`, tag: "Foo" },
      // The same match string twice: compromise keeps the first.
      { match: `${w} #Noun`, tag: "Bar" },
      { match: `(${w}|${words[(i + 1) % words.length]}) #Verb?`, tag: "Baz" },
      { match: `#Determiner ${w}`, ifNo: [words[(i + 2) % words.length]!], tag: "Qux" },
      { match: `[${w}] (on|in) #Noun`, group: 0, tag: "Quux" },
      { match: `#Adjective+ ${w}`, tag: "Corge" },
      { match: `${w} .`, tag: "Grault" },
      { match: `. ${w}`, tag: "Garply" },
    ]);
    const net = nlp.buildNet(patterns);
    const found = (original: boolean, text: string) => {
      useOriginalSweep(original);
      try {
        const { found: hits } = nlp(text).sweep(net, { tagger: false }) as { found: { match: string; tag: string; view: { text(): string } }[] };
        return hits.map((f) => [f.match, f.tag, f.view.text()]);
      } finally {
        useOriginalSweep(false);
      }
    };
    const texts = ["The red dog runs on the beach, a cat sits in the park.", "a dog", "Red cat. The park on a beach", "sits on the red beach dog cat"];
    for (const text of texts) {
      const plain = found(true, text);
      expect(plain.length).toBeGreaterThan(0);
      expect(found(false, text)).toEqual(plain);
    }
  });

  it.skipIf(!present)("agrees with nlp(text).json() on every CC3M validation caption (real data), alone and in batches", () => {
    const captions = readFileSync(TSV, "utf-8").split("\n").filter((l) => l.includes("\t")).map((l) => l.split("\t")[0]!);
    expect(captions.length).toBe(15_833);
    expect(mismatches(captions)).toEqual({ count: 0, examples: [] });
    expect(mismatches(captions, 32)).toEqual({ count: 0, examples: [] });
  }, 300_000);
});

describe("tagMany()", () => {
  it("tags a batch as one document, and each text's terms are what it gets alone, on every alt-text of a 700-page synthetic crawl", () => {
    const texts = generateCrawl({ seed: "tagging", pages: 700 }, defaultNameLists()).images.map((im) => im.alt.text ?? "");
    for (const size of [7, 32, MAX_BATCH]) expect(mismatches(texts, size)).toEqual({ count: 0, examples: [] });
  }, 120_000);

  it("keeps its last batch until the next call: repeated and empty texts, several sentences, more than MAX_BATCH texts", () => {
    const texts = ["A dog on the beach.", "", "A dog on the beach.", "It's Mr. O'Neil's dog. He isn't here; she'll come, won't she?", "東京の夜景", "#happy #beach"];
    tagMany(texts);
    const first = tagTerms(texts[3]!);
    expect(first).toEqual(referenceTerms(texts[3]!));
    expect(tagTerms(texts[3]!)).toBe(first);
    expect(tagTerms("")).toEqual([]);
    tagMany(["Another batch"]);
    expect(tagTerms(texts[3]!)).not.toBe(first);
    const many = Array.from({ length: MAX_BATCH + 5 }, (_, i) => `The ${i}th red dog runs on the beach.`);
    tagMany(many);
    for (const t of [many[0]!, many.at(-1)!]) expect(tagTerms(t)).toEqual(referenceTerms(t));
    tagMany([]);
    expect(tagTerms(many.at(-1)!)).toEqual(referenceTerms(many.at(-1)!));
  });
});

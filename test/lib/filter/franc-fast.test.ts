import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { franc } from "franc-min";
import { describe, expect, it } from "vitest";
import "../../../src/lib/filter/nlp.js";
import { francLanguage } from "../../../src/lib/filter/franc-fast.js";
import { generateCrawl } from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";

const TSV = join(resolve(import.meta.dirname, "..", "..", ".."), "..", "shared", "datasets", "conceptual-captions", "Validation_GCC-1.1.0-Validation.tsv");
const present = existsSync(TSV);
if (!present) console.warn(`skipping francLanguage() on the CC3M captions: ${TSV} is absent (it lives in ../shared/datasets beside the repo)`);

/** Texts (with both answers) where francLanguage differs from franc at minimum length `minLength`. */
const differing = (texts: readonly string[], minLength = 10) =>
  texts.map((t) => ({ t, fast: francLanguage(t, minLength), franc: franc(t, { minLength }) })).filter((r) => r.fast !== r.franc);

describe("francLanguage()", () => {
  it("answers as franc(text, {minLength: 10}) on every alt-text of a 700-page synthetic crawl, in every language it writes", () => {
    const texts = generateCrawl({ seed: "franc", pages: 700 }, defaultNameLists()).images.map((im) => im.alt.text);
    const languages = new Set(texts.map((t) => franc(t, { minLength: 10 })));
    expect(languages.size).toBeGreaterThan(4);
    expect(differing(texts)).toEqual([]);
  });

  it("answers as franc on other scripts, mixed scripts, digits and symbols only, repeated trigrams, short texts and texts past 2,048 characters", () => {
    const texts = [
      "", "a", "short", "1234567890", "!!!???...---", "東京の夜景がきれいです", "서울의 밤 풍경이 아름답다", "Москва ночью очень красивая",
      "Αθήνα τη νύχτα είναι όμορφη", "مدينة القاهرة في الليل جميلة", "तस्वीर में एक कुत्ता है", "ニューヨーク New York 夜景 night view",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "the the the the the the the the", "Ein Zebra und zwei Lastwagen im Park", "Una corbata y un caballo en el cielo",
      `${"A dog runs on the beach near the water. ".repeat(60)}Ein Hund`, "   leading and trailing   spaces   ", "ÀÉÎÕÜ çñß øåæ",
    ];
    for (const minLength of [0, 1, 10, 30]) expect(differing(texts, minLength)).toEqual([]);
  });

  it.skipIf(!present)("answers as franc on every CC3M validation caption (real data)", () => {
    const captions = readFileSync(TSV, "utf-8").split("\n").filter((l) => l.includes("\t")).map((l) => l.split("\t")[0]!);
    expect(captions.length).toBe(15_833);
    expect(differing(captions)).toEqual([]);
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { TOKEN_PATTERN, charCount, compareCodePoints, countTerms, isContentTerm, ngrams, quoteLiteral, tokenize, topTerms } from "../../../src/lib/explore/index.js";
import { openDuckDB, type NodeDuck } from "./duckdb.js";
import { CAPTIONS } from "./fixtures.js";

describe("tokenize()", { timeout: 30_000 }, () => {
  it("lower-cases and keeps runs of letters and digits, with inner apostrophes", () => {
    expect(tokenize("Don't STOP: 42 cafés — naïve!")).toEqual(["don't", "stop", "42", "cafés", "naïve"]);
    expect(tokenize("person 's dog")).toEqual(["person", "s", "dog"]);
    expect(tokenize("don’t")).toEqual(["don’t"]);
    expect(tokenize("... -- !")).toEqual([]);
    expect(tokenize("cafe\u0301 au lait")).toEqual(["cafe\u0301", "au", "lait"]);
  });

  it("agrees with DuckDB's regexp_extract_all(lower(caption)) on the same pattern, and charCount with length()", async () => {
    const db: NodeDuck = await openDuckDB();
    for (const caption of [...CAPTIONS, "Istanbul ÇAĞ", "cafe\u0301 ﬁne straße", "日本語 テキスト 123"]) {
      const [row] = db.run(`SELECT regexp_extract_all(lower(${quoteLiteral(caption)}), ${quoteLiteral(TOKEN_PATTERN)}) AS t, length(${quoteLiteral(caption)})::INTEGER AS n`);
      expect(row!.t, caption).toEqual(tokenize(caption));
      expect(row!.n, caption).toBe(charCount(caption));
    }
  });
});

describe("term counting", () => {
  it("counts unigrams and adjacent bigrams per caption, never across captions", () => {
    const counts = countTerms([["a", "red", "car"], ["red", "car"]], 2);
    expect(Object.fromEntries(counts)).toEqual({ "a red": 1, "red car": 2 });
    expect(ngrams(["x"], 2)).toEqual([]);
  });

  it("orders by count, then by code point, and leaves out terms with a stop word when asked", () => {
    const counts = new Map([["the", 5], ["zebra", 2], ["apple", 2], ["the car", 3], ["red car", 1]]);
    expect(topTerms(counts, 3)).toEqual([{ term: "the", count: 5 }, { term: "the car", count: 3 }, { term: "apple", count: 2 }]);
    const stop = new Set(["the"]);
    expect(topTerms(counts, 10, stop).map((t) => t.term)).toEqual(["apple", "zebra", "red car"]);
    expect(isContentTerm("red the", stop)).toBe(false);
  });

  it("compares by code point like DuckDB, not by UTF-16 unit", () => {
    expect(compareCodePoints("\u{1F436}", "\uFF21")).toBeGreaterThan(0);
    expect("\u{1F436}" < "\uFF21").toBe(true);
    expect(compareCodePoints("ab", "abc")).toBeLessThan(0);
  });
});

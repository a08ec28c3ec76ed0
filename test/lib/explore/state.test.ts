import { describe, expect, it } from "vitest";
import { DEFAULT_STATE, decodeState, encodeState, type ExploreState } from "../../../src/lib/explore/index.js";

describe("explore URL state", () => {
  it("round-trips search, mode, facets (with (none)), ranges, page, stop words and SQL", () => {
    const state: ExploreState = {
      ...DEFAULT_STATE,
      dataset: "cc3m",
      search: `it's "quoted" & <b>50%</b> + more`,
      mode: "word",
      facets: { noise_class: ["good", null], domain: ["a.example"] },
      ranges: { chars: { min: 10, max: null }, words: { min: 3, max: 12 } },
      page: 4,
      stopWords: false,
      sql: "SELECT count(*) FROM cc3m WHERE caption LIKE '%a&b%'",
    };
    const encoded = encodeState(state);
    expect(decodeState(encoded)).toEqual({ state, problems: [] });
    expect(decodeState(`?${encoded}`).state).toEqual(state);
  });

  it("leaves defaults out of the URL, so the default view has an empty query string", () => {
    expect(encodeState(DEFAULT_STATE)).toBe("");
    expect(encodeState({ ...DEFAULT_STATE, facets: { style: [] }, ranges: { words: { min: null, max: null } } })).toBe("");
    expect(encodeState({ ...DEFAULT_STATE, dataset: "generated", rows: 1_000_000 })).toBe("dataset=generated&rows=1000000");
  });

  it("reports each parameter it cannot use, naming the valid values, and keeps the rest", () => {
    const { state, problems } = decodeState("dataset=nope&mode=regex&f.colour=red&r.words=9..3&page=0&stop=maybe&rows=7&x=1&q=dog");
    expect(state).toEqual({ ...DEFAULT_STATE, search: "dog" });
    expect(problems).toEqual([
      'dataset "nope" is unknown; valid: synth, filtered, cc3m, coco-captions, generated',
      'mode "regex" is unknown; valid: substring, word',
      'facet "colour" is unknown; valid: noise_class, status, style, category, domain',
      'range r.words="9..3" is not min..max with whole numbers from 0 to 1000000, min <= max',
      'page "0" is not a whole number from 1 to 1000000',
      'stop "maybe" must be 0 or 1',
      'rows "7" is not offered; valid: 10000, 100000, 1000000',
      'parameter "x" is unknown; valid: dataset, rows, q, mode, f.<facet>, r.<range>, page, stop, sql',
    ]);
  });

  it("never carries remote images in the URL", () => {
    expect(decodeState("remote=1").problems[0]).toMatch(/parameter "remote" is unknown/);
  });
});

// Hostile page links (issue 20, item 10): the explorer's URL state, the attrition page's ?candidates and the
// model pages' ?backend, each read from a link anyone can write.
import { describe, expect, it } from "vitest";
import { MAX_SCALED_CANDIDATES, scaledCandidates } from "../../../src/lib/attrition/index.js";
import {
  DEFAULT_STATE, MAX_LINK_CHARS, MAX_PAGE, MAX_RANGE_VALUE, decodeState, encodeState, linkQuery, whereClause, type TableFacts,
} from "../../../src/lib/explore/index.js";
import { BACKENDS, backendsFromParam, fastestWorking, useBackend } from "../../../src/lib/tfjs/index.js";

const FACTS = { table: "synth", rows: 10, facets: ["style"], bins: {}, categoryKeys: [] } as unknown as TableFacts;

describe("explorer URL state from a hostile link", () => {
  it("keeps ?sql= for the console to show (it runs only on a click), whatever the statement", () => {
    const { state, problems } = decodeState("sql=DROP%20TABLE%20synth");
    expect(state.sql).toBe("DROP TABLE synth");
    expect(problems).toEqual([]);
  });

  it("refuses a range end of 400 digits with the valid range, and never hands it to SQL", () => {
    const { state, problems } = decodeState(`r.chars=${"9".repeat(400)}..`);
    expect(state.ranges).toEqual({});
    expect(problems).toEqual([`range r.chars="${"9".repeat(37)}..." is not min..max with whole numbers from 0 to ${MAX_RANGE_VALUE}, min <= max`]);
    expect(whereClause(state, FACTS)).toBe("TRUE");
  });

  it("accepts range ends up to MAX_RANGE_VALUE and refuses one above", () => {
    expect(decodeState(`r.words=..${MAX_RANGE_VALUE}`).state.ranges).toEqual({ words: { min: null, max: MAX_RANGE_VALUE } });
    expect(decodeState(`r.words=${MAX_RANGE_VALUE + 1}..`).problems[0]).toMatch(/whole numbers from 0 to 1000000/);
    expect(decodeState("r.words=-3..4").problems[0]).toMatch(/whole numbers from 0/);
  });

  it("never writes Infinity or an unsafe integer into SQL, whoever builds the range", () => {
    expect(() => whereClause({ ...DEFAULT_STATE, ranges: { chars: { min: Infinity, max: null } } }, FACTS)).toThrow(/range "chars" end Infinity is not a whole number SQL can compare/);
    expect(() => whereClause({ ...DEFAULT_STATE, ranges: { chars: { min: null, max: 1e300 } } }, FACTS)).toThrow(RangeError);
  });

  it.each(["0", "1e400", "99999999999", "2.5", " 3", "-1", `${MAX_PAGE + 1}`])("refuses page=%s with the valid range", (page) => {
    const { state, problems } = decodeState(`page=${encodeURIComponent(page)}`);
    expect(state.page).toBe(0);
    expect(problems[0]).toMatch(new RegExp(`is not a whole number from 1 to ${MAX_PAGE}`));
  });

  it("refuses a link whose settings are longer than MAX_LINK_CHARS, saying so, and opens the default view", () => {
    const link = `q=${"a".repeat(MAX_LINK_CHARS)}&mode=word`;
    const { state, problems } = decodeState(`?${link}`);
    expect(state).toEqual(DEFAULT_STATE);
    expect(problems).toEqual([`the link's settings are ${link.length} characters long, over the limit of ${MAX_LINK_CHARS}; all of them were ignored`]);
  });

  it("cuts long values in its messages, so a hostile parameter cannot flood the page", () => {
    const { problems } = decodeState(`dataset=${"x".repeat(5000)}&${"k".repeat(3000)}=1`);
    for (const p of problems) expect(p.length).toBeLessThan(200);
  });

  it("writes links no longer than MAX_LINK_CHARS: the SQL goes first, then the search, and it says what it left out", () => {
    const facets = { style: ["flat", "photo"] };
    const small = { ...DEFAULT_STATE, search: "red car", sql: "SELECT 1", facets };
    expect(linkQuery(small)).toEqual({ query: encodeState(small), omitted: [] });
    const longSql = { ...small, sql: `SELECT '${"x".repeat(MAX_LINK_CHARS)}'` };
    const a = linkQuery(longSql);
    expect(a.omitted).toEqual(["the SQL query"]);
    expect(decodeState(a.query).state).toMatchObject({ search: "red car", sql: "", facets });
    const longBoth = { ...longSql, search: "ü".repeat(MAX_LINK_CHARS) };
    const b = linkQuery(longBoth);
    expect(b.omitted).toEqual(["the SQL query", "the search text"]);
    expect(b.query.length).toBeLessThanOrEqual(MAX_LINK_CHARS);
    expect(decodeState(b.query)).toEqual({ state: { ...DEFAULT_STATE, facets }, problems: [] });
  });

  it("names only what the link held: a long search without SQL leaves out the search alone", () => {
    const { query, omitted } = linkQuery({ ...DEFAULT_STATE, search: "ü".repeat(3000), mode: "word" });
    expect(omitted).toEqual(["the search text"]);
    expect(query).toBe("mode=word");
  });

  it("writes a link that reads back within the limit for any state it keeps whole", () => {
    const state = { ...DEFAULT_STATE, search: "é".repeat(1300), sql: "SELECT count(*) FROM synth" };
    const { query, omitted } = linkQuery(state);
    expect(omitted).toEqual([]);
    expect(query.length).toBeLessThanOrEqual(MAX_LINK_CHARS);
    expect(decodeState(query).state).toEqual(state);
  });
});

describe("attrition ?candidates= from a hostile link", () => {
  it("scales to a whole number of candidates from 1 to MAX_SCALED_CANDIDATES", () => {
    expect(scaledCandidates("")).toEqual({ size: 0, problem: null });
    expect(scaledCandidates("?candidates=100000")).toEqual({ size: 100_000, problem: null });
    expect(scaledCandidates(`?candidates=${MAX_SCALED_CANDIDATES}`).size).toBe(MAX_SCALED_CANDIDATES);
  });

  it.each(["1e9", "1000000000", `${MAX_SCALED_CANDIDATES + 1}`, "0", "-5", "12.5", "lots", "9".repeat(400)])(
    "refuses ?candidates=%s with a message naming the parameter and its range, and does not scale",
    (value) => {
      const { size, problem } = scaledCandidates(`?candidates=${value}`);
      expect(size).toBe(0);
      expect(problem).toMatch(/^\?candidates=.* is not a whole number from 1 to 200,000; the what-if runs over the stored candidates instead\.$/);
      expect(problem!.length).toBeLessThan(200);
    },
  );
});

describe("?backend= from a hostile link", () => {
  it("probes the named backend, or every backend when none is named", () => {
    expect(backendsFromParam("?backend=wasm")).toEqual({ candidates: ["wasm"], problem: null });
    expect(backendsFromParam("")).toEqual({ candidates: [...BACKENDS], problem: null });
  });

  it.each(["tpu", "null", "__proto__", "<script>", "x".repeat(500)])("probes every backend for ?backend=%s and says which values are valid", (value) => {
    const { candidates, problem } = backendsFromParam(`?backend=${encodeURIComponent(value)}`);
    expect(candidates).toEqual([...BACKENDS]);
    expect(problem).toMatch(/^\?backend=".*" is not a TF\.js backend; valid: webgpu, webgl, wasm, cpu\. Probing all of them instead\.$/);
    expect(problem!.length).toBeLessThan(200);
  });

  it("names every backend's failure when none works, instead of choosing null", async () => {
    expect(() => fastestWorking([{ backend: "webgpu", ok: false, ms: NaN, error: "no adapter" }, { backend: "cpu", ok: false, ms: NaN }])).toThrow("no TF.js backend works here: webgpu: no adapter; cpu: failed");
    expect(fastestWorking([{ backend: "wasm", ok: false, ms: NaN }, { backend: "cpu", ok: true, ms: 1 }])).toBe("cpu");
    await expect(useBackend(null as never)).rejects.toThrow(/no TF\.js backend chosen \(got null\)/);
  });
});

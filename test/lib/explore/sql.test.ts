import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_STATE, FACETS, RANGES, countQuery, facetQuery, facetValues, histogramBins, histogramQuery, loadTable, pageIdsQuery, pageRowsQuery,
  markPredicates, markSql, quoteIdent, quoteLiteral, tableExists, tokenize, whereClause, type MarkColumn,
  type ExploreFilters, type ExploreRow, type TableFacts,
} from "../../../src/lib/explore/index.js";
import { openDuckDB, type NodeDuck } from "./duckdb.js";
import { CAPTIONS, fixtureIPC, fixtureRows } from "./fixtures.js";

const N = 120;
const filters = (patch: Partial<ExploreFilters>): ExploreFilters => ({ ...DEFAULT_STATE, facets: {}, ranges: {}, ...patch });
const facet = (id: string) => FACETS.find((f) => f.id === id)!;
const range = (id: string) => RANGES.find((r) => r.id === id)!;

describe("explore SQL against DuckDB-WASM", { timeout: 30_000 }, () => {
  let db: NodeDuck;
  let facts: TableFacts;
  let rows: ExploreRow[];
  const count = async (f: ExploreFilters) => Number((await db.query(countQuery(facts, whereClause(f, facts))))[0]!.n);
  const pageQuery = async (where: string, columns: string[], page: number, size: number) => {
    const ids = (await db.query(pageIdsQuery(facts, where, page, size))).map((r) => Number(r.row_id));
    return db.query(pageRowsQuery(facts, ids, columns));
  };

  beforeAll(async () => {
    db = await openDuckDB();
    rows = fixtureRows(N);
    facts = await loadTable(db, "t", fixtureIPC(N));
  }, 60_000);

  it("quoteLiteral doubles quotes and refuses NUL; quoteIdent quotes names", () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(() => quoteLiteral("a\u0000b")).toThrow(/NUL/);
    expect(db.run(`SELECT ${quoteLiteral("'; DROP TABLE t; --\\")} AS v`)[0]!.v).toBe("'; DROP TABLE t; --\\");
  });

  it("describes the loaded table: row count, facets with values, category sets, bins", () => {
    expect(facts.rows).toBe(N);
    expect(facts.facets).toEqual(["noise_class", "style", "category", "domain"]);
    expect(facts.categoryKeys).toEqual(["", "car,person", "cat,dog,person", "dog"]);
    expect(facts.bins.words!.width).toBe(1);
  });

  it("substring search matches case-insensitively, as JavaScript's includes() on lower-cased text", async () => {
    for (const q of ["dog", "RED car", "it's", "'; DROP TABLE t; --", "%_", "\\", '"double"', "café", "ÜBER", "<script>", "🐶", "no such text"]) {
      const expected = rows.filter((r) => r.caption.toLowerCase().includes(q.toLowerCase())).length;
      expect(await count(filters({ search: q })), q).toBe(expected);
    }
    expect(await tableExists(db, "t")).toBe(true);
  });

  it("whole-word search matches the query's token sequence, not parts of words", async () => {
    const has = (caption: string, q: string) => ` ${tokenize(caption).join(" ")} `.includes(` ${tokenize(q).join(" ")} `);
    for (const q of ["dog", "dogs", "red car", "person and", "don’t", "the premiere", "football player", "'; drop"]) {
      const expected = rows.filter((r) => has(r.caption, q)).length;
      expect(await count(filters({ search: q, mode: "word" })), q).toBe(expected);
    }
    // "dog" is not a word of "hotdog" or "dog's" (one token each).
    const dog = rows.filter((r) => has(r.caption, "dog")).map((r) => r.caption);
    expect(dog).not.toContain("hotdog and dogs");
    expect(dog).not.toContain("the dog's ball — red car in city");
    expect(dog).toContain("A dog runs on the beach.");
  });

  it("a whole-word query without any word does not filter", async () => {
    expect(await count(filters({ search: "!!!", mode: "word" }))).toBe(N);
  });

  it("facet values combine with OR within a facet and AND across facets; null selects rows without a value", async () => {
    const f = filters({ facets: { noise_class: ["good", null], style: ["flat"] } });
    const expected = rows.filter((r) => (r.noise_class === "good" || r.noise_class === null) && r.style === "flat").length;
    expect(expected).toBeGreaterThan(0);
    expect(await count(f)).toBe(expected);
  });

  it("the category facet selects rows whose set holds any chosen category; (none) selects empty or unknown sets", async () => {
    const sets = (r: ExploreRow) => (r.categories ? r.categories.split(",") : []);
    expect(await count(filters({ facets: { category: ["cat", "car"] } }))).toBe(rows.filter((r) => sets(r).some((c) => c === "cat" || c === "car")).length);
    expect(await count(filters({ facets: { category: [null] } }))).toBe(rows.filter((r) => !r.categories).length);
    expect(await count(filters({ facets: { category: ["unicorn"] } }))).toBe(0);
  });

  it("ranges are inclusive and either end may be open", async () => {
    expect(await count(filters({ ranges: { words: { min: 3, max: 6 } } }))).toBe(rows.filter((r) => r.words >= 3 && r.words <= 6).length);
    expect(await count(filters({ ranges: { chars: { min: null, max: 10 } } }))).toBe(rows.filter((r) => r.chars <= 10).length);
  });

  it("a facet's counts leave out its own selection but apply every other filter", async () => {
    const f = filters({ search: "dog", facets: { style: ["flat"] } });
    const where = whereClause(f, facts, "style");
    const result = facetValues(facet("style"), await db.query(facetQuery(facet("style"), facts, where, f.facets.style)), f.facets.style!);
    const matching = rows.filter((r) => r.caption.toLowerCase().includes("dog"));
    for (const style of ["modern", "flat", "high-contrast"]) {
      expect(result.values.find((v) => v.value === style)?.count ?? 0).toBe(matching.filter((r) => r.style === style).length);
    }
    expect(result.values.find((v) => v.value === "flat")!.selected).toBe(true);
  });

  it("a facet list is cut at its limit but always lists the selected values, and says how many values exist", async () => {
    const domain = { ...facet("domain"), limit: 1 };
    const selected = ["img.test"];
    const result = facetValues(domain, await db.query(facetQuery(domain, facts, "TRUE", selected)), selected);
    expect(result.values.map((v) => v.value)).toContain("img.test");
    expect(result.values).toHaveLength(2);
    expect(result.distinct).toBe(new Set(rows.map((r) => r.domain)).size);
  });

  it("set facet counts count a row once for each category it holds", async () => {
    const result = facetValues(facet("category"), await db.query(facetQuery(facet("category"), facts, "TRUE")), [], facts.categoryKeys);
    const person = rows.filter((r) => r.categories?.split(",").includes("person")).length;
    expect(result.values.find((v) => v.value === "person")!.count).toBe(person);
    expect(result.values.find((v) => v.value === null)!.count).toBe(rows.filter((r) => !r.categories).length);
  });

  it("histograms count every row of the selection once, with everything from the cap on in the last bin", async () => {
    const bins = facts.bins.chars!;
    const hist = histogramBins(bins, await db.query(histogramQuery(range("chars"), facts, "TRUE")));
    expect(hist.reduce((n, b) => n + b.count, 0)).toBe(N);
    for (const b of hist) {
      const inBin = rows.filter((r) => r.chars >= b.x0 && (b.x1 === null || r.chars <= b.x1)).length;
      expect(b.count, `bin ${b.x0}`).toBe(inBin);
    }
  });

  it("pages the selection in row order with the public columns, ENUMs read back as text, whatever the filter", async () => {
    const g = filters({ search: "dog", facets: { category: ["dog", "person"] } });
    const all = rows.filter((r) => r.caption.toLowerCase().includes("dog") && r.categories?.split(",").some((c) => c === "dog" || c === "person"));
    expect(all.length).toBeGreaterThan(6);
    expect((await pageQuery(whereClause(g, facts), ["id"], 1, 3)).map((r) => r.id)).toEqual(all.slice(3, 6).map((r) => r.id));
    expect(await pageQuery(whereClause(g, facts), ["id"], 99, 3)).toEqual([]);
    const f = filters({ facets: { noise_class: ["good"] } });
    const page = await pageQuery(whereClause(f, facts), ["id", "caption", "noise_class", "chars"], 1, 5);
    const expected = rows.filter((r) => r.noise_class === "good").slice(5, 10);
    expect(page.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(page[0]).toEqual({ row_id: expected[0]!.row_id, id: expected[0]!.id, caption: expected[0]!.caption, noise_class: "good", chars: expected[0]!.chars });
  });

  it("gives the same selection, in the same order, once search and categories are marked in their columns", async () => {
    const f = filters({ search: "dog", facets: { style: ["flat", "modern"], category: ["dog", "person"] } });
    const plain = await pageQuery(whereClause(f, facts), ["id"], 0, 100);
    expect(plain.map((r) => r.row_id)).toEqual([...plain.map((r) => Number(r.row_id))].sort((a, b) => a - b));
    expect(plain.length).toBeGreaterThan(0);
    const marks = new Map<MarkColumn, string>();
    for (const [column, predicate] of markPredicates(f, facts)) {
      await db.query(markSql(facts, column, predicate));
      marks.set(column, predicate);
    }
    expect([...marks.keys()]).toEqual(["hit", "category_hit"]);
    const marked = whereClause(f, facts, undefined, marks);
    expect(marked).toMatch(/^"hit" AND .*"category_hit"/);
    expect(await pageQuery(marked, ["id"], 0, 100)).toEqual(plain);
    // Another search or category choice does not use the marks.
    expect(whereClause(filters({ search: "cat", facets: { category: ["cat"] } }), facts, undefined, marks)).not.toMatch(/hit/);
  });

  it("keeps every fixture caption byte for byte", async () => {
    const all = await db.query(`SELECT caption FROM t ORDER BY row_id LIMIT ${CAPTIONS.length}`);
    expect(all.map((r) => r.caption)).toEqual(CAPTIONS);
  });
});

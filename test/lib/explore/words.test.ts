import { beforeAll, describe, expect, it } from "vitest";
import { HYPERNYM_TERMS, countTerms, loadTable, topTerms, wordBasis, wordLists, wordStatsQuery, type ExploreRow, type TableFacts } from "../../../src/lib/explore/index.js";
import { openDuckDB, type NodeDuck } from "./duckdb.js";
import { fixtureIPC, fixtureRows } from "./fixtures.js";

const N = 90;
const STOP = ["a", "the", "and", "of", "on", "in", "at", "s"];

describe("wordStatsQuery()", { timeout: 30_000 }, () => {
  let db: NodeDuck;
  let facts: TableFacts;
  let rows: ExploreRow[];
  beforeAll(async () => {
    db = await openDuckDB();
    rows = fixtureRows(N);
    facts = await loadTable(db, "w", fixtureIPC(N));
  }, 60_000);

  for (const n of [1, 2] as const) {
    it(`gives the same top ${n === 1 ? "words" : "bigrams"}, with and without stop words, as counting in JavaScript`, async () => {
      const selected = rows.filter((r) => r.style === "flat");
      const lists = wordLists(await db.query(wordStatsQuery(n, facts, `style = 'flat'`, { k: 8, stopWords: STOP, selected: selected.length })));
      const counts = countTerms(selected.map((r) => (r.tokens ? r.tokens.split(" ") : [])), n);
      expect(lists.all).toEqual(topTerms(counts, 8));
      expect(lists.content).toEqual(topTerms(counts, 8, new Set(STOP)));
      const hypernyms = HYPERNYM_TERMS.filter((t) => t.split(" ").length === n && counts.has(t)).map((term) => ({ term, count: counts.get(term)! }));
      expect(new Set(lists.hypernym.map((h) => JSON.stringify(h)))).toEqual(new Set(hypernyms.map((h) => JSON.stringify(h))));
      expect(lists.hypernym.length).toBeGreaterThan(0);
    });
  }

  it("counts a selection larger than the sample size on a seeded sample of exactly that many rows", async () => {
    const basis = wordBasis(N, 30);
    expect(basis).toEqual({ rows: 30, sampled: true, selected: N });
    const run = async () => wordLists(await db.query(wordStatsQuery(1, facts, "TRUE", { k: 1000, stopWords: [], selected: N, sampleRows: 30 })));
    const first = await run();
    const tokens = first.all.reduce((s, t) => s + t.count, 0);
    const all = rows.reduce((s, r) => s + r.words, 0);
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(all);
    expect(await run()).toEqual(first);
  });

  it("rejects a result row from an unknown list", () => {
    expect(() => wordLists([{ list: "other", term: "x", n: 1 }])).toThrow(/valid: all, content, hypernym/);
  });
});

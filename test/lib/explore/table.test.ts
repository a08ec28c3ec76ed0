import { describe, expect, it } from "vitest";
import { tableFromRows, toArrowIPC } from "../../../src/lib/arrow/index.js";
import { GENERATED_SIZES, dropTable, generateTable, loadTable, niceBins, tableExists, tokenize } from "../../../src/lib/explore/index.js";
import { CATEGORIES, NOISE_CLASSES, STYLES } from "../../../src/lib/synth/index.js";
import { openDuckDB } from "./duckdb.js";

describe("niceBins()", () => {
  it("uses one bin per value for small ranges and a 1-2-5 width for large ones, capped just above p99.5", () => {
    expect(niceBins(20, 25)).toEqual({ width: 1, cap: 21 });
    expect(niceBins(180, 900)).toEqual({ width: 5, cap: 185 });
    expect(niceBins(0, 0)).toEqual({ width: 1, cap: 2 });
    expect(niceBins(1999, 1999)).toEqual({ width: 50, cap: 2000 });
  });
});

describe("the working table", { timeout: 30_000 }, () => {
  it("refuses a table that lacks explore columns, naming them", async () => {
    const db = await openDuckDB();
    const ipc = toArrowIPC(tableFromRows([{ id: "1", caption: "x" }], [
      { name: "id", type: "utf8", description: "" },
      { name: "caption", type: "utf8", description: "" },
    ]));
    await expect(loadTable(db, "bad", ipc)).rejects.toThrow(/lacks explore column\(s\) row_id, url, domain, chars, words, tokens/);
  });
});

describe("generateTable()", { timeout: 60_000 }, () => {
  it("makes the asked number of rows, deterministically, with the synthetic world's facet values", async () => {
    const db = await openDuckDB();
    const facts = await generateTable(db, "g", GENERATED_SIZES[0]);
    expect(facts.rows).toBe(10_000);
    expect(facts.facets).toEqual(["noise_class", "style", "category", "domain"]);
    const again = await openDuckDB();
    await generateTable(again, "g", 10_000);
    const digest = (d: typeof db) => d.run("SELECT sum(hash(caption, domain, noise_class::VARCHAR, style::VARCHAR, categories::VARCHAR))::VARCHAR AS h FROM g")[0]!.h;
    expect(digest(again)).toBe(digest(db));
    const values = (column: string) => db.run(`SELECT DISTINCT ${column}::VARCHAR AS v FROM g`).map((r) => String(r.v));
    expect(values("noise_class").every((v) => (NOISE_CLASSES as readonly string[]).includes(v))).toBe(true);
    expect(new Set(values("style"))).toEqual(new Set(STYLES));
    const ids = new Set(CATEGORIES.map((c) => c.id));
    expect(facts.categoryKeys.every((k) => k.split(",").every((c) => ids.has(c)) && k === k.split(",").sort().join(","))).toBe(true);
  });

  it("can be made again at another size once dropTable() has removed the table and its types", async () => {
    const db = await openDuckDB();
    await generateTable(db, "g", 500);
    await expect(generateTable(db, "g", 700)).rejects.toThrow(/already exists/);
    await dropTable(db, "g");
    expect(await tableExists(db, "g")).toBe(false);
    expect((await generateTable(db, "g", 700)).rows).toBe(700);
  });

  it("derives chars, words and tokens as the loaders do in JavaScript", async () => {
    const db = await openDuckDB();
    await generateTable(db, "g", 10_000);
    for (const r of db.run("SELECT caption, chars, words, tokens, url, domain::VARCHAR AS domain FROM g USING SAMPLE 200 ROWS")) {
      const caption = String(r.caption);
      expect(r.tokens).toBe(tokenize(caption).join(" "));
      expect(r.words).toBe(tokenize(caption).length);
      expect(r.chars).toBe(caption.length);
      expect(new URL(String(r.url)).hostname).toBe(r.domain);
      expect(String(r.domain)).toMatch(/^site\d+\.example$/);
    }
  });
});

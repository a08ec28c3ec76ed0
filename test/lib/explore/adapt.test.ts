import { describe, expect, it } from "vitest";
import { adaptFilterOutput, domainSql, loadTable, quoteLiteral, tokenize, urlDomain } from "../../../src/lib/explore/index.js";
import { openDuckDB } from "./duckdb.js";
import { fixtureIPC, fixtureRows } from "./fixtures.js";

describe("domainSql()", { timeout: 30_000 }, () => {
  it("finds the same host as urlDomain() in JavaScript", async () => {
    const db = await openDuckDB();
    const urls = ["https://www.Example.com/a.jpg", "http://img.test:8080/b?c=d", "HTTPS://user:pw@cdn.site.org/x#y", "ftp://files.example/x", "not a url", "https://www./x"];
    for (const url of urls) {
      const [row] = db.run(`SELECT ${domainSql(quoteLiteral(url))} AS d`);
      expect(row!.d ?? null, url).toBe(urlDomain(url));
    }
  });
});

describe("adaptFilterOutput()", { timeout: 30_000 }, () => {
  it("shows kept rows with their transformed caption and rejected rows with their alt-text, joined with the synthetic crawl by id", async () => {
    const db = await openDuckDB();
    await loadTable(db, "synth", fixtureIPC(4));
    const synth = fixtureRows(4);
    db.run(`CREATE TABLE fc AS SELECT * FROM (VALUES
      ('f-0', 'https://www.example.com/a.jpg', 'Tom Hanks at the Oscars', 'named-entity', 'kept', 'actor at the awards'),
      ('f-1', 'http://img.test/b.png', 'click here', 'boilerplate', 'boilerplate_pattern', 'click here'),
      ('f-9', 'https://x.example/c.jpg', NULL, 'empty', 'alt_missing', NULL)
    ) AS v(id, url, alt_text, noise_class, status, caption_out)`);
    const facts = await adaptFilterOutput(db, "fc", "filtered", "synth");
    expect(facts.facets).toContain("status");
    const rows = db.run("SELECT row_id, id, caption, domain::VARCHAR AS domain, words, tokens, status::VARCHAR AS status, style::VARCHAR AS style, categories::VARCHAR AS categories, image FROM filtered ORDER BY row_id");
    expect(rows.map((r) => [r.row_id, r.id, r.caption, r.status])).toEqual([
      [0, "f-0", "actor at the awards", "kept"],
      [1, "f-1", "click here", "boilerplate_pattern"],
      [2, "f-9", "", "alt_missing"],
    ]);
    for (const r of rows) {
      expect(r.tokens).toBe(tokenize(String(r.caption)).join(" "));
      expect(r.words).toBe(tokenize(String(r.caption)).length);
    }
    expect(rows[0]!.domain).toBe("example.com");
    expect([rows[1]!.style, rows[1]!.categories, rows[1]!.image]).toEqual([synth[1]!.style, synth[1]!.categories, synth[1]!.image]);
    expect([rows[2]!.style, rows[2]!.image]).toEqual([null, null]);
  });
});

// docs/schemas.md is generated from the column specs; this test keeps it in step.
// After changing a schema, regenerate with: CCW_UPDATE_DOCS=1 npx vitest run test/lib/sources/schemas-doc.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ColumnSpec } from "../../../src/lib/arrow/index.js";
import { STATUS_COLUMNS } from "../../../src/lib/download/index.js";
import { PAIR_COLUMNS } from "../../../src/lib/pairs/index.js";
import { SOURCE_FORMATS, tablesOf } from "../../../src/lib/sources/index.js";
import { ROOT } from "./helpers.js";

const DOC = join(ROOT, "docs", "schemas.md");

function tableDoc(name: string, from: string, columns: readonly ColumnSpec<object>[]): string {
  return [
    `### \`${name}\``,
    "",
    from,
    "",
    "| column | type | null | description |",
    "|---|---|---|---|",
    ...columns.map((c) => `| \`${c.name}\` | \`${c.type}\` | ${c.nullable ? "yes" : "no"} | ${c.description.replace(/\|/g, "\\|")} |`),
    "",
  ].join("\n");
}

function generate(): string {
  const seen = new Map<string, string[]>();
  for (const format of SOURCE_FORMATS) for (const t of tablesOf(format)) seen.set(t.name, [...(seen.get(t.name) ?? []), format]);
  const sections = [...seen].map(([name, formats]) => {
    const tables = tablesOf(formats[0] as never);
    const index = tables.findIndex((t) => t.name === name);
    const where = index === 0 ? "to `--out`" : `to \`<out-name>.${name.replace(/^[a-z]+_/, "")}.<ext>\` beside \`--out\``;
    return tableDoc(name, `Written by \`ccw ingest --format ${formats.join("|")}\` ${where}.`, tables[index]!.columns);
  });
  return [
    "# Table schemas",
    "",
    "<!-- Generated from the column specs in src/lib/sources/schemas.ts, src/lib/download/table.ts and src/lib/pairs/index.ts by",
    "     test/lib/sources/schemas-doc.test.ts (CCW_UPDATE_DOCS=1 to regenerate). Do not edit by hand. -->",
    "",
    "Every table the workbench writes has a fixed schema: the columns below, in this order, with these",
    "Arrow types. Each column's description is also stored in the file itself as Arrow field metadata",
    "(`description`), in Arrow IPC and in Parquet alike. `.arrow` files are Arrow IPC **streams** (what",
    "DuckDB-WASM's `insertArrowFromIPCStream` reads); `.parquet` files are zstd-compressed Parquet with",
    "row groups of at most 65,536 rows. `list<…>` columns are Arrow lists. Rows keep the input's order",
    "(a `--sample` keeps a deterministic subset, still in input order).",
    "",
    "## Source tables (`ccw ingest`)",
    "",
    ...sections,
    "## Download status (`ccw download`)",
    "",
    tableDoc("status", "`<out>/status.arrow` and `<out>/status.parquet`: one row per input row (a bad URL, key or line included), its last outcome. `<out>/stats.json` holds the counts by status.", STATUS_COLUMNS as ColumnSpec<object>[]),
    "## Training pairs (`ccw pairs build`)",
    "",
    tableDoc("pairs", "`<out>/pairs.parquet`: one row per caption, in crawl order, row groups of 2,048 rows. `<out>/pairs.json` holds the set's info: source, seed, token grid and vocabulary, held-out compositions, rows and images per split, every crawl candidate's final status, the crawl and split settings, build time.", PAIR_COLUMNS as ColumnSpec<object>[]),
  ].join("\n");
}

describe("docs/schemas.md", () => {
  it("documents every column of every table exactly as the code defines it", () => {
    const expected = generate();
    if (process.env.CCW_UPDATE_DOCS) writeFileSync(DOC, expected);
    expect(readFileSync(DOC, "utf-8")).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { fromArrowIPC, fromParquet } from "../../../src/lib/arrow/index.js";
import { CAPTION_COLUMNS, openTableSink, tableFormatFromPath, type CaptionRow, type TableFormat } from "../../../src/lib/sources/index.js";

async function write(format: TableFormat, batches: CaptionRow[][]) {
  const chunks: Uint8Array[] = [];
  const sink = await openTableSink(CAPTION_COLUMNS, format, (c) => void chunks.push(c.slice()));
  for (const b of batches) await sink.write(b);
  const rows = await sink.close();
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  return { rows, table: format === "arrow" ? fromArrowIPC(bytes) : await fromParquet(bytes), chunks: chunks.length };
}

const batch = (from: number, n: number): CaptionRow[] => Array.from({ length: n }, (_, i) => ({ line: from + i, caption: `c${from + i}`, url: `http://a.com/${from + i}.jpg` }));

describe("openTableSink()", () => {
  for (const format of ["arrow", "parquet"] as const) {
    it(`writes ${format} batch by batch into one readable table with the documented schema`, async () => {
      const { rows, table, chunks } = await write(format, [batch(1, 3), [], batch(4, 2)]);
      expect(rows).toBe(5);
      expect(chunks).toBeGreaterThan(format === "arrow" ? 2 : 0);
      expect(table.toArray().map((r) => r.toJSON())).toEqual([...batch(1, 3), ...batch(4, 2)]);
      expect(table.schema.fields.map((f) => [f.name, f.metadata.get("description")])).toEqual(CAPTION_COLUMNS.map((c) => [c.name, c.description]));
    });

    it(`writes an empty ${format} table that still carries its schema`, async () => {
      const { rows, table } = await write(format, []);
      expect(rows).toBe(0);
      expect(table.numRows).toBe(0);
      expect(table.schema.fields.map((f) => f.name)).toEqual(["line", "caption", "url"]);
    });
  }

  it("maps file names to formats", () => {
    expect(tableFormatFromPath("x/out.arrow")).toBe("arrow");
    expect(tableFormatFromPath("OUT.PARQUET")).toBe("parquet");
    expect(tableFormatFromPath("out.csv")).toBeNull();
  });
});

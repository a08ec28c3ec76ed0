import { describe, expect, it } from "vitest";
import { createParquetWriter, fromParquet, tableFromRows, toParquet, type ColumnSpec } from "../../../src/lib/arrow/index.js";

interface Row {
  id: number;
  caption: string | null;
  labels: string[];
  scores: number[];
  ok: boolean;
}

const COLUMNS: ColumnSpec<Row>[] = [
  { name: "id", type: "int32", description: "row id" },
  { name: "caption", type: "utf8", nullable: true, description: "a caption" },
  { name: "labels", type: "list<utf8>", description: "labels" },
  { name: "scores", type: "list<float64>", description: "scores" },
  { name: "ok", type: "bool", description: "a flag" },
];

const rows = (n: number, from = 0): Row[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, caption: i % 7 === 0 ? null : `caption ${from + i} ünï`, labels: i % 3 ? ["dog", "grass"] : [], scores: i % 3 ? [0.9, 0.5] : [], ok: i % 2 === 0 }));

const plain = (t: Awaited<ReturnType<typeof fromParquet>>) => t.toArray().map((r) => {
  const o = r.toJSON() as Record<string, unknown>;
  return { ...o, labels: [...(o.labels as Iterable<string>)], scores: [...(o.scores as Iterable<number>)] };
});

describe("toParquet() / fromParquet()", () => {
  it("round-trips rows, types, nulls, lists and column descriptions", async () => {
    const data = rows(100);
    const table = await fromParquet(await toParquet(tableFromRows(data, COLUMNS)));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["id:Int32", "caption:Utf8", "labels:List<Utf8>", "scores:List<Float64>", "ok:Bool"]);
    expect(table.schema.fields.map((f) => f.metadata.get("description"))).toEqual(COLUMNS.map((c) => c.description));
    expect(plain(table)).toEqual(data);
  });

  it("writes an empty table with its schema", async () => {
    const table = await fromParquet(await toParquet(tableFromRows([], COLUMNS), { compression: "snappy" }));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields).toHaveLength(5);
  });

  it("rejects an unknown codec, naming the valid ones", async () => {
    await expect(toParquet(tableFromRows([], COLUMNS), { compression: "lzma" as never })).rejects.toThrow(/valid: zstd, snappy, gzip, uncompressed/);
  });
});

describe("createParquetWriter()", () => {
  it("streams batch after batch into one file, emitting bytes before the end", async () => {
    const chunks: Uint8Array[] = [];
    let beforeClose = 0;
    const writer = await createParquetWriter((c) => void chunks.push(c), { rowGroupSize: 1000 });
    for (let b = 0; b < 10; b++) await writer.write(tableFromRows(rows(500, b * 500), COLUMNS));
    beforeClose = chunks.length;
    await writer.close();
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) all.set(c, (o += c.length) - c.length);
    const table = await fromParquet(all);
    expect(table.numRows).toBe(5000);
    expect(plain(table)).toEqual(Array.from({ length: 10 }, (_, b) => rows(500, b * 500)).flat());
    expect(beforeClose).toBeGreaterThan(0);
  });
});

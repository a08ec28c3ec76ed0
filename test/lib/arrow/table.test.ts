import { describe, expect, it } from "vitest";
import { fromArrowIPC, tableFromRows, toArrowIPC, type ColumnSpec } from "../../../src/lib/arrow/index.js";

interface Row {
  id: number;
  name: string;
  score: number | null;
  ok: boolean;
}

const COLUMNS: ColumnSpec<Row>[] = [
  { name: "id", type: "int32", description: "row id" },
  { name: "name", type: "utf8", description: "a name" },
  { name: "score", type: "float64", nullable: true, description: "a score, may be missing" },
  { name: "ok", type: "bool", description: "a flag" },
];

describe("tableFromRows()", () => {
  it("round-trips rows through Arrow IPC with the declared types and descriptions", () => {
    const rows: Row[] = [
      { id: 1, name: "a <b>", score: 0.5, ok: true },
      { id: 2, name: "ünïcode", score: null, ok: false },
    ];
    const table = fromArrowIPC(toArrowIPC(tableFromRows(rows, COLUMNS)));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["id:Int32", "name:Utf8", "score:Float64", "ok:Bool"]);
    expect(table.schema.fields[2]!.metadata.get("description")).toBe("a score, may be missing");
    expect(table.toArray().map((r) => r.toJSON())).toEqual(rows);
  });

  it("writes an empty table with its schema intact", () => {
    const table = fromArrowIPC(toArrowIPC(tableFromRows([], COLUMNS)));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields).toHaveLength(4);
  });

  it("rejects a null in a non-nullable column, naming the column and row", () => {
    const rows = [{ id: 1, name: null, score: 1, ok: true }] as unknown as Row[];
    expect(() => tableFromRows(rows, COLUMNS)).toThrow(/column "name" row 0: null in a non-nullable column/);
  });

  it("rejects a value of the wrong type, naming it", () => {
    const rows = [{ id: 1.5, name: "x", score: 1, ok: true }] as Row[];
    expect(() => tableFromRows(rows, COLUMNS)).toThrow(/column "id" row 0: 1.5 is not a valid int32/);
  });

  it("stores bytes in a binary column and reads them back as Uint8Array; anything else is rejected", () => {
    const columns: ColumnSpec<{ bytes: Uint8Array }>[] = [{ name: "bytes", type: "binary", description: "raw bytes" }];
    const table = fromArrowIPC(toArrowIPC(tableFromRows([{ bytes: new Uint8Array([1, 2, 255]) }, { bytes: new Uint8Array(0) }], columns)));
    expect(String(table.schema.fields[0]!.type)).toBe("Binary");
    expect(Array.from(table.getChild("bytes")!.get(0) as Uint8Array)).toEqual([1, 2, 255]);
    expect((table.getChild("bytes")!.get(1) as Uint8Array).length).toBe(0);
    expect(() => tableFromRows([{ bytes: [1, 2] as unknown as Uint8Array }], columns)).toThrow(/column "bytes" row 0: \[1,2\] is not a valid binary/);
  });
});

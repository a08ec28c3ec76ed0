import { tableFromRows, toArrowIPC, type ColumnSpec } from "../src/lib/arrow/index.js";
import type { Benchmark } from "./harness.js";

interface Row {
  id: number;
  caption: string;
  width: number;
  score: number | null;
  kept: boolean;
}

const COLUMNS: ColumnSpec<Row>[] = [
  { name: "id", type: "int32", description: "id" },
  { name: "caption", type: "utf8", description: "caption" },
  { name: "width", type: "int32", description: "width" },
  { name: "score", type: "float64", nullable: true, description: "score" },
  { name: "kept", type: "bool", description: "kept" },
];

const N = 100_000;

export const arrowWriter: Benchmark = {
  name: "arrow-writer",
  unit: "rows",
  workload: `${N.toLocaleString("en-US")} rows × 5 columns (int32, utf8 ~40 chars, float64 with nulls, bool) → Arrow IPC stream`,
  async setup() {
    const rows: Row[] = Array.from({ length: N }, (_, i) => ({
      id: i,
      caption: `a photo of object number ${i} on a table in a room`,
      width: 200 + (i % 1400),
      score: i % 10 === 0 ? null : (i % 97) / 97,
      kept: i % 3 === 0,
    }));
    return () => {
      const bytes = toArrowIPC(tableFromRows(rows, COLUMNS));
      if (bytes.byteLength === 0) throw new Error("empty output");
      return N;
    };
  },
};

import { csvParse } from "d3-dsv";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../../src/lib/explore/index.js";
import { CAPTIONS } from "./fixtures.js";

describe("toCsv()", () => {
  it("writes RFC 4180 CSV that a CSV parser reads back to the same text", () => {
    const rows = [...CAPTIONS, "line\nbreak", "cr\r\nlf", "comma, here", '"'].map((caption, i) => ({ id: `r${i}`, caption, n: i }));
    const csv = toCsv(rows, ["id", "caption", "n"]);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csvParse(csv)).toEqual(Object.assign(rows.map((r) => ({ id: r.id, caption: r.caption, n: String(r.n) })), { columns: ["id", "caption", "n"] }));
  });

  it("writes null and missing values as empty fields and quotes only where needed", () => {
    expect(toCsv([{ a: null, b: "x y", c: 'say "hi"' }], ["a", "b", "c", "d"])).toBe('a,b,c,d\r\n,x y,"say ""hi""",\r\n');
  });
});

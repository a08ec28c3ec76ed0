import { describe, expect, it } from "vitest";
import { readLines, type Line } from "../../../src/lib/sources/index.js";
import { chunked, utf8 } from "./helpers.js";

async function lines(bytes: Uint8Array, chunk: number, maxLineBytes?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const group of readLines(chunked(bytes, chunk), { maxLineBytes })) out.push(...group);
  return out;
}

describe("readLines()", () => {
  it("numbers lines identically whatever the chunk boundaries, splitting multi-byte characters safely", async () => {
    const text = "héllo wörld\r\nsecond 日本語\n\nfourth without newline";
    const expected = [
      { no: 1, text: "héllo wörld" },
      { no: 2, text: "second 日本語" },
      { no: 3, text: "" },
      { no: 4, text: "fourth without newline" },
    ];
    for (const size of [1, 2, 3, 5, 7, 64, 1 << 16]) expect(await lines(utf8(text), size)).toEqual(expected);
  });

  it("strips a byte-order mark from the first line only", async () => {
    expect(await lines(utf8("\uFEFFa\n\uFEFFb\n"), 4)).toEqual([{ no: 1, text: "a" }, { no: 2, text: "\uFEFFb" }]);
  });

  it("reports a line that is not UTF-8 and keeps reading", async () => {
    const bytes = new Uint8Array([...utf8("ok\n"), 0xff, 0xfe, 0x41, 0x0a, ...utf8("after\n")]);
    for (const size of [1, 4, 100]) {
      expect(await lines(bytes, size)).toEqual([
        { no: 1, text: "ok" },
        { no: 2, text: null, problem: "bad_utf8", bytes: 3 },
        { no: 3, text: "after" },
      ]);
    }
  });

  it("skips a 10 MB line without buffering it and reports its size", async () => {
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    const bytes = new Uint8Array([...utf8("first\n"), ...big, 0x0a, ...utf8("last")]);
    const got = await lines(bytes, 64 * 1024);
    expect(got).toEqual([
      { no: 1, text: "first" },
      { no: 2, text: null, problem: "line_too_long", bytes: big.length },
      { no: 3, text: "last" },
    ]);
  });

  it("applies maxLineBytes to lines that fit in one chunk too", async () => {
    const got = await lines(utf8("short\nthis line is long\nend\n"), 1024, 10);
    expect(got.map((l) => (l.text === null ? l.problem : l.text))).toEqual(["short", "line_too_long", "end"]);
  });
});

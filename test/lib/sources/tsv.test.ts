import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  readCc12mTsv, readCc3mTsv, readCcLabelsTsv, ReadFailure, sniffTsvFormat, type ReadProgress,
} from "../../../src/lib/sources/index.js";
import { chunked, drain, utf8 } from "./helpers.js";

const CC3M = [
  "a dog runs on the beach .\thttp://example.com/dog.jpg",
  "actor attends the premiere\thttps://img.example.org/a/b.jpg?w=800&h=600",
].join("\n");

describe("readCc3mTsv()", () => {
  it("reads caption<TAB>url rows with their line numbers", async () => {
    const { rows, errors } = await drain(readCc3mTsv(utf8(CC3M)));
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 1, caption: "a dog runs on the beach .", url: "http://example.com/dog.jpg" },
      { line: 2, caption: "actor attends the premiere", url: "https://img.example.org/a/b.jpg?w=800&h=600" },
    ]);
  });

  it("counts hostile lines by kind with their line number and keeps reading", async () => {
    const bytes = new Uint8Array([
      ...utf8("good one\thttp://a.com/1.jpg\n"),
      ...utf8("missing the tab http://a.com/2.jpg\n"),
      ...utf8("extra\ttabs\thttp://a.com/3.jpg\n"),
      ...utf8("\thttp://a.com/4.jpg\n"),
      ...utf8("not a url\tjavascript:alert(1)\n"),
      0x62, 0x61, 0x64, 0xc3, 0x28, 0x09, ...utf8("http://a.com/6.jpg\n"),
      ...utf8("\n"),
      ...new Uint8Array(10 * 1024 * 1024).fill(0x7a), 0x09, ...utf8("http://a.com/8.jpg\n"),
      ...utf8("last good\thttp://a.com/9.jpg"),
    ]);
    const { rows, errors } = await drain(readCc3mTsv(chunked(bytes, 100_000)));
    expect(rows.map((r) => r.line)).toEqual([1, 9]);
    expect(errors.map((e) => [e.where, e.kind])).toEqual([
      [2, "field_count"], [3, "field_count"], [4, "empty_field"], [5, "bad_url"], [6, "bad_utf8"], [7, "field_count"], [8, "line_too_long"],
    ]);
    expect(errors[0]!.message).toMatch(/line 2: expected 2 fields, found 1 tab-separated field/);
    expect(rows.length + errors.length).toBe(9); // every line accounted for
  });

  it("in strict mode stops at the first malformed line, naming it", async () => {
    const reader = readCc3mTsv(utf8("ok\thttp://a.com/x.jpg\nbroken line\n"), { strict: true });
    await expect(drain(reader)).rejects.toThrow(ReadFailure);
    await expect(drain(readCc3mTsv(utf8("ok\thttp://a.com/x.jpg\nbroken line\n"), { strict: true }))).rejects.toThrow(/field_count at #2/);
  });

  it("yields bounded batches and reports progress", async () => {
    const text = Array.from({ length: 25 }, (_, i) => `caption ${i}\thttp://a.com/${i}.jpg`).join("\n");
    const progress: ReadProgress[] = [];
    const sizes: number[] = [];
    for await (const b of readCc3mTsv(utf8(text), { batchSize: 10, onProgress: (p) => progress.push(p) })) sizes.push(b.rows.length);
    expect(sizes).toEqual([10, 10, 5]);
    expect(progress.at(-1)).toMatchObject({ records: 25, rows: 25, errors: 0, bytesRead: utf8(text).length, totalBytes: utf8(text).length });
  });

  it("reads gzip-compressed input transparently", async () => {
    const { rows } = await drain(readCc3mTsv(gzipSync(utf8(CC3M))));
    expect(rows).toHaveLength(2);
  });
});

describe("readCc12mTsv()", () => {
  it("reads the reversed url<TAB>caption order", async () => {
    const { rows } = await drain(readCc12mTsv(utf8("http://a.com/1.jpg\t<PERSON> at the beach\n")));
    expect(rows).toEqual([{ line: 1, caption: "<PERSON> at the beach", url: "http://a.com/1.jpg" }]);
  });
});

describe("readCcLabelsTsv()", () => {
  it("parses the parallel label, MID and confidence lists", async () => {
    const line = "a dog on grass\thttp://a.com/d.jpg\tdog,grass,mammal\t/m/0bt9lr,/m/08t9c_,/m/04rky\t0.98,0.91,0.9";
    const { rows } = await drain(readCcLabelsTsv(utf8(line)));
    expect(rows).toEqual([{ line: 1, caption: "a dog on grass", url: "http://a.com/d.jpg", labels: ["dog", "grass", "mammal"], mids: ["/m/0bt9lr", "/m/08t9c_", "/m/04rky"], confidences: [0.98, 0.91, 0.9] }]);
  });

  it("counts mismatched list lengths and non-numeric confidences", async () => {
    const text = ["c\thttp://a.com/1\tdog,cat\t/m/1\t0.5,0.4", "c\thttp://a.com/2\tdog\t/m/1\thigh"].join("\n");
    const { rows, errors } = await drain(readCcLabelsTsv(utf8(text)));
    expect(rows).toEqual([]);
    expect(errors.map((e) => e.kind)).toEqual(["list_length_mismatch", "bad_number"]);
  });
});

describe("sniffTsvFormat()", () => {
  it("tells CC3M, CC12M and cc-labels apart by their columns", () => {
    expect(sniffTsvFormat(CC3M.split("\n"))).toBe("cc3m");
    expect(sniffTsvFormat(["http://a.com/1.jpg\ta caption", "http://a.com/2.jpg\tanother"])).toBe("cc12m");
    expect(sniffTsvFormat(["c\thttp://a.com/1\tdog\t/m/1\t0.5"])).toBe("cc-labels");
    expect(sniffTsvFormat(["just some text", "more"])).toBeNull();
  });
});

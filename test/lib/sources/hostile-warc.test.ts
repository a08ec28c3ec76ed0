// Hostile and damaged WARC input (issue 20): every fixture is generated here, small, and bounded in time and memory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  emptyWarcStats, openTableSink, readWarc, WARC_IMAGE_COLUMNS, type WarcCandidateRow, type WarcImageRow, type WarcRow,
} from "../../../src/lib/sources/index.js";
import { pngHeader } from "../images/fixtures.js";
import { chunked, drain, utf8 } from "./helpers.js";
import { concatBytes, rawRecord, type RawRecord } from "./warc-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "hostile-warc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes records to a file (each its own gzip member when `gzip`), as crawlers do. */
function warcFile(name: string, records: readonly RawRecord[], gzip = false): string {
  const path = join(dir, name);
  writeFileSync(path, concatBytes(records.map((r) => (gzip ? gzipSync(rawRecord(r)) : rawRecord(r)))));
  return path;
}

const page = (n: number, extra = ""): RawRecord => ({
  id: `page-${n}`, url: `https://site.example/${n}.html`, http: { "Content-Type": "text/html" },
  body: `<html><body>${extra}<p>Page ${n} <img src="/img/${n}.jpg" alt="photo ${n}"></p></body></html>`,
});
const candidates = (rows: WarcRow[]) => rows.filter((r): r is WarcCandidateRow => r.kind === "candidate").map((r) => r.alt);

for (const gzip of [false, true]) {
  describe(`readWarc() on a hostile ${gzip ? "gzipped" : "plain"} WARC`, () => {
    it("stops at end of file when an image response declares more bytes (40 MB) than the file has, with one error naming the file and record", async () => {
      const lying: RawRecord = { id: "liar", url: "https://site.example/big.jpg", http: { "Content-Type": "image/jpeg" }, body: new Uint8Array(1200), contentLength: 40_000_000 };
      const path = warcFile(`lying-image${gzip ? ".warc.gz" : ".warc"}`, [page(1), lying], gzip);
      const { rows, errors } = await drain(readWarc(path));
      expect(candidates(rows)).toEqual(["photo 1"]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ kind: "truncated_record", where: 2 });
      expect(errors[0]!.message).toContain(path);
      expect(errors[0]!.message).toContain("record 2 (<urn:uuid:liar>");
      expect(errors[0]!.message).toMatch(/declares 40000000 content bytes but the input ends after \d+/);
    });

    it("stops at end of file when a record under the size limit declares more bytes than remain", async () => {
      const lying: RawRecord = { ...page(2), contentLength: 900_000 };
      const { rows, errors } = await drain(readWarc(warcFile(`lying-page${gzip ? ".warc.gz" : ".warc"}`, [page(1), lying], gzip)));
      expect(candidates(rows)).toEqual(["photo 1"]);
      expect(errors.map((e) => [e.kind, e.where])).toEqual([["truncated_record", 2]]);
    });

    it("stops at end of file when the file is cut inside a request record", async () => {
      const request: RawRecord = { type: "request", id: "req", url: "https://site.example/2.html", body: "GET /2.html HTTP/1.1\r\nHost: site.example\r\n\r\n" + "x".repeat(5000) };
      const [first, second] = [page(1), request].map((r) => (gzip ? gzipSync(rawRecord(r)) : rawRecord(r)));
      const { rows, errors } = await drain(readWarc(concatBytes([first!, second!.subarray(0, second!.byteLength / 2)])));
      expect(candidates(rows)).toEqual(["photo 1"]);
      expect(errors.map((e) => [e.kind, e.where])).toEqual([["truncated_record", 2]]);
    });

    it("reads on after an HTML page nested 10,000 elements deep, counting that page as an error that names it", async () => {
      const deep: RawRecord = { ...page(2), id: "deep", body: `<html><body>${"<div>".repeat(10_000)}<img src=a.jpg alt=deep></body></html>` };
      const { rows, errors } = await drain(readWarc(warcFile(`deep${gzip ? ".warc.gz" : ".warc"}`, [page(1), deep, page(3), page(4)], gzip)));
      expect(candidates(rows)).toEqual(["photo 1", "photo 3", "photo 4"]);
      expect(errors.map((e) => [e.kind, e.where])).toEqual([["bad_record", 2]]);
      expect(errors[0]!.message).toMatch(/record 2 \(<urn:uuid:deep>.*nest deeper than maxDepth 512/);
    });
  });
}

describe("readWarc() payload limits after content decoding", () => {
  // 16 gzip members of 64 MiB of zeros: ~1 MB on disk, 1 GiB inflated.
  const member = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
  const bomb = concatBytes(Array.from({ length: 16 }, () => member));
  const limit = 4 * 1024 * 1024;

  for (const contentType of ["image/jpeg", "text/html"]) {
    it(`counts a ${(bomb.byteLength / 1e6).toFixed(1)} MB gzip Content-Encoding ${contentType} payload that inflates past maxRecordBytes as record_too_large, in bounded memory, and reads the next record`, async () => {
      const record: RawRecord = { id: "bomb", url: "https://site.example/bomb", http: { "Content-Type": contentType, "Content-Encoding": "gzip" }, body: bomb };
      const bytes = concatBytes([rawRecord(record), rawRecord(page(2))]);
      const before = process.memoryUsage();
      const { rows, errors } = await drain(readWarc(bytes, { maxRecordBytes: limit }));
      const after = process.memoryUsage();
      expect(candidates(rows)).toEqual(["photo 2"]);
      expect(rows.filter((r) => r.kind === "image")).toEqual([]);
      expect(errors.map((e) => [e.kind, e.where])).toEqual([["record_too_large", 1]]);
      expect(errors[0]!.message).toMatch(/<urn:uuid:bomb>.*inflates past 4194304 bytes/);
      // The limit plus one 16 KiB slice's expansion, not the 1 GiB the payload holds.
      expect(after.rss - before.rss).toBeLessThan(200 * 1024 * 1024);
    });
  }

  it("inflates gzip and deflate (zlib-wrapped or raw) payloads within the limit, and de-chunks chunked ones", async () => {
    const html = page(1).body as string;
    const { deflateSync, deflateRawSync } = await import("node:zlib");
    const chunked = `${(10).toString(16)}\r\n${html.slice(0, 10)}\r\n${(html.length - 10).toString(16)}\r\n${html.slice(10)}\r\n0\r\n\r\n`;
    const records: RawRecord[] = [
      { id: "gz", url: "https://site.example/gz", http: { "Content-Type": "text/html", "Content-Encoding": "gzip" }, body: gzipSync(html) },
      { id: "zlib", url: "https://site.example/zlib", http: { "Content-Type": "text/html", "Content-Encoding": "deflate" }, body: deflateSync(html) },
      { id: "raw", url: "https://site.example/raw", http: { "Content-Type": "text/html", "Content-Encoding": "deflate" }, body: deflateRawSync(html) },
      { id: "chunked", url: "https://site.example/chunked", http: { "Content-Type": "text/html", "Transfer-Encoding": "chunked" }, body: chunked },
      { id: "decoded", url: "https://site.example/decoded", http: { "Content-Type": "text/html", "Content-Encoding": "gzip" }, body: html },
    ];
    const { rows, errors } = await drain(readWarc(concatBytes(records.map(rawRecord))));
    expect(errors).toEqual([]);
    expect(candidates(rows)).toEqual(Array(5).fill("photo 1"));
  });

  it("counts a payload that does not inflate, or an encoding it cannot undo, as bad_record and reads on", async () => {
    const broken = gzipSync("<html><img src=a.jpg alt=x></html>").subarray(0, 20);
    const records: RawRecord[] = [
      { id: "broken", http: { "Content-Type": "text/html", "Content-Encoding": "gzip" }, body: broken },
      { id: "br", http: { "Content-Type": "text/html", "Content-Encoding": "br" }, body: "\x0b\x02\x80" },
      page(3),
    ];
    const { rows, errors } = await drain(readWarc(concatBytes(records.map(rawRecord))));
    expect(candidates(rows)).toEqual(["photo 3"]);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["bad_record", 1], ["bad_record", 2]]);
    expect(errors[1]!.message).toContain('Content-Encoding "br" is not supported');
  });

  it("refuses maxRecordBytes outside 1..2^31 - 1 up front, naming the valid range", async () => {
    await expect(drain(readWarc(new Uint8Array(0), { maxRecordBytes: 2 ** 31 }))).rejects.toThrow(/maxRecordBytes must be an integer from 1 to 2\^31 - 1/);
  });
});

describe("readWarc() pages that make the HTML parser work without end", () => {
  // 27 KB of `<b id=n><p>` makes parse5 build 2 million elements, nested 2,000 deep.
  const amplifier = Array.from({ length: 2000 }, (_, i) => `<b id=${i}><p>`).join("");
  const record: RawRecord = { ...page(1), id: "amp", body: `<html><body>${amplifier}</body></html>` };
  const bytes = concatBytes([rawRecord(record), rawRecord(page(2))]);

  it("refuses a page whose markup makes parse5 create elements quadratically, and reads the next record", async () => {
    const start = performance.now();
    const { rows, errors } = await drain(readWarc(bytes));
    expect(performance.now() - start).toBeLessThan(4000);
    expect(candidates(rows)).toEqual(["photo 2"]);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["bad_record", 1]]);
    expect(errors[0]!.message).toMatch(/record 1 \(<urn:uuid:amp>.*HTML page not read: elements nest deeper than maxDepth 512/);
  });

  it("refuses it by its element count where the depth limit allows it", async () => {
    const { rows, errors } = await drain(readWarc(bytes, { html: { maxDepth: 1_000_000, maxElements: 50_000 } }));
    expect(candidates(rows)).toEqual(["photo 2"]);
    expect(errors.map((e) => e.message.replace(/^.*: /, ""))).toEqual(["more than maxElements 50000 elements"]);
  });
});

describe("readWarc() image sizes no column can hold", () => {
  it("turns a PNG declaring 2^31 px wide into a bad_header row, and the images table is still written", async () => {
    const records: RawRecord[] = [
      { id: "wide", url: "https://site.example/wide.png", http: { "Content-Type": "image/png" }, body: pngHeader(2 ** 31, 10) },
      { id: "tall", url: "https://site.example/tall.png", http: { "Content-Type": "image/png" }, body: pngHeader(10, 2 ** 32 - 1) },
    ];
    const { rows, errors } = await drain(readWarc(concatBytes(records.map(rawRecord))));
    const images = rows as WarcImageRow[];
    expect(errors).toEqual([]);
    expect(images.map((r) => [r.record, r.status, r.format, r.width, r.height])).toEqual([[1, "bad_header", "png", null, null], [2, "bad_header", "png", null, null]]);
    const chunks: Uint8Array[] = [];
    const sink = await openTableSink(WARC_IMAGE_COLUMNS, "arrow", (c) => void chunks.push(c));
    await sink.write(images);
    expect(await sink.close()).toBe(2);
  });
});

describe("readWarc() on input that is not a WARC", () => {
  it("calls a gzipped TSV named .warc.gz not a WARC file, naming it, as one counted error", async () => {
    const path = join(dir, "captions.warc.gz");
    writeFileSync(path, gzipSync("a dog on a beach\thttps://img.example/1.jpg\n".repeat(1000)));
    const { rows, errors } = await drain(readWarc(path));
    expect(rows).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "bad_record", where: 1 });
    expect(errors[0]!.message).toBe(`${path} is not a WARC file: it starts with "a dog on a beach\\thttps://img.example/1.jpg", not a WARC/1.0 or WARC/1.1 version line`);
  });

  it("calls bytes that start like gzip but do not inflate a corrupt gzip stream, naming the file", async () => {
    const path = join(dir, "corrupt.warc.gz");
    writeFileSync(path, concatBytes([new Uint8Array([0x1f, 0x8b, 0x08, 0x00]), utf8("not really gzip at all, just text after a magic number")]));
    const { rows, errors } = await drain(readWarc(path));
    expect(rows).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: gzip stream (is cut off|cannot be read) at byte 0`));
  });

  it("counts bytes between records that are no record once, and reads the records around them", async () => {
    const junk = utf8("garbage line\n".repeat(1000));
    const bytes = concatBytes([rawRecord(page(1)), junk, rawRecord(page(2))]);
    const stats = emptyWarcStats();
    const { rows, errors } = await drain(readWarc(bytes, { stats }));
    expect(candidates(rows)).toEqual(["photo 1", "photo 2"]);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["bad_record", 2]]);
    expect(errors[0]!.message).toMatch(/^\(bytes\): 13000 bytes at byte \d+, after record 1, are not a WARC record; reading resumes at record 2$/);
    expect(stats.records).toBe(2);
  });

  it("counts a record without a usable Content-Length, or with HTTP headers that never end, and reads the next one", async () => {
    const records: RawRecord[] = [
      { ...page(1), id: "nolength", contentLength: null },
      { ...page(2), id: "badlength", contentLength: "12abc" },
      { id: "nohead", url: "https://site.example/x", body: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n<img src=a.jpg>" },
      page(4),
    ];
    const { rows, errors } = await drain(readWarc(concatBytes(records.map(rawRecord))));
    expect(candidates(rows)).toEqual(["photo 4"]);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["bad_record", 1], ["bad_record", 2], ["bad_record", 3]]);
    expect(errors.map((e) => e.message.replace(/^\(bytes\): record \d \([^)]*\): /, ""))).toEqual([
      "WARC headers have no Content-Length",
      'WARC Content-Length "12abc" is not a byte count',
      "response without parsable HTTP headers: HTTP headers do not end with a blank line",
    ]);
  });
});

describe("readWarc() chunk boundaries", () => {
  it("gives the same rows and errors whatever the input's chunk sizes, garbage and lying records included", async () => {
    const bytes = concatBytes([
      rawRecord(page(1)), utf8("junk\nWARC\nWAR"), utf8("\r\n\r\n"), rawRecord({ ...page(2), contentLength: null }), rawRecord(page(3)),
      utf8("WARC/1.1 but far too long ".repeat(3000) + "\n"), rawRecord(page(4)), rawRecord({ ...page(5), contentLength: 100_000 }),
    ]);
    const whole = await drain(readWarc(bytes));
    expect(candidates(whole.rows)).toEqual(["photo 1", "photo 3", "photo 4"]);
    expect(whole.errors.map((e) => [e.kind, e.where])).toEqual([["bad_record", 2], ["bad_record", 2], ["bad_record", 4], ["truncated_record", 5]]);
    for (const size of [1, 3, 5, 64, 4096]) {
      const split = await drain(readWarc(chunked(bytes, size)));
      expect(split.rows).toEqual(whole.rows);
      expect(split.errors).toEqual(whole.errors.map((e) => ({ ...e, message: e.message.replace("(bytes)", "(stream)") })));
    }
  });
});

describe("readWarc() speed on degenerate headers", () => {
  it("reads ≥ 0.5 M lines/s through blank lines, garbage lines and a header block of many fields", async () => {
    const blank = utf8("\r\n".repeat(1_000_000));
    const garbage = utf8("x\n".repeat(500_000));
    const fields = Array.from({ length: 20_000 }, (_, i) => `X-Field-${i}: ${i}\r\n`).join("");
    const wide = utf8(`WARC/1.1\r\nWARC-Type: metadata\r\n${fields}Content-Length: 0\r\n\r\n`);
    const bytes = concatBytes([rawRecord(page(1)), blank, wide, garbage, rawRecord(page(2))]);
    const lines = 1_000_000 + 500_000 + 20_000;
    const start = performance.now();
    const { rows, errors } = await drain(readWarc(bytes));
    const seconds = (performance.now() - start) / 1000;
    expect(candidates(rows)).toEqual(["photo 1", "photo 2"]);
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["bad_record", 3]]);
    expect(lines / seconds).toBeGreaterThan(500_000);
  });
});

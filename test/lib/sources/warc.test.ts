import { describe, expect, it } from "vitest";
import { emptyWarcStats, readWarc, type WarcCandidateRow, type WarcImageRow } from "../../../src/lib/sources/index.js";
import { makeImage } from "../images/fixtures.js";
import { drain } from "./helpers.js";
import { makeWarc, type FakeResponse } from "./warc-fixtures.js";

const PAGE = `<!doctype html><html><head><title>Beach day</title></head><body>
  <p>Our trip. <img src="/photos/dog.jpg" alt="A dog runs on the beach at sunset"></p>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="pixel">
  <img src="https://cdn.example.com/banner.png" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">
</body></html>`;

async function crawl(): Promise<FakeResponse[]> {
  return [
    { url: "https://example.com/", type: "request", body: "" },
    { url: "https://example.com/trip.html", contentType: "text/html; charset=utf-8", body: PAGE },
    { url: "https://example.com/photos/dog.jpg", contentType: "image/jpeg", body: await makeImage("jpeg", 500, 420) },
    { url: "https://example.com/robots.txt", contentType: "text/plain", body: "User-agent: *" },
    { url: "https://example.com/gone.html", contentType: "text/html", status: 404, body: "<img src=x.jpg>" },
    { url: "https://cdn.example.com/banner.png", contentType: "text/html", body: await makeImage("png", 728, 90) },
  ];
}

for (const gzip of [false, true]) {
  describe(`readWarc() on a ${gzip ? "gzipped" : "plain"} WARC`, () => {
    it("extracts <img> candidates from HTML responses and facts from image responses", async () => {
      const { bytes } = await makeWarc(await crawl(), gzip);
      const stats = emptyWarcStats();
      const { rows, errors } = await drain(readWarc(bytes, { stats }));
      const candidates = rows.filter((r): r is WarcCandidateRow => r.kind === "candidate");
      const images = rows.filter((r): r is WarcImageRow => r.kind === "image");
      expect(candidates).toEqual([
        expect.objectContaining({ record: 2, page_url: "https://example.com/trip.html", page_title: "Beach day", img_index: 0, src: "https://example.com/photos/dog.jpg", alt: "A dog runs on the beach at sunset", context_chars: "Our trip.".length, warc_date: "2024-05-01T12:00:00Z" }),
        expect.objectContaining({ record: 2, img_index: 2, src: "https://cdn.example.com/banner.png", alt: `"><script>alert(1)</script>` }),
      ]);
      expect(errors).toEqual([expect.objectContaining({ kind: "img_without_src", where: 2 })]);
      // The bytes decide: a PNG served as text/html is still an image.
      expect(images.map((i) => [i.record, i.format, i.width, i.height, i.status, i.content_type])).toEqual([
        [3, "jpeg", 500, 420, "ok", "image/jpeg"],
        [6, "png", 728, 90, "ok", "text/html"],
      ]);
      expect(images[0]!.data!.byteLength).toBe(images[0]!.bytes);
      expect(stats).toEqual({ records: 6, htmlPages: 1, imageResponses: 2, otherRecords: 1, otherResponses: 2 });
    });

    it("counts a record cut off mid-payload as truncated_record, without crashing", async () => {
      const { bytes, offsets } = await makeWarc(await crawl(), gzip);
      const cut = bytes.subarray(0, offsets[2]! + 300); // inside the JPEG response
      const { rows, errors } = await drain(readWarc(cut));
      expect(rows.filter((r) => r.kind === "candidate")).toHaveLength(2);
      expect(errors.filter((e) => e.kind === "truncated_record")).toEqual([expect.objectContaining({ where: 3 })]);
    });

    it("counts a record cut off inside its WARC headers", async () => {
      const { bytes, offsets } = await makeWarc(await crawl(), gzip);
      const { errors } = await drain(readWarc(bytes.subarray(0, offsets[2]! + 40)));
      expect(errors.filter((e) => e.kind === "truncated_record")).toHaveLength(1);
    });
  });
}

describe("readWarc() limits", () => {
  it("skips records over maxRecordBytes as record_too_large and continues", async () => {
    const { bytes } = await makeWarc([
      { url: "https://a.example/big.jpg", contentType: "image/jpeg", body: await makeImage("jpeg", 300, 300) },
      { url: "https://a.example/p.html", body: "<img src=a.jpg alt=ok>" },
    ], false);
    const { rows, errors } = await drain(readWarc(bytes, { maxRecordBytes: 1000 }));
    expect(errors.map((e) => [e.kind, e.where])).toEqual([["record_too_large", 1]]);
    expect(rows).toEqual([expect.objectContaining({ kind: "candidate", alt: "ok" })]);
  });

  it("returns garbage input as one counted error that says it is not a WARC", async () => {
    const { rows, errors } = await drain(readWarc(new TextEncoder().encode("this is not a WARC file\nat all\n")));
    expect(rows).toEqual([]);
    expect(errors).toEqual([{ kind: "bad_record", where: 1, message: '(bytes) is not a WARC file: it starts with "this is not a WARC file", not a WARC/1.0 or WARC/1.1 version line' }]);
  });
});

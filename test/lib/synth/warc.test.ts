import { createHash } from "node:crypto";
import sharp from "sharp";
import { WARCParser } from "warcio";
import { describe, expect, it } from "vitest";
import { tableFromRows, toArrowIPC } from "../../../src/lib/arrow/index.js";
import { IMAGE_COLUMNS, imageRows, pageHtml } from "../../../src/lib/synth/index.js";
import { buildCrawl } from "../../../src/lib/synth/node-index.js";

async function build(seed: string, gzip: boolean) {
  const chunks: Uint8Array[] = [];
  const result = await buildCrawl({ seed, pages: 8, missingImageRate: 0.15 }, { gzip, warc: (c) => void chunks.push(c) });
  return { ...result, warc: Buffer.concat(chunks) };
}

async function records(warc: Buffer) {
  const out: { type: string; url: string; status: number | null; contentType: string | null; body: Uint8Array }[] = [];
  for await (const record of new WARCParser([warc])) {
    const body = await record.readFully(true);
    out.push({
      type: record.warcType ?? "",
      url: record.warcTargetURI ?? "",
      status: record.httpHeaders ? Number(record.httpHeaders.statusCode) : null,
      contentType: record.httpHeaders?.headers.get("Content-Type") ?? null,
      body,
    });
  }
  return out;
}

const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  png: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  gif: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46,
  webp: (b) => String.fromCharCode(...b.slice(0, 4)) === "RIFF" && String.fromCharCode(...b.slice(8, 12)) === "WEBP",
};

describe("the crawl's WARC", () => {
  it("is byte-identical for the same seed, gzipped or not, and so are the tables", async () => {
    const a = await build("warc", true);
    const b = await build("warc", true);
    expect(createHash("sha256").update(a.warc).digest("hex")).toBe(createHash("sha256").update(b.warc).digest("hex"));
    expect(Buffer.from(toArrowIPC(tableFromRows(imageRows(a.crawl, a.facts), IMAGE_COLUMNS)))).toEqual(
      Buffer.from(toArrowIPC(tableFromRows(imageRows(b.crawl, b.facts), IMAGE_COLUMNS))),
    );
    const c = await build("warc-other", true);
    expect(c.warc.equals(a.warc)).toBe(false);
  });

  it("reads back with warcio: a warcinfo record, then a request and a response for every page and image", async () => {
    const { crawl, warc } = await build("warc", false);
    const all = await records(warc);
    expect(all[0]!.type).toBe("warcinfo");
    const responses = all.filter((r) => r.type === "response");
    expect(all.filter((r) => r.type === "request")).toHaveLength(crawl.pages.length + crawl.images.length);
    expect(responses).toHaveLength(crawl.pages.length + crawl.images.length);
    for (const page of crawl.pages) {
      const response = responses.find((r) => r.url === page.url)!;
      expect(response.status).toBe(200);
      expect(new TextDecoder().decode(response.body)).toBe(pageHtml(page));
    }
  });

  it("carries image bytes whose magic number, decoded size and hash match the ground truth, and 404s for gone images", async () => {
    const { crawl, facts, warc } = await build("warc", true);
    const responses = await records(warc);
    expect(crawl.images.some((i) => i.httpStatus === 404)).toBe(true);
    for (const image of crawl.images) {
      const response = responses.find((r) => r.type === "response" && r.url === image.url)!;
      expect(response.status).toBe(image.httpStatus);
      if (image.httpStatus !== 200) {
        expect(facts.has(image.id)).toBe(false);
        continue;
      }
      expect(response.contentType).toBe(image.contentType);
      expect(MAGIC[image.format]!(response.body), `${image.id} is ${image.format}`).toBe(true);
      const meta = await sharp(response.body).metadata();
      expect([meta.width, meta.height]).toEqual([image.width, image.height]);
      expect(facts.get(image.id)).toEqual({ byteLength: response.body.byteLength, sha256: createHash("sha256").update(response.body).digest("hex") });
    }
  });
});

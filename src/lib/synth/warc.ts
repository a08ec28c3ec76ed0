/**
 * The crawl as a WARC file (warcio): a warcinfo record, then for each page a request and
 * a response with its HTML, followed by a request and a response for each of its images
 * (the bytes, or a 404). Record ids and dates come from the seed: same crawl, same bytes.
 */
import { WARCRecord, WARCSerializer } from "warcio";
import type { Crawl } from "./crawl.js";
import { pageHtml } from "./html.js";
import type { EncodedImage } from "./node.js";
import { Rng } from "./prng.js";

export interface WarcOptions {
  /** Gzip each record (a .warc.gz, as Common Crawl ships them). */
  gzip?: boolean;
  /** Name recorded in the warcinfo record. */
  filename?: string;
}

const WARC_VERSION = "WARC/1.1";
const USER_AGENT = "ccw-synth/1.0 (+https://conceptual-workbench.example/synth)";

/** A deterministic urn:uuid (version 4 layout) for a record. */
function recordId(seed: string, ...labels: (string | number)[]): string {
  const rng = new Rng(`warc/${seed}/${labels.join("/")}`);
  const hex = Array.from({ length: 4 }, () => rng.uint32().toString(16).padStart(8, "0")).join("");
  const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17)}`;
  return `<urn:uuid:${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}>`;
}

const encoder = new TextEncoder();

async function serialize(record: WARCRecord, gzip: boolean): Promise<Uint8Array> {
  return WARCSerializer.serialize(record, { gzip });
}

function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function requestRecord(seed: string, url: string, date: string, accept: string, id: string): WARCRecord {
  const u = new URL(url);
  return WARCRecord.create(
    {
      url,
      date,
      type: "request",
      warcVersion: WARC_VERSION,
      warcHeaders: { "WARC-Record-ID": recordId(seed, "request", id) },
      statusline: `GET ${u.pathname}${u.search} HTTP/1.1`,
      httpHeaders: { Host: u.host, "User-Agent": USER_AGENT, Accept: accept },
    },
    [],
  );
}

function responseRecord(seed: string, url: string, date: string, status: string, headers: Record<string, string>, body: Uint8Array, id: string): WARCRecord {
  return WARCRecord.create(
    {
      url,
      date,
      type: "response",
      warcVersion: WARC_VERSION,
      warcHeaders: { "WARC-Record-ID": recordId(seed, "response", id) },
      statusline: `HTTP/1.1 ${status}`,
      httpHeaders: { ...headers, "Content-Length": String(body.byteLength) },
    },
    [body],
  );
}

/**
 * Serialises the crawl; `images` must yield the crawl's images in crawl order (as
 * encodeCrawl does). Yields one chunk per record, so a file can be written as it goes.
 */
export async function* crawlWarc(crawl: Crawl, images: AsyncIterable<EncodedImage>, options: WarcOptions = {}): AsyncGenerator<Uint8Array> {
  const gzip = options.gzip ?? false;
  const seed = crawl.options.seed;
  const first = crawl.pages[0]?.date ?? "2019-01-01T00:00:00Z";
  const info = WARCRecord.createWARCInfo(
    {
      filename: options.filename ?? "crawl.warc",
      warcVersion: WARC_VERSION,
      date: first,
      warcHeaders: { "WARC-Record-ID": recordId(seed, "warcinfo") },
    },
    {
      software: "ccw synth (Conceptual Workbench)",
      format: "WARC File Format 1.1",
      description: `synthetic crawl: seed ${seed}, ${crawl.options.pages} pages, world ${crawl.options.world}, styles ${crawl.options.styles.join(",")}`,
      robots: "ignore",
    },
  );
  yield serialize(info, gzip);
  const iterator = images[Symbol.asyncIterator]();
  for (const page of crawl.pages) {
    yield serialize(requestRecord(seed, page.url, page.date, "text/html", page.url), gzip);
    const html = encoder.encode(pageHtml(page));
    yield serialize(responseRecord(seed, page.url, page.date, "200 OK", { "Content-Type": "text/html; charset=utf-8", Server: "nginx" }, html, page.url), gzip);
    for (const [k, image] of page.images.entries()) {
      const next = await iterator.next();
      if (next.done || next.value.image.id !== image.id) {
        throw new Error(`crawlWarc: expected the bytes of ${image.id} next, got ${next.done ? "the end of the images" : next.value.image.id}; pass encodeCrawl(crawl)`);
      }
      const date = addSeconds(page.date, k + 1);
      yield serialize(requestRecord(seed, image.url, date, "image/avif,image/webp,image/*,*/*;q=0.8", image.id), gzip);
      const { bytes } = next.value;
      const response = image.httpStatus === 200 && bytes
        ? responseRecord(seed, image.url, date, "200 OK", { "Content-Type": image.contentType, Server: "nginx" }, bytes, image.id)
        : responseRecord(seed, image.url, date, "404 Not Found", { "Content-Type": "text/html; charset=utf-8", Server: "nginx" }, encoder.encode("<html><body><h1>404 Not Found</h1></body></html>\n"), image.id);
      yield serialize(response, gzip);
    }
  }
}

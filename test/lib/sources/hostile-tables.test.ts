// Hostile and damaged tables (issue 20, items 5, 7, 8): every input line or entry ends as a row, a
// counted error naming the file and the line/entry, or a counted skip; nothing hangs, recurses on
// input depth, or grows with the input. Fixtures are generated here; none is committed.
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  detectFormat, ingest, jsonArrayElements, emptyScanResult, openSource, readCc3mTsv, readCcLabelsTsv, readCocoBatches, readCocoCaptions, readCocoInstances,
  readImageFolder, readLines, type ReadError, type TableSink,
} from "../../../src/lib/sources/index.js";
import { MAX_ELEMENT_DEPTH } from "../../../src/lib/sources/json-stream.js";
import { makeImage } from "../images/fixtures.js";
import { drain, utf8 } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ccw-hostile-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const tsvLines = (n: number, tag: string, from = 0) => Array.from({ length: n }, (_, i) => `${tag} caption ${from + i}\thttp://example.com/${tag}/${from + i}.jpg\n`).join("");

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function* from(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

describe("COCO JSON nested 100,000 deep (item 5)", () => {
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  const instances = (bad: string) =>
    `{"images":[{"id":1,"file_name":"a.jpg"}],"categories":[{"id":1,"name":"dog"}],"annotations":[` +
    `{"id":1,"image_id":1,"category_id":1,"bbox":[1,2,3,4]},{"id":2,"image_id":1,"category_id":1,${bad}},{"id":3,"image_id":1,"category_id":1,"bbox":[5,6,7,8]}]}`;

  it("streamed (ccw ingest): the deep entry is one bad_json error naming the file and the entry, the others are rows", async () => {
    const path = await file("deep-instances.json", instances(`"bbox":[${deep(100_000)},1,2,3]`));
    const rows: object[] = [];
    const errors: ReadError[] = [];
    for await (const b of readCocoBatches("coco-instances", path)) {
      rows.push(...b.rows);
      errors.push(...b.errors);
    }
    expect(rows.map((r) => (r as { id: number }).id)).toEqual([1, 3]);
    expect(errors).toEqual([{ kind: "bad_json", where: "annotations[1]", message: `${path}: annotations[1] is nested more than ${MAX_ELEMENT_DEPTH} levels deep (the reader's limit); skipped` }]);
  });

  it("parsed whole (ccw eval-captions --instances): the deep bbox is that entry's bad_number, described one level deep", () => {
    for (const nested of [deep(100_000), '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000)]) {
      const read = readCocoInstances(JSON.parse(instances(`"bbox":[${nested},1,2,3]`)));
      expect(read.objects.map((o) => o.id)).toEqual([1, 3]);
      expect(read.errors.map((e) => [e.kind, e.where])).toEqual([["bad_number", "annotations[1]"]]);
      expect(read.errors[0]!.message).toMatch(/"bbox" must hold 4 finite numbers, got \[an (array|object), 1, 2, 3\]/);
    }
  });

  it("the scanner cuts out an over-deep or over-long element without keeping its text, and goes on", async () => {
    const doc = utf8(`{"annotations":[1,${deep(5_000)},"${"x".repeat(2_000)}",4]}`);
    const got = [];
    const scan = emptyScanResult();
    for await (const e of jsonArrayElements(from(doc), new Set(["annotations"]), scan, { maxChars: 1_000 })) got.push([e.index, e.text, e.problem?.kind]);
    expect(got).toEqual([[0, "1", undefined], [1, "", "too_deep"], [2, "", "too_large"], [3, "4", undefined]]);
    expect(scan.error).toBeNull();
  });
});

describe("gzip TSV that breaks (item 7a, 7b)", () => {
  it("trailing garbage: every row is kept and one bad_gzip error names the file and the offset", async () => {
    const gz = gzipSync(utf8(tsvLines(1000, "a")));
    const path = await file("trailing.tsv.gz", Buffer.concat([gz, Buffer.from("this is not gzip")]));
    const { rows, errors } = await drain(readCc3mTsv(path));
    expect(rows).toHaveLength(1000);
    expect(errors).toEqual([{ kind: "bad_gzip", where: 1001, message: expect.stringContaining(`${path}: the bytes after gzip member 1 are not a gzip member (trailing garbage) at compressed byte ${gz.length}; lines 1-1000 were read, 16 compressed bytes ignored`) }]);
  });

  it("format detection reads past the break too, so ccw ingest without --format gets to count it", async () => {
    const path = await file("detect.tsv.gz", Buffer.concat([gzipSync(utf8(tsvLines(3, "a"))), Buffer.from("GARBAGE")]));
    expect(await detectFormat(path)).toBe("cc3m");
  });

  it("a truncated member: the rows before the cut are kept, the lines near it are counted in one error", async () => {
    const gz = gzipSync(utf8(tsvLines(1000, "a")));
    const path = await file("cut.tsv.gz", gz.subarray(0, gz.length - 100));
    const { rows, errors } = await drain(readCc3mTsv(path));
    expect(rows.length).toBeGreaterThan(950);
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1)); // a prefix, in order, nothing invented
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "bad_gzip", where: rows.length + 1 });
    expect(errors[0]!.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: gzip member 1 \\(from byte 0\\) is cut off at compressed byte ${gz.length - 100}: .* lines 1-${rows.length} were read`));
  });

  it("one damaged member of 118 lines between good ones: one error accounts for it and the rest, never wrong rows or a handful of stray errors", async () => {
    const first = gzipSync(utf8(tsvLines(1000, "a")));
    const damaged = Buffer.from(gzipSync(utf8(tsvLines(118, "b"))));
    damaged[damaged.length >> 1]! ^= 0x55;
    const path = await file("damaged.tsv.gz", Buffer.concat([first, damaged, gzipSync(utf8(tsvLines(50, "c")))]));
    const { rows, errors } = await drain(readCc3mTsv(path));
    expect(rows).toHaveLength(1000);
    expect(rows.every((r) => r.caption.startsWith("a "))).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "bad_gzip", where: 1001 });
    expect(errors[0]!.message).toContain(`${path}: gzip member 2 (from byte ${first.length}) is damaged`);
    // What the damaged member decoded to before the damage showed is counted by its newlines; what follows, in compressed bytes.
    expect(errors[0]!.message).toMatch(/lines 1-1000 were read; \d+ decoded bytes after them are discarded as damaged \(by their \d+ newlines, lines 1001-\d+\); \d+ compressed bytes from the break on are not read$/);
  });
});

describe("row keys (item 7d)", () => {
  it("TSV rows are keyed by their physical line: unique and >= 1 across blank lines, CRLF and gzip members", async () => {
    const text = `${tsvLines(3, "a")}\r\n\n${tsvLines(2, "b").replace(/\n/g, "\r\n")}bad line\n${tsvLines(2, "c")}`;
    const bytes = Buffer.concat([gzipSync(utf8(text.slice(0, 40))), gzipSync(utf8(text.slice(40)))]); // a member boundary inside a line
    const { rows, errors } = await drain(readCc3mTsv(bytes));
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 6, 7, 9, 10]);
    expect(errors.map((e) => e.where)).toEqual([4, 5, 8]);
    expect(new Set(rows.map((r) => r.line)).size).toBe(rows.length);
  });

  it("COCO: a negative id is that entry's bad_number; a repeated annotation id is a duplicate_id naming the entry, across batches too", async () => {
    const doc = {
      images: [{ id: 1 }, { id: -4 }],
      annotations: [
        { id: 10, image_id: 1, caption: "a dog" },
        { id: -1, image_id: 1, caption: "negative id" },
        { id: 11, image_id: -2, caption: "negative image" },
        { id: 12, image_id: 1, caption: "a cat" },
        { id: 10, image_id: 1, caption: "same id as the first" },
      ],
    };
    const whole = readCocoCaptions(doc);
    expect(whole.captions.map((c) => c.id)).toEqual([10, 12]);
    const expected = [
      ["bad_number", "images[1]"], ["bad_number", "annotations[1]"], ["bad_number", "annotations[2]"], ["duplicate_id", "annotations[4]"],
    ];
    expect(whole.errors.map((e) => [e.kind, e.where])).toEqual(expected);
    expect(whole.errors[1]!.message).toBe('annotations[1]: "id" must be an id (an integer >= 0), got -1');
    const streamed = await drain(readCocoBatches("coco-captions", utf8(JSON.stringify(doc)), { batchSize: 2 }) as AsyncIterable<{ rows: { id: number }[]; errors: ReadError[] }>);
    expect(streamed.rows.map((r) => r.id)).toEqual([10, 12]);
    expect(streamed.errors.map((e) => [e.kind, e.where]).sort()).toEqual([...expected].sort());
  });
});

describe("degenerate lines (item 8b)", () => {
  it("a million empty lines in one chunk come out in groups of at most 1,024, each line one field_count error", async () => {
    let lines = 0;
    let largest = 0;
    for await (const group of readLines(from(new Uint8Array(1_000_000).fill(10)))) {
      lines += group.length;
      largest = Math.max(largest, group.length);
    }
    expect(lines).toBe(1_000_000);
    expect(largest).toBeLessThanOrEqual(1024);
    const { rows, errors } = await drain(readCcLabelsTsv(gzipSync(new Uint8Array(200_000).fill(10))));
    expect(rows).toEqual([]);
    expect(errors).toHaveLength(200_000);
    expect(errors[199_999]).toEqual({ kind: "field_count", where: 200_000, message: "line 200000: expected 5 fields, found a blank line" });
  });

  it("a line past maxLineBytes is one line_too_long error, its bytes never decoded, and reading goes on", async () => {
    const long = new Uint8Array(8 * 1024 * 1024).fill(0x61);
    const bytes = Buffer.concat([utf8(tsvLines(1, "a")), long, utf8(`\n${tsvLines(1, "b")}`)]);
    const { rows, errors } = await drain(readCc3mTsv(gzipSync(bytes), { maxLineBytes: 64 * 1024 }));
    expect(rows.map((r) => r.line)).toEqual([1, 3]);
    expect(errors).toEqual([{ kind: "line_too_long", where: 2, message: `line 2 has ${long.length} bytes, more than maxLineBytes` }]);
  });
});

describe("image folders with links, FIFOs and sockets (item 7c)", () => {
  let folder: string;
  let server: ReturnType<typeof createServer> | null = null;
  beforeAll(async () => {
    folder = join(dir, "folder");
    await mkdir(join(folder, "sub"), { recursive: true });
    await writeFile(join(folder, "a.png"), await makeImage("png", 10, 10));
    await symlink(join(folder, "a.png"), join(folder, "link.png"));
    await symlink(folder, join(folder, "sub", "loop")); // a link back up: followed, it would never end
    execFileSync("mkfifo", [join(folder, "pipe.png")]); // opened, it would block forever
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(join(folder, "sock"), resolve));
  });
  afterAll(() => server?.close());

  it("counts each skipped entry by kind, never opening it, so rows + errors + skipped = entries", async () => {
    const batches = [];
    for await (const b of readImageFolder(folder)) batches.push(b);
    const skipped: Record<string, number> = {};
    for (const b of batches) for (const [k, n] of Object.entries(b.skipped ?? {})) skipped[k] = (skipped[k] ?? 0) + n;
    expect(batches.flatMap((b) => b.rows).map((r) => r.file)).toEqual(["a.png"]);
    expect(batches.flatMap((b) => b.errors)).toEqual([]);
    expect(skipped).toEqual({ symlink: 2, fifo: 1, socket: 1 });
  });

  it("ccw ingest's summary carries the skipped counts", async () => {
    const sink: TableSink<object> = { write: async () => {}, close: async () => 1 } as unknown as TableSink<object>;
    const summary = await ingest(openSource("images", folder), [sink]);
    expect(summary.skipped).toEqual({ symlink: 2, fifo: 1, socket: 1 });
  });
});

// Row accounting under hostile input: every input row ends with exactly one status-table row, a bad
// value in one row is that row's status (never the table's), and resume is keyed by content.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC, fromParquet } from "../../../src/lib/arrow/index.js";
import { downloadImages, JournalMismatchError, type DownloadItem, type DownloadOptions, type StatusRow } from "../../../src/lib/download/index.js";
import { fileIdentity } from "../../../src/lib/files/index.js";
import { startImageServer, type TestServer } from "./server.js";

let server: TestServer;
let tmp: string;
let runs = 0;

beforeAll(async () => {
  server = await startImageServer();
  tmp = await mkdtemp(join(tmpdir(), "ccw-download-accounting-"));
});
afterAll(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const LOCAL: DownloadOptions = { allowPrivate: true, timeoutMs: 1000, retries: 0, concurrency: 4 };
const at = (path: string) => (path.includes(":") ? path : `${server.base}${path}`);

async function* stream(items: DownloadItem[]): AsyncGenerator<DownloadItem> {
  yield* items;
}

/** Downloads `items` and reads back both status tables (Arrow rows as plain objects). */
async function download(items: DownloadItem[], options: DownloadOptions = {}, out = join(tmp, `run-${++runs}`)) {
  const stats = await downloadImages(stream(items), out, { ...LOCAL, ...options });
  const rows = fromArrowIPC(readFileSync(join(out, "status.arrow"))).toArray().map((r) => r.toJSON() as unknown as StatusRow);
  const parquet = await fromParquet(readFileSync(join(out, "status.parquet")));
  return { stats, rows, parquetRows: parquet.numRows, out, byUrl: (url: string) => rows.filter((r) => r.url === at(url)) };
}

describe("downloadImages(): a bad value in one row is that row's status, never the table's", () => {
  it("keeps a key beyond int32 (3e9) exactly, and saves its image under it", async () => {
    const { rows, stats, out } = await download([{ key: 3e9, url: at("/img/logo.png"), caption: "big key" }, { key: 1, url: at("/img/photo.jpg"), caption: null }]);
    expect(rows.map((r) => [r.key, r.status]).sort()).toEqual([[1, "ok"], [3e9, "ok"]]);
    const big = rows.find((r) => r.key === 3e9)!;
    expect(big.path).toBe("images/300000/3000000000.png");
    expect(existsSync(join(out, big.path!))).toBe(true);
    expect(stats.total).toBe(2);
  });

  it("ends negative, fractional and non-finite keys as bad_key rows with a null key, unfetched", async () => {
    const before = server.hits.get("/img/anim.gif") ?? 0;
    const { rows, stats, parquetRows } = await download([
      { key: -1, url: at("/img/anim.gif"), caption: "negative" },
      { key: 1.5, url: at("/img/anim.gif"), caption: "fractional" },
      { key: Number.NaN, url: at("/img/anim.gif"), caption: "not a number" },
      { key: 2 ** 53, url: at("/img/anim.gif"), caption: "past 2^53" },
      { key: 7, url: at("/img/logo.png"), caption: "fine" },
    ]);
    expect(rows).toHaveLength(5);
    expect(parquetRows).toBe(5);
    const bad = rows.filter((r) => r.status === "bad_key");
    expect(bad.map((r) => [r.caption, r.key, r.attempts])).toEqual([["negative", null, 0], ["fractional", null, 0], ["not a number", null, 0], ["past 2^53", null, 0]]);
    expect(bad[0]!.message).toMatch(/key -1 is not an integer from 0 to 2\^53 - 1/);
    expect(server.hits.get("/img/anim.gif") ?? 0).toBe(before);
    expect(stats.counts).toMatchObject({ bad_key: 4, ok: 1 });
    expect(stats.total).toBe(5);
  });

  it("ends an item that repeats an earlier key as bad_key: no silent merge", async () => {
    const { rows, stats } = await download([
      { key: 4, url: at("/img/logo.png"), caption: "first" },
      { key: 4, url: at("/img/photo.jpg"), caption: "second" },
    ], { concurrency: 1 });
    expect(rows.map((r) => [r.caption, r.key, r.status])).toEqual([["first", 4, "ok"], ["second", null, "bad_key"]]);
    expect(rows[1]!.message).toMatch(/key 4 repeats an earlier input row's key/);
    expect(stats.total).toBe(2);
  });

  it("gives every non-http(s) URL and every unreadable row its own row", async () => {
    const hostile = ["javascript:alert(1)", "file:///etc/passwd", "ftp://files.example.com/a.jpg", "data:image/png;base64,iVBORw0KGgo=", "", "not a url", "http://"];
    const items: DownloadItem[] = hostile.map((url, i) => ({ key: i + 1, url, caption: `row ${i + 1}` }));
    items.push({ key: 8, url: "", caption: null, refused: { status: "bad_row", message: "field_count: line 8: expected 2 fields" } });
    const { rows, stats } = await download(items);
    expect(rows.map((r) => r.key).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.filter((r) => r.status === "bad_url")).toHaveLength(7);
    expect(rows.find((r) => r.key === 8)).toMatchObject({ status: "bad_row", message: "field_count: line 8: expected 2 fields", attempts: 0 });
    expect(stats.this_run.attempted).toBe(7);
  });

  it("writes the table when a header declares a side no int32 column holds: that row is not_an_image, the number in its message", async () => {
    const { rows, stats } = await download([{ key: 1, url: at("/huge-header.png"), caption: null }, { key: 2, url: at("/img/logo.png"), caption: null }]);
    expect(rows.find((r) => r.key === 1)).toMatchObject({ status: "not_an_image", format: "png", width: null, height: null, path: null });
    expect(rows.find((r) => r.key === 1)!.message).toMatch(/4294967295/);
    expect(stats.counts.ok).toBe(1);
  });
});

describe("downloadImages(): resume is keyed by content", () => {
  const files = async (name: string, lines: string[]) => {
    const path = join(tmp, name);
    await writeFile(path, lines.join("\n"));
    return fileIdentity(path);
  };

  it("resumes the same input, and refuses another input into the same folder, naming both", async () => {
    const out = join(tmp, "journal-a");
    const a = await files("a.tsv", ["a\thttp://x/1"]);
    const b = await files("b.tsv", ["b\thttp://x/2"]);
    const items = [{ key: 1, url: at("/img/logo.png"), caption: "a" }];
    await download(items, { source: a }, out);
    const again = await download(items, { source: { ...a, path: join(tmp, "renamed.tsv") } }, out);
    expect(again.stats.this_run).toMatchObject({ attempted: 0, resumed_ok: 1 });
    expect(again.stats.source?.sha256).toBe(a.sha256);
    const refused = downloadImages(stream(items), out, { ...LOCAL, source: b });
    await expect(refused).rejects.toThrow(JournalMismatchError);
    await expect(downloadImages(stream(items), out, { ...LOCAL, source: b })).rejects.toThrow(
      new RegExp(`holds the download of .*a\\.tsv \\(\\d+ bytes, sha256 ${a.sha256.slice(0, 12)}…\\), not of .*b\\.tsv .*Use another output folder`),
    );
  });

  it("refuses the same file edited in place (same name, other bytes)", async () => {
    const out = join(tmp, "journal-edit");
    const before = await files("edit.tsv", ["a\thttp://x/1"]);
    await download([{ key: 1, url: at("/img/logo.png"), caption: "a" }], { source: before }, out);
    const after = await files("edit.tsv", ["a\thttp://x/1", "b\thttp://x/2"]);
    await expect(downloadImages(stream([]), out, { ...LOCAL, source: after })).rejects.toThrow(/edit\.tsv .*not of .*edit\.tsv/);
  });

  it("without a source, re-fetches a key whose URL changed, removing the old image; the table holds only this input's keys", async () => {
    const out = join(tmp, "rows-by-content");
    const first = await download([{ key: 1, url: at("/img/logo.png"), caption: "x" }, { key: 2, url: at("/img/photo.jpg"), caption: "y" }], {}, out);
    const oldPath = first.rows.find((r) => r.key === 1)!.path!;
    const second = await download([{ key: 1, url: at("/img/anim.gif"), caption: "x" }], {}, out);
    expect(second.stats.this_run).toMatchObject({ attempted: 1, resumed_ok: 0 });
    expect(second.rows.map((r) => [r.key, r.status, r.path])).toEqual([[1, "ok", "images/00000/000000001.gif"]]);
    expect(existsSync(join(out, oldPath))).toBe(false);
    expect(second.stats.total).toBe(1);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ccw } from "./run-ccw.js";
import { fromArrowIPC, fromParquet, tableFromRows, toParquet, type ColumnSpec } from "../../src/lib/arrow/index.js";
import type { DownloadStats } from "../../src/lib/download/index.js";
import { startImageServer, type TestServer } from "../lib/download/server.js";

let server: TestServer;
let dir: string;
const p = (name: string) => join(dir, name);

beforeAll(async () => {
  server = await startImageServer();
  dir = await mkdtemp(join(tmpdir(), "ccw-download-cli-"));
  const rows = [
    ["a photo", "/img/photo.jpg"], ["a logo", "/img/logo.png"], ["gone", "/missing.jpg"], ["opted out", "/noai.jpg"],
    ["not an image", "/html-as-image.jpg"], ["a webp", "/img/pic.webp"],
  ];
  await writeFile(p("urls.tsv"), `${rows.map(([c, u]) => `${c}\t${server.base}${u}`).join("\n")}\nbroken line without a tab\n`);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ccw download", () => {
  it("downloads a CC3M-style TSV, writes images, status tables and stats.json, and prints the counts", async () => {
    const { code, out } = await ccw("download", p("urls.tsv"), "--out", p("out"), "--allow-private", "--concurrency", "3", "--timeout-ms", "2000");
    expect(code).toBe(0);
    expect(out).toMatch(/7 rows in the status table, 3 ok \(42\.9%\)/);
    expect(out).toMatch(/by status: ok 3, /);
    expect(out).toMatch(/http_error 1/);
    expect(out).toMatch(/opted_out 1/);
    expect(out).toMatch(/not_an_image 1/);
    expect(out).toMatch(/bad_row 1/);
    expect(out).toMatch(/input lines that did not parse \(status bad_row\): field_count 1/);
    const status = await fromParquet(readFileSync(p("out/status.parquet")));
    expect(status.numRows).toBe(7);
    expect(existsSync(p("out/status.arrow"))).toBe(true);
    expect(existsSync(p("out/images/00000/000000001.jpg"))).toBe(true);
    const stats = JSON.parse(readFileSync(p("out/stats.json"), "utf-8")) as DownloadStats;
    expect(stats.counts.ok).toBe(3);
    expect(stats.input).toMatchObject({ records: 7, errors: { field_count: 1 } });
  });

  it("resumes: a re-run fetches nothing already saved", async () => {
    const before = server.hits.get("/img/photo.jpg");
    const { code, out } = await ccw("download", p("urls.tsv"), "--out", p("out"), "--allow-private");
    expect(code).toBe(0);
    expect(out).toMatch(/this run: 3 fetched, 3 already saved/);
    expect(server.hits.get("/img/photo.jpg")).toBe(before);
  });

  it("refuses the loopback server without --allow-private", async () => {
    const { code, out } = await ccw("download", p("urls.tsv"), "--out", p("blocked"));
    expect(code).toBe(0);
    expect(out).toMatch(/0 ok \(0\.0%\)/);
    expect(out).toMatch(/blocked_address 6, bad_row 1/);
  });

  it("reads URLs from a table written by ccw ingest", async () => {
    expect((await ccw("ingest", p("urls.tsv"), "--out", p("urls.parquet"))).code).toBe(0);
    const { code, out } = await ccw("download", p("urls.parquet"), "--out", p("from-table"), "--allow-private");
    expect(code).toBe(0);
    expect(out).toMatch(/6 rows in the status table, 3 ok/);
    const status = await fromParquet(readFileSync(p("from-table/status.parquet")));
    expect([...status.getChild("key")!.toArray()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("rejects bad options with exit 2 and the valid range", async () => {
    expect(await ccw("download", p("urls.tsv"), "--out", p("x"), "--concurrency", "0")).toMatchObject({ code: 2, err: expect.stringMatching(/--concurrency must be an integer from 1 to 1024/) });
    expect(await ccw("download", p("urls.tsv"))).toMatchObject({ code: 2, err: expect.stringMatching(/--out <dir> is required/) });
    expect(await ccw("download", p("urls.tsv"), "--out", p("x"), "--resize-mode", "stretch")).toMatchObject({ code: 2, err: expect.stringMatching(/no, keep_ratio, center_crop, border/) });
    expect((await ccw("download", "--help")).out).toMatch(/--allow-private/);
  });
});

describe("ccw download: every input row accounted for, resume keyed by content", () => {
  const statusRows = (out: string) => fromArrowIPC(readFileSync(join(out, "status.arrow"))).toArray().map((r) => r.toJSON() as { key: number | null; url: string; caption: string | null; status: string; message: string | null });

  it("ends each of 16 hostile TSV lines with exactly one status row, keyed by its line", async () => {
    const lines = [
      `a photo\t${server.base}/img/photo.jpg`,
      "script\tjavascript:alert(1)",
      "local file\tfile:///etc/passwd",
      "ftp\tftp://files.example.com/a.jpg",
      "inline\tdata:image/png;base64,iVBORw0KGgo=",
      `\t${server.base}/img/logo.png`, // empty caption: still an image to fetch
      `   \t${server.base}/img/anim.gif`,
      "no url field at all",
      "three\tfields\there",
      "",
      "bare scheme\thttp://",
      "relative\t/img/photo.jpg",
      "mail\tmailto:someone@example.com",
      "spaces\thttp://exa mple.com/x.jpg",
      `a webp\t${server.base}/img/pic.webp`,
      `gone\t${server.base}/missing.jpg`,
    ];
    await writeFile(p("hostile.tsv"), `${lines.join("\n")}\n`);
    const { code, out } = await ccw("download", p("hostile.tsv"), "--format", "cc3m", "--out", p("hostile"), "--allow-private");
    expect(code).toBe(0);
    expect(out).toMatch(/16 rows in the status table, 4 ok/);
    const rows = statusRows(p("hostile"));
    expect(rows.map((r) => r.key).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const status = new Map(rows.map((r) => [r.key, r.status]));
    expect([2, 3, 4, 5, 11, 12, 13, 14].map((k) => status.get(k))).toEqual(Array(8).fill("bad_url"));
    expect([8, 9, 10].map((k) => status.get(k))).toEqual(["bad_row", "bad_row", "bad_row"]);
    expect([1, 6, 7, 15].map((k) => status.get(k))).toEqual(["ok", "ok", "ok", "ok"]);
    expect(status.get(16)).toBe("http_error");
    expect(rows.find((r) => r.key === 6)!.caption).toBeNull();
    expect(rows.find((r) => r.key === 2)!.url).toBe("javascript:alert(1)");
    expect(rows.find((r) => r.key === 9)!.message).toMatch(/field_count: line 9: expected 2 fields, found 3/);
    const stats = JSON.parse(readFileSync(p("hostile/stats.json"), "utf-8")) as DownloadStats;
    expect(stats.total).toBe(16);
    expect(stats.input!.records).toBe(16);
  });

  it("refuses another TSV into the same --out, naming both inputs, and the same file edited in place", async () => {
    await writeFile(p("first.tsv"), `one\t${server.base}/img/logo.png\n`);
    await writeFile(p("second.tsv"), `two\t${server.base}/img/photo.jpg\n`);
    expect((await ccw("download", p("first.tsv"), "--out", p("shared"), "--allow-private")).code).toBe(0);
    const other = await ccw("download", p("second.tsv"), "--out", p("shared"), "--allow-private");
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/holds the download of .*first\.tsv \(\d+ bytes, sha256 [0-9a-f]{12}…\), not of .*second\.tsv \(\d+ bytes/);
    expect(other.err).toMatch(/Use another output folder, or delete .*status\.jsonl/);
    expect(statusRows(p("shared")).map((r) => r.caption)).toEqual(["one"]);
    await writeFile(p("first.tsv"), `one, edited\t${server.base}/img/logo.png\n`);
    expect((await ccw("download", p("first.tsv"), "--out", p("shared"), "--allow-private")).code).toBe(2);
  });

  interface KeyedRow { key: number | null; url: string; caption: string | null }
  const KEYED: ColumnSpec<KeyedRow>[] = [
    { name: "key", type: "float64", nullable: true, description: "key" },
    { name: "url", type: "utf8", description: "url" },
    { name: "caption", type: "utf8", nullable: true, description: "caption" },
  ];
  const table = async (name: string, rows: KeyedRow[]) => {
    await writeFile(p(name), await toParquet(tableFromRows(rows, KEYED)));
    return p(name);
  };

  it("keeps a table's key of 3e9, and ends negative, fractional and null keys as bad_key rows", async () => {
    const input = await table("keys.parquet", [
      { key: 3e9, url: `${server.base}/img/logo.png`, caption: "big" },
      { key: -5, url: `${server.base}/img/logo.png`, caption: "negative" },
      { key: 2.5, url: `${server.base}/img/logo.png`, caption: "fractional" },
      { key: null, url: `${server.base}/img/logo.png`, caption: "null" },
      { key: 12, url: "", caption: "empty url" },
    ]);
    const { code, out } = await ccw("download", input, "--out", p("keys"), "--allow-private");
    expect(code).toBe(0);
    expect(out).toMatch(/5 rows in the status table, 1 ok/);
    const rows = statusRows(p("keys")).sort((a, b) => a.caption!.localeCompare(b.caption!));
    expect(rows.map((r) => [r.caption, r.key, r.status])).toEqual([
      ["big", 3e9, "ok"], ["empty url", 12, "bad_url"], ["fractional", null, "bad_key"], ["negative", null, "bad_key"], ["null", null, "bad_key"],
    ]);
    expect(rows[3]!.message).toBe('row 1: "key" -5 is not an integer from 0 to 2^53 - 1');
    expect(existsSync(p("keys/images/300000/3000000000.png"))).toBe(true);
  });

  it("refuses a table whose keys repeat before fetching anything, naming the keys and their rows", async () => {
    const before = server.hits.get("/img/anim.gif") ?? 0;
    const input = await table("dups.parquet", [
      { key: 1, url: `${server.base}/img/anim.gif`, caption: "a" },
      { key: 2, url: `${server.base}/img/anim.gif`, caption: "b" },
      { key: 1, url: `${server.base}/img/anim.gif`, caption: "c" },
      { key: 2, url: `${server.base}/img/anim.gif`, caption: "d" },
      { key: 1, url: `${server.base}/img/anim.gif`, caption: "e" },
    ]);
    const { code, err } = await ccw("download", input, "--out", p("dups"), "--allow-private");
    expect(code).toBe(2);
    expect(err).toMatch(/2 values of the "key" column repeat: 1 \(rows 0, 2, 4\); 2 \(rows 1, 3\)/);
    expect(err).toMatch(/fix the column, or rename it so rows are keyed by their index/);
    expect(server.hits.get("/img/anim.gif") ?? 0).toBe(before);
    expect(existsSync(p("dups/status.jsonl"))).toBe(false);
  });

  it("--shard I/N splits input rows j mod N over tasks; `ccw download merge` writes every input row exactly once, with the one-process statuses", async () => {
    const one = await ccw("download", p("urls.tsv"), "--out", p("one"), "--allow-private", "--timeout-ms", "2000");
    expect(one.code, one.out).toBe(0);
    const out = p("sharded");
    const tasks = [0, 1, 2];
    const first = await ccw("download", p("urls.tsv"), "--out", out, "--allow-private", "--timeout-ms", "2000", "--shard", "0/3");
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/task 0 of 3 \(input rows j with j mod 3 = 0\): 3 rows in the status table/);
    const early = await ccw("download", "merge", out);
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/2 of 3 tasks have not finished: task 1 of 3, task 2 of 3/);
    const other = await ccw("download", p("urls.tsv"), "--out", out, "--allow-private", "--timeout-ms", "3000", "--shard", "1/3");
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/download.json belongs to another download: the options differ/);
    for (const task of tasks.slice(1)) {
      const r = await ccw("download", p("urls.tsv"), "--out", out, "--allow-private", "--timeout-ms", "2000", "--concurrency", "2", "--shard", `${task}/3`);
      expect(r.code, r.err).toBe(0);
    }
    const merged = await ccw("download", "merge", out);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toMatch(/3 tasks, 7 rows in the status table, 3 ok/);
    const rows = (file: string) => fromArrowIPC(readFileSync(file)).toArray().map((r) => r.toJSON()).map((r) => [r.key, r.status, r.path]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rows(join(out, "status.arrow"))).toEqual(rows(p("one/status.arrow")));
    for (const [, status, path] of rows(join(out, "status.arrow"))) if (status === "ok") expect(existsSync(join(out, String(path)))).toBe(true);
    const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf-8")) as DownloadStats & { tasks: number };
    const single = JSON.parse(readFileSync(p("one/stats.json"), "utf-8")) as DownloadStats;
    expect(stats).toMatchObject({ tasks: 3, total: 7, counts: single.counts, input: { records: 7, errors: { field_count: 1 } } });
    expect((await fromParquet(readFileSync(join(out, "status.parquet")))).numRows).toBe(7);
  });
});

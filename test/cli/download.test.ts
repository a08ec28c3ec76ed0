import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ccw } from "./run-ccw.js";
import { fromParquet } from "../../src/lib/arrow/index.js";
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
    expect(out).toMatch(/6 URLs in the status table, 3 ok \(50\.0%\)/);
    expect(out).toMatch(/by status: ok 3, /);
    expect(out).toMatch(/http_error 1/);
    expect(out).toMatch(/opted_out 1/);
    expect(out).toMatch(/not_an_image 1/);
    expect(out).toMatch(/input rows without a usable URL: field_count 1/);
    const status = await fromParquet(readFileSync(p("out/status.parquet")));
    expect(status.numRows).toBe(6);
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
    expect(out).toMatch(/blocked_address 6/);
  });

  it("reads URLs from a table written by ccw ingest", async () => {
    expect((await ccw("ingest", p("urls.tsv"), "--out", p("urls.parquet"))).code).toBe(0);
    const { code, out } = await ccw("download", p("urls.parquet"), "--out", p("from-table"), "--allow-private");
    expect(code).toBe(0);
    expect(out).toMatch(/6 URLs in the status table, 3 ok/);
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

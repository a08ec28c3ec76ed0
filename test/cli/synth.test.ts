import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import { ccw } from "./run-ccw.js";

const FILES = [
  ...["candidates", "captions", "images", "objects"].flatMap((t) => [`${t}.arrow`, `${t}.parquet`]),
  "coco-captions.json",
  "coco-instances.json",
  "crawl.warc.gz",
  "summary.json",
];

describe("ccw synth", () => {
  it("--help documents every option and the files it writes", async () => {
    const { code, out } = await ccw("synth", "--help");
    expect(code).toBe(0);
    for (const option of ["--out", "--seed", "--pages", "--world", "--styles", "--noise", "--missing-rate", "--plain-warc", "--images", "--concurrency"]) expect(out).toContain(option);
    for (const file of FILES) expect(out).toContain(file);
  });

  it("is listed by ccw --help", async () => {
    expect((await ccw("--help")).out).toMatch(/synth\s+write the built-in synthetic web crawl/);
  });

  it.each([
    [["--pages", "3"], /--out <dir> is required/],
    [["--out", "/tmp/x", "--pages", "0"], /--pages must be an integer from 1 to 1000000, got "0"/],
    [["--out", "/tmp/x", "--world", "mars"], /unknown world "mars"; valid: coco-like, decorrelated/],
    [["--out", "/tmp/x", "--styles", "modern,sepia"], /unknown style "sepia"; valid: modern, flat, high-contrast/],
    [["--out", "/tmp/x", "--noise", "spam=0.2"], /unknown noise class "spam"; valid: good/],
    [["--out", "/tmp/x", "--noise", "good"], /--noise expects class=rate pairs/],
    [["--out", "/tmp/x", "--missing-rate", "5"], /--missing-rate must be a number from 0 to 1/],
    [["--out", "/tmp/x", "--colour"], /Valid options: --out, --seed/],
  ])("exits 2 with a clear message on bad arguments %j", async (args, message) => {
    const { code, err } = await ccw("synth", ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("writes the WARC, the tables and a summary, reports progress, and is byte-identical when run again", async () => {
    const a = mkdtempSync(join(tmpdir(), "ccw-synth-a-"));
    const b = mkdtempSync(join(tmpdir(), "ccw-synth-b-"));
    const first = await ccw("synth", "--out", a, "--seed", "5", "--pages", "6", "--images");
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/synth: \d+\/\d+ images rendered/);
    expect(first.out).toMatch(/6 pages, \d+ images/);
    expect(first.out).toMatch(/noise classes: /);
    expect(readdirSync(a).sort()).toEqual([...FILES, "images"].sort());
    const summary = JSON.parse(readFileSync(join(a, "summary.json"), "utf-8")) as { pages: number; images: number; missingImages: number };
    expect(summary.pages).toBe(6);
    expect(readdirSync(join(a, "images"))).toHaveLength(summary.images - summary.missingImages);
    expect(fromArrowIPC(readFileSync(join(a, "images.arrow"))).numRows).toBe(summary.images);
    expect((await ccw("synth", "--out", b, "--seed", "5", "--pages", "6", "--concurrency", "1")).code).toBe(0);
    for (const file of FILES) expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), file).toBe(true);
  });

  it("--plain-warc writes an uncompressed crawl.warc", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-synth-plain-"));
    expect((await ccw("synth", "--out", dir, "--pages", "2", "--plain-warc")).code).toBe(0);
    expect(readFileSync(join(dir, "crawl.warc")).subarray(0, 8).toString()).toBe("WARC/1.1");
  });
});

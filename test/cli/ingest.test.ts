import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ccw } from "./run-ccw.js";
import { fromArrowIPC, fromParquet } from "../../src/lib/arrow/index.js";
import { HAVE_SHARED, SHARED } from "../lib/sources/helpers.js";
import { makeImage } from "../lib/images/fixtures.js";
import { makeWarc } from "../lib/sources/warc-fixtures.js";

let dir: string;
const p = (name: string) => join(dir, name);
const LINES = Array.from({ length: 200 }, (_, i) => `caption number ${i + 1}\thttp://img.example.com/${i + 1}.jpg`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ccw-ingest-"));
  const hostile = [...LINES];
  hostile[9] = "no tab here";
  hostile[19] = "too\tmany\ttabs";
  hostile[29] = "caption\tnot-a-url";
  await writeFile(p("cc3m.tsv"), `${hostile.join("\n")}\n`);
  await writeFile(p("clean.tsv"), `${LINES.join("\n")}\n`);
  await writeFile(p("crawl.warc"), (await makeWarc([
    { url: "https://site.example/page.html", body: "<title>T</title><p>text <img src=/a.jpg alt='an alt'></p>" },
    { url: "https://site.example/a.jpg", contentType: "image/jpeg", body: await makeImage("jpeg", 410, 410) },
  ], false)).bytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("ccw ingest", () => {
  it("reads a TSV into Arrow, printing rows read, rows written and errors by kind", async () => {
    const { code, out } = await ccw("ingest", p("cc3m.tsv"), "--out", p("cc3m.arrow"));
    expect(code).toBe(0);
    expect(out).toMatch(/ccw ingest: cc3m in/);
    expect(out).toMatch(/captions: 197 rows read, 197 written/);
    expect(out).toMatch(/errors: 3 \(field_count 2, bad_url 1\)/);
    expect(out).toMatch(/line 10: expected 2 fields/);
    const table = fromArrowIPC(readFileSync(p("cc3m.arrow")));
    expect(table.numRows).toBe(197);
    expect(table.getChild("line")!.toArray().slice(8, 10)).toEqual(Int32Array.from([9, 11]));
  });

  it("samples deterministically: same seed, same rows; another seed, other rows", async () => {
    const lines = async (seed: string, out: string) => {
      const r = await ccw("ingest", p("clean.tsv"), "--out", p(out), "--sample", "20", "--seed", seed);
      expect(r.out).toMatch(/200 rows read, 20 written/);
      return [...(await fromParquet(readFileSync(p(out)))).getChild("line")!.toArray()];
    };
    const a = await lines("7", "a.parquet");
    expect(await lines("7", "b.parquet")).toEqual(a);
    expect(await lines("8", "c.parquet")).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(a); // input order kept
  });

  it("in --strict mode exits 1 at the first bad line and leaves no output", async () => {
    const { code, err } = await ccw("ingest", p("cc3m.tsv"), "--out", p("strict.arrow"), "--strict");
    expect(code).toBe(1);
    expect(err).toMatch(/--strict: field_count at #10/);
    expect(existsSync(p("strict.arrow"))).toBe(false);
    expect(existsSync(p("strict.arrow.part"))).toBe(false);
  });

  it("writes a WARC's candidates and image responses to two tables", async () => {
    const { code, out } = await ccw("ingest", p("crawl.warc"), "--out", p("crawl.arrow"));
    expect(code).toBe(0);
    expect(out).toMatch(/warc_candidates: 1 rows read, 1 written/);
    expect(out).toMatch(/warc_images: 1 rows read, 1 written → .*crawl\.images\.arrow/);
    const candidates = fromArrowIPC(readFileSync(p("crawl.arrow")));
    expect(candidates.get(0)!.toJSON()).toMatchObject({ src: "https://site.example/a.jpg", alt: "an alt", page_title: "T" });
    const images = fromArrowIPC(readFileSync(p("crawl.images.arrow")));
    expect(images.get(0)!.toJSON()).toMatchObject({ format: "jpeg", width: 410, height: 410, status: "ok" });
  });

  it("rejects bad arguments with exit 2, naming what is valid", async () => {
    expect(await ccw("ingest", p("cc3m.tsv"), "--out", p("x.arrow"), "--format", "csv")).toMatchObject({ code: 2, err: expect.stringMatching(/valid: cc3m, cc12m, cc-labels, coco-captions, coco-instances, coco-results, images, warc/) });
    expect(await ccw("ingest", p("cc3m.tsv"))).toMatchObject({ code: 2, err: expect.stringMatching(/--out <file.arrow\|file.parquet> is required/) });
    expect(await ccw("ingest", p("cc3m.tsv"), "--out", p("x.csv"))).toMatchObject({ code: 2, err: expect.stringMatching(/must end in .arrow or .parquet/) });
    expect(await ccw("ingest", p("nope.tsv"), "--out", p("x.arrow"))).toMatchObject({ code: 2, err: expect.stringMatching(/does not exist/) });
    expect(await ccw("ingest", p("cc3m.tsv"), "--out", p("x.arrow"), "--sample", "lots")).toMatchObject({ code: 2, err: expect.stringMatching(/--sample must be an integer/) });
    expect((await ccw("ingest", "--help")).out).toMatch(/--sample <n>/);
  });
});

describe.skipIf(!HAVE_SHARED)("ccw ingest on real data", () => {
  it("ingests the CC3M validation TSV to Parquet with no row lost", async () => {
    const { code, out } = await ccw("ingest", join(SHARED, "conceptual-captions", "Validation_GCC-1.1.0-Validation.tsv"), "--out", p("val.parquet"));
    expect(code).toBe(0);
    expect(out).toMatch(/captions: 15,833 rows read, 15,833 written/);
    expect(out).toMatch(/errors: 0/);
    expect((await fromParquet(readFileSync(p("val.parquet")))).numRows).toBe(15_833);
  });

  it("detects and ingests the coco-mini annotations", async () => {
    const { code, out } = await ccw("ingest", join(SHARED, "coco-mini", "annotations", "instances_val2017.json"), "--out", p("inst.arrow"));
    expect(code).toBe(0);
    expect(out).toMatch(/coco-instances/);
    expect(out).toMatch(/errors: 0/);
  });
});

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromArrowIPC, fromParquet } from "../../src/lib/arrow/index.js";
import { ccw } from "./run-ccw.js";
import { OPTIONS, PRESET_NAMES } from "../../src/lib/filter/index.js";

/** A small CC3M-style TSV (caption<TAB>url), written in code. */
function cc3mTsv(dir: string): string {
  const captions = [
    "A cute dog on the beach with a ball", "a dog on the beach", "#dog #beach #summer", "Tom Cruise with a dog in Paris on June 12, 2014",
    "IMG_2041.JPG", "Dos perros en la playa", "A DOG ON THE BEACH WITH A BALL", "Stock photo: A red car on a street - Stock Image",
  ];
  const path = join(dir, "val.tsv");
  writeFileSync(path, captions.map((c, i) => `${c}\thttps://example.com/${i}.jpg`).join("\n") + "\n");
  return path;
}

describe("ccw filter", () => {
  it("--help documents every option, every preset and every --set key", async () => {
    const { code, out } = await ccw("filter", "--help");
    expect(code).toBe(0);
    for (const option of ["--out", "--preset", "--stages", "--set", "--labels", "--all-reasons", "--workers", "--no-resume", "--shard", "--shard-count"]) expect(out).toContain(option);
    for (const text of ["ccw filter merge <dir>", "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "shards/run.json", "j mod N = I"]) expect(out).toContain(text);
    for (const preset of PRESET_NAMES) expect(out).toContain(preset);
    for (const key of Object.keys(OPTIONS)) expect(out).toContain(key);
    for (const file of ["funnel.json", "funnel.arrow", "candidates.arrow", "candidates.parquet"]) expect(out).toContain(file);
  });

  it.each([
    [["--out", "/tmp/x"], /give at least one input/],
    [["in.tsv"], /--out <dir> is required/],
    [["in.tsv", "--out", "/tmp/x", "--preset", "laion9"], /unknown preset "laion9"; valid: cc3m, cc12m, datacomp-basic, coyo, permissive/],
    [["in.tsv", "--out", "/tmp/x", "--set", "text.bogus=1"], /unknown option "text.bogus"; valid:/],
    [["in.tsv", "--out", "/tmp/x", "--set", "image.maxAspectRatio=abc"], /expected a number/],
    [["in.tsv", "--out", "/tmp/x", "--stages", "image,magic"], /unknown stage\(s\) magic/],
    [["in.tsv", "--out", "/tmp/x", "--workers", "0"], /--workers must be an integer from 1 to 64/],
    [["/nonexistent/in.tsv", "--out", "/tmp/x"], /cannot read input "\/nonexistent\/in.tsv"/],
  ])("exits 2 with a clear message on bad arguments %j", async (args, message) => {
    const { code, err } = await ccw("filter", ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("exits 2 on an input or --labels file of a format it does not filter, naming the valid ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-"));
    const coco = join(dir, "results.json");
    writeFileSync(coco, JSON.stringify([{ image_id: 1, caption: "a dog" }]));
    const bad = await ccw("filter", coco, "--out", join(dir, "out"));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/is coco-results; valid: cc3m, cc12m, cc-labels, warc files, or synth:PAGES\[:SEED\]/);
    const labels = await ccw("filter", cc3mTsv(dir), "--out", join(dir, "out"), "--labels", cc3mTsv(dir));
    expect(labels.code).toBe(2);
    expect(labels.err).toMatch(/--labels .* is cc3m; valid: cc-labels/);
  });

  it.each([[["synth:0", "--out", "/tmp/x"], /cannot read input "synth:0"/]])("rejects a malformed synthetic input %j", async (args, message) => {
    const { code, err } = await ccw("filter", ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("runs a caption-only TSV through text and transform, says which stages were skipped and why, and writes every output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-"));
    const out = join(dir, "out");
    const { code, out: printed, err } = await ccw("filter", cc3mTsv(dir), "--out", out, "--workers", "1");
    expect(code, err).toBe(0);
    expect(printed).toMatch(/image .*skipped: caption-only input/);
    expect(printed).toMatch(/grounding .*skipped: caption-only input and no labels/);
    expect(printed).toMatch(/kept \d+ of 8/);
    expect(err).toMatch(/filtering \[#+\] 8\/8/);
    const funnel = JSON.parse(readFileSync(join(out, "funnel.json"), "utf-8"));
    expect(funnel.preset).toBe("cc3m");
    expect(funnel.config.text.maxNounRatio).toBe(0.6);
    expect(funnel.provenance["image.minSidePx"]).toMatch(/Conceptual Captions/);
    const text = funnel.funnel.stages.find((s: { stage: string }) => s.stage === "text");
    expect(text.in).toBe(8);
    expect(text.in).toBe(text.kept + text.rejected);
    const table = fromArrowIPC(readFileSync(join(out, "candidates.arrow")));
    expect(table.numRows).toBe(8);
    const rows = table.toArray().map((r) => r.toJSON());
    expect(rows[1]).toMatchObject({ id: "val:2", status: "first_word_lowercase", rejected_stage: "text" });
    expect(rows[2]!.status).toBe("hashtags");
    expect(rows[7]).toMatchObject({ status: "kept", text_clean: "A red car on a street", caption_out: "a red car on a street" });
    expect((await fromParquet(readFileSync(join(out, "candidates.parquet")))).numRows).toBe(8);
    expect(existsSync(join(out, "shards", "val.parquet"))).toBe(true);
    const funnelTable = fromArrowIPC(readFileSync(join(out, "funnel.arrow"))).toArray().map((r) => r.toJSON());
    const textRow = funnelTable.find((r) => r.stage === "text" && r.reason === null)!;
    const ruleRows = funnelTable.filter((r) => r.stage === "text" && r.reason !== null);
    expect(textRow.in).toBe(8);
    expect(ruleRows.reduce((a, r) => a + r.rejected, 0)).toBe(textRow.rejected);
  }, 60_000);

  it("resumes: a second run re-uses the finished shard and gives the same table", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-"));
    const out = join(dir, "out");
    const input = cc3mTsv(dir);
    await ccw("filter", input, "--out", out, "--workers", "1");
    const first = readFileSync(join(out, "candidates.arrow"));
    const again = await ccw("filter", input, "--out", out, "--workers", "1");
    expect(again.err).toMatch(/val: reused finished shard/);
    expect(readFileSync(join(out, "candidates.arrow")).equals(first)).toBe(true);
    writeFileSync(input, `${readFileSync(input, "utf-8")}A second red car on a street\thttps://example.com/8.jpg\n`);
    const edited = await ccw("filter", input, "--out", out, "--workers", "1");
    expect(edited.err).toMatch(/val: done \(finished shard not reused: its input changed \(finished from .*val\.tsv \(\d+ bytes/);
    expect(edited.out).toMatch(/kept \d+ of 9/);
  }, 60_000);

  it("reads a WARC crawl, pairing each <img> with its image response", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-"));
    expect((await ccw("synth", "--pages", "4", "--seed", "warc-test", "--out", join(dir, "crawl"))).code).toBe(0);
    const { code, out: printed, err } = await ccw("filter", join(dir, "crawl", "crawl.warc.gz"), "--out", join(dir, "out"), "--workers", "1", "--stages", "image");
    expect(code, err).toBe(0);
    const rows = fromArrowIPC(readFileSync(join(dir, "out", "candidates.arrow"))).toArray().map((r) => r.toJSON());
    const truth = fromArrowIPC(readFileSync(join(dir, "crawl", "candidates.arrow"))).toArray().map((r) => r.toJSON());
    expect(rows.length).toBe(truth.length);
    // Every image the crawl served (HTTP 200) was found by URL; the 404s are image_missing.
    const served = truth.filter((t) => t.http_status === 200).length;
    expect(rows.filter((r) => r.image_state !== "missing").length).toBe(served);
    expect(printed).toMatch(/image\s+\d+\s+\d+/);
  }, 120_000);

  it("runs a synthetic crawl with images through every stage, the NSFW model and the labeler included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-"));
    const { code, out: printed, err } = await ccw("filter", "synth:6:filter-cli", "--out", dir, "--workers", "1", "--all-reasons");
    expect(code, err).toBe(0);
    expect(printed).not.toMatch(/image .*skipped/);
    expect(printed).toMatch(/text filter per noise class/);
    expect(printed).toMatch(/text stage: precision \d\.\d{3}, recall \d\.\d{3}/);
    const rows = fromArrowIPC(readFileSync(join(dir, "candidates.arrow"))).toArray().map((r) => r.toJSON());
    expect(rows.every((r) => typeof r.noise_class === "string")).toBe(true);
    expect(rows.some((r) => r.image_state === "ok" && r.format === "jpeg" && typeof r.nsfw_score === "number")).toBe(true);
    const funnel = JSON.parse(readFileSync(join(dir, "funnel.json"), "utf-8"));
    expect(funnel.funnel.stages[0].in).toBe(rows.length);
  }, 120_000);

  it("--shard I/N runs only task I's inputs without merging; `ccw filter merge` then writes the one-process files, byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-"));
    const inputs = ["synth:3:shard-a", "synth:3:shard-b", "synth:2:shard-c"];
    const one = await ccw("filter", ...inputs, "--out", join(dir, "one"), "--workers", "1", "--all-reasons");
    expect(one.code, one.err).toBe(0);
    const out = join(dir, "sharded");
    const merge0 = await ccw("filter", "merge", out);
    expect(merge0.code).toBe(2);
    expect(merge0.err).toMatch(/shards\/run.json does not exist: no filter run was started there/);
    const task1 = await ccw("filter", ...inputs, "--out", out, "--workers", "1", "--all-reasons", "--shard", "1/2");
    expect(task1.code, task1.err).toBe(0);
    expect(task1.out).toMatch(/task 1 of 2: 1 of 3 inputs .*synth-3-shard-b/);
    expect(existsSync(join(out, "candidates.arrow"))).toBe(false);
    const early = await ccw("filter", "merge", out);
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/2 of 3 shards are not finished: synth-3-shard-a \(input 0 "synth:3:shard-a", task 0 of 2\); synth-2-shard-c \(input 2 "synth:2:shard-c", task 0 of 2\)/);
    // Task 0 from a Slurm array's environment (its ids start at 1 here).
    const saved = { ...process.env };
    Object.assign(process.env, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "2" });
    let task0;
    try {
      task0 = await ccw("filter", ...inputs, "--out", out, "--workers", "1", "--all-reasons");
    } finally {
      for (const k of ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"]) if (saved[k] === undefined) delete process.env[k];
    }
    expect(task0.code, task0.err).toBe(0);
    expect(task0.out).toMatch(/task 0 of 2: 2 of 3 inputs/);
    const merged = await ccw("filter", "merge", out);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toMatch(/ccw filter merge: preset cc3m, 3 shard\(s\)/);
    expect(merged.out).toMatch(/text filter per noise class/);
    for (const file of ["candidates.arrow", "candidates.parquet", "funnel.arrow"]) expect(readFileSync(join(out, file)).equals(readFileSync(join(dir, "one", file))), file).toBe(true);
    const a = JSON.parse(readFileSync(join(out, "funnel.json"), "utf-8"));
    const b = JSON.parse(readFileSync(join(dir, "one", "funnel.json"), "utf-8"));
    expect({ ...a, elapsedMs: 0 }).toEqual({ ...b, elapsedMs: 0 });
  }, 180_000);

  it.each([
    [["merge"], /expected one folder/],
    [["merge", "/tmp/x", "--preset", "cc12m"], /merge: takes no options .* got --preset/],
    [["in.tsv", "--out", "/tmp/x", "--shard", "2/2"], /shard "2\/2": expected I\/N with N >= 1 and I from 0 to N - 1/],
    [["in.tsv", "--out", "/tmp/x", "--shard-count", "3"], /--shard-count needs a task index from the environment/],
  ])("exits 2 on bad shard or merge arguments %j", async (args, message) => {
    const { code, err } = await ccw("filter", ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("a task given other flags than the run in its folder is refused, naming the difference", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-"));
    const input = cc3mTsv(dir);
    expect((await ccw("filter", input, "--out", join(dir, "out"), "--workers", "1", "--shard", "0/2")).code).toBe(0);
    const other = await ccw("filter", input, "--out", join(dir, "out"), "--workers", "1", "--shard", "1/2", "--preset", "cc12m");
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/run.json belongs to another run: the configuration differs \(preset cc3m, .* vs preset cc12m/);
  }, 60_000);
});

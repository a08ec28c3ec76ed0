// Row accounting of `runFilter()` under hostile input: every TSV line with a URL becomes a candidate
// with exactly one status, and a finished shard is reused only for the same input content.
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../../src/lib/arrow/index.js";
import { resolveConfig } from "../../../src/lib/filter/index.js";
import { runFilter } from "../../../src/lib/filter/node.js";

const tsv = (path: string, captions: string[]) => {
  writeFileSync(path, captions.map((c, i) => `${c}\thttps://example.com/${i}.jpg`).join("\n") + "\n");
  return path;
};
const statuses = (out: string) => fromArrowIPC(readFileSync(join(out, "candidates.arrow"))).toArray().map((r) => r.toJSON() as { id: string; status: string; alt_text: string | null });

/** The image stage alone: on caption-only input it is skipped, so a run is fast and keeps every candidate. */
const imageOnly = resolveConfig("cc3m", { stages: ["image"] });

describe("runFilter(): every input row accounted for", () => {
  it("ends a TSV line with an empty or blank caption as alt_missing, not as a dropped row", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-accounting-"));
    const captions = Array.from({ length: 16 }, (_, i) => `A brown dog runs on the beach with a red ball number ${i}`);
    captions[4] = "";
    captions[9] = "   ";
    const out = join(dir, "out");
    const summary = await runFilter({ inputs: [tsv(join(dir, "empty.tsv"), captions)], resolved: resolveConfig("cc3m", { stages: ["text"] }), out, workers: 1 });
    const rows = statuses(out);
    expect(rows).toHaveLength(16);
    expect(summary.funnel.input).toBe(16);
    expect(summary.shards[0]!.readErrors).toEqual({});
    expect(rows[4]).toMatchObject({ id: "empty:5", status: "alt_missing", alt_text: "" });
    expect(rows[9]).toMatchObject({ id: "empty:10", status: "alt_missing" });
    expect(summary.funnel.byReason.alt_missing).toBe(2);
  }, 60_000);

  it("counts lines that cannot become candidates as read errors, so candidates + errors = lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-accounting-"));
    const path = join(dir, "mixed.tsv");
    writeFileSync(path, ["a dog\thttps://example.com/1.jpg", "no tab here", "a cat\tjavascript:alert(1)", "a bird\thttps://example.com/2.jpg", ""].join("\n"));
    const summary = await runFilter({ inputs: [path], resolved: imageOnly, out: join(dir, "out"), workers: 1 });
    const errors = Object.values(summary.shards[0]!.readErrors).reduce((a, b) => a + b, 0);
    expect(summary.funnel.input).toBe(2);
    expect(summary.shards[0]!.readErrors).toEqual({ field_count: 1, bad_url: 1 });
    expect(summary.funnel.input + errors).toBe(4);
  });
});

describe("runFilter(): a finished shard is reused only for the same input content", () => {
  it("reuses a shard for the same bytes, even when the file's time changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-reuse-"));
    const out = join(dir, "out");
    const input = tsv(join(dir, "val.tsv"), ["a dog", "a cat"]);
    const done: [string, boolean][] = [];
    await runFilter({ inputs: [input], resolved: imageOnly, out, workers: 1 });
    utimesSync(input, new Date(0), new Date(0));
    const again = await runFilter({ inputs: [input], resolved: imageOnly, out, workers: 1, onShardDone: (n, r) => void done.push([n, r]) });
    expect(done).toEqual([["val", true]]);
    expect(again.shards[0]!.input).toMatchObject({ bytes: readFileSync(input).length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("re-runs a shard whose file was edited in place, saying why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-reuse-"));
    const out = join(dir, "out");
    const input = tsv(join(dir, "val.tsv"), ["a dog", "a cat"]);
    await runFilter({ inputs: [input], resolved: imageOnly, out, workers: 1 });
    tsv(input, ["a dog", "a cat", "a bird"]);
    const notes: (string | undefined)[] = [];
    const again = await runFilter({ inputs: [input], resolved: imageOnly, out, workers: 1, onShardDone: (_n, reused, note) => void notes.push(reused ? "reused" : note) });
    expect(again.funnel.input).toBe(3);
    expect(statuses(out).map((r) => r.alt_text)).toEqual(["a dog", "a cat", "a bird"]);
    expect(notes[0]).toMatch(/its input changed \(finished from .*val\.tsv \(\d+ bytes, sha256 [0-9a-f]{12}…\), now .*val\.tsv .*\): re-run/);
  });

  it("re-runs when a different file with the same name is given into the same --out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-filter-reuse-"));
    const out = join(dir, "out");
    const first = tsv(join(dir, "a-val.tsv"), ["a dog", "a cat"]);
    await runFilter({ inputs: [first], resolved: imageOnly, out, workers: 1 });
    mkdirSync(join(dir, "other"));
    const second = tsv(join(dir, "other", "a-val.tsv"), ["a horse"]);
    const summary = await runFilter({ inputs: [second], resolved: imageOnly, out, workers: 1 });
    expect(summary.shards[0]!.reused).toBe(false);
    expect(statuses(out).map((r) => r.alt_text)).toEqual(["a horse"]);
  });
});

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CANDIDATES, machineCores, sizing, sizingBlock, SIZING_MARKERS, TASK_HOURS } from "../../bench/sizing.js";
import { currentMarkedBlock, parseResults, type ResultsFile, type Row } from "../../bench/table.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const row = (name: string, itemsPerSecond: number, extra: Partial<Row> = {}): Row => ({
  name, unit: "candidates", workload: "w", repetitions: 5, medianMs: 1, minMs: 1, itemsPerSecond, date: "2000-01-01", commit: "abc1234", load: 1, ...extra,
});
const file = (results: Row[]): ResultsFile => ({ machine: "4 × Test CPU, 1 GiB RAM, Node v0, no GPU used", date: "2000-01-02", commit: "abc1234", results });

describe("the README sizing block", () => {
  it("equals the block generated from the committed bench/results.json (a hand edit of either fails)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf-8");
    const committed = parseResults(readFileSync(join(ROOT, "bench", "results.json"), "utf-8"));
    expect(currentMarkedBlock(readme, SIZING_MARKERS), "README.md is stale: run `npx tsx bench/run.ts --tables-only`").toBe(sizingBlock(committed));
  });

  it("sizes CC3M's 5 billion candidates: core-hours = candidates ÷ rate per core ÷ 3,600, tasks = core-hours ÷ 24 rounded up", () => {
    expect(CANDIDATES).toBe(5e9);
    const [text] = sizing(file([row("filter-stages/text", 5000)]));
    expect(text!.coreHours).toBeCloseTo(5e9 / 5000 / 3600, 6);
    expect(text!.tasks).toBe(Math.ceil(5e9 / 5000 / 3600 / TASK_HOURS));
    expect(text!.tasks).toBe(12);
  });

  it("shares an all-cores row's rate out over the machine's cores, and leaves out skipped and missing rows", () => {
    const rows = sizing(file([row("filter-stages/pipeline-1m-all-cores", 8000), row("filter-stages/image-nsfw", NaN, { skipped: "no model" })]));
    expect(rows.map((r) => r.stage.row)).toEqual(["filter-stages/pipeline-1m-all-cores"]);
    expect(rows[0]!.perCore).toBe(2000);
    expect(sizingBlock(file([row("filter-stages/text", 5000)]))).toContain("| text | `filter-stages/text` (2000-01-01) | 5,000 | 278 | 12 |");
  });

  it("needs the core count at the head of the machine line, and says so when it is not there", () => {
    expect(machineCores("16 × Xeon, 64 GiB RAM")).toBe(16);
    expect(() => machineCores("a laptop")).toThrow(/does not start with "<cores> × <CPU>"/);
  });
});

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { README_END, README_START, currentReadmeBlock, parseResults, peerRatioLines, rateShareLines, readmeBlock, resultsMarkdown, withReadmeBlock, type ResultsFile } from "../../bench/table.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const committed = () => parseResults(readFileSync(join(ROOT, "bench", "results.json"), "utf-8"));

const tiny: ResultsFile = {
  machine: "1 × Test CPU, 1 GiB RAM, Node v0, no GPU used",
  date: "2000-01-02",
  commit: "abc1234",
  results: [
    { name: "fast", unit: "rows", workload: "w", repetitions: 5, medianMs: 1234.5, minMs: 1000, itemsPerSecond: 81.04, date: "2000-01-01", commit: "def5678", load: 0.5 },
    { name: "peer", unit: "images", workload: "w2", repetitions: 0, medianMs: NaN, minMs: NaN, itemsPerSecond: NaN, skipped: "python3 not found", date: "2000-01-01", commit: "def5678", load: 0 },
  ],
};

describe("the README benchmark block", () => {
  it("equals the block generated from the committed bench/results.json (a hand edit of either fails)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf-8");
    expect(currentReadmeBlock(readme), "README.md is stale: run `npx tsx bench/run.ts --tables-only`").toBe(readmeBlock(committed()));
  });

  it("bench/RESULTS.md equals the table generated from bench/results.json", () => {
    expect(readFileSync(join(ROOT, "bench", "RESULTS.md"), "utf-8"), "run `npx tsx bench/run.ts --tables-only`").toBe(resultsMarkdown(committed()));
  });

  it("names the machine and the run, and lists every row, a skipped one with its reason", () => {
    const block = readmeBlock(tiny);
    expect(block.startsWith(README_START) && block.endsWith(README_END)).toBe(true);
    expect(block).toContain("Machine: 1 × Test CPU, 1 GiB RAM, Node v0, no GPU used. Last run 2000-01-02 at commit abc1234");
    expect(block).toContain("| fast | 1,235 | 81 rows/s | 2000-01-01 |");
    expect(readmeBlock({ ...tiny, results: [{ ...tiny.results[0]!, itemsPerSecond: 0.0284 }] })).toContain("| fast | 1,235 | 0.028 rows/s |");
    expect(block).toContain("| peer | skipped: python3 not found | | 2000-01-01 |");
  });

  it("states each TF.js ÷ PyTorch ratio from its two rows, says whether they ran side by side, and leaves out a pair with a skipped row", () => {
    const row = (name: string, medianMs: number, commit = "aaa1111") => ({ name, unit: "images", workload: "w", repetitions: 5, medianMs, minMs: medianMs, itemsPerSecond: 16000 / medianMs, date: "2000-01-01", commit, load: 0.2 });
    const file: ResultsFile = {
      ...tiny,
      results: [
        row("dvae-train-step-tfjs-wasm", 2000),
        row("dvae-train-step-pytorch-1thread", 800),
        row("dvae-train-step-tfjs-wasm-2thread", 1500, "bbb2222"),
        { ...row("dvae-train-step-pytorch-2thread", 500), skipped: "PyTorch not available" },
      ],
    };
    const lines = peerRatioLines(file);
    expect(lines).toEqual([
      "- dVAE training step, 1 thread each: TF.js 2,000 ms ÷ PyTorch 800 ms = **2.50×** (`dvae-train-step-tfjs-wasm` ÷ `dvae-train-step-pytorch-1thread`, side by side at aaa1111)",
      "- dVAE training step, TF.js on 2 threads, PyTorch on 1: TF.js 1,500 ms ÷ PyTorch 800 ms = **1.88×** (`dvae-train-step-tfjs-wasm-2thread` ÷ `dvae-train-step-pytorch-1thread`, measured apart (2000-01-01 bbb2222, 2000-01-01 aaa1111))",
    ]);
    expect(readmeBlock(file)).toContain(lines.join("\n"));
    expect(readmeBlock(tiny)).not.toContain("TF.js ÷ PyTorch");
  });

  it("states the transformer step's rate as a share of the 2-D product rate, only when both rows were measured in one unit", () => {
    const row = (name: string, medianMs: number, unit = "GFLOP") => ({ name, unit, workload: "w", repetitions: 5, medianMs, minMs: medianMs, itemsPerSecond: 18000 / medianMs, date: "2000-01-01", commit: "aaa1111", load: 0.2 });
    const file: ResultsFile = { ...tiny, results: [row("wasm-matmul-2d", 1000), row("transformer-train-step", 1600)] };
    const lines = rateShareLines(file);
    expect(lines).toEqual(["- transformer training step's rate ÷ the WASM backend's 2-D matrix-product rate, 1 thread each: 11.3 ÷ 18 GFLOP/s = **63%** (`transformer-train-step` ÷ `wasm-matmul-2d`, side by side at aaa1111)"]);
    expect(readmeBlock(file)).toContain(lines.join("\n"));
    expect(rateShareLines({ ...tiny, results: [row("wasm-matmul-2d", 1000), row("transformer-train-step", 1600, "sequences")] })).toEqual([]);
  });

  it("withReadmeBlock replaces only the text between the markers", () => {
    const readme = `# T\n\nbefore\n${README_START}\nold table\n${README_END}\nafter\n`;
    const out = withReadmeBlock(readme, tiny);
    expect(out.startsWith("# T\n\nbefore\n")).toBe(true);
    expect(out.endsWith("\nafter\n")).toBe(true);
    expect(currentReadmeBlock(out)).toBe(readmeBlock(tiny));
    expect(withReadmeBlock(out, tiny)).toBe(out);
  });

  it("names the missing marker when the README has no block", () => {
    expect(() => withReadmeBlock("# no block\n", tiny)).toThrow(/no benchmark block start marker/);
    expect(() => withReadmeBlock(`${README_START}\n`, tiny)).toThrow(/no benchmark block end marker/);
  });

  it("rejects a results file without its fields, naming them", () => {
    expect(() => parseResults("{", "x.json")).toThrow(/x.json is not JSON/);
    expect(() => parseResults('{"machine":"m","date":"d","commit":"c"}')).toThrow(/no "results" array/);
    expect(() => parseResults('{"date":"d"}')).toThrow(/no string "machine"/);
  });
});

// `npm run bench`: runs every benchmark, writes bench/results.json, the table bench/RESULTS.md and the README's
// generated benchmark and sizing blocks. `npx tsx bench/run.ts --tables-only` rewrites the two tables from results.json alone.
import { execSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { arrowWriter } from "./arrow-writer.bench.js";
import { synth } from "./synth.bench.js";
import { captionMetrics } from "./caption-metrics.bench.js";
import { cliHelp, cliVersion, evalCaptionsProcess, evalCaptionsPython, nodeBare } from "./cli.bench.js";
import { filterStages } from "./filter-stages.bench.js";
import { filterMerge } from "./filter-merge.bench.js";
import { exploreBenchmarks } from "./explore-facets.bench.js";
import { dvaePageBenchmarks } from "./dvae-browser.bench.js";
import { transformerPageBenchmarks } from "./transformer-browser.bench.js";
import { attritionThresholdUpdate } from "./attrition-browser.bench.js";
import { dvaeForwardTfjs, dvaeForwardTorch1, dvaeTrainStepTfjs, dvaeTrainStepTfjs2, dvaeTrainStepTorch1, dvaeTrainStepTorch2 } from "./dvae-train-step.bench.js";
import { rerankTrainStep, rerankTrainStep2 } from "./rerank.bench.js";
import { transformerSampleNode, transformerTrainStep, transformerTrainStep2, transformerTrainStepReplicas2, transformerTrainStepTorch1, wasmMatMul2d, wasmMatMul2d2 } from "./transformer.bench.js";
import { measure, type Benchmark } from "./harness.js";
import { sizingBlock, SIZING_MARKERS } from "./sizing.js";
import { parseResults, resultsMarkdown, withMarkedBlock, withReadmeBlock, type Row } from "./table.js";
import { tsvToArrow } from "./tsv-to-arrow.bench.js";
import { readersBlankLines, readersLongLines, rougeLongCaptions } from "./readers.bench.js";
import { warcToCandidates } from "./warc-to-candidates.bench.js";

/** Every benchmark, in the order the table lists them. Later capabilities add theirs here. */
const BENCHMARKS: Benchmark[] = [arrowWriter, captionMetrics, evalCaptionsProcess, evalCaptionsPython, cliVersion, cliHelp, nodeBare, synth, tsvToArrow, readersBlankLines, readersLongLines, rougeLongCaptions, warcToCandidates, dvaeTrainStepTfjs, dvaeTrainStepTfjs2, dvaeTrainStepTorch1, dvaeTrainStepTorch2, dvaeForwardTfjs, dvaeForwardTorch1, wasmMatMul2d, wasmMatMul2d2, transformerTrainStep, transformerTrainStep2, transformerTrainStepReplicas2, transformerTrainStepTorch1, transformerSampleNode, rerankTrainStep, rerankTrainStep2, ...filterStages, filterMerge, ...dvaePageBenchmarks, ...transformerPageBenchmarks, ...exploreBenchmarks, attritionThresholdUpdate];

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, no GPU used`;
}

function commit(): string {
  try {
    return execSync("git rev-parse --short HEAD", { encoding: "utf-8" }).trim();
  } catch {
    return "unknown";
  }
}

const args = process.argv.slice(2);
const tablesOnly = args.includes("--tables-only");
const only = args.filter((a) => a !== "--tables-only");
const selected = tablesOnly ? [] : only.length ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;
if (only.length && (tablesOnly || selected.length !== only.length)) {
  console.error(
    tablesOnly
      ? `bench: --tables-only takes no benchmark names (got ${only.join(", ")})`
      : `bench: unknown benchmark(s) ${only.filter((n) => !BENCHMARKS.some((b) => b.name === n)).join(", ")}; valid: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
const dir = import.meta.dirname;
const resultsPath = join(dir, "results.json");
const readmePath = join(dir, "..", "README.md");
const stored = existsSync(resultsPath) ? parseResults(readFileSync(resultsPath, "utf-8")) : undefined;
if (tablesOnly && !stored) {
  console.error(`bench: --tables-only needs ${resultsPath}; run \`npm run bench\` first`);
  process.exit(2);
}
// --tables-only keeps the stored run's machine, date and commit; a measuring run records its own.
const meta = tablesOnly && stored ? { machine: stored.machine, date: stored.date, commit: stored.commit } : { machine: machine(), date: new Date().toISOString().slice(0, 10), commit: commit() };
// Naming benchmarks re-measures those rows only; the others keep their last measurement.
const previous = new Map<string, Row>((stored?.results ?? []).filter((r) => "date" in r).map((r) => [r.name, r]));
for (const bench of selected) {
  process.stdout.write(`bench: ${bench.name} … `);
  const load = loadavg()[0]!;
  const result = await measure(bench);
  previous.set(bench.name, { ...result, date: meta.date, commit: meta.commit, load });
  console.log(result.skipped ? `skipped: ${result.skipped}` : `${result.medianMs.toFixed(1)} ms median`);
}
const file = { ...meta, results: BENCHMARKS.map((b) => previous.get(b.name)).filter((r): r is Row => r !== undefined) };
if (!tablesOnly) writeFileSync(resultsPath, `${JSON.stringify(file, null, 2)}\n`);
writeFileSync(join(dir, "RESULTS.md"), resultsMarkdown(file));
writeFileSync(readmePath, withMarkedBlock(withReadmeBlock(readFileSync(readmePath, "utf-8"), file), SIZING_MARKERS, sizingBlock(file)));
console.log(`bench: wrote ${tablesOnly ? "" : `${join("bench", "results.json")}, `}${join("bench", "RESULTS.md")} and the README's benchmark and sizing blocks`);

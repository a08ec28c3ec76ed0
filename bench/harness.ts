import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

/** A benchmark: what it measures, and a run that returns how many items it processed. */
export interface Benchmark {
  name: string;
  /** What one item is ("rows", "candidates", "images"). */
  unit: string;
  /** One line on the workload, shown in the results table. */
  workload: string;
  /** Prepares inputs once (not timed); returns the timed function, which returns the item count. */
  setup?(): Promise<() => Promise<number> | number>;
  /** For work timed by another process (e.g. a PyTorch peer): its own median/min, or why it was skipped. */
  selfTimed?(): Promise<SelfTimed | { skipped: string }>;
}

export interface SelfTimed {
  repetitions: number;
  medianMs: number;
  minMs: number;
  /** Items per repetition. */
  items: number;
  /** Peak resident memory of the measured process, MiB, when the row records it (appended to the workload). */
  peakRssMiB?: number;
}

export interface BenchResult {
  name: string;
  unit: string;
  workload: string;
  repetitions: number;
  medianMs: number;
  minMs: number;
  itemsPerSecond: number;
  /** Set when the benchmark could not run here, with the reason. */
  skipped?: string;
  /** Peak resident memory of the measured process, MiB (rows that bound memory). */
  peakRssMiB?: number;
}

/** Runs a benchmark after one warm-up: median and minimum wall time over `repetitions` runs. */
export async function measure(bench: Benchmark, repetitions = 5): Promise<BenchResult> {
  const base = { name: bench.name, unit: bench.unit, workload: bench.workload };
  if (bench.selfTimed) {
    const r = await bench.selfTimed();
    if ("skipped" in r) return { ...base, repetitions: 0, medianMs: NaN, minMs: NaN, itemsPerSecond: NaN, skipped: r.skipped };
    const peak = r.peakRssMiB === undefined ? {} : { peakRssMiB: Math.round(r.peakRssMiB), workload: `${bench.workload}; peak RSS ${Math.round(r.peakRssMiB)} MiB` };
    return { ...base, ...peak, repetitions: r.repetitions, medianMs: r.medianMs, minMs: r.minMs, itemsPerSecond: r.items / (r.medianMs / 1000) };
  }
  if (!bench.setup) throw new Error(`benchmark ${bench.name} has neither setup() nor selfTimed()`);
  const run = await bench.setup();
  let items = await run(); // warm-up (JIT, caches)
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    items = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  return {
    name: bench.name,
    unit: bench.unit,
    workload: bench.workload,
    repetitions,
    medianMs,
    minMs: times[0]!,
    itemsPerSecond: items / (medianMs / 1000),
  };
}

/** Runs work timed by another process, which prints {"medianMs","minMs"} as its last line after `--reps 5` repetitions of `items` items each. */
export function timedInChild(command: string, args: string[], items: number): SelfTimed | { failed: string } {
  const result = spawnSync(command, [...args, "--reps", "5"], { encoding: "utf-8" });
  if (result.error || result.status !== 0) return { failed: (result.stderr || String(result.error)).trim() };
  const r = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { medianMs: number; minMs: number };
  return { repetitions: 5, medianMs: r.medianMs, minMs: r.minMs, items };
}

/**
 * A row timing one of bench/tfjs/step-threads.ts's models (dvae, transformer, rerank, matmul) with the WASM backend on
 * `threads` XNNPACK threads, in its own process: threads are fixed when the backend starts.
 */
export function threadedRow(name: string, unit: string, workload: string, model: string, threads: number, items: number): Benchmark {
  return {
    name,
    unit,
    workload,
    async selfTimed() {
      const r = timedInChild(process.execPath, ["--import", "tsx", join(import.meta.dirname, "tfjs", "step-threads.ts"), "--model", model, "--threads", String(threads)], items);
      if ("failed" in r) throw new Error(`${model} on ${threads} threads failed: ${r.failed}`);
      return r;
    },
  };
}

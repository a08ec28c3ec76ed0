import { performance } from "node:perf_hooks";

/** A benchmark: what it measures, and a run that returns how many items it processed. */
export interface Benchmark {
  name: string;
  /** What one item is ("rows", "candidates", "images"). */
  unit: string;
  /** One line on the workload, shown in the results table. */
  workload: string;
  /** Prepares inputs once (not timed); returns the timed function, which returns the item count. */
  setup(): Promise<() => Promise<number> | number>;
}

export interface BenchResult {
  name: string;
  unit: string;
  workload: string;
  repetitions: number;
  medianMs: number;
  minMs: number;
  itemsPerSecond: number;
}

/** Runs a benchmark after one warm-up: median and minimum wall time over `repetitions` runs. */
export async function measure(bench: Benchmark, repetitions = 5): Promise<BenchResult> {
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

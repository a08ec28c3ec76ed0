import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useWasmThreads } from "../../../src/lib/tfjs/node.js";

interface ChildResult {
  backend: string;
  threads: number;
  conv: number[];
  matmul: number[];
  defaultThreads?: number;
  again?: number;
  conflict?: string;
}

/** Runs the child in its own process, as the WASM backend's thread count is fixed when it starts; it must exit by itself. */
function runChild(threads: number | "auto"): ChildResult {
  const script = join(import.meta.dirname, "wasm-threads-child.ts");
  const result = spawnSync(process.execPath, ["--import", "tsx", script, String(threads)], { encoding: "utf-8", timeout: 50_000, maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`child exited ${result.status} (${result.signal ?? "no signal"}, ${String(result.error)}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as ChildResult;
}

describe("useWasmThreads", () => {
  it("runs the WASM backend on 2 threads in Node, with the same numbers as 1 thread, and lets the process exit", () => {
    const one = runChild(1);
    const two = runChild(2);
    expect(one).toMatchObject({ backend: "wasm", threads: 1 });
    expect(two).toMatchObject({ backend: "wasm", threads: 2 });
    expect(two.conv).toHaveLength(one.conv.length);
    two.conv.forEach((v, i) => expect(v).toBeCloseTo(one.conv[i]!, 3));
    two.matmul.forEach((v, i) => expect(v).toBeCloseTo(one.matmul[i]!, 3));
  });

  it("startWasm starts a fresh process on the default count (the cores, at most 4), then keeps it and refuses another count", () => {
    const auto = runChild("auto");
    expect(auto.threads).toBe(auto.defaultThreads);
    expect(auto.defaultThreads).toBe(Math.min(4, availableParallelism()));
    expect(auto.again).toBe(auto.threads);
    expect(auto.conflict).toContain(`already runs on ${auto.threads} thread(s) in this process`);
  });

  it("names the valid thread counts", async () => {
    await expect(useWasmThreads(0)).rejects.toThrow("from 1 to 8, got 0");
    await expect(useWasmThreads(1.5)).rejects.toThrow("from 1 to 8");
  });
});

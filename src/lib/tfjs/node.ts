// Node only: TF.js's WASM backend on several threads. The backend turns threads off under Node (its pthread
// worker is a blob: URL, which Node's Worker refuses), though its Emscripten build runs pthreads on worker_threads.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "./backend.js";

const require = createRequire(import.meta.url);

/** The parts of the threaded Emscripten module this file touches. */
interface ThreadedModule {
  tfjs: { initWithThreadsCount(n: number): void; getThreadsCount(): number };
  PThread?: { runningWorkers: { unref(): void }[] };
}

/**
 * Starts the WASM backend with XNNPACK on `threads` threads (1–8) and returns the count it runs with.
 * Must be called before the WASM backend first starts in this process; the threads do not keep the process alive.
 */
export async function useWasmThreads(threads: number): Promise<number> {
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) throw new Error(`WASM threads must be an integer from 1 to 8, got ${threads}`);
  if (threads === 1) {
    await useBackend("wasm");
    return 1;
  }
  if (tf.engine().registry["wasm"] !== undefined) throw new Error("the WASM backend has already started in this process: call useWasmThreads before any other use of it");
  // The two scripts the pthread workers run, as files Node's Worker can load.
  const dir = mkdtempSync(join(os.tmpdir(), "ccw-wasm-threads-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const factory = require("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js") as { default?: () => unknown } & (() => unknown);
  const { wasmWorkerContents } = require("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js") as { wasmWorkerContents: string };
  const mainScript = join(dir, "main.js");
  writeFileSync(mainScript, `var WasmBackendModuleThreadedSimd = ${(factory.default ?? factory).toString()}`);
  const workerScript = join(dir, "worker.js");
  // The worker asks for an object URL of the main script's Blob; it gets the file instead.
  const redirect = `URL.createObjectURL = () => ${JSON.stringify(mainScript)}; URL.revokeObjectURL = () => {};\n`;
  writeFileSync(workerScript, redirect + wasmWorkerContents.replace(/\n/g, "\\n"));

  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = (blob: Blob) => (blob.type === "application/javascript" ? workerScript : createObjectURL(blob));
  // The backend caps threads at half the logical cores it is told of (it assumes two per core).
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]!);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  const wasmBackend = (await import("@tensorflow/tfjs-backend-wasm")) as { setThreadsCount(n: number): void };
  // Start on one thread: creating the pool inside the backend's constructor blocks before its workers report in.
  wasmBackend.setThreadsCount(1);
  try {
    await useBackend("wasm");
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  const module = (tf.backend() as unknown as { wasm: ThreadedModule }).wasm;
  if (module.PThread === undefined) throw new Error("the threaded WASM build did not load (is SharedArrayBuffer available in this Node?)");
  module.tfjs.initWithThreadsCount(threads);
  for (const worker of module.PThread.runningWorkers) worker.unref();
  return module.tfjs.getThreadsCount();
}

/** XNNPACK threads a training command starts the WASM backend with when none are asked for: the machine's cores, at most 4. */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Threads the running WASM backend uses (1 for the single-threaded build); null when it has not started in this process. */
export function runningWasmThreads(): number | null {
  if (tf.engine().registry["wasm"] === undefined) return null;
  const module = (tf.engine().registry["wasm"] as unknown as { wasm: Partial<ThreadedModule> }).wasm;
  return module.PThread === undefined ? 1 : module.tfjs!.getThreadsCount();
}

/**
 * Starts the WASM backend for a command: on `threads` threads when given (an error if the backend already runs on
 * another count), else on defaultWasmThreads() in a fresh process; a backend already running in this process (a
 * caller that started it, such as a test) is kept as it is. Returns the thread count it runs with.
 */
export async function startWasm(threads?: number): Promise<number> {
  const running = runningWasmThreads();
  if (running !== null && (threads === undefined || threads === running)) {
    await useBackend("wasm");
    return running;
  }
  if (running !== null) throw new Error(`the WASM backend already runs on ${running} thread(s) in this process; ${threads} threads need a fresh process`);
  return useWasmThreads(threads ?? defaultWasmThreads());
}

// Starting the TF.js backend for a model command: --backend and --threads, read and started in one place.
import { useBackend } from "../lib/tfjs/index.js";
import { runningWasmThreads, startWasm } from "../lib/tfjs/node.js";
import { BACKEND_FLAG, threadsFlag, UsageError, type CommandIO, type ThreadsDefault } from "./command.js";
import { readFlags } from "./flags.js";

export type { ThreadsDefault } from "./command.js";

/**
 * Reads --backend (wasm | cpu) and --threads and starts the backend. Without --threads, a process ccw owns starts
 * WASM on `byDefault` threads; an in-process caller (a test) keeps a backend it already started, else gets 1 thread.
 */
export async function startModelBackend(command: string, values: Record<string, unknown>, io: CommandIO, byDefault: ThreadsDefault): Promise<{ backend: "wasm" | "cpu"; threads: number }> {
  const { backend, threads: asked } = readFlags(command, { backend: BACKEND_FLAG, threads: threadsFlag(byDefault, "") }, values);
  if (asked !== undefined && backend !== "wasm") throw new UsageError(`ccw ${command}: --threads is for the wasm backend, got --backend ${backend}`);
  if (backend === "cpu") {
    await useBackend("cpu");
    return { backend, threads: 1 };
  }
  const fallback = io.ownsProcess ? (byDefault === 1 ? 1 : undefined) : (runningWasmThreads() ?? 1);
  const threads = await startWasm(asked ?? fallback).catch((e: Error) => {
    throw new UsageError(`ccw ${command}: --threads ${asked}: ${e.message}`);
  });
  if (threads > 1) io.out(`WASM backend on ${threads} threads`);
  return { backend, threads };
}

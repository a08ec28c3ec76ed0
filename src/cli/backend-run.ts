// Starting the TF.js backend for a model command: --backend and --threads, read and started in one place.
import { useBackend } from "../lib/tfjs/index.js";
import { runningWasmThreads, startWasm } from "../lib/tfjs/node.js";
import { threadsOption, UsageError, type CommandIO } from "./command.js";

/** How many threads a command takes when --threads is not given: the machine's cores (at most 4), or 1 where more are not faster. */
export type ThreadsDefault = "cores" | 1;

/**
 * Reads --backend (wasm | cpu) and --threads and starts the backend. Without --threads, a process ccw owns starts
 * WASM on `byDefault` threads; an in-process caller (a test) keeps a backend it already started, else gets 1 thread.
 */
export async function startModelBackend(command: string, values: Record<string, unknown>, io: CommandIO, byDefault: ThreadsDefault): Promise<{ backend: "wasm" | "cpu"; threads: number }> {
  const backend = (values.backend as string | undefined) ?? "wasm";
  if (backend !== "wasm" && backend !== "cpu") throw new UsageError(`ccw ${command}: --backend must be wasm or cpu in Node, got ${JSON.stringify(backend)}`);
  const asked = threadsOption(command, values, backend);
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

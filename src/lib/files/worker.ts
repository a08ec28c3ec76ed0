// Node only: a worker thread running a module of this library, compiled or from the TypeScript sources.
import { Worker } from "node:worker_threads";

/**
 * Starts a worker thread on the module `name` beside the caller (`callerUrl` = the caller's import.meta.url).
 * Compiled (the CLI's .ccw/, see tools/cli-build.mjs) the module is plain JavaScript; from the TypeScript sources
 * (tests, tsx) a data: URL bootstrap registers tsx's loader first, then imports `<name>.ts`.
 */
export function startModuleWorker(callerUrl: string, name: string, workerData?: unknown): Worker {
  const options = workerData === undefined ? {} : { workerData };
  if (callerUrl.endsWith(".js")) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const api = import.meta.resolve("tsx/esm/api");
  const target = new URL(`./${name}.ts`, callerUrl).href;
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(target)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
}

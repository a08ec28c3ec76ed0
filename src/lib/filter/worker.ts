/** Worker thread of the filter pool: builds its context from the plan once, then filters the chunks it is sent. */
import { parentPort } from "node:worker_threads";
import { filterCandidates, type Candidate, type PipelineContext } from "./pipeline.js";
import { createContext, type RunPlan } from "./run.js";

if (!parentPort) throw new Error("worker.ts must run in a worker thread");
const port = parentPort;
let context: Promise<PipelineContext> | undefined;

port.on("message", async (m: { type: "plan"; plan: RunPlan } | { type: "chunk"; seq: number; candidates: Candidate[] }) => {
  try {
    if (m.type === "plan") {
      context = createContext(m.plan);
      await context;
      port.postMessage({ type: "ready" });
      return;
    }
    const ctx = await context!;
    const results = await filterCandidates(m.candidates, ctx);
    port.postMessage({ type: "result", seq: m.seq, results });
  } catch (error) {
    port.postMessage({ type: "error", message: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
  }
});

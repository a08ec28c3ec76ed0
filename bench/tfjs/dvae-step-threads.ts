// The dVAE benchmark step with TF.js's WASM backend on N threads, timed by the harness in this process
// (threads are fixed when the backend starts); prints {"medianMs","minMs"} for dvae-train-step.bench.ts.
import { parseArgs } from "node:util";
import { useWasmThreads } from "../../src/lib/tfjs/node.js";
import { trainStep } from "../dvae-train-step.bench.js";
import { measure } from "../harness.js";

const { values } = parseArgs({ options: { threads: { type: "string", default: "2" }, reps: { type: "string", default: "5" } } });
const threads = Number(values.threads);
const result = await measure(
  {
    name: `dvae-train-step-tfjs-wasm-${threads}thread`,
    unit: "images",
    workload: "",
    async setup() {
      await useWasmThreads(threads);
      return trainStep();
    },
  },
  Number(values.reps),
);
console.log(JSON.stringify({ medianMs: result.medianMs, minMs: result.minMs }));

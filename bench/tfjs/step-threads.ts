// One model's benchmark training step with TF.js's WASM backend on N threads (or N data-parallel replicas), timed by the harness in this process
// (threads are fixed when the backend starts); prints {"medianMs","minMs"} for the *-2thread rows.
import { parseArgs } from "node:util";
import { useWasmThreads } from "../../src/lib/tfjs/node.js";
import { trainStep as dvaeStep } from "../dvae-train-step.bench.js";
import { rerankStep } from "../rerank.bench.js";
import { matMulStep, transformerReplicaStep, transformerStep } from "../transformer.bench.js";
import { measure } from "../harness.js";

/** Each model's step on N threads: XNNPACK's N threads, or (transformer-replicas) N data-parallel replicas of 1 thread each. */
const STEPS = {
  dvae: { backendThreads: (n: number) => n, step: async () => dvaeStep() },
  transformer: { backendThreads: (n: number) => n, step: async () => transformerStep() },
  "transformer-replicas": { backendThreads: () => 1, step: transformerReplicaStep },
  rerank: { backendThreads: (n: number) => n, step: async () => rerankStep() },
  matmul: { backendThreads: (n: number) => n, step: async () => matMulStep() },
} as const;
const { values } = parseArgs({ options: { model: { type: "string", default: "dvae" }, threads: { type: "string", default: "2" }, reps: { type: "string", default: "5" } } });
const step = STEPS[values.model as keyof typeof STEPS];
if (!step) throw new Error(`--model must be one of ${Object.keys(STEPS).join(", ")}, got ${values.model}`);
const threads = Number(values.threads);
const result = await measure(
  {
    name: `${values.model}-train-step-${threads}thread`,
    unit: "steps",
    workload: "",
    async setup() {
      await useWasmThreads(step.backendThreads(threads));
      return step.step(threads);
    },
  },
  Number(values.reps),
);
console.log(JSON.stringify({ medianMs: result.medianMs, minMs: result.minMs }));
// Worker threads (the replicas) would keep the process alive.
process.exit(0);

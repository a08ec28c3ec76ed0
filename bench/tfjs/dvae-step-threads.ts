// The dVAE benchmark step with TF.js's WASM backend on N threads; prints {"medianMs","minMs"} (run by dvae-train-step.bench.ts).
import { parseArgs } from "node:util";
import { useWasmThreads } from "../../src/lib/tfjs/node.js";
import { trainStep } from "../dvae-train-step.bench.js";

const { values } = parseArgs({ options: { threads: { type: "string", default: "2" }, reps: { type: "string", default: "5" } } });
const threads = await useWasmThreads(Number(values.threads));
const step = trainStep();
step(); // warm-up: XNNPACK operators are created on first use
const times: number[] = [];
for (let i = 0; i < Number(values.reps); i++) {
  const start = performance.now();
  step();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ threads, medianMs: times[Math.floor(times.length / 2)], minMs: times[0] }));

// The filter-stages/text row in a process of its own, timed by the harness here (one warm-up, then --reps
// repetitions); prints {"medianMs","minMs"} as its last line for the bench process.
import { parseArgs } from "node:util";
import { textStageRun } from "../filter-stages.bench.js";
import { measure } from "../harness.js";

const { values } = parseArgs({ options: { reps: { type: "string", default: "5" } } });
const result = await measure({ name: "filter-stages/text", unit: "candidates", workload: "", setup: textStageRun }, Number(values.reps));
console.log(JSON.stringify({ medianMs: result.medianMs, minMs: result.minMs }));

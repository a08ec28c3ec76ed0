/** TF.js setup shared by the models: backend choice and the WASM gradient kernels the backend lacks. */
export { registerWasmGradientKernels } from "./kernels.js";
export { useBackend, availableBackends, probeBackends, backendsFromParam, fastestWorking, BACKENDS, type BackendName, type ProbeResult } from "./backend.js";
export { AdamW, type AdamWOptions } from "./adamw.js";
export { cosineSchedule } from "./schedule.js";

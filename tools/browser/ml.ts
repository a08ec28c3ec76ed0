// Entry of the browser bundle src/vendor/ml.js (built by tools/prebuild.ts): TF.js with its WebGPU, WebGL, WASM
// and CPU backends, plus the workbench's models. Pages import the bundle; Framework's own resolver cannot bundle TF.js.
export * as tf from "@tensorflow/tfjs";
export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
export * from "../../src/lib/tfjs/index.js";
export * from "../../src/lib/dvae/index.js";

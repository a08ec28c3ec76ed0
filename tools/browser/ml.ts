// Entry of the browser bundle src/vendor/ml.js (built by tools/prebuild.ts): TF.js with its WebGPU, WebGL, WASM
// and CPU backends, plus the workbench's models. Pages import the bundle; Framework's own resolver cannot bundle TF.js.
export * as tf from "@tensorflow/tfjs";
export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
export * from "../../src/lib/tfjs/index.js";
export * from "../../src/lib/dvae/index.js";
// The DALL-E transformer, its caption tokenizer and the reranker, each as a namespace (their doors share verb names
// such as learningRateAt): ml.transformer.generate, ml.bpe.bpeFromJson, ml.rerank.rerankerFromSafetensors.
export * as transformer from "../../src/lib/transformer/index.js";
export * as bpe from "../../src/lib/bpe/index.js";
export * as rerank from "../../src/lib/rerank/index.js";
// The judge (the model world's labeler): ml.judge.cnnFromSafetensors, ml.judge.cnnJudgeLabels.
export * as judge from "../../src/lib/labeler/cnn.js";

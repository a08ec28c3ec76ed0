// Run by node.test.ts in a fresh process (threads are set before the WASM backend starts):
// prints the thread count and a convolution and matrix product computed on it.
import * as tf from "@tensorflow/tfjs";
import { defaultWasmThreads, startWasm, useWasmThreads } from "../../../src/lib/tfjs/node.js";

// "auto": startWasm() with no count, then again (kept), then with another count (refused).
const auto = process.argv[2] === "auto";
const threads = auto ? await startWasm() : await useWasmThreads(Number(process.argv[2]));
const extra = auto
  ? {
      defaultThreads: defaultWasmThreads(),
      again: await startWasm(),
      conflict: await startWasm(threads + 1).then(
        () => "no error",
        (e: Error) => e.message,
      ),
    }
  : {};
const x = tf.randomNormal([4, 32, 32, 16], 0, 1, "float32", 1);
const w = tf.randomNormal([3, 3, 16, 24], 0, 1, "float32", 2);
const conv = Array.from(await tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same").data());
const a = tf.randomNormal([300, 200], 0, 1, "float32", 3);
const matmul = Array.from(await tf.matMul(a, a, false, true).data());
console.log(JSON.stringify({ backend: tf.getBackend(), threads, conv, matmul, ...extra }));

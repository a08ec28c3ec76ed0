// Gradient kernels the TF.js WASM backend lacks, built from its own fast forward kernels.
import * as tf from "@tensorflow/tfjs";
import { conv2dBackpropFilterStride1, registerLayoutKernels, replaceKernel, runKernel as run } from "./wasm-layout.js";

type Backend = { disposeData(dataId: object): void };
type Info = tf.TensorInfo;

/**
 * Conv2DBackpropFilter, which the WASM backend lacks. Stride 1 (every convolution of the dVAE) is one matrix product
 * over an im2col layout built in JS (wasm-layout.ts). Other strides are one forward convolution:
 * dW[kh,kw,ci,co] = Σ_{b,y,x} x[b, y·s+kh−p, x·s+kw−p, ci] · dy[b,y,x,co] is conv2d(xᵀ [Ci,H,W,B], dyᵀ [Ho,Wo,B,Co])
 * with dilation = the forward stride, which XNNPACK runs.
 */
function conv2dBackpropFilterKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: "Conv2DBackpropFilter",
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: Info; dy: Info };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
        dataFormat: "NHWC" | "NCHW";
        dimRoundingMode?: "floor" | "round" | "ceil";
        filterShape: [number, number, number, number];
      };
      if (dataFormat === "NCHW") throw new Error("Conv2DBackpropFilter (wasm): only NHWC is supported");
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        "channelsLast",
      );
      const b = backend as Backend;
      if (info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1) {
        return conv2dBackpropFilterStride1(backendName, backend, x, dy, filterShape, info.padInfo);
      }
      const xT = run("Transpose", backendName, { x }, { perm: [3, 1, 2, 0] }, backend); // [Ci, H, W, B]
      const dyT = run("Transpose", backendName, { x: dy }, { perm: [1, 2, 0, 3] }, backend); // [Ho, Wo, B, Co]
      const padding: tf.backend_util.ExplicitPadding = [
        [0, 0],
        [info.padInfo.top, info.padInfo.bottom],
        [info.padInfo.left, info.padInfo.right],
        [0, 0],
      ];
      const conv = run(
        "Conv2D",
        backendName,
        { x: xT, filter: dyT },
        { strides: [1, 1], pad: padding, dataFormat: "NHWC", dilations: [info.strideHeight, info.strideWidth], dimRoundingMode },
        backend,
      ); // [Ci, ≥kh, ≥kw, Co]
      b.disposeData(xT.dataId);
      b.disposeData(dyT.dataId);
      const [kh, kw] = filterShape;
      let cropped = conv;
      if (conv.shape[1] !== kh || conv.shape[2] !== kw) {
        // With stride > 1 the dilated "filter" can overhang; the extra rows/cols are not filter taps.
        cropped = run("Slice", backendName, { x: conv }, { begin: [0, 0, 0, 0], size: [-1, kh, kw, -1] }, backend);
        b.disposeData(conv.dataId);
      }
      const out = run("Transpose", backendName, { x: cropped }, { perm: [1, 2, 0, 3] }, backend); // [kh, kw, Ci, Co]
      b.disposeData(cropped.dataId);
      return out;
    },
  };
}

/**
 * Conv2DBackpropInput for stride 1 as one forward convolution of dy with the flipped, channel-swapped filter:
 * the WASM backend's own version is a scalar loop ~10× slower than its XNNPACK Conv2D. Strides > 1 use the original.
 */
function conv2dBackpropInputKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Conv2DBackpropInput",
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, filter } = inputs as { dy: Info; filter: Info };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
        dataFormat: "NHWC" | "NCHW";
        dimRoundingMode?: "floor" | "round" | "ceil";
        inputShape: [number, number, number, number];
      };
      const info = tf.backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        "channelsLast",
      );
      if (dataFormat === "NCHW" || info.strideHeight !== 1 || info.strideWidth !== 1) return original.kernelFunc(args);
      const b = backend as Backend;
      const [kh, kw] = filter.shape as [number, number, number, number];
      const flipped = run("Reverse", backendName, { x: filter }, { dims: [0, 1] }, backend); // [kh, kw, Ci, Co] rotated 180°
      const swapped = run("Transpose", backendName, { x: flipped }, { perm: [0, 1, 3, 2] }, backend); // [kh, kw, Co, Ci]
      b.disposeData(flipped.dataId);
      const padding: tf.backend_util.ExplicitPadding = [
        [0, 0],
        [kh - 1 - info.padInfo.top, kh - 1 - info.padInfo.bottom],
        [kw - 1 - info.padInfo.left, kw - 1 - info.padInfo.right],
        [0, 0],
      ];
      const dx = run(
        "Conv2D",
        backendName,
        { x: dy, filter: swapped },
        { strides: [1, 1], pad: padding, dataFormat: "NHWC", dilations: [1, 1], dimRoundingMode },
        backend,
      ); // [B, H, W, Ci]
      b.disposeData(swapped.dataId);
      return dx;
    },
  };
}

/**
 * UnsortedSegmentSum, which the WASM backend lacks and tf.gather's gradient (embedding tables) needs:
 * out[segmentIds[i], ...] += x[i, ...], a single pass over x in JS (memory-bound, no faster kernel to reuse).
 */
function unsortedSegmentSumKernel(backendName: string): tf.KernelConfig {
  return {
    kernelName: "UnsortedSegmentSum",
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const b = backend as unknown as { readSync(id: object): ArrayLike<number>; write(values: Float32Array | Int32Array, shape: number[], dtype: tf.DataType): object };
      const ids = b.readSync(segmentIds.dataId);
      const values = b.readSync(x.dataId);
      const rows = segmentIds.shape.reduce((n, d) => n * d, 1);
      const inner = x.shape.slice(segmentIds.shape.length).reduce((n, d) => n * d, 1);
      const out = x.dtype === "int32" ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
      for (let i = 0; i < rows; i++) {
        const seg = ids[i]!;
        if (seg < 0 || seg >= numSegments) continue; // ids outside [0, numSegments) contribute nothing (TF drops negative ones)
        const o = seg * inner;
        const s = i * inner;
        for (let j = 0; j < inner; j++) out[o + j]! += values[s + j]!;
      }
      const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      return { dataId: b.write(out, shape, x.dtype), shape, dtype: x.dtype };
    },
  };
}

/**
 * BatchMatMul with transposed operands as an explicit Transpose, then the untransposed product: the WASM backend's
 * own transposed paths are scalar loops, 15–30× slower than its XNNPACK product (every matMul gradient transposes).
 */
function batchMatMulKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "BatchMatMul",
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { a, b } = inputs as { a: Info; b: Info };
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc(args);
      const swapLast = (t: Info): Info => {
        const perm = t.shape.map((_, i) => i);
        const n = perm.length;
        [perm[n - 2], perm[n - 1]] = [perm[n - 1]!, perm[n - 2]!];
        return run("Transpose", backendName, { x: t }, { perm }, backend);
      };
      const a2 = transposeA ? swapLast(a) : a;
      const b2 = transposeB ? swapLast(b) : b;
      const out = original.kernelFunc({ inputs: { a: a2, b: b2 } as tf.NamedTensorInfoMap, attrs: { ...attrs, transposeA: false, transposeB: false } as tf.NamedAttrMap, backend }) as Info;
      const bk = backend as Backend;
      if (a2 !== a) bk.disposeData(a2.dataId);
      if (b2 !== b) bk.disposeData(b2.dataId);
      return out;
    },
  };
}

let registered = false;

/**
 * Registers the missing (and replaces the slow) kernels of the WASM backend (idempotent): convolution gradients,
 * UnsortedSegmentSum (gather's gradient), transposed BatchMatMul, and the data-movement kernels of wasm-layout.ts.
 * Call after importing the backend.
 */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  if (!tf.getKernel("Conv2DBackpropFilter", "wasm")) tf.registerKernel(conv2dBackpropFilterKernel("wasm"));
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) tf.registerKernel(unsortedSegmentSumKernel("wasm"));
  replaceKernel("BatchMatMul", "wasm", (original) => batchMatMulKernel("wasm", original));
  replaceKernel("Conv2DBackpropInput", "wasm", (original) => conv2dBackpropInputKernel("wasm", original));
  registerLayoutKernels("wasm");
  registered = true;
}

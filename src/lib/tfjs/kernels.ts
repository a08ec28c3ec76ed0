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
      const b = backend as unknown as WasmMatMulBackend & { typedArrayFromHeap(info: Info): Float32Array | Int32Array };
      // Read and written in place on the WASM heap (no copies of the gradient in or of the table out).
      const ids = b.typedArrayFromHeap(segmentIds);
      const values = b.typedArrayFromHeap(x);
      const rows = segmentIds.shape.reduce((n, d) => n * d, 1);
      const inner = x.shape.slice(segmentIds.shape.length).reduce((n, d) => n * d, 1);
      const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const result = b.makeOutput(shape, x.dtype);
      const out = b.typedArrayFromHeap(result);
      out.fill(0);
      for (let i = 0; i < rows; i++) {
        const seg = ids[i]!;
        if (seg < 0 || seg >= numSegments) continue; // ids outside [0, numSegments) contribute nothing (TF drops negative ones)
        const o = seg * inner;
        const s = i * inner;
        for (let j = 0; j < inner; j++) out[o + j]! += values[s + j]!;
      }
      return result;
    },
  };
}

/** The parts of the WASM backend (and its Emscripten module) the batched product reaches into. */
interface WasmMatMulBackend {
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
  };
  dataIdNextNumber: number;
  getMemoryOffset(dataId: object): number;
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  disposeData(dataId: object): void;
}

let xnnMatMul: ((...args: unknown[]) => void) | null = null;
const SHAPE_BYTES = (m: number, n: number): Uint8Array => new Uint8Array(new Int32Array([1, m, n]).buffer);

/**
 * out[i] = a[i] · b[i] for a [batch, M, K] and b [batch, K, N] (either batch may be 1: broadcast), one XNNPACK
 * product per matrix. The backend runs XNNPACK only when both batches are 1 and falls back to a scalar loop
 * otherwise (~1.5 GFLOP/s for attention's [B·H, 96, 32] products); here each matrix is registered as a tensor that
 * views its slice of the operand's memory (no copies) and goes through the 2-D path.
 */
function batchedXnnMatMul(backend: WasmMatMulBackend, a: Info, b: Info, batchA: number, batchB: number, outShape: number[]): Info {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape.at(-1)!;
  xnnMatMul ??= backend.wasm.cwrap("BatchMatMul", null, ["number", "array", "number", "number", "array", "number", "number", "number", "number"]);
  const out = backend.makeOutput(outShape, "float32");
  const aBase = backend.getMemoryOffset(a.dataId);
  const bBase = backend.getMemoryOffset(b.dataId);
  const oBase = backend.getMemoryOffset(out.dataId);
  const aShape = SHAPE_BYTES(m, k);
  const bShape = SHAPE_BYTES(k, n);
  const { registerTensor, disposeData } = backend.wasm.tfjs;
  // A view id must never be reused while XNNPACK caches an operator under it; the backend's own counter guarantees that.
  const view = (base: number, index: number, elements: number): number => {
    const id = backend.dataIdNextNumber++;
    registerTensor(id, elements, base + 4 * index * elements);
    return id;
  };
  const batch = Math.max(batchA, batchB);
  let bId = batchB === 1 ? view(bBase, 0, k * n) : 0;
  for (let i = 0; i < batch; i++) {
    const aId = view(aBase, batchA === 1 ? 0 : i, m * k);
    if (batchB !== 1) bId = view(bBase, i, k * n);
    const oId = view(oBase, i, m * n);
    xnnMatMul(aId, aShape, 3, bId, bShape, 3, 0, 0, oId);
    disposeData(aId);
    disposeData(oId);
    if (batchB !== 1) disposeData(bId); // also drops the operator XNNPACK packed for it
  }
  if (batchB === 1) disposeData(bId);
  return out;
}

/** Elements packing costs per element moved, relative to a transpose (XNNPACK's weight packing, measured ~3×). */
const PACK_COST = 3;

/**
 * Whether a 2-D product op(a)·op(b) [M, K]·[K, N] is cheaper as (op(b)ᵀ·op(a)ᵀ)ᵀ. XNNPACK packs the right operand
 * anew for every product whose right operand is a new tensor (every gradient product), so the product should pack
 * the smaller of the two; counted in elements moved: transposes of either operand, packing, the output's transpose.
 * A weight gradient xᵀ·dy of a layer widening 128 → 512 over 3,072 positions packs x (393k elements) instead of dy (1.57M).
 */
export function swapsOperands(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): boolean {
  const [ra, ca] = aShape.slice(-2) as [number, number];
  const [rb, cb] = bShape.slice(-2) as [number, number];
  const [M, K] = transposeA ? [ca, ra] : [ra, ca];
  const N = transposeB ? rb : cb;
  const direct = (transposeA ? K * M : 0) + (transposeB ? K * N : 0) + PACK_COST * K * N;
  const swapped = (transposeA ? 0 : K * M) + (transposeB ? 0 : K * N) + PACK_COST * K * M + M * N;
  return swapped < direct;
}

/**
 * BatchMatMul from the backend's fast 2-D XNNPACK product: transposed operands through an explicit Transpose (the
 * backend's own transposed paths are scalar loops, 15–30× slower: every matMul gradient transposes), batched
 * operands one matrix at a time (batchedXnnMatMul). Float32 with one broadcast batch at most; others go to the original.
 */
function batchMatMulKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "BatchMatMul",
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { a, b } = inputs as { a: Info; b: Info };
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const batchA = a.shape.slice(0, -2).reduce((n, d) => n * d, 1);
      const batchB = b.shape.slice(0, -2).reduce((n, d) => n * d, 1);
      const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const outerSize = outer.reduce((n, d) => n * d, 1);
      // One operand's batch is the whole output's, the other's is the same or 1 (no partial broadcasting).
      const batched = (batchA > 1 || batchB > 1) && (batchA === outerSize || batchA === 1) && (batchB === outerSize || batchB === 1);
      const floats = a.dtype === "float32" && b.dtype === "float32";
      if (!floats || (!transposeA && !transposeB && !batched)) return original.kernelFunc(args);
      const swapLast = (t: Info): Info => {
        const perm = t.shape.map((_, i) => i);
        const n = perm.length;
        [perm[n - 2], perm[n - 1]] = [perm[n - 1]!, perm[n - 2]!];
        return run("Transpose", backendName, { x: t }, { perm }, backend);
      };
      const bk = backend as unknown as WasmMatMulBackend;
      if (!batched && swapsOperands(a.shape, b.shape, transposeA, transposeB)) {
        // outᵀ = op(b)ᵀ · op(a)ᵀ, then one small transpose back.
        const a2 = transposeA ? a : swapLast(a); // op(a)ᵀ: [K, M]
        const b2 = transposeB ? b : swapLast(b); // op(b)ᵀ: [N, K]
        const outT = original.kernelFunc({ inputs: { a: b2, b: a2 } as tf.NamedTensorInfoMap, attrs: { ...attrs, transposeA: false, transposeB: false } as tf.NamedAttrMap, backend }) as Info;
        const out = swapLast(outT);
        for (const t of [outT, ...(a2 !== a ? [a2] : []), ...(b2 !== b ? [b2] : [])]) bk.disposeData(t.dataId);
        return out;
      }
      const a2 = transposeA ? swapLast(a) : a;
      const b2 = transposeB ? swapLast(b) : b;
      const outShape = [...outer, a2.shape.at(-2)!, b2.shape.at(-1)!];
      const out = batched
        ? batchedXnnMatMul(bk, a2, b2, batchA, batchB, outShape)
        : (original.kernelFunc({ inputs: { a: a2, b: b2 } as tf.NamedTensorInfoMap, attrs: { ...attrs, transposeA: false, transposeB: false } as tf.NamedAttrMap, backend }) as Info);
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

// Data-movement kernels for the TF.js WASM backend written in JS over the WASM heap. The backend's own Transpose
// is a cache-unfriendly loop (33 ms for a [65536, 64] matrix, 0.3 ms for [65536, 8]), and Sum, the pooling
// gradients and the convolution filter gradient all pay for it; here the same work is done in cache-sized blocks,
// and the filter gradient becomes one matrix product for XNNPACK.
import * as tf from "@tensorflow/tfjs";

type Info = tf.TensorInfo;
type Heap = Float32Array | Int32Array | Uint8Array;
/** The parts of the WASM backend these kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array): Info;
  typedArrayFromHeap(info: Info): Heap;
  disposeData(dataId: object): void;
}

const size = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** Runs another kernel of the same backend directly (no tape, no engine bookkeeping). */
export function runKernel(name: string, backendName: string, inputs: Record<string, Info>, attrs: Record<string, unknown>, backend: unknown): Info {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`kernel ${name} is not registered for ${backendName}`);
  return kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, attrs: attrs as tf.NamedAttrMap, backend: backend as never }) as Info;
}

/**
 * The same permutation over fewer axes: size-1 axes dropped, and input axes that stay neighbours in the same order
 * merged into one. [B, H, W, C] with perm [3, 1, 2, 0] becomes [B, H·W, C] with perm [2, 1, 0].
 */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((a) => shape[a] !== 1); // output order of the axes that matter
  const groups: number[][] = [];
  for (const a of kept) {
    const last = groups.at(-1);
    if (last && a === last.at(-1)! + 1) last.push(a);
    else groups.push([a]);
  }
  // Rank the groups by their first input axis to renumber them 0..n-1 in input order.
  const byInput = [...groups].sort((g, h) => g[0]! - h[0]!);
  const newShape = byInput.map((g) => size(g.map((a) => shape[a]!)));
  const newPerm = groups.map((g) => byInput.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

const BLOCK = 32;

/** The same bytes as 32-bit integers where the element is 4 bytes: one element type for the copy loops below (a loop that sees several typed-array types runs several times slower), and float bits copied exactly. */
const asWords = (a: Heap): Int32Array | Uint8Array => (a instanceof Uint8Array || a instanceof Int32Array ? a : new Int32Array(a.buffer, a.byteOffset, a.length));

/** One view over the buffer src and dst share (and their offsets in it), or heap null when they do not share one. */
function sharedView(src: Int32Array | Uint8Array, dst: Int32Array | Uint8Array): { heap: Int32Array | Uint8Array | null; s0: number; d0: number } {
  if (src.buffer !== dst.buffer || src.constructor !== dst.constructor) return { heap: null, s0: 0, d0: 0 };
  const k = src.BYTES_PER_ELEMENT;
  const heap = k === 4 ? new Int32Array(src.buffer, 0, src.buffer.byteLength >> 2) : new Uint8Array(src.buffer);
  return { heap, s0: src.byteOffset / k, d0: dst.byteOffset / k };
}

/**
 * dst = src permuted by perm (row-major, both of size(shape)); walks the two innermost axes in 32×32 blocks, four
 * source rows at a time (each write run is four elements long: about 2× the one-row loop on this engine).
 */
export function transposeInto(srcIn: Heap, shapeIn: readonly number[], permIn: readonly number[], dstIn: Heap): void {
  const src = asWords(srcIn);
  const dst = asWords(dstIn);
  const { shape, perm } = simplifyPermutation(shapeIn, permIn);
  const rank = shape.length;
  if (rank <= 1 || perm.every((a, i) => a === i)) {
    dst.set(src.subarray(0, size(shapeIn)) as never);
    return;
  }
  const inStride = new Array<number>(rank);
  for (let a = rank - 1, s = 1; a >= 0; s *= shape[a]!, a--) inStride[a] = s;
  const outStrideOf = new Array<number>(rank); // stride in dst of each input axis
  for (let i = rank - 1, s = 1; i >= 0; s *= shape[perm[i]!]!, i--) outStrideOf[perm[i]!] = s;
  const q = rank - 1; // innermost input axis (contiguous in src)
  const p = perm[rank - 1]!; // input axis that is innermost in dst (contiguous there)
  if (p === q) {
    // The innermost axis stays innermost: runs of its length, read in order; the axis above it is the tight loop
    // (its runs land os apart in dst), an odometer walks the rest.
    const run = shape[q]!;
    const n2 = shape[q - 1]!;
    const os = outStrideOf[q - 1]!;
    const outer = q - 1; // axes 0 .. q-2
    const index = new Array<number>(outer).fill(0);
    const groups = size(shape.slice(0, outer));
    // Both in one buffer (the WASM heap): runs move by copyWithin (a native memmove) over one view of it.
    const { heap, s0, d0 } = sharedView(src, dst);
    let inBase = 0;
    let outBase = 0;
    for (let n = 0; n < groups; n++) {
      if (heap) for (let t = 0, si = inBase + s0, di = outBase + d0; t < n2; t++, si += run, di += os) heap.copyWithin(di, si, si + run);
      else
        for (let t = 0, si = inBase, di = outBase; t < n2; t++, si += run, di += os) {
          if (run >= 64) dst.set(src.subarray(si, si + run) as never, di);
          else for (let i = 0; i < run; i++) dst[di + i] = src[si + i]!;
        }
      inBase += n2 * run;
      for (let k = outer - 1; k >= 0; k--) {
        outBase += outStrideOf[k]!;
        if (++index[k]! < shape[k]!) break;
        outBase -= outStrideOf[k]! * shape[k]!;
        index[k] = 0;
      }
    }
    return;
  }
  const outer = [...Array(rank).keys()].filter((a) => a !== p && a !== q);
  const counts = outer.map((a) => shape[a]!);
  const total = size(counts);
  const index = new Array<number>(outer.length).fill(0);
  const np = shape[p]!;
  const nq = shape[q]!;
  const sp = inStride[p]!; // src stride along p
  const dq = outStrideOf[q]!; // dst stride along q
  let inBase = 0;
  let outBase = 0;
  for (let n = 0; n < total; n++) {
    for (let i0 = 0; i0 < np; i0 += BLOCK) {
      const i1 = Math.min(np, i0 + BLOCK);
      for (let j0 = 0; j0 < nq; j0 += BLOCK) {
        const j1 = Math.min(nq, j0 + BLOCK);
        let i = i0;
        for (; i + 4 <= i1; i += 4) {
          const s0 = inBase + i * sp;
          const s1 = s0 + sp;
          const s2 = s1 + sp;
          const s3 = s2 + sp;
          for (let j = j0, d = outBase + j0 * dq + i; j < j1; j++, d += dq) {
            dst[d] = src[s0 + j]!;
            dst[d + 1] = src[s1 + j]!;
            dst[d + 2] = src[s2 + j]!;
            dst[d + 3] = src[s3 + j]!;
          }
        }
        for (; i < i1; i++) for (let j = j0, s = inBase + i * sp + j0, d = outBase + j0 * dq + i; j < j1; j++, s++, d += dq) dst[d] = src[s]!;
      }
    }
    // Odometer over the other axes.
    for (let k = outer.length - 1; k >= 0; k--) {
      const a = outer[k]!;
      inBase += inStride[a]!;
      outBase += outStrideOf[a]!;
      if (++index[k]! < counts[k]!) break;
      inBase -= inStride[a]! * counts[k]!;
      outBase -= outStrideOf[a]! * counts[k]!;
      index[k] = 0;
    }
  }
}

/** Transpose in blocks for big tensors whose innermost axis moves and whose two innermost axes are wide; the backend's own kernel elsewhere. */
function transposeKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Transpose",
    backendName,
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const x = (inputs as { x: Info }).x;
      const perm = (attrs as unknown as { perm: number[] }).perm;
      const simple = simplifyPermutation(x.shape, perm);
      const r = simple.shape.length;
      // The backend's own kernel is fine where the innermost axis stays innermost (contiguous runs; attention's
      // head split), where both innermost axes are short, and on small tensors (sampling's per-token work), where
      // the JS call costs more than it saves; only strided writes across wide rows of big tensors thrash its cache.
      // Above rank 4 its kernel is a generic index loop ~25× slower than runs (attention's [B, P, 3, H, dh] → [3, B, H, P, dh]).
      const keepsInner = simple.perm[r - 1] === r - 1;
      const small = size(x.shape) < 65_536;
      const own = keepsInner ? r <= 4 : simple.shape[r - 1]! < 16 || simple.shape[simple.perm[r - 1]!]! < 16;
      if (r <= 1 || x.dtype === "string" || small || own) return original.kernelFunc(args);
      const b = backend as unknown as WasmBackend;
      const out = b.makeOutput(
        perm.map((a) => x.shape[a]!),
        x.dtype,
      );
      transposeInto(b.typedArrayFromHeap(x), x.shape, perm, b.typedArrayFromHeap(out));
      return out;
    },
  };
}

/**
 * dst = the box [begin, begin + count) of row-major src of `shape` (dst row-major of `count`). Trailing axes the box
 * spans whole are one contiguous run per position of the axes before them; runs move by copyWithin when src and dst
 * share a buffer (the WASM heap), else by `set` when long and element by element when short.
 */
export function sliceInto(srcIn: Heap, shape: readonly number[], begin: readonly number[], count: readonly number[], dstIn: Heap): void {
  const src = asWords(srcIn);
  const dst = asWords(dstIn);
  const rank = shape.length;
  // The run: the innermost axes the box spans whole, plus the first partial axis above them.
  let a = rank - 1;
  while (a > 0 && count[a] === shape[a] && begin[a] === 0) a--;
  const inStride = new Array<number>(rank);
  for (let k = rank - 1, st = 1; k >= 0; st *= shape[k]!, k--) inStride[k] = st;
  const run = count[a]! * inStride[a]!;
  const outer = count.slice(0, a);
  const runs = size(outer);
  let base = 0;
  for (let k = 0; k < rank; k++) base += begin[k]! * inStride[k]!;
  if (runs === 0 || run === 0) return;
  const index = new Array<number>(a).fill(0);
  const { heap, s0, d0 } = sharedView(src, dst);
  let s = base;
  for (let n = 0, d = 0; n < runs; n++, d += run) {
    if (heap) heap.copyWithin(d0 + d, s0 + s, s0 + s + run);
    else if (run >= 64) dst.set(src.subarray(s, s + run) as never, d);
    else for (let i = 0; i < run; i++) dst[d + i] = src[s + i]!;
    for (let k = a - 1; k >= 0; k--) {
      s += inStride[k]!;
      if (++index[k]! < outer[k]!) break;
      s -= inStride[k]! * outer[k]!;
      index[k] = 0;
    }
  }
}

/** A slice of x as a new tensor, copied from the WASM heap directly (the backend's own Slice first copies all of x out of the heap). */
function sliceOf(b: WasmBackend, x: Info, begin: number[], count: number[]): Info {
  const out = b.makeOutput(count, x.dtype); // before the views: a new output may grow the heap and detach them
  sliceInto(b.typedArrayFromHeap(x), x.shape, begin, count, b.typedArrayFromHeap(out));
  return out;
}

/** Slice, SplitV and Unpack (unstack) through sliceOf; strings go to the backend's own kernels. */
function sliceKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Slice",
    backendName,
    kernelFunc: (args) => {
      const x = (args.inputs as { x: Info }).x;
      if (x.dtype === "string") return original.kernelFunc(args);
      const { begin, size: count } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [b0, c0] = tf.slice_util.parseSliceParams(x as tf.TensorInfo as tf.Tensor, begin, count);
      return sliceOf(args.backend as unknown as WasmBackend, x, b0!, c0!);
    },
  };
}

function splitVKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "SplitV",
    backendName,
    kernelFunc: (args) => {
      const x = (args.inputs as { x: Info }).x;
      if (x.dtype === "string") return original.kernelFunc(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
      const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
      const sizes = tf.backend_util.prepareSplitSize(x as tf.TensorInfo as tf.Tensor, numOrSizeSplits, ax);
      const begin = x.shape.map(() => 0);
      return sizes.map((n) => {
        const count = [...x.shape];
        count[ax] = n;
        const out = sliceOf(args.backend as unknown as WasmBackend, x, [...begin], count);
        begin[ax]! += n;
        return out;
      });
    },
  };
}

function unpackKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Unpack",
    backendName,
    kernelFunc: (args) => {
      const value = (args.inputs as { value: Info }).value;
      if (value.dtype === "string") return original.kernelFunc(args);
      let axis = (args.attrs as unknown as { axis: number }).axis;
      if (axis < 0) axis += value.shape.length;
      const outShape = value.shape.filter((_, i) => i !== axis);
      const count = [...value.shape];
      count[axis] = 1;
      return Array.from({ length: value.shape[axis]! }, (_, i) => {
        const begin = value.shape.map((__, k) => (k === axis ? i : 0));
        const out = sliceOf(args.backend as unknown as WasmBackend, value, begin, count);
        return { ...out, shape: outShape };
      });
    },
  };
}

/**
 * GatherV2 of whole rows (axis 0, no batch dims, rows of 16 elements or more: embedding lookups) by copyWithin on the
 * heap, indices checked as the backend checks them; ~30× the backend's own for [32, 64] ids into a [512, 128] table.
 */
function gatherRowsKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "GatherV2",
    backendName,
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: Info; indices: Info };
      const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
      const row = size(x.shape.slice(1));
      if (x.dtype === "string" || x.dtype === "bool" || indices.dtype !== "int32" || batchDims !== 0 || tf.util.parseAxisParam(axis, x.shape)[0] !== 0 || row < 16) return original.kernelFunc(args);
      const b = args.backend as unknown as WasmBackend;
      const out = b.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype); // before the views (heap growth)
      const ids = b.typedArrayFromHeap(indices) as Int32Array;
      const rows = x.shape[0]!;
      for (let i = 0; i < ids.length; i++) if (!(ids[i]! >= 0 && ids[i]! < rows)) throw new Error(`GatherV2: the index value ${ids[i]} is not in [0, ${rows - 1}]`);
      const { heap, s0, d0 } = sharedView(asWords(b.typedArrayFromHeap(x)), asWords(b.typedArrayFromHeap(out)));
      for (let i = 0; i < ids.length; i++) heap!.copyWithin(d0 + i * row, s0 + ids[i]! * row, s0 + (ids[i]! + 1) * row);
      return out;
    },
  };
}

/**
 * Column sums of a row-major [rows, width] matrix in float64, four rows per pass over the accumulator
 * (a bias gradient: width is the channel count, rows every pixel of the batch).
 */
export function sumRows(src: Float32Array, rows: number, width: number): Float64Array {
  const acc = new Float64Array(width);
  const w2 = 2 * width;
  const w3 = 3 * width;
  let r = 0;
  let o = 0;
  for (; r + 4 <= rows; r += 4, o += 4 * width) {
    for (let c = 0; c < width; c++) {
      const i = o + c;
      acc[c]! += src[i]! + src[i + width]! + (src[i + w2]! + src[i + w3]!);
    }
  }
  for (; r < rows; r++, o += width) for (let c = 0; c < width; c++) acc[c]! += src[o + c]!;
  return acc;
}

/** Sum over axes that are not innermost: the blocked transpose first, then the backend's own innermost reduction. */
function sumKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Sum",
    backendName,
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const x = (inputs as { x: Info }).x;
      const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const perm = tf.backend_util.getAxesPermutation(axes, x.shape.length);
      if (perm == null) return original.kernelFunc(args);
      const sorted = [...axes].sort((a, c) => a - c);
      if (x.dtype === "float32" && sorted.every((a, i) => a === i)) {
        // Leading axes (a bias gradient: sum over batch and pixels): one pass down the rows, no transpose.
        const b = backend as unknown as WasmBackend;
        const kept = x.shape.slice(sorted.length);
        const width = size(kept);
        const rows = size(x.shape) / width;
        const out = b.makeOutput(keepDims ? [...sorted.map(() => 1), ...kept] : kept, "float32");
        const src = b.typedArrayFromHeap(x) as Float32Array;
        (b.typedArrayFromHeap(out) as Float32Array).set(sumRows(src, rows, width));
        return out;
      }
      const transposed = runKernel("Transpose", backendName, { x }, { perm }, backend);
      const inner = tf.backend_util.getInnerMostAxes(axes.length, x.shape.length);
      const out = original.kernelFunc({ inputs: { x: transposed }, attrs: { axis: inner, keepDims: false }, backend } as never) as Info;
      (backend as unknown as WasmBackend).disposeData(transposed.dataId);
      if (keepDims) return { ...out, shape: tf.backend_util.expandShapeToKeepDim(out.shape, axes) };
      return out;
    },
  };
}

/**
 * Conv2DBackpropFilter for stride 1 as one matrix product (im2col, transposed):
 * with x zero-padded to [B, Hp, Wp, Ci] and flattened over (b, y, x) as g, every tap (kh, kw) reads x at g + kh·Wp + kw,
 * so dW[(kh, kw, ci), co] = Σ_g A[(kh, kw, ci), g] · dy'[g, co], where A's rows are the padded xᵀ shifted by each tap
 * (zeros past the end) and dy' is dy on the same padded grid (zeros off the image). The padding is the backend's own
 * PadV2, xᵀ the registered Transpose (the backend's for few channels, the blocked copy above for many), the shifted
 * rows memcpy; XNNPACK runs the product.
 */
export function conv2dBackpropFilterStride1(
  backendName: string,
  backend: unknown,
  x: Info,
  dy: Info,
  filterShape: readonly [number, number, number, number],
  pad: { top: number; left: number; bottom: number; right: number },
): Info {
  const b = backend as WasmBackend;
  const [B, H, W, ci] = x.shape as [number, number, number, number];
  const [, Ho, Wo, co] = dy.shape as [number, number, number, number];
  const [kh, kw] = filterShape;
  const Hp = H + pad.top + pad.bottom;
  const Wp = W + pad.left + pad.right;
  if (Ho !== Hp - kh + 1 || Wo !== Wp - kw + 1) throw new Error(`Conv2DBackpropFilter: dy ${Ho}×${Wo} does not match a stride-1 ${kh}×${kw} convolution of ${H}×${W}`);
  const grid = B * Hp * Wp;
  const taps = kh * kw;
  const padded = Hp !== H || Wp !== W;
  const temps: Info[] = [];
  const keep = (t: Info) => (temps.push(t), t);
  // x onto the padded grid, then transposed to [Ci, grid]: one row of the padded image per input channel.
  const xp = padded ? keep(runKernel("PadV2", backendName, { x }, { paddings: [[0, 0], [pad.top, pad.bottom], [pad.left, pad.right], [0, 0]], constantValue: 0 }, backend)) : x;
  const xpT = keep(runKernel("Transpose", backendName, { x: xp }, { perm: [3, 0, 1, 2] }, backend)); // [Ci, B, Hp, Wp]
  // dy onto the same grid: output (b, y, x) sits at the grid position of its window's top-left tap.
  const dyp = Ho !== Hp || Wo !== Wp ? keep(runKernel("PadV2", backendName, { x: dy }, { paddings: [[0, 0], [0, Hp - Ho], [0, Wp - Wo], [0, 0]], constantValue: 0 }, backend)) : dy;
  let A = xpT;
  if (taps > 1) {
    A = keep(b.makeOutput([taps * ci, grid], "float32")); // allocate before taking views: growing the heap detaches them
    const xT = b.typedArrayFromHeap(xpT) as Float32Array;
    const a = b.typedArrayFromHeap(A) as Float32Array;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const off = i * Wp + j;
        const tap = i * kw + j;
        for (let c = 0; c < ci; c++) {
          const row = (tap * ci + c) * grid;
          a.set(xT.subarray(c * grid + off, (c + 1) * grid), row);
          // Past the grid's end: only positions whose dy' is zero padding read these.
          a.fill(0, row + grid - off, row + grid);
        }
      }
    }
  }
  const a3 = keep(runKernel("Reshape", backendName, { x: A }, { shape: [1, taps * ci, grid] }, backend));
  const d3 = keep(runKernel("Reshape", backendName, { x: dyp }, { shape: [1, grid, co] }, backend));
  const product = runKernel("BatchMatMul", backendName, { a: a3, b: d3 }, { transposeA: false, transposeB: false }, backend); // [1, taps·Ci, Co]
  for (const t of temps) b.disposeData(t.dataId);
  const out = runKernel("Reshape", backendName, { x: product }, { shape: [kh, kw, ci, co] }, backend);
  b.disposeData(product.dataId);
  return out;
}

/** MaxPoolGrad for 2×2 windows at stride 2 without padding: dy goes to the first maximum of each window (row-major), as TF does. */
function maxPoolGradKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "MaxPoolGrad",
    backendName,
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const { dy, input } = inputs as { dy: Info; input: Info };
      const { filterSize, strides, pad } = attrs as unknown as { filterSize: number | [number, number]; strides: number | [number, number]; pad: unknown };
      const two = (v: number | [number, number]) => (Array.isArray(v) ? v[0] === 2 && v[1] === 2 : v === 2);
      const [B, H, W, C] = input.shape as [number, number, number, number];
      if (!two(filterSize) || !two(strides) || pad !== "valid" || H % 2 !== 0 || W % 2 !== 0 || input.dtype !== "float32") return original.kernelFunc(args);
      const b = backend as unknown as WasmBackend;
      const out = b.makeOutput(input.shape, "float32");
      const x = b.typedArrayFromHeap(input) as Float32Array;
      const g = b.typedArrayFromHeap(dy) as Float32Array;
      const dx = b.typedArrayFromHeap(out) as Float32Array;
      dx.fill(0);
      const row = W * C;
      const Ho = H / 2;
      const Wo = W / 2;
      for (let bi = 0; bi < B; bi++) {
        for (let y = 0; y < Ho; y++) {
          const top = ((bi * H + 2 * y) * W) * C;
          const gRow = ((bi * Ho + y) * Wo) * C;
          for (let xx = 0; xx < Wo; xx++) {
            const p00 = top + 2 * xx * C;
            const gi = gRow + xx * C;
            for (let c = 0; c < C; c++) {
              let at = p00 + c;
              let best = x[at]!;
              const p01 = at + C;
              const p10 = at + row;
              const p11 = p10 + C;
              if (x[p01]! > best) (best = x[p01]!), (at = p01);
              if (x[p10]! > best) (best = x[p10]!), (at = p10);
              if (x[p11]! > best) at = p11;
              dx[at] = g[gi + c]!;
            }
          }
        }
      }
      return out;
    },
  };
}

/**
 * ResizeNearestNeighborGrad for an exact 2× enlargement without align-corners: each input pixel received its 2×2
 * output block, so its gradient is that block's sum, i.e. XNNPACK's 2×2 average pool times 4 (exact in float).
 */
function resizeNearestGradKernel(backendName: string, original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "ResizeNearestNeighborGrad",
    backendName,
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const { images, dy } = inputs as { images: Info; dy: Info };
      const { alignCorners } = attrs as unknown as { alignCorners: boolean };
      const [, H, W] = images.shape as [number, number, number, number];
      const [, Ho, Wo] = dy.shape as [number, number, number, number];
      if (alignCorners || Ho !== 2 * H || Wo !== 2 * W || dy.dtype !== "float32") return original.kernelFunc(args);
      const b = backend as unknown as WasmBackend;
      const pooled = runKernel("AvgPool", backendName, { x: dy }, { filterSize: 2, strides: 2, pad: "valid" }, backend);
      const four = b.makeOutput([], "float32", undefined, new Float32Array([4]));
      const out = runKernel("Multiply", backendName, { a: pooled, b: four }, {}, backend);
      b.disposeData(pooled.dataId);
      b.disposeData(four.dataId);
      return out;
    },
  };
}

/**
 * A kernel that returns its input `x` as a new tensor over the same buffer (one more reference) when `shares(x, attrs)`,
 * and runs the original otherwise (always for strings). TF.js kernels never write into their inputs and variables swap buffers on
 * assign, so sharing is safe; the CPU and WebGL backends do the same for Identity.
 */
function sharingKernel(kernelName: string, backendName: string, original: tf.KernelConfig, shares: (x: Info, attrs: tf.NamedAttrMap) => boolean): tf.KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const x = (args.inputs as { x: Info }).x;
      if (x.dtype === "string" || !shares(x, args.attrs ?? {})) return original.kernelFunc(args);
      (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  };
}

/** Swaps a backend's kernel for `make(original)`, which may fall back to the original; nothing happens where the backend has none. */
export function replaceKernel(name: string, backendName: string, make: (original: tf.KernelConfig) => tf.KernelConfig): void {
  const original = tf.getKernel(name, backendName);
  if (!original) return;
  tf.unregisterKernel(name, backendName);
  tf.registerKernel(make(original));
}

/** Replaces the backend's Transpose, Slice, SplitV, Unpack, GatherV2 (rows), Sum, MaxPoolGrad, ResizeNearestNeighborGrad, Identity and Cast with the versions above. Call once (registerWasmGradientKernels does). */
export function registerLayoutKernels(backendName: string): void {
  // Identity: the engine clones every tensor a gradient saves for the backward pass (181 large copies per dVAE step).
  replaceKernel("Identity", backendName, (o) => sharingKernel("Identity", backendName, o, () => true));
  // Cast to the dtype the tensor already has (Relu's gradient casts float to float); real conversions convert.
  replaceKernel("Cast", backendName, (o) => sharingKernel("Cast", backendName, o, (x, attrs) => attrs.dtype === x.dtype));
  replaceKernel("Transpose", backendName, (o) => transposeKernel(backendName, o));
  replaceKernel("Slice", backendName, (o) => sliceKernel(backendName, o));
  replaceKernel("SplitV", backendName, (o) => splitVKernel(backendName, o));
  replaceKernel("Unpack", backendName, (o) => unpackKernel(backendName, o));
  replaceKernel("GatherV2", backendName, (o) => gatherRowsKernel(backendName, o));
  replaceKernel("Sum", backendName, (o) => sumKernel(backendName, o));
  replaceKernel("MaxPoolGrad", backendName, (o) => maxPoolGradKernel(backendName, o));
  replaceKernel("ResizeNearestNeighborGrad", backendName, (o) => resizeNearestGradKernel(backendName, o));
}

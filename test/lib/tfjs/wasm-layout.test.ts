import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../../src/lib/tfjs/index.js";
import { simplifyPermutation, sliceInto, sumRows, transposeInto } from "../../../src/lib/tfjs/wasm-layout.js";

/** Every permutation of 0..n-1. */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** The definition of a transpose, one element at a time. */
function naiveTranspose(src: Float32Array, shape: number[], perm: number[]): Float32Array {
  const out = new Float32Array(src.length);
  const outShape = perm.map((a) => shape[a]!);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < src.length; i++) {
    let o = 0;
    for (let k = 0; k < perm.length; k++) o = o * outShape[k]! + index[perm[k]!]!;
    out[o] = src[i]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}

describe("simplifyPermutation (fewer axes, same data movement)", () => {
  it("merges input axes that stay neighbours and drops size-1 axes", () => {
    expect(simplifyPermutation([16, 64, 64, 32], [3, 1, 2, 0])).toEqual({ shape: [16, 4096, 32], perm: [2, 1, 0] });
    expect(simplifyPermutation([16, 64, 64, 32], [1, 2, 0, 3])).toEqual({ shape: [16, 4096, 32], perm: [1, 0, 2] });
    expect(simplifyPermutation([1, 5, 7], [0, 2, 1])).toEqual({ shape: [5, 7], perm: [1, 0] });
    expect(simplifyPermutation([2, 3, 4], [0, 1, 2])).toEqual({ shape: [24], perm: [0] });
  });
});

describe("transposeInto (the blocked JS transpose)", () => {
  it("equals the element-by-element definition for every permutation of ranks 2 to 4, across block edges", () => {
    for (const shape of [[37, 45], [3, 33, 40], [2, 17, 35, 33], [1, 40, 1, 34]]) {
      const src = Float32Array.from({ length: shape.reduce((n, d) => n * d, 1) }, (_, i) => i);
      for (const perm of permutations(shape.length)) {
        const dst = new Float32Array(src.length);
        transposeInto(src, shape, perm, dst);
        expect(Array.from(dst), `shape ${shape} perm ${perm}`).toEqual(Array.from(naiveTranspose(src, shape, perm)));
      }
    }
  });
});

describe("transposeInto within one buffer (the WASM heap: runs move by copyWithin)", () => {
  it("equals the definition for every permutation of a rank-5 tensor, src and dst two views of one buffer", () => {
    const shape = [3, 4, 2, 5, 6];
    const n = shape.reduce((a, d) => a * d, 1);
    for (const perm of permutations(5)) {
      const heap = new Float32Array(2 * n + 7);
      const src = heap.subarray(3, 3 + n);
      src.set(Float32Array.from({ length: n }, (_, i) => i));
      const dst = heap.subarray(n + 5, 2 * n + 5);
      transposeInto(src, shape, perm, dst);
      expect(Array.from(dst), `perm ${perm}`).toEqual(Array.from(naiveTranspose(Float32Array.from(src), shape, perm)));
    }
  });
});

describe("sliceInto (a box of a row-major tensor)", () => {
  /** The definition: every element of the box, in row-major order. */
  const naiveSlice = (src: Float32Array, shape: number[], begin: number[], count: number[]): number[] => {
    const out: number[] = [];
    const walk = (axis: number, offset: number): void => {
      if (axis === shape.length) return void out.push(src[offset]!);
      const stride = shape.slice(axis + 1).reduce((a, d) => a * d, 1);
      for (let i = begin[axis]!; i < begin[axis]! + count[axis]!; i++) walk(axis + 1, offset + i * stride);
    };
    walk(0, 0);
    return out;
  };

  it("equals the definition for boxes whole, partial and empty along each axis, in separate buffers and in one", () => {
    const shape = [3, 5, 4, 70]; // the last axis long enough for the set() path
    const n = shape.reduce((a, d) => a * d, 1);
    const boxes: [number[], number[]][] = [
      [[0, 0, 0, 0], shape],
      [[1, 0, 0, 0], [2, 5, 4, 70]],
      [[0, 2, 0, 0], [3, 2, 4, 70]],
      [[0, 0, 1, 0], [3, 5, 3, 70]],
      [[0, 0, 0, 5], [3, 5, 4, 60]],
      [[2, 4, 3, 69], [1, 1, 1, 1]],
      [[1, 1, 1, 1], [2, 3, 2, 3]],
      [[0, 0, 0, 0], [3, 0, 4, 70]],
    ];
    for (const [begin, count] of boxes) {
      const size = count.reduce((a, d) => a * d, 1);
      const src = Float32Array.from({ length: n }, (_, i) => i);
      const expected = naiveSlice(src, shape, begin, count);
      const dst = new Float32Array(size);
      sliceInto(src, shape, begin, count, dst);
      expect(Array.from(dst), `box ${begin} + ${count}`).toEqual(expected);
      const heap = new Float32Array(n + size + 1);
      heap.set(src, 1);
      const shared = heap.subarray(n + 1);
      sliceInto(heap.subarray(1, n + 1), shape, begin, count, shared);
      expect(Array.from(shared), `one buffer, box ${begin} + ${count}`).toEqual(expected);
    }
  });
});

describe("sumRows (column sums, four rows at a time)", () => {
  it("equals one row at a time for every row count around the unrolled step, including none", () => {
    for (let rows = 0; rows <= 9; rows++) {
      for (const width of [1, 3, 8]) {
        const src = Float32Array.from({ length: rows * width }, (_, i) => ((i * 37) % 11) - 5.25);
        const expected = new Array<number>(width).fill(0);
        for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) expected[c]! += src[r * width + c]!;
        expect([rows, width, Array.from(sumRows(src, rows, width))]).toEqual([rows, width, expected]);
      }
    }
  });
});

describe("the WASM Transpose, Slice, SplitV, Unpack, GatherV2, Sum, MaxPoolGrad, ResizeNearestNeighborGrad, Identity and Cast kernels (replaced by JS over the heap or buffer sharing)", () => {
  /** Runs `f` on the CPU backend and on WASM, returning both results as arrays. */
  async function onBoth(f: () => tf.Tensor): Promise<{ cpu: number[]; wasm: number[]; shapes: [number[], number[]] }> {
    await useBackend("cpu");
    const c = f();
    const cpu = { values: Array.from(c.dataSync()), shape: c.shape };
    c.dispose();
    await useBackend("wasm");
    const w = f();
    const wasm = { values: Array.from(w.dataSync()), shape: w.shape };
    w.dispose();
    return { cpu: cpu.values, wasm: wasm.values, shapes: [cpu.shape, wasm.shape] };
  }
  const close = (a: number[], b: number[], tol: number) => {
    expect(a.length).toBe(b.length);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
    expect(max).toBeLessThan(tol);
  };

  beforeAll(async () => {
    await useBackend("wasm");
  });
  afterAll(async () => {
    await useBackend("cpu");
  });

  it("Transpose: every permutation of a rank-4 float and int tensor large enough for the blocked path gives CPU's result", async () => {
    for (const dtype of ["float32", "int32"] as const) {
      for (const perm of permutations(4)) {
        const r = await onBoth(() => tf.tidy(() => tf.transpose(tf.range(0, 5 * 20 * 25 * 33, 1, dtype).reshape([5, 20, 25, 33]), perm)));
        expect(r.shapes[1]).toEqual(r.shapes[0]);
        expect(r.wasm, `${dtype} perm ${perm}`).toEqual(r.cpu);
      }
    }
  });

  it("Sum: over leading, middle and mixed axes, with and without keepDims, gives CPU's result", async () => {
    for (const axis of [0, [0, 1, 2], [1], [0, 2], [1, 3], [3], [0, 1, 2, 3]]) {
      for (const keepDims of [false, true]) {
        const r = await onBoth(() => tf.tidy(() => tf.sum(tf.randomNormal([5, 17, 19, 20], 0, 1, "float32", 4), axis, keepDims)));
        expect(r.shapes[1], `axis ${axis} keepDims ${keepDims}`).toEqual(r.shapes[0]);
        close(r.wasm, r.cpu, 1e-2); // float32 sums of up to 32,300 values in another order
      }
    }
  });

  it("MaxPoolGrad (2×2, stride 2): sends each window's gradient to its first maximum, ties included, like CPU", async () => {
    // Small integers make ties common: the rule for them must match TF's (first maximum in row-major order).
    const grad = () =>
      tf.tidy(() => {
        const x = tf.floor(tf.randomUniform([2, 8, 10, 18], 0, 3, "float32", 5));
        const probe = tf.randomNormal([2, 4, 5, 18], 0, 1, "float32", 6);
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, 2, 2, "valid"), probe)))(x);
      });
    const r = await onBoth(grad);
    close(r.wasm, r.cpu, 1e-6);
    expect(r.cpu.filter((v) => v !== 0).length).toBe(2 * 4 * 5 * 18); // one nonzero per window
  });

  it("MaxPoolGrad: other window shapes still use the backend's own kernel and agree with CPU", async () => {
    const r = await onBoth(() =>
      tf.tidy(() => {
        const x = tf.randomNormal([1, 9, 9, 4], 0, 1, "float32", 7);
        return tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 3, 2, "same")))(x);
      }),
    );
    close(r.wasm, r.cpu, 1e-6);
  });

  it("ResizeNearestNeighborGrad: each input pixel gets the sum of the gradients of the outputs copied from it (exact 2× by the blocked path, other sizes by the backend's own kernel)", async () => {
    // The reference comes from the forward op itself: resizing an image of pixel indices says which input pixel
    // each output copied. (The CPU backend's own gradient is not a reference: it mixes images when the batch is > 1.)
    await useBackend("wasm");
    for (const [size, alignCorners] of [[[16, 20], false], [[12, 15], false], [[16, 20], true]] as const) {
      const [B, H, W, C] = [3, 8, 10, 5];
      const probe = tf.randomNormal([B, size[0], size[1], C], 0, 1, "float32", 9);
      const x = tf.randomNormal([B, H, W, C], 0, 1, "float32", 8);
      const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [size[0], size[1]], alignCorners), probe)))(x);
      const index = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.range(0, B * H * W * C).reshape([B, H, W, C]) as tf.Tensor4D, [size[0], size[1]], alignCorners));
      const from = index.dataSync();
      const p = probe.dataSync();
      const expected = new Float64Array(B * H * W * C);
      for (let i = 0; i < from.length; i++) expected[from[i]!]! += p[i]!;
      close(Array.from(grad.dataSync()), Array.from(expected), 1e-4);
      tf.dispose([probe, x, grad, index]);
    }
  });

  it("Identity (clone) shares the buffer instead of copying it, and the clone keeps its values after the original is disposed", () => {
    const x = tf.randomNormal([64, 64, 8], 0, 1, "float32", 3);
    const values = Array.from(x.dataSync());
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(values);
    expect(Array.from(tf.add(y, 1).dataSync())).toEqual(values.map((v) => Math.fround(v + 1)));
    y.dispose();
  });

  it("Cast to the same dtype shares the buffer; a real conversion still converts", () => {
    const x = tf.tensor1d([1.5, -2.5, 3.75]);
    const buffers = tf.memory().numDataBuffers;
    const same = tf.cast(x, "float32");
    expect(tf.memory().numDataBuffers).toBe(buffers);
    const int = tf.cast(x, "int32");
    expect([int.dtype, Array.from(int.dataSync())]).toEqual(["int32", [1, -2, 3]]);
    const bool = tf.cast(tf.tensor1d([0, 2, -1], "int32"), "float32");
    expect(Array.from(bool.dataSync())).toEqual([0, 2, -1]);
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2.5, 3.75]);
    tf.dispose([same, int, bool]);
  });

  it("a variable assigned from a shared clone keeps its own value when the clone's source changes hands", () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect([Array.from(v.dataSync()), Array.from(snapshot.dataSync())]).toEqual([[7, 8, 9], [1, 2, 3]]);
    tf.dispose([v, snapshot]);
  });

  it("Transpose: rank-5 permutations that keep the innermost axis (attention's head split) give CPU's result", async () => {
    for (const perm of [[2, 0, 3, 1, 4], [1, 3, 0, 2, 4], [4, 3, 2, 1, 0]]) {
      const r = await onBoth(() => tf.tidy(() => tf.transpose(tf.range(0, 6 * 40 * 3 * 4 * 32, 1, "float32").reshape([6, 40, 3, 4, 32]), perm)));
      expect(r.shapes[1]).toEqual(r.shapes[0]);
      expect(r.wasm, `perm ${perm}`).toEqual(r.cpu);
    }
  });

  it("Slice, SplitV and Unpack: boxes and splits along every axis of float, int and bool tensors give CPU's result", async () => {
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const make = (): tf.Tensor4D => (dtype === "bool" ? tf.greater(tf.randomNormal([4, 6, 5, 66], 0, 1, "float32", 8), 0) : tf.range(0, 4 * 6 * 5 * 66, 1, dtype)).reshape([4, 6, 5, 66]) as tf.Tensor4D;
      const cases: [string, () => tf.Tensor][] = [
        ["slice rows", () => tf.slice(make(), [1, 0, 0, 0], [2, -1, -1, -1])],
        ["slice inner", () => tf.slice(make(), [0, 2, 1, 3], [4, 3, 3, 60])],
        ["slice one element", () => tf.slice(make(), [3, 5, 4, 65], [1, 1, 1, 1])],
        ...[0, 1, 2, 3].map((axis): [string, () => tf.Tensor] => [`split axis ${axis}`, () => tf.concat(tf.split(make(), [1, make().shape[axis]! - 1], axis).map((t) => t.reshape([-1])))]),
        ...[0, 1, 2, 3].map((axis): [string, () => tf.Tensor] => [`unstack axis ${axis}`, () => tf.stack(tf.unstack(make(), axis).reverse(), axis)]),
      ];
      for (const [label, f] of cases) {
        const r = await onBoth(() => tf.tidy(f));
        expect(r.shapes[1], `${dtype} ${label}`).toEqual(r.shapes[0]);
        expect(r.wasm, `${dtype} ${label}`).toEqual(r.cpu);
      }
    }
  });

  it("GatherV2 of rows (an embedding lookup) gives CPU's result, and an id outside the table is an error naming it", async () => {
    const r = await onBoth(() => tf.tidy(() => tf.gather(tf.range(0, 50 * 20, 1, "float32").reshape([50, 20]), tf.tensor2d([[3, 0, 49], [7, 7, 12]], undefined, "int32"))));
    expect(r.shapes[1]).toEqual([2, 3, 20]);
    expect(r.wasm).toEqual(r.cpu);
    await useBackend("wasm");
    expect(() => tf.tidy(() => tf.gather(tf.zeros([50, 20]), tf.tensor1d([2, 50], "int32")))).toThrow(/index value 50 is not in \[0, 49\]/);
  });

  it("leaves no tensors behind", () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([2, 16, 16, 20]);
      tf.split(x, 2, 3);
      tf.unstack(x, 1);
      tf.gather(tf.reshape(x, [32, 320]), tf.tensor1d([1, 2], "int32"));
      tf.transpose(x, [3, 1, 2, 0]);
      tf.sum(x, [0, 1, 2], true);
      tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [32, 32]), 2, 2, "valid")))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

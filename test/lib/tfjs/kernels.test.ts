import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../../src/lib/tfjs/index.js";
import { swapsOperands } from "../../../src/lib/tfjs/kernels.js";

interface Case {
  label: string;
  x: [number, number, number, number];
  k: number;
  cOut: number;
  stride: number;
  pad: "same" | "valid";
}

const CASES: Case[] = [
  { label: "3×3 same, stride 1", x: [2, 9, 9, 4], k: 3, cOut: 5, stride: 1, pad: "same" },
  { label: "7×7 same, stride 1 (the dVAE stem)", x: [2, 12, 12, 3], k: 7, cOut: 8, stride: 1, pad: "same" },
  { label: "1×1, stride 1 (narrowing: a matrix product)", x: [3, 6, 6, 8], k: 1, cOut: 4, stride: 1, pad: "same" },
  { label: "1×1, stride 1 (widening: a matrix product)", x: [2, 5, 5, 3], k: 1, cOut: 7, stride: 1, pad: "same" },
  { label: "1×1, stride 2 (the convolution path)", x: [2, 6, 6, 3], k: 1, cOut: 2, stride: 2, pad: "valid" },
  { label: "5×5 valid, stride 1", x: [2, 9, 8, 3], k: 5, cOut: 2, stride: 1, pad: "valid" },
  { label: "4×4 same, stride 1 (more padding bottom-right than top-left)", x: [2, 7, 9, 3], k: 4, cOut: 3, stride: 1, pad: "same" },
  { label: "3×3 same, stride 1, wide channels (the blocked layout paths)", x: [2, 18, 17, 40], k: 3, cOut: 36, stride: 1, pad: "same" },
  { label: "5×5 valid, stride 1, 6 channels (one product per tap, no padding)", x: [2, 9, 8, 6], k: 5, cOut: 3, stride: 1, pad: "valid" },
  { label: "4×4 same, stride 1, 5 channels (one product per tap, uneven padding)", x: [3, 7, 9, 5], k: 4, cOut: 2, stride: 1, pad: "same" },
  { label: "3×3 valid, stride 2", x: [2, 11, 11, 3], k: 3, cOut: 4, stride: 2, pad: "valid" },
  { label: "3×3 same, stride 2 on an even size", x: [1, 10, 10, 2], k: 3, cOut: 3, stride: 2, pad: "same" },
];

/** Gradients of sum(conv2d(x, w) · probe) w.r.t. the filter and the input, on the active backend, as plain numbers. */
function gradients(c: Case): { filter: Float32Array; input: Float32Array } {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, "float32", 1) as tf.Tensor4D;
    const w = tf.randomNormal([c.k, c.k, c.x[3], c.cOut], 0, 1, "float32", 2) as tf.Tensor4D;
    const probe = tf.randomNormal(tf.conv2d(x, w, c.stride, c.pad).shape, 0, 1, "float32", 3);
    const f = (xv: tf.Tensor, wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, c.stride, c.pad), probe));
    const [dx, dw] = tf.grads(f)([x, w]);
    return { filter: dw!.dataSync() as Float32Array, input: dx!.dataSync() as Float32Array };
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe("the WASM convolution gradient kernels (Conv2DBackpropFilter added, Conv2DBackpropInput replaced)", () => {
  const reference = new Map<string, { filter: Float32Array; input: Float32Array }>();
  beforeAll(async () => {
    await useBackend("cpu");
    for (const c of CASES) reference.set(c.label, gradients(c));
    await useBackend("wasm");
  });
  afterAll(async () => {
    await useBackend("cpu");
  });

  for (const c of CASES) {
    it(`match the CPU backend's filter and input gradients within 1e-3 (${c.label})`, () => {
      const wasm = gradients(c);
      const cpu = reference.get(c.label)!;
      expect(maxAbsDiff(wasm.filter, cpu.filter)).toBeLessThan(1e-3);
      expect(maxAbsDiff(wasm.input, cpu.input)).toBeLessThan(1e-3);
      // The comparison is not between zeros.
      expect(Math.max(...cpu.filter.map(Math.abs))).toBeGreaterThan(0.1);
      expect(Math.max(...cpu.input.map(Math.abs))).toBeGreaterThan(0.1);
    });
  }

  it("leaves no tensors behind", () => {
    const before = tf.memory().numTensors;
    gradients(CASES[0]!);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("the WASM UnsortedSegmentSum kernel (added: tf.gather's gradient, i.e. embedding tables)", () => {
  /** Gradient of sum(gather(table, ids) · probe) w.r.t. the table, on the active backend. */
  const gatherGrad = (): Float32Array =>
    tf.tidy(() => {
      const table = tf.randomNormal([7, 5], 0, 1, "float32", 4);
      const ids = tf.tensor2d([[1, 3, 1], [6, 0, 1]], [2, 3], "int32"); // id 1 three times, 2, 4 and 5 never
      const probe = tf.randomNormal([2, 3, 5], 0, 1, "float32", 5);
      const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), probe)))([table]);
      return g!.dataSync() as Float32Array;
    });
  let cpu: Float32Array;
  beforeAll(async () => {
    await useBackend("cpu");
    cpu = gatherGrad();
    await useBackend("wasm");
  });
  afterAll(async () => {
    await useBackend("cpu");
  });

  it("gives the CPU backend's gather gradient: repeated ids accumulate, unused rows stay zero", () => {
    const wasm = gatherGrad();
    expect(maxAbsDiff(wasm, cpu)).toBeLessThan(1e-5);
    expect(Array.from(wasm.slice(2 * 5, 3 * 5))).toEqual([0, 0, 0, 0, 0]);
    expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it("sums float rows by segment id, ignoring ids outside [0, numSegments)", () => {
    const out = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]), tf.tensor1d([2, 0, 2, 9], "int32"), 3).arraySync());
    expect(out).toEqual([[3, 4], [0, 0], [6, 8]]);
  });
});

describe("the WASM BatchMatMul kernel (replaced: transposed operands through an explicit Transpose, the smaller operand packed, batches one XNNPACK product per matrix)", () => {
  const products = (): number[][] =>
    tf.tidy(() => {
      const a = tf.randomNormal([2, 3, 5, 4], 0, 1, "float32", 6);
      const b = tf.randomNormal([2, 3, 5, 6], 0, 1, "float32", 7);
      const c = tf.randomNormal([7, 4], 0, 1, "float32", 8);
      const d = tf.randomNormal([9, 4], 0, 1, "float32", 9);
      const e = tf.randomNormal([2, 3, 4, 6], 0, 1, "float32", 10);
      const one = tf.randomNormal([1, 4, 3], 0, 1, "float32", 11);
      const many = tf.randomNormal([6, 5, 4], 0, 1, "float32", 12);
      const narrow = tf.randomNormal([40, 3], 0, 1, "float32", 13);
      const wide = tf.randomNormal([40, 12], 0, 1, "float32", 14);
      const short = tf.randomNormal([3, 40], 0, 1, "float32", 15);
      const long = tf.randomNormal([50, 40], 0, 1, "float32", 16);
      return [
        tf.matMul(a, b, true, false),
        tf.matMul(b, a, true, false),
        tf.matMul(c, d, false, true),
        tf.matMul(d, c, false, true),
        tf.matMul(tf.transpose(c), d, true, true),
        tf.matMul(a, e), // batched, untransposed
        tf.matMul(a, tf.transpose(e, [0, 1, 3, 2]), false, true),
        tf.matMul(many, one), // b's batch broadcast
        tf.matMul(tf.slice(many, [0, 0, 0], [1, 3, 4]), tf.transpose(many, [0, 2, 1])), // a's batch broadcast
        tf.matMul(narrow, wide, true, false), // a weight gradient xᵀ·dy that packs x: computed as (dyᵀ·x)ᵀ
        tf.matMul(wide, narrow, true, false), // the same shapes the other way round: direct
        tf.matMul(short, long, false, true), // a·bᵀ with a long b: (b·aᵀ)ᵀ
      ].map(
        (t) => Array.from(t.dataSync()),
      );
    });
  let cpu: number[][];
  beforeAll(async () => {
    await useBackend("cpu");
    cpu = products();
    await useBackend("wasm");
  });
  afterAll(async () => {
    await useBackend("cpu");
  });

  it("gives the CPU backend's products for every transpose combination, batched (also broadcast) and 2D", () => {
    const before = tf.memory().numTensors;
    const wasm = products();
    expect(tf.memory().numTensors).toBe(before);
    wasm.forEach((values, i) => expect(maxAbsDiff(Float32Array.from(values), Float32Array.from(cpu[i]!))).toBeLessThan(1e-4));
  });

  it("packs the smaller operand: a 2-D product swaps to (op(b)ᵀ·op(a)ᵀ)ᵀ where that moves fewer elements", () => {
    // xᵀ·dy for a layer 128 → 512 over 3,072 positions: pack x, not dy; the layer 512 → 128: direct.
    expect(swapsOperands([3072, 128], [3072, 512], true, false)).toBe(true);
    expect(swapsOperands([3072, 512], [3072, 128], true, false)).toBe(false);
    // dy·Wᵀ (the input gradient: W is small): direct.
    expect(swapsOperands([3072, 512], [128, 512], false, true)).toBe(false);
    // The test's own cases above: swapped, direct, swapped.
    expect([swapsOperands([40, 3], [40, 12], true, false), swapsOperands([40, 12], [40, 3], true, false), swapsOperands([3, 40], [50, 40], false, true)]).toEqual([true, false, true]);
  });

  it("leaves no tensor registered behind, in JS or in the WASM module, after batched products", () => {
    const backend = tf.backend() as unknown as { dataIdMap: { numDataIds(): number } };
    products();
    const before = backend.dataIdMap.numDataIds();
    products();
    expect(backend.dataIdMap.numDataIds()).toBe(before);
  });
});

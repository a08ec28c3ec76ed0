import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { AdamW, useBackend } from "../../../src/lib/tfjs/index.js";

beforeAll(async () => {
  await useBackend("cpu");
});

const OPTIONS = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decays: (n: string) => n === "w", emaDecay: 0.5 };

describe("AdamW", () => {
  it("takes a first step of lr·sign(g) plus decoupled decay on the weights it decays only", () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, "adamw-test-w");
    const b = tf.variable(tf.tensor1d([3]), true, "adamw-test-b");
    const opt = new AdamW([["w", w], ["b", b]], OPTIONS);
    // First step: m̂ = g, v̂ = g², so the Adam step is g/|g| = sign(g).
    opt.apply({ [w.name]: tf.tensor1d([0.5, -4]), [b.name]: tf.tensor1d([2]) }, 0.01);
    expect(Array.from(w.dataSync())).toEqual([expect.closeTo(1 - 0.01 * (1 + 0.1 * 1), 6), expect.closeTo(-2 - 0.01 * (-1 + 0.1 * -2), 6)]);
    expect(b.dataSync()[0]).toBeCloseTo(3 - 0.01, 6);
    expect(opt.step).toBe(1);
    // EMA (decay 0.5) starts at the initial weights.
    expect(opt.averagedWeights().get("b")!.dataSync()[0]).toBeCloseTo(0.5 * 3 + 0.5 * 2.99, 6);
    opt.dispose();
    tf.dispose([w, b]);
  });

  it("resumes from its saved state to the same weights as an uninterrupted run", () => {
    const run = (split: boolean): number[] => {
      const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
      let opt = new AdamW([["w", w]], OPTIONS);
      for (let i = 0; i < 4; i++) {
        if (split && i === 2) {
          const saved = opt.state();
          const copy = { step: saved.step, tensors: new Map([...saved.tensors].map(([k, t]) => [k, t.clone()])) };
          opt.dispose();
          opt = new AdamW([["w", w]], OPTIONS);
          opt.restore(copy);
          tf.dispose([...copy.tensors.values()]);
        }
        const g = tf.tensor1d([i + 1, -1, 0.25 * i]);
        opt.apply({ [w.name]: g }, 0.1);
        g.dispose();
      }
      const out = Array.from(w.dataSync());
      opt.dispose();
      w.dispose();
      return out;
    };
    const before = tf.memory().numTensors;
    expect(run(true)).toEqual(run(false));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names the missing entry when restoring an incomplete state", () => {
    const w = tf.variable(tf.tensor1d([1]));
    const opt = new AdamW([["w", w]], OPTIONS);
    expect(() => opt.restore({ step: 3, tensors: new Map() })).toThrow(/adam_m\.w/);
    opt.dispose();
    w.dispose();
  });
});

import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig, scaledRecipe } from "../../../src/lib/dvae/index.js";
import { loadDvae, trainDvaeRun, type DvaeRunOptions } from "../../../src/lib/dvae/node.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

const TINY = resolveConfig({ groupCount: 3, nHid: 8, nBlkPerGroup: 1, vocabSize: 16, nInit: 8, inputSize: 16 });
const dir = mkdtempSync(join(tmpdir(), "ccw-dvae-run-"));

beforeAll(async () => {
  await useBackend("wasm");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (out: string, steps: number, extra: Partial<DvaeRunOptions> = {}): DvaeRunOptions => ({
  out,
  config: TINY,
  recipe: scaledRecipe(steps, { batchSize: 4, lrStart: 3e-3, lrEnd: 3e-4, betaEnd: 0.01, emaDecay: 0.5 }),
  trainImages: 12,
  heldoutImages: 4,
  checkpointEvery: 2,
  logEvery: 1,
  resume: false,
  threads: 1,
  ...extra,
});

describe("trainDvaeRun() (the library's dVAE training run on the model world)", () => {
  it("trains, logs every update, writes the EMA weights, eval.json and no checkpoint, and leaves no tensors behind", async () => {
    const out = join(dir, "whole");
    const before = tf.memory().numTensors;
    const summary = await trainDvaeRun(options(out, 4));
    expect(tf.memory().numTensors).toBe(before);
    expect(summary.steps).toBe(4);
    const log = readFileSync(join(out, "train-log.jsonl"), "utf-8").trim().split("\n").map((l) => JSON.parse(l) as { step: number });
    expect(log.map((l) => l.step)).toEqual([1, 2, 3, 4]);
    const evaluation = JSON.parse(readFileSync(join(out, "eval.json"), "utf-8")) as { world: string; threads: number; heldoutEma: { psnrMean: number } };
    expect(evaluation.world).toBe("model");
    expect(evaluation.threads).toBe(1);
    expect(evaluation.heldoutEma.psnrMean).toBeCloseTo(summary.ema.psnrMean, 6);
    expect(existsSync(join(out, "checkpoint"))).toBe(false);
    const saved = await loadDvae(out);
    expect(saved.config).toEqual(TINY);
    saved.dispose();
  }, 120_000);

  it("resumes an interrupted run from its last checkpoint (written atomically) and finishes it", async () => {
    const out = join(dir, "interrupted");
    await expect(trainDvaeRun(options(out, 6, { onStep: (m) => { if (m.step === 3) throw new Error("interrupted"); } }))).rejects.toThrow("interrupted");
    expect(existsSync(join(out, "checkpoint", "model.json"))).toBe(true);
    expect(existsSync(join(out, "checkpoint", "weights.bin.tmp"))).toBe(false);
    const lines: string[] = [];
    const summary = await trainDvaeRun(options(out, 6, { resume: true, onLog: (l) => lines.push(l) }));
    expect(lines).toContain("resumed at step 2");
    expect(summary.steps).toBe(6);
    const steps = readFileSync(join(out, "train-log.jsonl"), "utf-8").trim().split("\n").map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps.at(-1)).toBe(6);
  }, 120_000);
});

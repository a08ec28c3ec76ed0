import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPairs, readPairs } from "../../src/lib/pairs/node.js";
import { trainTransformerRun, DEFAULT_TRAIN } from "../../src/lib/transformer/node.js";
import { transformerFromSafetensors } from "../../src/lib/transformer/index.js";
import { useBackend } from "../../src/lib/tfjs/index.js";
import { ccw } from "./run-ccw.js";

const TINY = ["--layers", "1", "--d-model", "16", "--heads", "2", "--bpe-vocab", "64", "--batch", "4"];

describe("ccw transformer and ccw generate", () => {
  const dir = mkdtempSync(join(tmpdir(), "ccw-transformer-"));
  const pairs = join(dir, "pairs");
  const model = join(dir, "model");

  beforeAll(async () => {
    // A real (small) pairs set: a synthetic crawl through the filter pipeline, encoded by the committed dVAE.
    await buildPairs({ source: "conceptual", seed: "transformer-cli", pages: 40, out: pairs, split: { minCount: 1, heldoutShare: 0.3 } });
  }, 300_000);

  it("--help documents the verbs and every option", async () => {
    const t = await ccw("transformer", "--help");
    for (const text of ["ccw transformer train", "ccw transformer eval", "--pairs", "--direction", "--steps", "--resume", "--bpe-vocab", "--samples", "--prompts", "--top-k"]) expect(t.out).toContain(text);
    const g = await ccw("generate", "--help");
    for (const text of ["--out", "--n", "--rerank", "--seed", "--temperature", "--top-k", "--top-p", "scores.json"]) expect(g.out).toContain(text);
  });

  it.each([
    [["transformer"], /expected a verb, train, eval or card; got none/],
    [["transformer", "train", "--direction", "sideways"], /--direction must be one of text-to-image, image-to-text/],
    [["transformer", "train", "--pairs", "/nonexistent/p"], /no pairs set in \/nonexistent\/p; build one with `ccw pairs build`/],
    [["transformer", "train", "--d-model", "10", "--heads", "3"], /--d-model \(10\) must be divisible by --heads \(3\)/],
    [["generate", "a dog", "--out", "/tmp/x", "--weights", "/nonexistent/m"], /no weights.safetensors in \/nonexistent\/m/],
    [["generate", "--out", "/tmp/x"], /expected one quoted prompt/],
    [["generate", "a dog"], /--out <dir> is required/],
    [["transformer", "eval", "--judge-top", "many"], /--judge-top must be an integer from 0 to 1000, got "many"/],
    [["generate", "a dog", "--out", "/tmp/x", "--top-p", "0"], /--top-p must be a number from 0\.000001 to 1, got "0"/],
  ])("exits 2 naming the problem for %j", async (args, message) => {
    const { code, err } = await ccw(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("trains on the pairs, logs losses per token type, and generates images with scores", async () => {
    const train = await ccw("transformer", "train", "--pairs", pairs, "--out", model, "--steps", "3", "--log-every", "1", ...TINY);
    expect(train.code, train.err).toBe(0);
    expect(train.out).toMatch(/3 steps in .* on \d+ pairs; (validation loss [\d.]+ \(text [\d.]+, image [\d.]+ nats\/token\)|no validation pairs in the set);/);
    const log = readFileSync(join(model, "train-log.jsonl"), "utf-8").trim().split("\n").map((l) => JSON.parse(l) as { step: number; text: number; image: number });
    expect(log.map((l) => l.step)).toEqual([1, 2, 3]);
    expect(log.every((l) => l.text > 0 && l.image > 0)).toBe(true);
    const card = readFileSync(join(model, "MODEL.md"), "utf-8");
    expect(card).toContain("# Transformer model card (text-to-image)");
    expect(card).toMatch(/\| training updates \| 3 \(batch 4\) \|/);
    const out = join(dir, "samples");
    const gen = await ccw("generate", "a dog next to a cat", "--weights", model, "--out", out, "--n", "3", "--seed", "5", "--top-k", "16");
    expect(gen.code, gen.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["sample-0.png", "sample-1.png", "sample-2.png", "scores.json"]);
    const scores = JSON.parse(readFileSync(join(out, "scores.json"), "utf-8")) as { images: { tokens: number[]; score: number | null }[]; reranked: boolean };
    expect(scores.reranked).toBe(false);
    // One token per cell of the pairs' dVAE grid (the committed dVAE's 16×16).
    const { grid } = JSON.parse(readFileSync(join(pairs, "pairs.json"), "utf-8")) as { grid: number };
    expect(scores.images.every((im) => im.tokens.length === grid * grid && im.score === null)).toBe(true);
    // The same seed gives the same images.
    const again = await ccw("generate", "a dog next to a cat", "--weights", model, "--out", join(dir, "again"), "--n", "3", "--seed", "5", "--top-k", "16");
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "again", "scores.json"), "utf-8")).images).toEqual(scores.images);
    const long = await ccw("generate", Array(40).fill("dog").join(" "), "--weights", model, "--out", join(dir, "long"), "--n", "1");
    expect(long.code, long.err).toBe(0);
    expect(long.err).toMatch(/the model reads the first 32, the last \d+ are ignored/);
    const rerank = await ccw("generate", "a dog", "--weights", model, "--out", join(dir, "r"), "--rerank", "--reranker", join(dir, "none.safetensors"));
    expect(rerank.code).toBe(2);
    expect(rerank.err).toMatch(/no reranker weights at .*none\.safetensors; train them with `npm run train:reranker`/);
  }, 300_000);

  it("runs the zero-shot test on seen and held-out prompts and writes its report", async () => {
    if (!existsSync(join(model, "weights.safetensors"))) await ccw("transformer", "train", "--pairs", pairs, "--out", model, "--steps", "2", ...TINY);
    const run = await ccw("transformer", "eval", "--weights", model, "--pairs", pairs, "--samples", "2", "--prompts", "2");
    expect(run.code, run.err).toBe(0);
    const report = JSON.parse(readFileSync(join(model, "zero-shot.json"), "utf-8")) as { groups: Record<string, { prompts: number }>; prompts: { sampleFound: string[][] }[] };
    expect(report.groups.seen!.prompts + report.groups.unseen!.prompts).toBe(report.prompts.length);
    expect(report.prompts.every((p) => p.sampleFound.length === 2)).toBe(true);
    expect(run.out).toMatch(/unseen +\d+ prompts: all objects shown/);
    expect((report as unknown as { judge: string }).judge).toMatch(/p ≥ 0.5 or among the top 3/);
  }, 300_000);

  it("trains with --replicas 2 (data-parallel worker threads) to the losses and weights of one thread, to rounding", async () => {
    const args = (out: string, replicas: string) => ["transformer", "train", "--pairs", pairs, "--out", out, "--steps", "3", "--log-every", "1", "--ema-decay", "0", "--replicas", replicas, ...TINY];
    const one = await ccw(...args(join(dir, "one-replica"), "1"));
    const two = await ccw(...args(join(dir, "two-replicas"), "2"));
    expect(one.code, one.err).toBe(0);
    expect(two.code, two.err).toBe(0);
    expect(one.err).not.toContain("data-parallel replicas");
    expect(two.err).toContain("ccw transformer: 2 data-parallel replicas (this thread and 1 worker thread), wasm backend");
    const log = (out: string) => readFileSync(join(dir, out, "train-log.jsonl"), "utf-8").trim().split("\n").map((l) => JSON.parse(l) as { step: number; loss: number; valLoss: number });
    const [a, b] = [log("one-replica"), log("two-replicas")];
    expect(b.map((l) => l.step)).toEqual([1, 2, 3]);
    a.forEach((l, i) => {
      expect(b[i]!.loss).toBeCloseTo(l.loss, 4);
      expect(b[i]!.valLoss).toBeCloseTo(l.valLoss, 3);
    });
    const weights = (out: string) => transformerFromSafetensors(readFileSync(join(dir, out, "weights.safetensors"))).model;
    const [x, y] = [weights("one-replica"), weights("two-replicas")];
    // AdamW's first steps move each weight by about ±lr whatever the gradient's size, so rounding can flip a
    // near-zero gradient's step: weights agree to a few learning rates, not to float precision.
    let gap = 0;
    for (const [name, v] of x.params) {
      const p = v.dataSync();
      const q = y.params.get(name)!.dataSync();
      for (let i = 0; i < p.length; i++) gap = Math.max(gap, Math.abs(p[i]! - q[i]!));
    }
    expect(gap).toBeLessThan(6 * DEFAULT_TRAIN.lr);
    x.dispose();
    y.dispose();
  }, 300_000);

  it("resumes an interrupted run to the same weights as an uninterrupted one", async () => {
    await useBackend("wasm");
    const options = (out: string, onStep?: (m: { step: number }) => void) => ({
      pairs,
      out,
      direction: "text-to-image" as const,
      train: { ...DEFAULT_TRAIN, steps: 4, batchSize: 4, warmupSteps: 1 },
      model: { nLayers: 1, dModel: 16, nHeads: 2 },
      bpeVocab: 64,
      checkpointEvery: 2,
      logEvery: 1,
      resume: true,
      onStep,
    });
    const whole = join(dir, "whole");
    const split = join(dir, "split");
    await trainTransformerRun(options(whole));
    await expect(
      trainTransformerRun(
        options(split, (m) => {
          if (m.step === 3) throw new Error("interrupted");
        }),
      ),
    ).rejects.toThrow("interrupted");
    expect(existsSync(join(split, "checkpoint", "model.safetensors"))).toBe(true);
    await trainTransformerRun(options(split));
    const a = transformerFromSafetensors(readFileSync(join(whole, "weights.safetensors")));
    const b = transformerFromSafetensors(readFileSync(join(split, "weights.safetensors")));
    for (const [name, v] of a.model.params) expect(Array.from(b.model.params.get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
    a.model.dispose();
    b.model.dispose();
    const steps = readFileSync(join(split, "train-log.jsonl"), "utf-8").trim().split("\n").map((l) => (JSON.parse(l) as { step: number }).step);
    expect(steps).toEqual([1, 2, 3, 4]); // the log goes on from the checkpoint
    expect((await readPairs(pairs)).pairs.length).toBeGreaterThan(0);
  }, 300_000);
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPairs, readPairsInfo } from "../../src/lib/pairs/node.js";
import { TINY_DVAE, tinyDvaeFolder } from "../lib/pairs/helpers.js";
import { ccw } from "./run-ccw.js";

describe("ccw rerank", () => {
  it("--help documents both verbs and the training options", async () => {
    const { code, out } = await ccw("rerank", "--help");
    expect(code).toBe(0);
    for (const text of ["ccw rerank train", "ccw rerank score", "--pairs", "--synthetic", "--dvae", "--decoded-share", "--steps", "--batch", "--resume", "--bpe", "--weights"]) expect(out).toContain(text);
  });

  it.each([
    [[], /expected a verb, one of train, score; got nothing/],
    [["fit"], /expected a verb, one of train, score; got "fit"/],
    [["train", "--steps", "0"], /--steps must be an integer from 1/],
    [["train", "--decoded-share", "2"], /--decoded-share must be a number from 0 to 1, got "2"/],
    [["train", "--pairs", "/nonexistent/pairs"], /no pairs dataset at \/nonexistent\/pairs; build one with `ccw pairs build`/],
    [["train", "--pairs", "x", "--synthetic", "16"], /give --pairs or --synthetic, not both/],
    [["score", "--weights", "/nonexistent/r.safetensors"], /no weights at \/nonexistent\/r\.safetensors/],
    [["train", "--backend", "tpu"], /--backend must be wasm or cpu in Node/],
  ])("exits 2 with a clear message on bad arguments %j", async (args, message) => {
    const { code, err } = await ccw("rerank", ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("trains on rendered scenes, writes weights, log and evaluation, and scores them", async () => {
    const out = mkdtempSync(join(tmpdir(), "ccw-rerank-"));
    const train = await ccw("rerank", "train", "--synthetic", "16", "--steps", "2", "--batch", "8", "--log-every", "1", "--eval-every", "2", "--decoded-share", "0", "--vocab", "64", "--out", out);
    expect(train.code, train.err).toBe(0);
    expect(train.out).toMatch(/rerank train: 2 steps in .*; val i→t [\d.]+% t→i [\d.]+% \(chance [\d.]+%\)/);
    const log = readFileSync(join(out, "train-log.jsonl"), "utf-8").trim().split("\n").map((l) => JSON.parse(l) as { step: number; loss: number; val?: { original: { pairs: number } } });
    expect(log.map((l) => l.step)).toEqual([1, 2]);
    expect(log[1]!.val!.original.pairs).toBe(32);
    expect(Number.isFinite(log[0]!.loss)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "eval.json"), "utf-8"))).toMatchObject({ data: "synthetic:16", split: "val", trainPairs: 16, steps: 2 });
    expect(existsSync(join(out, "checkpoint"))).toBe(false);
    const score = await ccw("rerank", "score", "--weights", join(out, "reranker.safetensors"), "--synthetic", "16", "--dvae", join(out, "no-dvae"));
    expect(score.code, score.err).toBe(0);
    expect(score.out).toMatch(/^val \(32 pairs, batches of 32\): originals i→t [\d.]+% t→i [\d.]+%/);
    expect(score.err).toMatch(/no dVAE at .*no-dvae; scoring originals only/);
  });
});

describe("ccw rerank on a pairs set", () => {
  it("trains on the train split, logs the val split, and scores val and heldout, decoding the stored tokens", async () => {
    const { dir, weights } = await tinyDvaeFolder("ccw-rerank-pairs-");
    const set = join(dir, "set");
    await buildPairs({ source: "conceptual", seed: "rerank-cli", pages: 30, out: set, dvaeWeights: weights, split: { minCount: 1, heldoutShare: 0.3 } });
    const info = await readPairsInfo(set);
    const out = join(dir, "model");
    const train = await ccw("rerank", "train", "--pairs", set, "--dvae", weights, "--steps", "2", "--batch", "4", "--vocab", "64", "--out", out);
    expect(train.code, train.err).toBe(0);
    expect(train.err).toContain(`${info.counts.train} training and`);
    const evaluation = JSON.parse(readFileSync(join(out, "eval.json"), "utf-8")) as { config: { imageSize: number }; trainPairs: number; data: string };
    expect(evaluation.config.imageSize).toBe(TINY_DVAE.inputSize);
    expect(evaluation.trainPairs).toBe(info.counts.train);
    expect(evaluation.data).toContain("conceptual");
    const score = await ccw("rerank", "score", "--weights", join(out, "reranker.safetensors"), "--pairs", set, "--dvae", weights, "--batch", "2", "--json");
    expect(score.code, score.err).toBe(0);
    const report = (JSON.parse(score.out) as { report: Record<string, { original: unknown; decoded?: unknown }> }).report;
    expect(Object.keys(report).sort()).toEqual(["heldout", "val"].filter((s) => info.counts[s as "val" | "heldout"] > 0));
    for (const r of Object.values(report)) expect(r.decoded).toBeDefined();
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});

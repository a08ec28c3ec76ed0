import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDvae, dvaeToTfjs } from "../../src/lib/dvae/index.js";
import { readLabelerWeights } from "../../src/lib/labeler/node.js";
import { useBackend } from "../../src/lib/tfjs/index.js";
import { ccw } from "./run-ccw.js";

describe("ccw labeler", () => {
  let dir: string;
  let dvaeDir: string;
  let sha: string;

  beforeAll(async () => {
    await useBackend("wasm");
    dir = mkdtempSync(join(tmpdir(), "ccw-labeler-"));
    dvaeDir = mkdtempSync(join(tmpdir(), "ccw-labeler-dvae-"));
    const dvae = createDvae("small", { seed: 7 }); // fresh: the pixel path matters here, not its quality
    const { manifest, bin } = await dvaeToTfjs(dvae, { note: "test" });
    dvae.dispose();
    writeFileSync(join(dvaeDir, "model.json"), JSON.stringify(manifest));
    writeFileSync(join(dvaeDir, "weights.bin"), bin);
    sha = createHash("sha256").update(bin).digest("hex");
  });

  it("--help documents both worlds, training through a dVAE, the judge's default file and the eval's two image kinds", async () => {
    const { code, out } = await ccw("labeler", "--help");
    expect(code).toBe(0);
    for (const text of ["--world <crawl|model>", "ccw labeler train --through-dvae <dVAE dir>", "--originals <share>", "--out <path>", "models/judge.safetensors", "npm run train:judge", "exact-set accuracy", "reconstructed by a dVAE", "per style", "--save <file.json>"]) expect(out).toContain(text);
  });

  it.each([
    [["train", "--through-dvae", "/nonexistent/dvae"], /--through-dvae \/nonexistent\/dvae: no dVAE folder at \/nonexistent\/dvae.*a dVAE folder holds model\.json .* and weights\.bin/],
    [["eval", "--through-dvae", "/nonexistent/dvae"], /--through-dvae \/nonexistent\/dvae: no dVAE folder at .*model\.json .* and weights\.bin/],
    [["train", "--through-dvae", ""], /--through-dvae needs a dVAE folder \(model\.json \+ weights\.bin\)/],
    [["train", "--originals", "0.5"], /--originals only applies with --through-dvae/],
    [["train", "--through-dvae", "models/dvae-small", "--originals", "2"], /--originals must be a number from 0 to 1, got "2"/],
    [["train", "--out", "a.safetensors", "--weights", "b.safetensors"], /--out a\.safetensors and --weights b\.safetensors name different files/],
    [["eval", "--out", "a.safetensors"], /--out is for train/],
    [["judge"], /expected train or eval, got "judge"/],
    [["train", "--world", "moon"], /--world must be one of crawl, model, got "moon"/],
  ])("exits 2 with a clear message on bad arguments %j", async (args, message) => {
    const { code, err } = await ccw("labeler", ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("trains through a dVAE, records it in the weights, and evaluates originals and reconstructions", async () => {
    const out = join(dir, "judge.safetensors");
    const trained = await ccw("labeler", "train", "--through-dvae", dvaeDir, "--out", out, "--train-images", "16", "--eval-images", "16", "--epochs", "1", "--batch", "8");
    expect(trained.code, trained.err).toBe(0);
    expect(trained.out).toMatch(/their reconstructions by .*ccw-labeler-dvae-.* \(judge rule\): precision [\d.]+, recall [\d.]+, exact [\d.]+/);
    expect(trained.err).toMatch(/epoch 1\/1: 12 of 16 scenes passed through the dVAE/); // originals share 0.2 keeps 4 as rendered
    const { info } = readLabelerWeights(out);
    expect(info.dvae).toEqual({ dir: dvaeDir, weightsSha256: sha });
    expect(info.options).toMatchObject({ originalShare: 0.2, trainImages: 16, epochs: 1 });
    expect(info).toHaveProperty("reconstructions.judge.exact");

    const evaluated = await ccw("labeler", "eval", "--weights", out, "--eval-images", "16");
    expect(evaluated.code, evaluated.err).toBe(0);
    const report = JSON.parse(evaluated.out) as Record<string, Record<string, Record<string, unknown>>>;
    expect(report.dvae).toMatchObject({ dir: dvaeDir, weightsSha256: sha, sameAsTraining: true }); // its own dVAE by default
    for (const kind of ["originals", "reconstructions"]) {
      for (const rule of ["labeler", "judge"]) expect(Object.keys(report[kind]![rule]!)).toEqual(expect.arrayContaining(["precision", "recall", "exact", "top1", "perCategory"]));
    }
    expect(evaluated.err).toMatch(/reconstructions\s+judge/);
    expect(readFileSync(out).byteLength).toBeGreaterThan(100_000);
  }, 120_000);

  it("trains the judge on the model world, and its eval reports macro scores per style and the recall kept on reconstructions", async () => {
    const out = join(dir, "model-judge.safetensors");
    const trained = await ccw("labeler", "train", "--world", "model", "--out", out, "--train-images", "16", "--eval-images", "18", "--epochs", "1", "--batch", "8");
    expect(trained.code, trained.err).toBe(0);
    expect(trained.out).toMatch(/macro precision [\d.]+, macro recall [\d.]+/);
    expect(trained.out).toMatch(/judge rule \(p ≥ 0\.5 alone\), high-contrast: macro precision/);
    const { config, info } = readLabelerWeights(out);
    expect(config.categories).toHaveLength(25);
    expect(info).toHaveProperty("judge.perStyle.flat.macroRecall");
    const saved = join(dir, "eval-judge.json");
    const evaluated = await ccw("labeler", "eval", "--weights", out, "--through-dvae", dvaeDir, "--eval-images", "18", "--save", saved);
    expect(evaluated.code, evaluated.err).toBe(0);
    const report = JSON.parse(readFileSync(saved, "utf-8")) as { world: string; heldout: { name: string }; judgeRecallKept: number; originals: { judge: { perStyle: Record<string, unknown> } } };
    expect(report.world).toBe("model"); // from the weights' own record
    expect(report.heldout.name).toBe("judge-eval-1");
    expect(Object.keys(report.originals.judge.perStyle).sort()).toEqual(["flat", "high-contrast", "modern"]);
    expect(report.judgeRecallKept).toBeGreaterThanOrEqual(0);
    expect(evaluated.err).toMatch(/reconstructions keep [\d.]+% of the originals' recall/);
  }, 120_000);
});

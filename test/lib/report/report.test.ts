import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { abridge, findSeeds, findTrainSeconds, MAX_SHOWN_CHARS, parseMetadataStrings } from "../../../src/lib/report/index.js";
import { reportSummary, reproduceRecord } from "../../../src/lib/report/node.js";
import { writeSafetensors } from "../../../src/lib/safetensors/index.js";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");

describe("model metadata for the report", () => {
  it("findSeeds finds every seed-named entry at any depth, with its path", () => {
    expect(findSeeds({ recipe: { seed: 0, steps: 3 }, pairs: { dataSeed: "a" }, seedless: 1 })).toEqual([
      { path: "recipe.seed", value: 0 },
      { path: "pairs.dataSeed", value: "a" },
    ]);
  });

  it("findTrainSeconds takes the shallowest trainSeconds or seconds", () => {
    expect(findTrainSeconds({ info: { seconds: 743, deeper: { trainSeconds: 1 } } })).toEqual({ path: "info.seconds", value: 743 });
    expect(findTrainSeconds({ trainSeconds: 5, info: { seconds: 7 } })).toEqual({ path: "trainSeconds", value: 5 });
    expect(findTrainSeconds({ steps: 3 })).toBeNull();
  });

  it("abridge replaces long values by their size and keeps short ones", () => {
    const long = "x".repeat(MAX_SHOWN_CHARS + 10);
    expect(abridge({ a: 1, bpe: long, nested: { ok: true, vocab: [long] } })).toEqual({
      a: 1,
      bpe: `(${(long.length + 2).toLocaleString("en-US")} characters of JSON, not shown)`,
      nested: { ok: true, vocab: `(${(long.length + 4).toLocaleString("en-US")} characters of JSON, not shown)` },
    });
  });

  it("parseMetadataStrings parses JSON values and keeps plain text", () => {
    expect(parseMetadataStrings({ format: "ccw-transformer", info: '{"seed":3}' })).toEqual({ format: "ccw-transformer", info: { seed: 3 } });
  });
});

describe("the build's records", () => {
  const dir = mkdtempSync(join(tmpdir(), "ccw-report-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reproduceRecord reads this repository: commit, scripts, resolved versions, models and loaders", () => {
    const record = reproduceRecord(ROOT, { CCW_SYNTH_PAGES: "7" });
    expect(record.git.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(record.node.version).toBe(process.version);
    expect(record.scripts.find((s) => s.name === "train:dvae")?.command).toMatch(/^node bin\/ccw\.js dvae train --out models\/dvae-small /);
    const tfjs = record.packages.find((p) => p.name === "@tensorflow/tfjs")!;
    expect(tfjs.resolved).toBe(tfjs.declared);
    expect(record.environment).toEqual([{ name: "CCW_SYNTH_PAGES", value: "7" }]);
    expect(record.synthSample.pages).toBe(7);
    expect(record.loaders.map((l) => l.file)).toContain("src/data/reproduce.json.ts");
    const dvae = record.models.find((m) => m.id.startsWith("dvae-small "))!;
    expect(dvae.available).toBe(true);
    expect(dvae.seeds.map((s) => s.path)).toContain("info.recipe.seed");
    expect(dvae.trainSeconds?.path).toBe("info.trainSeconds");
    expect(record.models.map((m) => m.script.name)).toEqual(["train:dvae", "train:dvae (its recipe before the model world: git history)", "train:labeler", "train:judge", "train:reranker", "train:transformer", "train:captioners", "train:captioners"]);
    expect(record.models.filter((m) => m.id.startsWith("captioner-")).every((m) => m.available)).toBe(true);
  });

  it("records a model the environment points at an empty folder as missing, naming the file and the script", () => {
    const record = reproduceRecord(ROOT, { CCW_TRANSFORMER_WEIGHTS: dir });
    const t = record.models.find((m) => m.id === "transformer-small")!;
    expect(t.available).toBe(false);
    expect(t.missing).toMatch(/weights\.safetensors not found .*npm run train:transformer/);
  });

  it("reads safetensors metadata: seeds and training time from the recorded JSON", () => {
    writeFileSync(join(dir, "weights.safetensors"), writeSafetensors(new Map([["w", { shape: [1], data: new Float32Array([1]) }]]), { format: "ccw-transformer", train: '{"seed":11}', summary: '{"seconds":42}' }));
    const t = reproduceRecord(ROOT, { CCW_TRANSFORMER_WEIGHTS: dir }).models.find((m) => m.id === "transformer-small")!;
    expect(t).toMatchObject({ available: true, seeds: [{ path: "train.seed", value: 11 }], trainSeconds: { path: "summary.seconds", value: 42 } });
    expect(t.sha256).toMatch(/^[0-9a-f]{16}$/);
  });

  it("reportSummary lists the sidebar's pages and says the zero-shot report is not there yet instead of failing, and reads it when it is", async () => {
    const empty = join(dir, "none");
    mkdirSync(empty);
    const absent = await reportSummary(ROOT, { CCW_TRANSFORMER_WEIGHTS: empty });
    expect(absent.pages[0]).toEqual({ name: "Filter attrition", path: "/pages/attrition", exists: true });
    expect(absent.zeroShot).toMatchObject({ available: false, missing: expect.stringMatching(/not yet trained/) });
    expect(absent.dvae.available).toBe(true);
    writeFileSync(join(empty, "zero-shot.json"), JSON.stringify({ judge: "j", samples: 2, seconds: 1, groups: { seen: { accuracy: 0.5 } } }));
    expect((await reportSummary(ROOT, { CCW_TRANSFORMER_WEIGHTS: empty })).zeroShot).toMatchObject({ available: true, report: { judge: "j" } });
  });

  it("reportSummary reads the captioner comparison's overall scores per model, or says it is not there yet", async () => {
    const missing = await reportSummary(ROOT, { CCW_CAPTIONERS_EVAL: join(dir, "nothing.json") });
    expect(missing.captioners).toMatchObject({ available: false, missing: expect.stringMatching(/npm run train:captioners/) });
    const file = join(dir, "captioners-eval.json");
    const all = (good: number) => ({ all: { images: 3, good, ciderD: 0.5, chairI: 0.25, recall: 0.75 }, flat: { images: 1, good: 1, ciderD: 0, chairI: 0, recall: 1 } });
    writeFileSync(file, JSON.stringify({ judge: "GOOD when …", testSet: { images: 3 }, aggregates: { coco: all(0), conceptual: all(2 / 3) } }));
    expect((await reportSummary(ROOT, { CCW_CAPTIONERS_EVAL: file })).captioners).toEqual({
      available: true,
      path: file,
      images: 3,
      judge: "GOOD when …",
      models: { coco: { good: 0, ciderD: 0.5, chairI: 0.25, recall: 0.75 }, conceptual: { good: 2 / 3, ciderD: 0.5, chairI: 0.25, recall: 0.75 } },
    });
  });

  it("reportSummary records a missing dVAE, naming the file", async () => {
    expect((await reportSummary(ROOT, { CCW_DVAE_WEIGHTS: dir })).dvae).toMatchObject({ available: false, missing: expect.stringMatching(/model\.json not found/) });
  });
});

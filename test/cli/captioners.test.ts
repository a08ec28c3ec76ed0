import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bpeFromJson } from "../../src/lib/bpe/index.js";
import { readPairs } from "../../src/lib/pairs/node.js";
import { buildPairs } from "../../src/lib/pairs/node.js";
import { loadTransformer } from "../../src/lib/transformer/node.js";
import { ccw } from "./run-ccw.js";

const TINY = ["--layers", "1", "--d-model", "16", "--heads", "2", "--bpe-vocab", "64", "--batch", "4", "--steps", "2"];

describe("ccw captioners", () => {
  const dir = mkdtempSync(join(tmpdir(), "ccw-captioners-"));
  const pairs = join(dir, "pairs");
  const out = join(dir, "models");

  beforeAll(async () => {
    // A real (small) conceptual pairs set; it stands in for both training sets here (the COCO one is built the same way).
    await buildPairs({ source: "conceptual", seed: "captioners-cli", pages: 40, out: pairs, split: { minCount: 1, heldoutShare: 0.3, valShare: 0.2 } });
  }, 300_000);

  it("--help documents the verbs, the test set and every option", async () => {
    const { code, out: text } = await ccw("captioners", "--help");
    expect(code).toBe(0);
    for (const t of ["ccw captioners train", "ccw captioners eval", "--coco", "--conceptual", "--steps", "--bpe-vocab", "--sequential", "--limit", "val and held-out", "GOOD"]) expect(text).toContain(t);
  });

  it.each([
    [["captioners"], /expected a verb, train or eval; got none/],
    [["captioners", "fly"], /expected a verb, train or eval; got "fly"/],
    [["captioners", "train", "--coco", "/nonexistent/c"], /no pairs set in \/nonexistent\/c \(--coco\)/],
    [["captioners", "train", "--steps", "0"], /--steps must be an integer from 1/],
    [["captioners", "eval", "--conceptual", "/nonexistent/p"], /no pairs set in \/nonexistent\/p \(--conceptual\)/],
    [["captioners", "eval", "--out", "/nonexistent/m", "--conceptual", pairs], /no weights.safetensors in \/nonexistent\/m\/captioner-coco; train the captioners with `npm run train:captioners`/],
    [["transformer", "train", "--bpe", "/nonexistent/bpe.json"], /cannot read --bpe \/nonexistent\/bpe.json/],
  ])("exits 2 naming the problem for %j", async (args, message) => {
    const { code, err } = await ccw(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("transformer train --bpe rejects a file that is not a BPE, naming it", async () => {
    const bad = join(dir, "bad-bpe.json");
    writeFileSync(bad, JSON.stringify({ format: "other" }));
    const { code, err } = await ccw("transformer", "train", "--pairs", pairs, "--bpe", bad, "--out", join(dir, "x"));
    expect(code).toBe(2);
    expect(err).toMatch(/--bpe .*bad-bpe.json is not a BPE file: .*format must be "ccw-bpe"/);
  });

  it("trains both captioners with one shared tokenizer, then evaluates them side by side on the val and held-out images", async () => {
    const train = await ccw("captioners", "train", "--coco", pairs, "--conceptual", pairs, "--out", out, "--sequential", ...TINY);
    expect(train.code, train.err).toBe(0);
    const shared = bpeFromJson(JSON.parse(readFileSync(join(out, "captioners-bpe.json"), "utf-8")));
    for (const m of ["coco", "conceptual"]) {
      const { model, bpe } = await loadTransformer(join(out, `captioner-${m}`));
      expect(model.config.direction).toBe("image-to-text");
      expect(bpe.vocab).toEqual(shared.vocab);
      model.dispose();
    }
    const ev = await ccw("captioners", "eval", "--out", out, "--conceptual", pairs);
    expect(ev.code, ev.err).toBe(0);
    expect(ev.out).toMatch(/coco +all +n= +\d+ +BLEU-4/);
    const file = JSON.parse(readFileSync(join(out, "captioners-eval.json"), "utf-8")) as {
      models: string[]; images: { imageId: string; split: string; references: string[]; captions: Record<string, { caption: string }> }[];
      aggregates: Record<string, Record<string, { images: number }>>; png: Record<string, string>; captioners: { summary: { steps: number } }[];
    };
    const set = await readPairs(pairs);
    const testIds = new Set(set.pairs.filter((p) => p.split !== "train").map((p) => p.imageId));
    expect(new Set(file.images.map((im) => im.imageId))).toEqual(testIds);
    expect(file.models).toEqual(["coco", "conceptual"]);
    for (const im of file.images) {
      expect(im.references).toHaveLength(5);
      expect(Object.keys(im.captions)).toEqual(["coco", "conceptual"]);
      expect(Buffer.from(file.png[im.imageId]!, "base64").subarray(1, 4).toString()).toBe("PNG");
    }
    expect(file.aggregates.coco!.all!.images).toBe(testIds.size);
    expect(file.captioners.map((c) => c.summary.steps)).toEqual([2, 2]);
  }, 300_000);
});

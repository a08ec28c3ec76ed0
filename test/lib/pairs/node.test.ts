import { rmSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAN_CRAWL, COCO_CRAWL, buildPairs, encodePixels, framePixels, readPairs, readPairsInfo, type PairSet, type PairSetInfo } from "../../../src/lib/pairs/node.js";
import { loadDvae } from "../../../src/lib/dvae/node.js";
import { generateCrawl, mentionedCategories, type CrawlImage } from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";
import { TINY_DVAE, tinyDvaeFolder } from "./helpers.js";

const SEED = "pairs-test";

describe("buildPairs() conceptual: the cc3m pipeline over a cleaner synthetic crawl", () => {
  let dir: string, weights: string;
  let info: PairSetInfo, set: PairSet;
  let images: Map<string, CrawlImage>;
  let crawlSize: number;
  let tensorsBefore: number, tensorsAfter: number;

  beforeAll(async () => {
    ({ dir, weights } = await tinyDvaeFolder("ccw-pairs-"));
    const crawl = generateCrawl({ ...CLEAN_CRAWL, seed: SEED, pages: 40 }, defaultNameLists());
    crawlSize = crawl.images.length;
    images = new Map(crawl.images.map((im) => [im.id, im]));
    tensorsBefore = tf.memory().numTensors;
    info = await buildPairs({ source: "conceptual", seed: SEED, pages: 40, out: join(dir, "set"), dvaeWeights: weights, split: { minCount: 1, heldoutShare: 0.3 } });
    tensorsAfter = tf.memory().numTensors;
    set = await readPairs(join(dir, "set"));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accounts for every crawl candidate with one final status; the kept ones are exactly the rows", () => {
    expect(Object.values(info.candidates).reduce((a, b) => a + b, 0)).toBe(crawlSize);
    expect(info.candidates.kept).toBe(set.pairs.length);
    expect(set.pairs.length).toBeGreaterThan(5);
    expect(info.filter?.preset).toBe("cc3m");
    expect(info.filter?.funnel.stages.map((s) => [s.stage, s.skipped])).toEqual([["image", null], ["text", null], ["grounding", null], ["transform", null], ["entity-type", null]]);
    expect(info.filter?.funnel.kept).toBe(set.pairs.length);
  });

  it("records the dVAE's grid, vocabulary and input size, and the crawl's resolved options", () => {
    expect(info).toMatchObject({ source: "conceptual", seed: SEED, pages: 40, grid: 8, vocab: TINY_DVAE.vocabSize, imageSize: TINY_DVAE.inputSize, dvaeWeights: weights, heldoutFrom: "chosen" });
    expect(info.crawl).toMatchObject({ world: "decorrelated", missingImageRate: CLEAN_CRAWL.missingImageRate, styles: ["modern", "flat", "high-contrast"] });
  });

  it("pairs each kept alt-text's hypernymized caption with its image's ground truth, mentions and style", () => {
    for (const p of set.pairs) {
      const im = images.get(p.imageId)!;
      expect(p.id).toBe(`c-${String(im.pageIndex).padStart(6, "0")}-${im.position}`);
      expect(p.altText).toBe(im.alt.text);
      expect(p.caption).toBe(p.caption.toLowerCase());
      expect(p.caption.length).toBeGreaterThan(0);
      expect(p.style).toBe(im.scene.style);
      expect(p.objects).toEqual([...new Set(im.scene.objects.map((o) => o.category))].sort());
      expect(p.mentioned).toEqual([...new Set(mentionedCategories(p.caption))].sort());
    }
  });

  it("stores the scene's frame rendered at the model's size (every object inside it) and the tokens the dVAE gives for exactly those pixels", async () => {
    const S = TINY_DVAE.inputSize;
    const dvae = await loadDvae(weights);
    try {
      const sample = set.pairs.slice(0, 4);
      for (const p of sample) {
        expect(p.pixels).toHaveLength(S * S * 3);
        expect(p.tokens).toHaveLength(64);
        expect(p.tokens.every((t) => t >= 0 && t < TINY_DVAE.vocabSize)).toBe(true);
        expect(p.pixels).toEqual(await framePixels(images.get(p.imageId)!.scene, S));
        expect(images.get(p.imageId)!.scene.frame).toBeDefined();
      }
      expect(await encodePixels(dvae, sample.map((p) => p.pixels))).toEqual(sample.map((p) => p.tokens));
    } finally {
      dvae.dispose();
    }
  });

  it("splits by the chosen held-out compositions: none meets in train or val, counts agree with the rows", () => {
    expect(info.heldoutCompositions.length).toBeGreaterThan(0);
    for (const p of set.pairs) {
      const present = new Set([...p.mentioned, ...p.objects]);
      const hit = info.heldoutCompositions.some(([a, b]) => present.has(a) && present.has(b));
      expect(p.split === "heldout").toBe(hit);
    }
    for (const s of ["train", "val", "heldout"] as const) expect(info.counts[s]).toBe(set.pairs.filter((p) => p.split === s).length);
  });

  it("reads back what it wrote (readPairs, readPairsInfo) and leaves no tensors behind", async () => {
    expect(set.info).toEqual(info);
    expect(await readPairsInfo(join(dir, "set"))).toEqual(info);
    expect(tensorsAfter).toBe(tensorsBefore);
  });
});

describe("buildPairs() coco: COCO-style captions of the COCO-like world", () => {
  let dir: string, weights: string;
  let set: PairSet;
  let heldout: [string, string][];

  beforeAll(async () => {
    ({ dir, weights } = await tinyDvaeFolder("ccw-pairs-coco-"));
    // Hold out the crawl's most frequent object pair, so the held-out split is not empty.
    const counts = new Map<string, number>();
    for (const im of generateCrawl({ ...COCO_CRAWL, seed: SEED, pages: 30 }, defaultNameLists()).images) {
      const cats = [...new Set(im.scene.objects.map((o) => o.category))].sort();
      for (const a of cats) for (const b of cats) if (a < b) counts.set(`${a}+${b}`, (counts.get(`${a}+${b}`) ?? 0) + 1);
    }
    heldout = [[...counts].sort((x, y) => y[1] - x[1])[0]![0].split("+") as [string, string]];
    await buildPairs({ source: "coco", seed: SEED, pages: 30, out: join(dir, "set"), dvaeWeights: weights, heldout });
    set = await readPairs(join(dir, "set"));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has five rows per photo, one per caption, sharing the image's split, pixels and tokens; other kinds are counted", () => {
    const crawl = generateCrawl({ ...COCO_CRAWL, seed: SEED, pages: 30 }, defaultNameLists());
    const photos = crawl.images.filter((im) => im.kind === "photo");
    expect(set.info.candidates).toEqual({ kept: photos.length, not_a_photo: crawl.images.length - photos.length });
    expect(set.pairs).toHaveLength(5 * photos.length);
    photos.forEach((im, i) => {
      const rows = set.pairs.slice(5 * i, 5 * i + 5);
      expect(rows.map((r) => r.caption)).toEqual(im.captions);
      expect(rows.map((r) => r.id)).toEqual([0, 1, 2, 3, 4].map((k) => `${im.id}#${k}`));
      expect(rows.every((r) => r.altText === r.caption && r.style === "modern" && r.split === rows[0]!.split)).toBe(true);
      expect(rows.every((r) => r.pixels === rows[0]!.pixels && r.tokens === rows[0]!.tokens)).toBe(true);
    });
    expect(set.info.images.train + set.info.images.val + set.info.images.heldout).toBe(photos.length);
  });

  it("uses the given held-out compositions, holding out every image that has both categories", () => {
    expect(set.info.heldoutCompositions).toEqual(heldout);
    expect(set.info.heldoutFrom).toBe("given");
    const [a, b] = heldout[0]!;
    expect(set.pairs.some((p) => p.split === "heldout")).toBe(true);
    for (const p of set.pairs) expect(p.split === "heldout").toBe(p.objects.includes(a) && p.objects.includes(b));
  });
});

describe("buildPairs() options", () => {
  it("rejects a bad source, page count, seed, split or composition, and a missing weights folder, naming each", async () => {
    const base = { source: "conceptual" as const, seed: "1", pages: 1, out: "/nonexistent/never-written" };
    await expect(buildPairs({ ...base, source: "laion" as never })).rejects.toThrow(/unknown pairs source "laion"; valid: conceptual, coco/);
    await expect(buildPairs({ ...base, pages: 0 })).rejects.toThrow(/pages must be an integer from 1 to 1000000, got 0/);
    await expect(buildPairs({ ...base, seed: "" })).rejects.toThrow(/seed must be a non-empty string/);
    await expect(buildPairs({ ...base, split: { valShare: 2 } })).rejects.toThrow(/valShare must be a share in \[0, 1\], got 2/);
    await expect(buildPairs({ ...base, heldout: [["dog", "dragon"]] })).rejects.toThrow(/unknown category "dragon"/);
    await expect(buildPairs({ ...base, dvaeWeights: "/nonexistent/dvae" })).rejects.toThrow(/no dVAE folder at \/nonexistent\/dvae: it does not exist/);
  });

  it("readPairs names a folder without a set", async () => {
    await expect(readPairs("/nonexistent/pairs")).rejects.toThrow(/no pairs set in \/nonexistent\/pairs: .*pairs.json is missing; build one with `ccw pairs build`/);
  });
});

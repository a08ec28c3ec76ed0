import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { fromArrowIPC, toArrowIPC } from "../../../src/lib/arrow/index.js";
import { captionsExplore, cocoCaptionsExplore, cocoThumbnails, exploreManifest, readSummary, stopWords, synthExplore } from "../../../src/lib/explore/node-index.js";
import { loadSourceConfig } from "../../../src/lib/sources/index.js";
import { candidateRows, generateCrawl } from "../../../src/lib/synth/index.js";
import { defaultNameLists, sampleConfigFromEnv } from "../../../src/lib/synth/node-index.js";

const dir = mkdtempSync(join(tmpdir(), "ccw-explore-"));
const config = (env: Record<string, string>) => loadSourceConfig({ env, cwd: dir });
const rowsOf = (table: Parameters<typeof toArrowIPC>[0]) => fromArrowIPC(toArrowIPC(table)).toArray().map((r) => r.toJSON() as Record<string, unknown>);

describe("explore loaders (Node)", { timeout: 30_000 }, () => {
  it("turn every synthetic candidate into a row, empty alt-texts included", () => {
    const env = { CCW_SYNTH_PAGES: "12" };
    const candidates = candidateRows(generateCrawl(sampleConfigFromEnv(env), defaultNameLists()));
    const table = synthExplore(env);
    const rows = rowsOf(table);
    expect(rows.map((r) => r.id)).toEqual(candidates.map((c) => c.candidate_id));
    expect(rows.map((r) => r.caption)).toEqual(candidates.map((c) => c.alt_text));
    expect(rows.map((r) => r.image)).toEqual(candidates.map((c) => c.image_id));
    expect(readSummary(table)).toMatchObject({ dataset: "synth", configured: true, rows: candidates.length });
  });

  it("read a configured CC3M TSV, counting malformed lines instead of dropping them silently", async () => {
    const tsv = join(dir, "val.tsv");
    writeFileSync(tsv, "a dog on the beach\thttps://www.example.com/1.jpg\nbroken line without a tab\nactor at the premiere\thttp://img.example.org/2.jpg\n");
    const table = await captionsExplore(await config({ CCW_CAPTIONS: tsv, CCW_CAPTIONS_FORMAT: "cc3m" }));
    const rows = rowsOf(table);
    expect(rows.map((r) => [r.id, r.caption, r.domain, r.words])).toEqual([["1", "a dog on the beach", "example.com", 5], ["3", "actor at the premiere", "img.example.org", 4]]);
    expect(readSummary(table)).toMatchObject({ configured: true, origin: "env:CCW_CAPTIONS", source: "val.tsv", format: "cc3m", rowsRead: 2, rows: 2, sampled: false, errors: { field_count: 1 } });
    expect(readSummary(table)!.firstErrors[0]).toMatch(/^2: /);
  });

  it("sample a large source to CCW_SAMPLE rows and say so", async () => {
    const tsv = join(dir, "big.tsv");
    writeFileSync(tsv, Array.from({ length: 50 }, (_, i) => `caption ${i}\thttps://example.com/${i}.jpg\n`).join(""));
    const table = await captionsExplore(await config({ CCW_CAPTIONS: tsv, CCW_SAMPLE: "7" }));
    expect(readSummary(table)).toMatchObject({ rowsRead: 50, rows: 7, sampled: true });
  });

  it("write an empty table flagged not configured when no source is set", async () => {
    const table = await captionsExplore(await config({}));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toContain("caption");
    expect(readSummary(table)).toMatchObject({ configured: false, origin: "default" });
    expect(exploreManifest(await config({}))).toEqual({
      synth: { configured: true, origin: "builtin", source: null },
      cc3m: { configured: false, origin: "default", source: null },
      "coco-captions": { configured: false, origin: "default", source: null },
    });
  });

  it("read COCO captions with each image's categories from the instances file, and thumbnails from the image folder", async () => {
    const captions = join(dir, "captions.json"), instances = join(dir, "instances.json");
    const images = [{ id: 1, file_name: "one.jpg", width: 64, height: 48 }, { id: 2, file_name: "two.jpg", width: 64, height: 48 }];
    writeFileSync(captions, JSON.stringify({ images, annotations: [{ id: 10, image_id: 1, caption: "A dog and a cat." }, { id: 11, image_id: 2, caption: "An empty room." }] }));
    writeFileSync(instances, JSON.stringify({
      images,
      categories: [{ id: 18, name: "dog", supercategory: "animal" }, { id: 17, name: "cat", supercategory: "animal" }],
      annotations: [1, 2, 3].map((k) => ({ id: k, image_id: 1, category_id: k === 2 ? 17 : 18, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 })),
    }));
    const withObjects = rowsOf(await cocoCaptionsExplore(await config({ CCW_COCO_CAPTIONS: captions, CCW_COCO_INSTANCES: instances })));
    expect(withObjects.map((r) => [r.id, r.categories, r.image])).toEqual([["10", "cat,dog", "one.jpg"], ["11", "", "two.jpg"]]);
    const without = rowsOf(await cocoCaptionsExplore(await config({ CCW_COCO_CAPTIONS: captions })));
    expect(without.map((r) => r.categories)).toEqual([null, null]);

    const folder = mkdtempSync(join(tmpdir(), "ccw-explore-images-"));
    await sharp({ create: { width: 640, height: 480, channels: 3, background: "#3080c0" } }).jpeg().toFile(join(folder, "one.jpg"));
    const thumbs = await cocoThumbnails(await config({ CCW_IMAGES: folder }), ["one.jpg", "two.jpg"]);
    expect(Object.keys(thumbs.thumbnails)).toEqual(["one.jpg"]);
    const jpeg = await sharp(Buffer.from(thumbs.thumbnails["one.jpg"]!.split(",")[1]!, "base64")).metadata();
    expect([jpeg.format, jpeg.width, jpeg.height]).toEqual(["jpeg", 192, 144]);
    expect(thumbs.skipped).toEqual([{ file: "two.jpg", reason: "not in the folder" }]);
    expect((await cocoThumbnails(await config({}), ["one.jpg"])).configured).toBe(false);
  });

  it("ship the 301 English stop words", () => {
    const words = stopWords();
    expect(words).toHaveLength(301);
    expect(words).toContain("the");
  });
});

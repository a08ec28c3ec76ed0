import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { frontPictures } from "../../../src/lib/report/node.js";
import { FRONT_PICTURES, type FrontPictures } from "../../../src/lib/report/index.js";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const empty = mkdtempSync(join(tmpdir(), "ccw-pictures-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

/** Width, height and channels of a PNG data URL. */
async function pngSize(url: string): Promise<[number, number]> {
  expect(url.startsWith("data:image/png;base64,")).toBe(true);
  const meta = await sharp(Buffer.from(url.slice("data:image/png;base64,".length), "base64")).metadata();
  return [meta.width!, meta.height!];
}

describe("the front page's pictures", () => {
  let pictures: FrontPictures;

  it("are computed from the committed models: the transformer's samples for the zero-shot report's held-out prompts, scenes over their reconstructions, captioned test images", async () => {
    pictures = await frontPictures(ROOT, {});
    const { samples, reconstructions, captioned } = pictures;
    if (!samples.available || !reconstructions.available || !captioned.available) throw new Error(`a part is missing: ${JSON.stringify([samples, reconstructions, captioned].filter((p) => !p.available))}`);
    const report = JSON.parse(readFileSync(join(ROOT, "models/transformer-small/zero-shot.json"), "utf-8")) as { prompts: { caption: string; group: string }[] };
    const heldout = report.prompts.filter((p) => p.group === "unseen").map((p) => p.caption);
    expect(samples.cells.map((c) => c.prompt)).toEqual(heldout.slice(0, FRONT_PICTURES.prompts));
    for (const c of samples.cells) expect(await pngSize(c.png)).toEqual([samples.size, samples.size]);
    // With the committed reranker, each cell is its best-scored sample.
    expect(samples.reranked).toBe(true);
    expect(samples.cells.every((c) => typeof c.score === "number")).toBe(true);
    expect(reconstructions.pairs).toHaveLength(FRONT_PICTURES.scenes);
    for (const p of reconstructions.pairs) {
      expect(p.description.length).toBeGreaterThan(0);
      expect(await pngSize(p.original)).toEqual([reconstructions.size, reconstructions.size]);
      expect(await pngSize(p.reconstruction)).toEqual([reconstructions.size, reconstructions.size]);
      expect(p.reconstruction).not.toEqual(p.original);
    }
    expect(captioned.images).toHaveLength(FRONT_PICTURES.captioned);
    expect(new Set(captioned.images.map((im) => im.style)).size, "one test image per style").toBe(captioned.images.length);
  }, 180_000);

  it("draw the same samples on every build (seeded)", async () => {
    const again = await frontPictures(ROOT, {});
    expect(again.samples).toEqual(pictures.samples);
    expect(again.reconstructions).toEqual(pictures.reconstructions);
  }, 180_000);

  it("say which model is missing and the command that makes it, instead of failing the build", async () => {
    const none = await frontPictures(ROOT, { CCW_TRANSFORMER_WEIGHTS: empty, CCW_DVAE_WEIGHTS: empty, CCW_CAPTIONERS_EVAL: join(empty, "captioners-eval.json") });
    expect(none.samples).toEqual({ available: false, missing: expect.stringContaining("npm run train:transformer") });
    expect(none.reconstructions).toEqual({ available: false, missing: expect.stringContaining("npm run train:dvae") });
    expect(none.captioned).toEqual({ available: false, missing: expect.stringContaining("npm run eval:captioners") });
  });

  it("say which file is not readable JSON instead of failing the build", async () => {
    const broken = join(empty, "broken.json");
    writeFileSync(broken, "{ not json");
    const { captioned } = await frontPictures(ROOT, { CCW_TRANSFORMER_WEIGHTS: empty, CCW_DVAE_WEIGHTS: empty, CCW_CAPTIONERS_EVAL: broken });
    expect(captioned).toEqual({ available: false, missing: expect.stringContaining(`${broken} is not readable JSON`) });
  });

  it("pick, per style, a test image whose two captions differ", async () => {
    const caption = (text: string) => ({ caption: text, mentioned: [], hallucinated: [], verdict: "missing" });
    const image = (id: string, style: string, coco: string, conceptual: string) => ({ imageId: id, style, objects: ["dog"], captions: { coco: caption(coco), conceptual: caption(conceptual) } });
    const path = join(empty, "eval.json");
    writeFileSync(
      path,
      JSON.stringify({
        styles: ["flat", "modern"],
        images: [image("a", "flat", "a dog", "a dog"), image("b", "flat", "a dog", "a cat"), image("c", "modern", "a cup", "a cup")],
        png: { a: "AA==", b: "AA==", c: "AA==" },
      }),
    );
    const { captioned } = await frontPictures(ROOT, { CCW_TRANSFORMER_WEIGHTS: empty, CCW_DVAE_WEIGHTS: empty, CCW_CAPTIONERS_EVAL: path });
    if (!captioned.available) throw new Error(captioned.missing);
    // flat: b (its captions differ); modern: c (the only one); then the rest in order up to three.
    expect(captioned.images.map((im) => im.imageId)).toEqual(["b", "c", "a"]);
    expect(captioned.images[0]!.conceptual.caption).toBe("a cat");
  });
});

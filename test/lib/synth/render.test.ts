import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { CONTEXTS, IMAGE_FORMATS, Rng, STYLES, generateCrawl, makeScene, type Scene } from "../../../src/lib/synth/index.js";
import { defaultNameLists, encodeScene, renderRaw } from "../../../src/lib/synth/node-index.js";

/** Share of pixels inside the box that differ (any channel by more than 24 of 255) between two renders. */
function changedShare(a: Buffer, b: Buffer, width: number, height: number, box: { x: number; y: number; size: number }): number {
  const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.size)), y1 = Math.min(height, Math.ceil(box.y + box.size));
  let changed = 0, total = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const i = (y * width + x) * 3;
    total++;
    if (Math.abs(a[i]! - b[i]!) > 24 || Math.abs(a[i + 1]! - b[i + 1]!) > 24 || Math.abs(a[i + 2]! - b[i + 2]!) > 24) changed++;
  }
  return total ? changed / total : 0;
}

async function expectEveryObjectDrawn(scene: Scene) {
  const full = await renderRaw(scene);
  const background = await renderRaw(scene, { objects: false });
  expect([full.width, full.height]).toEqual([scene.width, scene.height]);
  for (const o of scene.objects) {
    for (const inst of o.instances) {
      const share = changedShare(full.data, background.data, full.width, full.height, inst);
      expect(share, `${scene.id} (${scene.style}, ${scene.context}): ${o.category} ${inst.emoji} at ${inst.x},${inst.y} size ${inst.size}`).toBeGreaterThan(0.08);
    }
  }
}

describe("the Node renderer", () => {
  it("draws every declared object: pixels differ from the background where each object is (every style and context)", async () => {
    const rng = new Rng("drawn");
    let i = 0;
    for (const style of STYLES) {
      for (const context of CONTEXTS) {
        // Scenes are drawn until one has this context, so every (style, context) pair is rendered.
        let scene: Scene;
        do scene = makeScene(rng.fork(i++), { id: `d${i}`, width: 320, height: 240, style, world: "decorrelated", maxInstances: 6 });
        while (scene.context !== context);
        await expectEveryObjectDrawn(scene);
      }
    }
  });

  it("draws every object of a crawl's images at their own sizes, banners and thumbnails included", async () => {
    const crawl = generateCrawl({ seed: "drawn-crawl", pages: 12 }, defaultNameLists());
    const checked = crawl.images.filter((im) => Math.min(im.width, im.height) >= 48);
    expect(checked.length).toBeGreaterThan(10);
    for (const im of checked) await expectEveryObjectDrawn(im.scene);
  });

  it("encodes every format so that it decodes to the declared format and size", async () => {
    const rng = new Rng("formats");
    for (const format of IMAGE_FORMATS) {
      for (const [width, height] of [[640, 480], [728, 90], [32, 32], [300, 600]] as const) {
        const scene = makeScene(rng, { id: "f", width, height, style: rng.pick(STYLES), world: "coco-like", maxInstances: 4 });
        const bytes = await encodeScene(scene, format, 80);
        const meta = await sharp(bytes).metadata();
        expect(meta.format).toBe(format === "jpeg" ? "jpeg" : format);
        expect([meta.width, meta.height]).toEqual([width, height]);
      }
    }
  });

  it("is deterministic: the same scene encodes to the same bytes", async () => {
    const scene = makeScene(new Rng("same"), { id: "x", width: 500, height: 400, style: "modern", world: "coco-like", maxInstances: 6 });
    for (const format of IMAGE_FORMATS) {
      const a = await encodeScene(scene, format, 85);
      const b = await encodeScene(structuredClone(scene), format, 85);
      expect(Buffer.compare(a, b), format).toBe(0);
    }
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import type { Scene } from "../../src/lib/synth/index.js";
import { renderRaw } from "../../src/lib/synth/node-index.js";
import { DIST, openSession, visit, type Session, type Visit } from "./harness.js";

/** Rows of a loader output in the build (its name carries a content hash). */
function loaderRows(name: string): Record<string, unknown>[] {
  const dir = join(DIST, "_file", "data");
  const file = readdirSync(dir).find((f) => new RegExp(`^${name}\\.[0-9a-f]+\\.arrow$`).test(f));
  if (!file) throw new Error(`no ${name}.*.arrow in ${dir}; the data loader did not run`);
  return fromArrowIPC(readFileSync(join(dir, file))).toArray().map((row) => row.toJSON() as Record<string, unknown>);
}

describe("the synthetic world page", () => {
  let session: Session;
  let view: Visit;
  let images: Record<string, unknown>[];
  let candidates: Record<string, unknown>[];

  beforeAll(async () => {
    images = loaderRows("synth-images");
    candidates = loaderRows("synth-candidates");
    session = await openSession();
    view = await visit(session, "/pages/world");
    await view.page.waitForFunction(
      () => {
        const imgs = document.querySelectorAll<HTMLImageElement>("#world-scene-grid figure img");
        return imgs.length > 0 && Array.from(imgs).every((img) => img.complete && img.naturalWidth > 0);
      },
      undefined,
      { timeout: 90_000 },
    );
  });

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("draws six scenes per style, each an image whose alt text is the scene's ground-truth description", async () => {
    const figures = await view.page.$$eval("#world-scene-grid section", (sections) =>
      sections.map((s) => ({ style: (s as HTMLElement).dataset.style, count: s.querySelectorAll("figure img").length })),
    );
    expect(figures).toEqual([
      { style: "modern", count: 6 },
      { style: "flat", count: 6 },
      { style: "high-contrast", count: 6 },
    ]);
    const shown = await view.page.$$eval("#world-scene-grid figure", (fs) =>
      fs.map((f) => ({ id: (f as HTMLElement).dataset.imageId, alt: f.querySelector("img")!.alt, src: f.querySelector("img")!.src.slice(0, 22) })),
    );
    for (const s of shown) {
      const row = images.find((r) => r.image_id === s.id)!;
      expect(s.alt).toBe(row.description);
      expect(s.src).toBe("data:image/png;base64,");
    }
  });

  it("shows each scene's crawled alt-text, its noise class and five COCO-style captions, as text", async () => {
    const cards = await view.page.$$eval("#world-scene-grid figure", (fs) =>
      fs.map((f) => ({
        id: (f as HTMLElement).dataset.imageId,
        alt: f.querySelector(".alt-text")!.textContent,
        noise: f.querySelector(".noise-class")!.textContent,
        captions: f.querySelectorAll(".coco-captions li").length,
      })),
    );
    for (const card of cards) {
      const row = candidates.find((r) => r.image_id === card.id)!;
      expect(card.noise).toBe(row.noise_class);
      expect(card.alt).toBe(row.alt_present ? row.alt_text : "(no alt attribute)");
      expect(card.captions).toBe(5);
    }
  });

  it("draws in the browser the same picture the Node renderer makes from the same scene", async () => {
    const first = await view.page.$eval("#world-scene-grid figure", (f) => ({
      id: (f as HTMLElement).dataset.imageId!,
      src: f.querySelector("img")!.src,
    }));
    const scene = JSON.parse(images.find((r) => r.image_id === first.id)!.scene_json as string) as Scene;
    const browser = await sharp(Buffer.from(first.src.split(",")[1]!, "base64")).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const node = await renderRaw(scene, { width: browser.info.width, height: browser.info.height });
    let diff = 0;
    for (let i = 0; i < node.data.length; i++) diff += Math.abs(node.data[i]! - browser.data[i]!);
    const mean = diff / node.data.length;
    expect(mean, "mean absolute difference per channel (0-255)").toBeLessThan(12);
    const background = await renderRaw(scene, { width: browser.info.width, height: browser.info.height, objects: false });
    let fromBackground = 0;
    for (let i = 0; i < node.data.length; i++) fromBackground += Math.abs(background.data[i]! - browser.data[i]!);
    expect(fromBackground / node.data.length).toBeGreaterThan(mean);
  });

  it("charts every noise class and lists it with its configured rate", async () => {
    const bars = await view.page.locator('svg [aria-label="bar"] rect').count();
    expect(bars).toBe(12);
    const rows = await view.page.$$eval("#noise-class-table tbody tr", (trs) => trs.length);
    expect(rows).toBe(12);
  });

  it("logs no console errors", () => {
    expect(view.errors).toEqual([]);
  });

  it("asks only its own origin for anything", () => {
    expect(view.requests.length).toBeGreaterThan(0);
    expect([...view.external]).toEqual([]);
  });
});

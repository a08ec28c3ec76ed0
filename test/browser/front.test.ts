import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, visit, type Session, type Visit } from "./harness.js";

const WIDTHS = [1280, 400] as const;

/** Per picture of the front page: how many images it has, how many drew, and how many are not one flat colour. */
async function pictures(view: Visit, id: string): Promise<{ images: number; drawn: number; varied: number }> {
  await view.page.waitForSelector(`#${id} img`, { timeout: 60_000 });
  await view.page.waitForFunction((sel) => Array.from(document.querySelectorAll(`#${sel} img`)).every((img) => (img as HTMLImageElement).complete), id, { timeout: 30_000 });
  return view.page.$$eval(`#${id} img`, (imgs) => {
    let drawn = 0;
    let varied = 0;
    for (const img of imgs as HTMLImageElement[]) {
      if (img.naturalWidth === 0) continue;
      drawn++;
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < data.length && colours.size < 8; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      if (colours.size >= 8) varied++;
    }
    return { images: imgs.length, drawn, varied };
  });
}

describe("the front page", () => {
  let session: Session;
  const views = new Map<number, Visit>();

  beforeAll(async () => {
    session = await openSession();
    for (const width of WIDTHS) {
      const view = await visit(session, "/", { width, height: 900 });
      await view.page.waitForSelector("#key-results", { timeout: 120_000 });
      views.set(width, view);
    }
  }, 300_000);

  afterAll(async () => {
    for (const view of views.values()) await view.context.close();
    await session?.close();
  });

  for (const width of WIDTHS) {
    it(`opens with pictures at ${width} px: generated samples, scenes over reconstructions, the funnel chart and captioned test images, before any other text`, async () => {
      const view = views.get(width)!;
      const samples = await pictures(view, "front-samples");
      expect(samples.images).toBeGreaterThanOrEqual(4);
      expect(samples, "generated samples that drew and are not one flat colour").toEqual({ images: samples.images, drawn: samples.images, varied: samples.images });
      const strip = await pictures(view, "front-reconstructions");
      expect(strip.images % 2, "each scene has its reconstruction").toBe(0);
      expect(strip).toEqual({ images: strip.images, drawn: strip.images, varied: strip.images });
      const captions = await pictures(view, "front-captions");
      expect(captions).toEqual({ images: 3, drawn: 3, varied: 3 });
      // Both captions under each test image, as text.
      await expect(view.page.locator("#front-captions").textContent()).resolves.toMatch(/COCO-trained: .*Conceptual-trained: /s);
      const order = await view.page.evaluate(() => {
        const main = document.querySelector("#observablehq-main")!;
        const first = (sel: string) => main.querySelector(sel)!;
        const y = (el: Element) => el.getBoundingClientRect().top + window.scrollY;
        const funnel = Array.from(main.querySelectorAll("figure, svg")).find((el) => el.closest("#front-samples, #front-reconstructions") === null && el.querySelector?.("rect"));
        return {
          samples: y(first("#front-samples")),
          strip: y(first("#front-reconstructions")),
          funnel: funnel ? y(funnel) : null,
          captions: y(first("#front-captions")),
          firstH2: y(first("h2")),
        };
      });
      expect(order.funnel, "the attrition funnel chart").not.toBeNull();
      expect(order.samples).toBeLessThan(order.strip);
      expect(order.strip).toBeLessThan(order.funnel!);
      expect(order.funnel!).toBeLessThan(order.captions);
      expect(order.captions, "the pictures come before the text sections").toBeLessThan(order.firstH2);
      expect(view.errors, "console errors").toEqual([]);
    });
  }

  it("names a favicon that the site serves", async () => {
    const view = views.get(1280)!;
    const href = await view.page.$eval('link[rel="icon"]', (el) => (el as HTMLLinkElement).href);
    const response = await view.page.request.get(href);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/svg/);
  });
});

import { describe, expect, it } from "vitest";
import { fromArrowIPC, tableFromRows, toArrowIPC } from "../../../src/lib/arrow/index.js";
import {
  CANDIDATE_COLUMNS,
  CAPTION_COLUMNS,
  IMAGE_COLUMNS,
  OBJECT_COLUMNS,
  candidateRows,
  captionRows,
  cocoCaptionsJson,
  cocoInstancesJson,
  generateCrawl,
  imageRows,
  objectRows,
  pageHtml,
  resolveCrawlOptions,
} from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";

const names = defaultNameLists();

describe("the synthetic crawl", () => {
  const crawl = generateCrawl({ seed: 7, pages: 150 }, names);

  it("is a pure function of its options: the same seed gives the same crawl, another seed another", () => {
    expect(JSON.stringify(generateCrawl({ seed: 7, pages: 150 }, names))).toBe(JSON.stringify(crawl));
    expect(JSON.stringify(generateCrawl({ seed: 8, pages: 150 }, names).pages)).not.toBe(JSON.stringify(crawl.pages));
  });

  it("extends a smaller crawl with the same seed: page i does not depend on the page count", () => {
    const small = generateCrawl({ seed: 7, pages: 40 }, names);
    expect(JSON.stringify(small.pages)).toBe(JSON.stringify(crawl.pages.slice(0, 40)));
  });

  it("gives every page a unique URL, a title, text and at least one image, and every image a unique URL", () => {
    expect(new Set(crawl.pages.map((p) => p.url)).size).toBe(crawl.pages.length);
    expect(new Set(crawl.images.map((i) => i.url)).size).toBe(crawl.images.length);
    for (const page of crawl.pages) {
      expect(page.title.length).toBeGreaterThan(5);
      expect(page.paragraphs.length).toBeGreaterThan(0);
      expect(page.images.length).toBeGreaterThan(0);
      expect(page.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it("mixes formats, kinds, sizes and aspect ratios so that the CC image filters keep some and drop many", () => {
    const formats = new Set(crawl.images.map((i) => i.format));
    const kinds = new Set(crawl.images.map((i) => i.kind));
    expect([...formats].sort()).toEqual(["gif", "jpeg", "png", "webp"]);
    expect([...kinds].sort()).toEqual(["banner", "icon", "photo", "thumbnail"]);
    const pass = crawl.images.filter((i) => i.format === "jpeg" && i.width > 400 && i.height > 400 && Math.max(i.width, i.height) / Math.min(i.width, i.height) <= 2);
    const share = pass.length / crawl.images.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.5);
    expect(crawl.images.some((i) => Math.max(i.width, i.height) / Math.min(i.width, i.height) > 2 && i.kind === "photo")).toBe(true);
    expect(crawl.images.some((i) => i.kind === "photo" && Math.min(i.width, i.height) <= 400)).toBe(true);
  });

  it("writes each image into its page's HTML with its alt text escaped, and no alt attribute when absent", () => {
    const hostile = structuredClone(crawl.pages[0]!);
    hostile.images[0]!.alt = { ...hostile.images[0]!.alt, text: `<script>alert("x")</script> & 'q'`, present: true };
    const html = pageHtml(hostile);
    expect(html).toContain(`alt="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"`);
    expect(html).not.toContain("<script>");
    for (const page of crawl.pages.slice(0, 40)) {
      const text = pageHtml(page);
      for (const image of page.images) {
        expect(text).toContain(`src="${image.src}"`);
        const tag = text.slice(text.indexOf(`src="${image.src}"`)).split(">")[0]!;
        expect(tag.includes(" alt=")).toBe(image.alt.present);
      }
    }
  });

  it("validates its options, naming the bad value and the valid ones", () => {
    expect(() => resolveCrawlOptions({ seed: 1, pages: 0 })).toThrow(/pages must be an integer from 1/);
    expect(() => resolveCrawlOptions({ seed: 1, pages: 3, styles: ["sepia" as never] })).toThrow(/unknown style "sepia"; valid: modern, flat, high-contrast/);
    expect(() => resolveCrawlOptions({ seed: 1, pages: 3, world: "mars" as never })).toThrow(/valid: coco-like, decorrelated/);
    expect(() => resolveCrawlOptions({ seed: 1, pages: 3, missingImageRate: 2 })).toThrow(/missingImageRate must be in \[0, 1\]/);
  });

  it("draws only the requested styles", () => {
    const modern = generateCrawl({ seed: 1, pages: 20, styles: ["modern"] }, names);
    expect(new Set(modern.images.map((i) => i.scene.style))).toEqual(new Set(["modern"]));
  });
});

describe("the ground-truth tables", () => {
  const crawl = generateCrawl({ seed: 3, pages: 30 }, names);

  it("round-trip through Arrow IPC with one row per image, object, candidate and caption", () => {
    const images = fromArrowIPC(toArrowIPC(tableFromRows(imageRows(crawl), IMAGE_COLUMNS)));
    const objects = fromArrowIPC(toArrowIPC(tableFromRows(objectRows(crawl), OBJECT_COLUMNS)));
    const candidates = fromArrowIPC(toArrowIPC(tableFromRows(candidateRows(crawl), CANDIDATE_COLUMNS)));
    const captions = fromArrowIPC(toArrowIPC(tableFromRows(captionRows(crawl), CAPTION_COLUMNS)));
    const instances = crawl.images.reduce((n, i) => n + i.scene.objects.reduce((m, o) => m + o.count, 0), 0);
    expect(images.numRows).toBe(crawl.images.length);
    expect(objects.numRows).toBe(instances);
    expect(candidates.numRows).toBe(crawl.images.length);
    expect(captions.numRows).toBe(crawl.images.length * 5);
    const first = images.get(0)!.toJSON() as Record<string, unknown>;
    expect(JSON.parse(first.scene_json as string)).toEqual(crawl.images[0]!.scene);
    expect(first.byte_length).toBeNull();
  });

  it("give every alt-text its noise class and every image its objects' counts", () => {
    for (const row of candidateRows(crawl)) expect(row.noise_class).toBe(crawl.images.find((i) => i.id === row.image_id)!.alt.noiseClass);
    for (const row of imageRows(crawl)) {
      const scene = crawl.images.find((i) => i.id === row.image_id)!.scene;
      expect(row.counts).toBe(scene.objects.map((o) => `${o.category}:${o.count}`).join(","));
      expect(row.object_count).toBe(objectRows(crawl).filter((o) => o.image_id === row.image_id).length);
    }
  });

  it("export COCO captions and instances JSON whose ids agree", () => {
    const captions = cocoCaptionsJson(crawl) as { images: { id: number }[]; annotations: { image_id: number; caption: string }[] };
    const instances = cocoInstancesJson(crawl) as { images: { id: number }[]; annotations: { image_id: number; category_id: number; bbox: number[] }[]; categories: { id: number; name: string }[] };
    expect(captions.images.map((i) => i.id)).toEqual(instances.images.map((i) => i.id));
    expect(new Set(captions.images.map((i) => i.id)).size).toBe(crawl.images.length);
    expect(captions.annotations).toHaveLength(crawl.images.length * 5);
    const ids = new Set(instances.categories.map((c) => c.id));
    for (const a of instances.annotations) expect(ids.has(a.category_id)).toBe(true);
  });
});

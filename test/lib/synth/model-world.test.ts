import { describe, expect, it } from "vitest";
import {
  CATEGORIES,
  CONTEXTS,
  MODEL_CATEGORIES,
  MODEL_WORLD,
  STYLES,
  WORLDS,
  cocoCaptions,
  describeScene,
  generateCrawl,
  instancesOf,
  mentionedCategories,
  modelWorldScene,
  modelWorldScenes,
  Rng,
  type Scene,
} from "../../../src/lib/synth/index.js";
import { defaultNameLists, renderRaw } from "../../../src/lib/synth/node-index.js";

const MODEL = new Set<string>(MODEL_CATEGORIES);

/** Checks one scene against the model world's layout rules; returns the reasons it breaks them. */
function layoutProblems(scene: Scene): string[] {
  const problems: string[] = [];
  const frame = scene.frame;
  if (!frame) return ["no frame"];
  if (scene.background !== "simple") problems.push(`background ${scene.background}`);
  const instances = instancesOf(scene);
  if (instances.length < 1 || instances.length > MODEL_WORLD.maxInstances) problems.push(`${instances.length} instances`);
  if (scene.objects.length > MODEL_WORLD.maxCategories) problems.push(`${scene.objects.length} categories`);
  for (const o of scene.objects) {
    if (!MODEL.has(o.category)) problems.push(`${o.category} is not a model-world category`);
    if (o.count !== o.instances.length) problems.push(`${o.category}: count ${o.count} but ${o.instances.length} instances`);
  }
  for (const [i, a] of instances.entries()) {
    if (a.size < MODEL_WORLD.minShare * frame.size - 0.01) problems.push(`${a.category} is ${a.size} of ${frame.size}`);
    if (a.x < frame.x || a.y < frame.y || a.x + a.size > frame.x + frame.size || a.y + a.size > frame.y + frame.size) problems.push(`${a.category} at ${a.x},${a.y} size ${a.size} leaves the frame`);
    for (const b of instances.slice(i + 1)) {
      const overlap = a.x < b.x + b.size && b.x < a.x + a.size && a.y < b.y + b.size && b.y < a.y + a.size;
      if (overlap) problems.push(`${a.category} overlaps ${b.category}`);
    }
  }
  return problems;
}

/** Share of the box's pixels (64 px render) that differ from the background-only render by more than 24 of 255 in any channel. */
function changedShare(a: Buffer, b: Buffer, side: number, box: { x: number; y: number; size: number }): number {
  let changed = 0, total = 0;
  for (let y = Math.floor(box.y); y < Math.ceil(box.y + box.size); y++) {
    for (let x = Math.floor(box.x); x < Math.ceil(box.x + box.size); x++) {
      const i = (y * side + x) * 3;
      total++;
      if (Math.abs(a[i]! - b[i]!) > 24 || Math.abs(a[i + 1]! - b[i + 1]!) > 24 || Math.abs(a[i + 2]! - b[i + 2]!) > 24) changed++;
    }
  }
  return changed / Math.max(1, total);
}

describe("the model world", () => {
  const scenes = modelWorldScenes("spec", 600);

  it("uses at least 20 of the vocabulary's categories, all of them real vocabulary entries", () => {
    expect(MODEL_CATEGORIES.length).toBeGreaterThanOrEqual(20);
    for (const id of MODEL_CATEGORIES) expect(CATEGORIES.some((c) => c.id === id), id).toBe(true);
  });

  it("composes square scenes of 1-3 instances (at most 3 categories), each at least 40% of the side, inside the frame, none overlapping", () => {
    for (const scene of scenes) {
      expect(scene.width).toBe(scene.height);
      expect(layoutProblems(scene), scene.id).toEqual([]);
    }
  });

  it("draws every count from 1 to 3, every style, both worlds, every context and every category", () => {
    const counts = new Set(scenes.map((s) => instancesOf(s).length));
    expect([...counts].sort()).toEqual([1, 2, 3]);
    expect(new Set(scenes.map((s) => s.style))).toEqual(new Set(STYLES));
    expect(new Set(scenes.map((s) => s.world))).toEqual(new Set(WORLDS));
    expect(new Set(scenes.map((s) => s.context))).toEqual(new Set(CONTEXTS));
    expect(new Set(scenes.flatMap((s) => s.objects.map((o) => o.category)))).toEqual(MODEL);
  });

  it("is reproducible from the stream's name and index, and different streams differ", () => {
    expect(modelWorldScene("spec", 17)).toEqual(scenes[17]);
    expect(modelWorldScene("other", 17)).not.toEqual(scenes[17]);
  });

  it("never names an absent object: at 64 px every labelled instance is drawn, and captions name only the scene's categories", async () => {
    const rng = new Rng("model-world-captions");
    for (const scene of scenes.slice(0, 90)) {
      const full = await renderRaw(scene, { width: 64, height: 64, frame: true });
      const bare = await renderRaw(scene, { width: 64, height: 64, frame: true, objects: false });
      expect([full.width, full.height]).toEqual([64, 64]);
      const frame = scene.frame!;
      const k = 64 / frame.size;
      for (const inst of instancesOf(scene)) {
        const box = { x: (inst.x - frame.x) * k, y: (inst.y - frame.y) * k, size: inst.size * k };
        expect(box.size).toBeGreaterThanOrEqual(25.6 - 0.01);
        expect(changedShare(full.data, bare.data, 64, box), `${scene.id} (${scene.style}, ${scene.context}): ${inst.category}`).toBeGreaterThan(0.1);
      }
      const present = new Set(scene.objects.map((o) => o.category));
      for (const caption of [describeScene(scene), ...cocoCaptions(scene, rng.fork(scene.id))]) {
        for (const named of mentionedCategories(caption)) expect(present.has(named), `${scene.id}: "${caption}" names ${named}`).toBe(true);
      }
    }
  });
});

describe("the crawl with the model-scale scene spec", () => {
  const crawl = generateCrawl({ seed: "model-scale", pages: 60, sceneScale: "model" }, defaultNameLists());

  it("keeps the crawl's sizes and aspect ratios and puts every object in the image's central square, by the model world's rules", () => {
    const shapes = new Set(crawl.images.map((im) => (im.width === im.height ? "square" : im.width > im.height ? "landscape" : "portrait")));
    expect(shapes).toEqual(new Set(["square", "landscape", "portrait"]));
    for (const im of crawl.images) {
      const frame = im.scene.frame!;
      expect(frame.size).toBe(Math.min(im.width, im.height));
      expect(frame.x).toBe((im.width - frame.size) / 2);
      expect(frame.y).toBe((im.height - frame.size) / 2);
      expect(layoutProblems(im.scene), im.id).toEqual([]);
    }
  });

  it("renders a kept candidate's frame directly at 64 px with every object in it", async () => {
    const wide = crawl.images.find((im) => im.width > 1.4 * im.height)!;
    const full = await renderRaw(wide.scene, { width: 64, height: 64, frame: true });
    const bare = await renderRaw(wide.scene, { width: 64, height: 64, frame: true, objects: false });
    const frame = wide.scene.frame!;
    for (const inst of instancesOf(wide.scene)) {
      const k = 64 / frame.size;
      expect(changedShare(full.data, bare.data, 64, { x: (inst.x - frame.x) * k, y: (inst.y - frame.y) * k, size: inst.size * k })).toBeGreaterThan(0.1);
    }
  });

  it("leaves the default crawl as it was (web-scale scenes, no frame)", () => {
    const web = generateCrawl({ seed: "model-scale", pages: 5 }, defaultNameLists());
    expect(web.images.every((im) => im.scene.frame === undefined && im.scene.background === undefined)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { CONTEXTS, Rng, STYLES, makeScene, relationBetween, sampleContent, checkWorld, type Scene } from "../../../src/lib/synth/index.js";

function scenes(n: number, world: "coco-like" | "decorrelated", seed = "scenes"): Scene[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) =>
    makeScene(rng.fork(i), { id: `s${i}`, width: rng.pick([320, 640, 728, 160]), height: rng.pick([240, 90, 600, 160]), style: rng.pick(STYLES), world, maxInstances: 6 }),
  );
}

describe("scenes", () => {
  it("hold 1-4 categories whose counts match their drawn instances, within the instance budget", () => {
    for (const scene of [...scenes(300, "coco-like"), ...scenes(300, "decorrelated")]) {
      expect(scene.objects.length).toBeGreaterThanOrEqual(1);
      expect(scene.objects.length).toBeLessThanOrEqual(4);
      for (const o of scene.objects) expect(o.instances.length).toBe(o.count);
      expect(scene.objects.reduce((n, o) => n + o.count, 0)).toBeLessThanOrEqual(6);
      expect(new Set(scene.objects.map((o) => o.category)).size).toBe(scene.objects.length);
    }
  });

  it("place every object inside the image and no two objects on top of each other", () => {
    for (const scene of scenes(300, "decorrelated")) {
      const boxes = scene.objects.flatMap((o) => o.instances);
      for (const b of boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.y).toBeGreaterThanOrEqual(0);
        expect(b.x + b.size).toBeLessThanOrEqual(scene.width + 0.01);
        expect(b.y + b.size).toBeLessThanOrEqual(scene.height + 0.01);
      }
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!, b = boxes[j]!;
        const overlap = a.x < b.x + b.size - 0.01 && b.x < a.x + a.size - 0.01 && a.y < b.y + b.size - 0.01 && b.y < a.y + a.size - 0.01;
        expect(overlap, `${scene.id}: boxes ${i} and ${j} overlap`).toBe(false);
      }
    }
  });

  it("record spatial relations that agree with the boxes", () => {
    let checked = 0;
    for (const scene of scenes(300, "decorrelated")) {
      for (const r of scene.relations) {
        const a = scene.objects.find((o) => o.category === r.subject)!, b = scene.objects.find((o) => o.category === r.object)!;
        const p = a.instances[0]!, q = b.instances[0]!;
        if (r.predicate === "left of") expect(p.x + p.size).toBeLessThanOrEqual(q.x);
        if (r.predicate === "right of") expect(q.x + q.size).toBeLessThanOrEqual(p.x);
        if (r.predicate === "above") expect(p.y + p.size).toBeLessThanOrEqual(q.y);
        if (r.predicate === "below") expect(q.y + q.size).toBeLessThanOrEqual(p.y);
        expect(relationBetween(a, b)).toBe(r.predicate);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("are JSON-safe data: a scene survives a JSON round trip unchanged", () => {
    const [scene] = scenes(1, "coco-like");
    expect(JSON.parse(JSON.stringify(scene))).toEqual(scene);
  });
});

describe("co-occurrence worlds", () => {
  const N = 4000;
  const draw = (world: "coco-like" | "decorrelated") => {
    const rng = new Rng(`world-${world}`);
    return Array.from({ length: N }, () => sampleContent(rng, world, 6));
  };
  const coco = draw("coco-like");
  const flat = draw("decorrelated");
  const rate = (contents: ReturnType<typeof draw>, given: string, companion: string) => {
    const withGiven = contents.filter((c) => c.objects.some((o) => o.category === given));
    return withGiven.filter((c) => c.objects.some((o) => o.category === companion)).length / withGiven.length;
  };

  it("coco-like: a cake nearly always comes with a person, on a kitchen table", () => {
    expect(rate(coco, "cake", "person")).toBeGreaterThan(0.75);
    expect(coco.filter((c) => c.objects.some((o) => o.category === "cake")).every((c) => c.context === "kitchen")).toBe(true);
  });

  it("coco-like: kites fly only in the sky, at the beach or in a park, and clocks stand mostly among buildings", () => {
    const kites = coco.filter((c) => c.objects.some((o) => o.category === "kite"));
    expect(kites.length).toBeGreaterThan(20);
    expect(kites.every((c) => ["sky", "beach", "park"].includes(c.context))).toBe(true);
    const clocks = coco.filter((c) => c.objects[0]?.category === "clock");
    expect(clocks.filter((c) => c.context === "street").length / clocks.length).toBeGreaterThan(0.6);
  });

  it("decorrelated: a cake comes with a person no more often than anything else does, in any context", () => {
    expect(rate(flat, "cake", "person")).toBeLessThan(0.15);
    const cakeContexts = new Set(flat.filter((c) => c.objects.some((o) => o.category === "cake")).map((c) => c.context));
    expect(cakeContexts.size).toBe(CONTEXTS.length);
  });

  it("rejects an unknown world, naming the valid ones", () => {
    expect(() => checkWorld("mars")).toThrow(/unknown world "mars"; valid: coco-like, decorrelated/);
  });

  it("keeps avoided categories out", () => {
    const rng = new Rng("avoid");
    for (let i = 0; i < 500; i++) {
      const content = sampleContent(rng, i % 2 ? "coco-like" : "decorrelated", 4, ["person", "dog"]);
      expect(content.objects.map((o) => o.category)).not.toContain("person");
      expect(content.objects.map((o) => o.category)).not.toContain("dog");
    }
  });
});

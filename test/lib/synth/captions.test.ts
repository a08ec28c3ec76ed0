import { describe, expect, it } from "vitest";
import { Rng, STYLES, cocoCaptions, describeScene, makeScene, mentionedCategories } from "../../../src/lib/synth/index.js";

describe("COCO-style captions", () => {
  const rng = new Rng("captions");
  const scenes = Array.from({ length: 1500 }, (_, i) =>
    makeScene(rng.fork(i), { id: `s${i}`, width: 640, height: 480, style: STYLES[i % 3]!, world: i % 2 ? "coco-like" : "decorrelated", maxInstances: 6 }),
  );

  it("gives five distinct captions per image", () => {
    for (const scene of scenes) {
      const captions = cocoCaptions(scene, rng.fork("c", scene.id));
      expect(captions).toHaveLength(5);
      expect(new Set(captions).size).toBe(5);
    }
  });

  it("mention exactly the ground-truth objects: every category in the scene, and no other", () => {
    for (const scene of scenes) {
      const truth = scene.objects.map((o) => o.category).sort();
      for (const caption of cocoCaptions(scene, rng.fork("c", scene.id))) {
        expect(mentionedCategories(caption).sort(), `${scene.id}: "${caption}"`).toEqual(truth);
      }
      expect(mentionedCategories(describeScene(scene)).sort()).toEqual(truth);
    }
  });

  it("say how many there are when an object appears more than once", () => {
    const multi = scenes.find((s) => s.objects.some((o) => o.count === 2))!;
    const o = multi.objects.find((x) => x.count === 2)!;
    expect(cocoCaptions(multi, new Rng(1)).some((c) => c.toLowerCase().includes("two "))).toBe(true);
    expect(describeScene(multi)).toMatch(/two /);
    expect(o.instances).toHaveLength(2);
  });

  it("name the drawing style for cartoons and line art, as annotators do", () => {
    const flat = scenes.find((s) => s.style === "flat")!;
    const line = scenes.find((s) => s.style === "high-contrast")!;
    expect(describeScene(flat)).toMatch(/^a cartoon of /);
    expect(describeScene(line)).toMatch(/^a black and white drawing of /);
  });
});

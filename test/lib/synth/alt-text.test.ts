import { describe, expect, it } from "vitest";
import {
  DEFAULT_NOISE_RATES,
  NOISE_CLASSES,
  Rng,
  STYLES,
  makeAltText,
  makeScene,
  mentionedCategories,
  resolveNoiseRates,
  type AltText,
  type NameLists,
  type NoiseClass,
  type Scene,
} from "../../../src/lib/synth/index.js";
import { defaultNameLists } from "../../../src/lib/synth/node-index.js";

const names: NameLists = defaultNameLists();

function sample(n: number, rates: Record<NoiseClass, number>, seed = "alt"): { scene: Scene; alt: AltText }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const scene = makeScene(rng.fork("scene", i), { id: `s${i}`, width: 640, height: 480, style: STYLES[i % 3]!, world: "decorrelated", maxInstances: 4 });
    return { scene, alt: makeAltText(scene, rng.fork("alt", i), { rates, names, fileName: `IMG_${i}.jpg` }) };
  });
}

/** Observed share within 4.5 binomial standard deviations of the configured rate. */
function expectRate(observed: number, n: number, rate: number, label: string) {
  const sd = Math.sqrt((rate * (1 - rate)) / n);
  expect(Math.abs(observed / n - rate), `${label}: ${observed}/${n} vs ${rate}`).toBeLessThanOrEqual(4.5 * sd + 1e-9);
}

describe("alt-text noise classes", () => {
  const N = 6000;
  const defaults = sample(N, resolveNoiseRates());

  it("occur at their default rates within tolerance", () => {
    for (const c of NOISE_CLASSES) expectRate(defaults.filter((d) => d.alt.noiseClass === c).length, N, DEFAULT_NOISE_RATES[c], c);
  });

  it("occur at overridden rates within tolerance, the other classes sharing the rest", () => {
    const rates = resolveNoiseRates({ good: 0.5, empty: 0 });
    const n = 4000;
    const drawn = sample(n, rates, "alt-override");
    expect(drawn.filter((d) => d.alt.noiseClass === "empty")).toHaveLength(0);
    for (const c of NOISE_CLASSES) expectRate(drawn.filter((d) => d.alt.noiseClass === c).length, n, rates[c], c);
    expect(NOISE_CLASSES.reduce((s, c) => s + rates[c], 0)).toBeCloseTo(1, 9);
  });

  it("rejects unknown classes and impossible rates, naming the valid classes", () => {
    expect(() => resolveNoiseRates({ spam: 0.1 })).toThrow(/unknown noise class "spam"; valid: good, named-entity/);
    expect(() => resolveNoiseRates({ good: 1.5 })).toThrow(/must be in \[0, 1\]/);
    expect(() => resolveNoiseRates({ good: 0.7, empty: 0.5 })).toThrow(/add up to 1.2/);
  });

  const of = (c: NoiseClass) => defaults.filter((d) => d.alt.noiseClass === c);

  it("good: a capitalised sentence that names only objects in the image", () => {
    for (const { scene, alt } of of("good")) {
      expect(alt.text).toMatch(/^[A-Z]/);
      const named = mentionedCategories(alt.text);
      expect(named.length).toBeGreaterThan(0);
      for (const id of named) expect(scene.objects.map((o) => o.category)).toContain(id);
      expect(alt.describesImage).toBe(true);
    }
  });

  it("named-entity: every recorded person, place, organisation and date appears in the text", () => {
    const all = of("named-entity");
    const types = new Set(all.flatMap((d) => d.alt.entities.map((e) => e.type)));
    expect([...types].sort()).toEqual(["date", "organization", "person", "place"]);
    for (const { alt } of all) {
      expect(alt.entities.length).toBeGreaterThan(0);
      for (const e of alt.entities) expect(alt.text).toContain(e.text);
    }
  });

  it("wrong-description: names objects, none of which is in the image", () => {
    for (const { scene, alt } of of("wrong-description")) {
      const named = mentionedCategories(alt.text);
      expect(named.length).toBeGreaterThan(0);
      for (const id of named) expect(scene.objects.map((o) => o.category)).not.toContain(id);
      expect(alt.describesImage).toBe(false);
    }
  });

  it("each class has its telltale shape", () => {
    for (const { alt } of of("empty")) expect(alt.text).toBe("");
    expect(of("empty").some((d) => !d.alt.present) && of("empty").some((d) => d.alt.present)).toBe(true);
    for (const { alt } of of("all-caps")) expect(alt.text).toBe(alt.text.toUpperCase());
    for (const { alt } of of("hashtags")) expect(alt.text).toMatch(/(^|\s)#\w+( #\w+)+$/);
    for (const { alt } of of("file-name")) expect(alt.text).toMatch(/\.(jpe?g|png|gif|webp)$/i);
    for (const { alt } of of("pronoun-only")) expect(alt.text.split(/\s+/).length).toBeLessThanOrEqual(3);
    for (const { alt } of of("non-english")) expect(["es", "fr", "de"]).toContain(alt.language);
    for (const { alt } of of("profanity")) expect(alt.text).toMatch(/\b(damn|crap|hell|freaking|sucks|bloody)\b/i);
    for (const { alt } of of("seo-keywords")) expect(alt.text.split(/[ ,]+/).length).toBeGreaterThanOrEqual(6);
    for (const { alt } of of("boilerplate")) {
      expect(alt.text).toMatch(/click to enlarge|stock (photo|image)|^image:|^photo:|profile photo|permalink|thumbnail|image may contain/i);
    }
  });
});

import { describe, expect, it } from "vitest";
import { CC12M_RULES, CC3M_RULES, COYO, DATACOMP_BASIC } from "../../../src/lib/reference/index.js";
import { FilterConfigError, OPTIONS, PRESET_NAMES, PRESETS, resolveConfig, validateConfig } from "../../../src/lib/filter/index.js";

describe("presets are data over the option table", () => {
  it("every preset resolves to a config that validates against OPTIONS", () => {
    for (const name of PRESET_NAMES) expect(() => validateConfig(resolveConfig(name).config)).not.toThrow();
  });

  it("takes the papers' numbers from src/lib/reference and records where they come from", () => {
    const cc3m = resolveConfig("cc3m");
    expect(cc3m.config.image.minSidePx).toBe(CC3M_RULES.minSidePx.value);
    expect(cc3m.config.image.maxAspectRatio).toBe(CC3M_RULES.maxAspectRatio.value);
    expect(cc3m.config.text.rareWordMinCount).toBe(CC3M_RULES.rareWordMinWikipediaCount.value);
    expect(cc3m.provenance["image.minSidePx"]).toMatch(/Conceptual Captions/);
    expect(cc3m.provenance["text.maxNounRatio"]).toBeUndefined(); // ours
    const cc12m = resolveConfig("cc12m").config;
    expect([cc12m.image.maxAspectRatio, cc12m.text.minWords, cc12m.text.maxWords, cc12m.text.maxRepetition, cc12m.text.rareWordMinCount]).toEqual([
      CC12M_RULES.maxAspectRatio.value, CC12M_RULES.minWords.value, CC12M_RULES.maxWords.value, CC12M_RULES.maxWordRepetitionFraction.value, CC12M_RULES.rareWordMinCount.value,
    ]);
    expect(cc12m.text.requirePreposition).toBe(false);
    expect(resolveConfig("datacomp-basic").config.image.minSidePx).toBe(DATACOMP_BASIC.minSidePx.value);
    expect(resolveConfig("coyo").config.image.maxNsfwScore).toBe(COYO.maxNsfwScore.value);
  });

  it("applies --set overrides with their types, and an overridden paper value loses its source", () => {
    const r = resolveConfig("cc3m", { overrides: ["text.maxNounRatio=0.7", "image.minSidePx=256", "text.maxWords=null", "image.formats=jpeg,png"] });
    expect(r.config.text.maxNounRatio).toBe(0.7);
    expect(r.config.image.minSidePx).toBe(256);
    expect(r.config.text.maxWords).toBeNull();
    expect(r.config.image.formats).toEqual(["jpeg", "png"]);
    expect(r.provenance["image.minSidePx"]).toBeUndefined();
    expect(PRESETS.cc3m.spec.image.minSidePx).toBe(CC3M_RULES.minSidePx); // presets are not mutated
  });

  it("rejects unknown presets, options, stages and bad values, naming what is valid", () => {
    expect(() => resolveConfig("cc4m")).toThrow(/unknown preset "cc4m"; valid: cc3m, cc12m/);
    expect(() => resolveConfig("cc3m", { overrides: ["text.nounRatio=1"] })).toThrow(/unknown option "text.nounRatio"; valid: .*text.maxNounRatio/);
    expect(() => resolveConfig("cc3m", { overrides: ["text.maxNounRatio=2"] })).toThrow(FilterConfigError);
    expect(() => resolveConfig("cc3m", { overrides: ["image.minSidePx=1.5"] })).toThrow(/an integer/);
    expect(() => resolveConfig("cc3m", { overrides: ["image.formats=tiff"] })).toThrow(/jpeg, png, gif, webp, bmp/);
    expect(() => resolveConfig("cc3m", { overrides: ["image.nsfw"] })).toThrow(/stage.option=value/);
    expect(() => resolveConfig("cc3m", { stages: ["image", "vision"] })).toThrow(/unknown stage\(s\) vision; valid: image, text/);
  });

  it("documents every option", () => {
    for (const [key, spec] of Object.entries(OPTIONS)) expect(spec.doc.length, key).toBeGreaterThan(10);
  });
});

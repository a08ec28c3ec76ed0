import { beforeAll, describe, expect, it } from "vitest";
import { checkAltText, explainText, formatValue, resolveConfig, TEXT_RULES, TRANSFORM_RULES, type Lexicon } from "../../../src/lib/filter/index.js";
import { lexicon, passingText, pipelineTextVerdict } from "./helpers.js";

let lex: Lexicon;
beforeAll(async () => {
  lex = await lexicon();
});

const ALTS = [
  "A dog sitting on the beach with a red ball",
  "Tom Cruise and Nicole Kidman attend the premiere of Eyes Wide Shut at the Cannes Film Festival in Cannes, France",
  "A view of Paris from the Eiffel Tower on June 12, 2014",
  "un perro en la playa con una pelota",
  "Dog on beach",
  "profile photo",
  null,
  "",
];

describe("checkAltText(): every text and transform rule's verdict on one alt-text", () => {
  it("agrees with the pipeline (filterCandidate, all reasons) on status, every rejecting rule and the caption", async () => {
    const config = resolveConfig("cc3m").config;
    for (const alt of ALTS) {
      const check = checkAltText(alt, lex, config);
      const run = await pipelineTextVerdict(alt);
      expect([alt, check.status, check.rules.filter((r) => r.rejects).map((r) => r.reason), check.transform.caption_out]).toEqual([alt, run.status, run.all_reasons, run.caption_out]);
    }
  });

  it("lists every rule of both stages in rule order, text first", () => {
    const check = checkAltText("A dog on the beach", lex, resolveConfig("cc3m").config);
    expect(check.rules.map((r) => r.reason)).toEqual([...TEXT_RULES, ...TRANSFORM_RULES].map((r) => r.reason));
    expect(check.status).toBe("kept");
    expect(check.rules.every((r) => !r.rejects)).toBe(true);
  });

  it("words the value a rule read and its threshold, and says off for a rule the preset switches off", () => {
    const cc3m = explainText(passingText({ noun_ratio: 0.75 }), resolveConfig("cc3m").config.text);
    expect(cc3m.find((r) => r.reason === "noun_ratio")).toMatchObject({ rejects: true, feature: "noun ratio", value: "0.75", threshold: "≤ 0.6" });
    const permissive = explainText(passingText({ noun_ratio: 0.75 }), resolveConfig("permissive").config.text);
    expect(permissive.find((r) => r.reason === "noun_ratio")).toMatchObject({ rejects: false, threshold: "off" });
  });

  it("formats numbers: whole as is, large rounded, the rest to 3 significant digits", () => {
    expect([formatValue(3), formatValue(0.333333), formatValue(686274.5), formatValue(0.1)]).toEqual(["3", "0.333", "686275", "0.1"]);
  });
});

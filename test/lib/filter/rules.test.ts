import { describe, expect, it } from "vitest";
import {
  DECLARATIONS, OPTIONS, PIPELINE_STAGES, REASONS, REASON_INFO, STAGES, optionDecls, parseOptionValue, resultColumns, stageDefaults,
  type Reason, type RuleDecl,
} from "../../../src/lib/filter/index.js";

const rules = DECLARATIONS.flatMap((d) => (d.rules as readonly RuleDecl<unknown, unknown>[]).map((rule) => ({ stage: d.id, rule })));

describe("rule declarations are the one source of the reasons, options and columns", () => {
  it("declare each reason once, in the stage REASON_INFO gives it", () => {
    expect(new Set(rules.map((r) => r.rule.reason)).size).toBe(rules.length);
    expect(new Set(REASONS)).toEqual(new Set(rules.map((r) => r.rule.reason)));
    for (const { stage, rule } of rules) expect(REASON_INFO[rule.reason as Reason]).toEqual({ stage, description: rule.description });
  });

  it("read only columns the stored row has or a stage's SQL derives", () => {
    const stored = new Set<string>(resultColumns(STAGES).map((c) => c.name));
    const derived = new Set(DECLARATIONS.flatMap((d) => d.derived.map((c) => c.name)));
    for (const { rule } of rules) for (const column of rule.reads) expect(stored.has(column) || derived.has(column), `${rule.reason} reads ${column}`).toBe(true);
  });

  it("give every option a default that its own parser accepts, and OPTIONS one row per declared option", () => {
    const declared = STAGES.flatMap((s) => optionDecls(s).map(([k]) => `${s}.${k}`));
    expect(Object.keys(OPTIONS)).toEqual(declared);
    for (const stage of STAGES) {
      for (const [key, value] of Object.entries(stageDefaults(stage))) {
        const plain = typeof value === "object" && value !== null && "value" in value && !Array.isArray(value) ? value.value : value;
        expect(() => parseOptionValue(`${stage}.${key}`, Array.isArray(plain) ? plain.join(",") : String(plain)), `${stage}.${key}`).not.toThrow();
      }
    }
  });

  it("list the pipeline's stages in the declarations' order", () => {
    expect(PIPELINE_STAGES.map((s) => s.decl.id)).toEqual(STAGES);
  });
});

/** The transform stage's rules (paper §3, text transformation): what hypernymization could not resolve or left too short. */
import type { TransformFeatures } from "../transform.js";
import { atMost, formatValue, limit, num, ruleFor, stageDecl, TRANSFORM_MODES, type StageOptions } from "./declare.js";

const rule = ruleFor<TransformFeatures>();

const RULES = [
  rule({
    reason: "unresolved_entity", description: "a proper noun the hypernymizer could not resolve (more than transform.maxUnresolved)", reads: ["unresolved"],
    options: { maxUnresolved: { type: "integer?", min: 0, default: 0, doc: "unresolved proper nouns accepted; null = no limit" } },
    rejects: (f, o) => o.maxUnresolved !== null && f.unresolved > o.maxUnresolved,
    sql: (o) => limit(o.maxUnresolved, (n) => `coalesce(unresolved, 0) > ${n}`),
    explain: { feature: "unresolved proper nouns", value: (f) => formatValue(f.unresolved), threshold: (o) => atMost(o.maxUnresolved) },
  }),
  rule({
    reason: "too_short_after_transform", description: "fewer than transform.minWords words after hypernymization", reads: ["out_words"], shown: "caption_out",
    options: { minWords: { type: "integer", min: 0, default: 3, doc: "fewest words a transformed caption keeps" } },
    rejects: (f, o) => f.out_words < o.minWords,
    sql: (o) => `(caption_out IS NOT NULL AND out_words < ${num(o.minWords)})`,
    explain: { feature: "words after the transform", value: (f) => formatValue(f.out_words), threshold: (o) => `≥ ${o.minWords}` },
  }),
] as const;

const OPTIONS = {
  mode: { type: "mode", default: "hypernymize", doc: `${TRANSFORM_MODES[0]} (CC3M), ${TRANSFORM_MODES[1]} (CC12M <PERSON>), ${TRANSFORM_MODES[2]} (lower-case only)` },
} as const;

export type TransformOptions = StageOptions<typeof OPTIONS, typeof RULES>;
export type TransformReason = (typeof RULES)[number]["reason"];

export const TRANSFORM_DECL = stageDecl<TransformFeatures, TransformOptions>()({
  id: "transform", description: "hypernymization (or CC12M's <PERSON> substitution), then CC3M tokenisation", reference: "transformation",
  optIn: false, level: "candidate", options: OPTIONS, rules: RULES,
  // Words of the transformed caption, counted as transform.ts counts out_words (not a stored column).
  derived: [{ name: "out_words", sql: "len(list_filter(string_split(caption_out, ' '), w -> regexp_matches(w, '[\\p{L}\\p{N}]')))" }],
});

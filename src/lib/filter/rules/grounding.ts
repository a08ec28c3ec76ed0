/** The grounding stage's rules (paper §3, image&text-based filtering): the image's labels against the caption's stems. */
import type { GroundingFeatures } from "../grounding.js";
import { LABELERS, formatValue, num, ruleFor, stageDecl, type StageOptions } from "./declare.js";

const rule = ruleFor<GroundingFeatures>();

const RULES = [
  rule({
    reason: "no_labels", description: "the labeler gave no label for the image", options: {}, reads: ["labeler", "labels"], shown: "labels",
    rejects: (f) => f.labeler === null || f.labels.length === 0,
    sql: () => "(labeler IS NULL OR coalesce(len(labels), 0) = 0)",
    explain: { feature: "labels", value: (f) => (f.labeler === null ? "no labeler" : f.labels.join(", ") || "none"), threshold: () => "at least one" },
  }),
  rule({
    reason: "no_label_match", description: "no image label matches a caption token after stemming", reads: ["matched_labels"], shown: "labels",
    options: { minMatches: { type: "integer", min: 1, default: 1, doc: "labels that must match a caption token" } },
    rejects: (f, o) => f.matched.length < o.minMatches,
    sql: (o) => `(coalesce(len(matched_labels), 0) < ${num(o.minMatches)})`,
    explain: { feature: "labels matching a caption word", value: (f) => formatValue(f.matched.length), threshold: (o) => `≥ ${o.minMatches}` },
  }),
] as const;

const OPTIONS = {
  labeler: { type: "labeler", default: "auto", doc: `which labeler: ${LABELERS.join(", ")}` },
  minConfidence: { type: "number", min: 0, max: 1, default: 0, doc: "smallest label confidence used" },
} as const;

export type GroundingOptions = StageOptions<typeof OPTIONS, typeof RULES>;
export type GroundingReason = (typeof RULES)[number]["reason"];

export const GROUNDING_DECL = stageDecl<GroundingFeatures, GroundingOptions>()({
  id: "grounding", description: "a labeler names the image; a label must match a caption word after stemming", reference: "image-text",
  optIn: false, level: "candidate", options: OPTIONS, rules: RULES, derived: [],
});

/**
 * Stage 3, image-text grounding (paper §3): an image classifier labels the image, and the pair is
 * kept when at least one label matches a caption token after morphology-based stemming (plural
 * and irregular forms folded by singularize, then the Porter stemmer: "dogs", "dog" -> "dog";
 * "people", "person" -> "person"). A multi-word label ("traffic light") matches when all its
 * words do. Which labeler produced the labels is recorded with the decision.
 */
import { firstLabels, type Label, type Labeler } from "../labeler/index.js";
import { singularize } from "../metrics/index.js";
import { nlpPackages } from "./nlp-packages.js";
import { decide, type Decision } from "./reasons.js";
import { LABELERS, formatValue, num, ruleFor, stageDecl, type StageOptions } from "./rules/declare.js";
import { col, type StageOf } from "./stage.js";

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

export interface GroundingFeatures {
  /** The labeler that produced the labels, null when none could label this candidate. */
  labeler: string | null;
  labels: string[];
  /** Confidences parallel to `labels`. */
  label_confidences: number[];
  /** Labels (at or above the confidence floor) that match a caption token. */
  matched: string[];
}

/** The stem of one word: lower case, singular, Porter-stemmed. */
export function stemWord(word: string): string {
  const lower = word.toLowerCase().replace(/['’]s$/, "");
  return nlpPackages().stemmer(singularize(lower));
}

/** Stems of a caption's word tokens. */
export function captionStems(text: string): Set<string> {
  return new Set((text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []).map(stemWord));
}

/** Grounding features: which labels (at or above `minConfidence`) match the caption. */
export function groundingFeatures(caption: string, labeler: string | null, labels: readonly Label[] | null, options: Pick<GroundingOptions, "minConfidence">): GroundingFeatures {
  const list = labels ?? [];
  const stems = captionStems(caption);
  const matched = list
    .filter((l) => l.confidence >= options.minConfidence)
    .filter((l) => {
      const words = l.name.match(/[\p{L}\p{N}]+/gu) ?? [];
      return words.length > 0 && words.every((w) => stems.has(stemWord(w)));
    })
    .map((l) => l.name);
  return { labeler: labels === null ? null : labeler, labels: list.map((l) => l.name), label_confidences: list.map((l) => l.confidence), matched: [...new Set(matched)] };
}

export const GROUNDING_RULES = GROUNDING_DECL.rules;

export function groundingDecision(features: GroundingFeatures, options: GroundingOptions, all = false): Decision {
  return decide(GROUNDING_RULES, features, options, all);
}

/** The grounding stage: the first labeler that can label the image, its labels against the (cleaned) caption. */
export const GROUNDING_STAGE: StageOf<typeof GROUNDING_DECL> = {
  decl: GROUNDING_DECL,
  images: "optional",
  // The labelers grounding.labeler allows that can label this input, in the order "auto" tries them.
  plan(resolved, input, skipped) {
    const choice = resolved.config.grounding.labeler;
    const labelers: Labeler["name"][] = [];
    if ((choice === "auto" || choice === "input") && input.hasLabels) labelers.push("input", "tsv");
    if ((choice === "auto" || choice === "tsv") && input.hasLabels && !labelers.includes("tsv")) labelers.push("tsv");
    if ((choice === "auto" || choice === "synth-cnn") && !input.captionOnly && input.cnnAvailable) labelers.push("synth-cnn");
    const skip = labelers.length > 0 ? undefined : input.captionOnly
      ? "caption-only input and no labels in it: give a CC image-labels TSV as input or --labels"
      : `no labeler for grounding.labeler=${choice} (no labels in the input, synth-cnn weights missing)`;
    return { skip, record: { labelers: skipped.grounding === undefined && skip === undefined ? labelers : [] } };
  },
  columns: [
    col("labeler", "utf8", "labeler that produced the labels: input | tsv | synth-cnn"),
    col("labels", "list<utf8>", "image labels"),
    col("matched_labels", "list<utf8>", "labels matching a caption token after stemming"),
  ],
  async run(c, row, ctx) {
    const o = ctx.resolved.config.grounding;
    const chosen = await firstLabels(ctx.models.labelers, { id: c.id, url: c.url, image: c.image, labels: c.labels });
    const g = groundingFeatures(row.text_clean ?? c.alt ?? "", chosen?.labeler ?? null, chosen?.labels ?? null, o);
    Object.assign(row, { labeler: g.labeler, labels: g.labels, matched_labels: g.matched });
    return [groundingDecision(g, o, ctx.allReasons)];
  },
};

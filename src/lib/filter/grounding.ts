/**
 * Stage 3, image-text grounding (paper §3): an image classifier labels the image, and the pair is
 * kept when at least one label matches a caption token after morphology-based stemming (plural
 * and irregular forms folded by singularize, then the Porter stemmer: "dogs", "dog" -> "dog";
 * "people", "person" -> "person"). A multi-word label ("traffic light") matches when all its
 * words do. Which labeler produced the labels is recorded with the decision.
 */
import { stemmer } from "stemmer";
import { firstLabels, type Label, type Labeler } from "../labeler/index.js";
import { singularize } from "../metrics/index.js";
import { decide, type Decision } from "./reasons.js";
import { GROUNDING_DECL, type GroundingOptions } from "./rules/index.js";
import { col, type PipelineStage } from "./stage.js";


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
  return stemmer(singularize(lower));
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
export const GROUNDING_STAGE: PipelineStage = {
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

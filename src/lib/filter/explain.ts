/**
 * Every text and transform rule's verdict on one alt-text, with the feature value it read and the
 * threshold it compared against, for a reader to see why (the hypernymization page's text box).
 * Verdicts and wording both come from the rule declarations (rules/: each rule's `explain`). The
 * stages run as filterCandidate runs them: the text stage on the alt-text, the transform on the
 * text stage's cleaned text, both always (as with allReasons).
 */
import type { FilterConfig, TextOptions, TransformOptions } from "./config.js";
import type { Lexicon } from "./lexicon.js";
import type { Reason, Status } from "./reasons.js";
import type { RuleDecl, StageId } from "./rules/index.js";
import { TEXT_RULES, textFeatures, type TextFeatures } from "./text.js";
import { TRANSFORM_RULES, transformCaption, type TransformFeatures } from "./transform.js";

export { formatValue } from "./rules/index.js";

export interface RuleVerdict {
  stage: StageId;
  reason: Reason;
  rejects: boolean;
  /** What the rule reads ("noun ratio"). */
  feature: string;
  /** Its value for this candidate, as shown. */
  value: string;
  /** What passes under the options ("≤ 0.6"), or "off" when the options switch the rule off. */
  threshold: string;
}

/** Every rule's verdict in rule order, worded by the rule's own declaration. */
export function explainRules<F, O>(stage: StageId, rules: readonly RuleDecl<F, O>[], features: F, options: O): RuleVerdict[] {
  return rules.map((rule) => ({
    stage, reason: rule.reason as Reason, rejects: rule.rejects(features, options),
    feature: rule.explain.feature, value: rule.explain.value(features), threshold: rule.explain.threshold(options),
  }));
}

export const explainText = (f: TextFeatures, o: TextOptions): RuleVerdict[] => explainRules("text", TEXT_RULES, f, o);
export const explainTransform = (f: TransformFeatures, o: TransformOptions): RuleVerdict[] => explainRules("transform", TRANSFORM_RULES, f, o);

export interface AltTextCheck {
  text: TextFeatures;
  transform: TransformFeatures;
  /** Text rules, then transform rules, each with its verdict. */
  rules: RuleVerdict[];
  /** "kept", or the first rejecting rule over the two stages (image and grounding need the image: not judged). */
  status: Status;
}

/** The text stage and the transform on one alt-text, every rule judged; `cache` memoises vocabulary lookups. */
export function checkAltText(alt: string | null, lexicon: Lexicon, config: Pick<FilterConfig, "text" | "transform">, cache?: Map<string, number>): AltTextCheck {
  const text = textFeatures(alt, lexicon, cache);
  const transform = transformCaption(text.text_clean, config.transform.mode, lexicon.wordnet);
  const rules = [...explainText(text, config.text), ...explainTransform(transform, config.transform)];
  return { text, transform, rules, status: rules.find((r) => r.rejects)?.reason ?? "kept" };
}

/**
 * The stages and the closed union of reasons a candidate can be rejected for, derived from the
 * stage declarations (rules/). Every candidate ends with exactly one status: "kept", or the first
 * reason that rejected it. The pipeline tallies by these keys, so a reason that no rule declares
 * cannot exist.
 */
export { STAGES, REASONS, REASON_INFO, REFERENCE_STAGE, reasonsOf, type StageId, type Reason, type Status, type ReasonInfo } from "./rules/index.js";
import type { Reason } from "./rules/index.js";

/** Pure filter outcome: keep, or the first reason (and optionally every reason that applies). */
export interface Decision {
  keep: boolean;
  reason: Reason | null;
  /** Every rule of the stage that would reject, in rule order (only when asked for). */
  reasons: Reason[];
}

export const KEEP: Decision = Object.freeze({ keep: true, reason: null, reasons: [] }) as Decision;

/** One rule as the pipeline runs it: a pure predicate over a stage's features and its options. */
export interface Rule<F, O> {
  reason: string;
  rejects(features: F, options: O): boolean;
}

/**
 * Runs rules in order: the first that rejects is the reason; with `all`, the rest still run
 * and every rejecting rule is listed.
 */
export function decide<F, O>(rules: readonly Rule<F, O>[], features: F, options: O, all = false): Decision {
  const reasons: Reason[] = [];
  for (const rule of rules) {
    if (rule.rejects(features, options)) {
      reasons.push(rule.reason as Reason);
      if (!all) break;
    }
  }
  return reasons.length ? { keep: false, reason: reasons[0]!, reasons } : KEEP;
}

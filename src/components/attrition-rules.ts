import * as Plot from "@observablehq/plot";
import { framed } from "./plot-frame.js";
import type { RuleCounts } from "../lib/attrition/index.js";

export interface RulesOptions {
  width: number;
  caption?: string;
}

/**
 * Per stage, each rule's rejections: the dark bar counts candidates the rule rejected first (these
 * add up to the stage's losses), the light bar every candidate it would reject on its own.
 */
export function attritionRules(rules: readonly RuleCounts[], { width, caption }: RulesOptions): SVGSVGElement | HTMLElement {
  const shown = rules.filter((r) => r.first > 0 || (r.would ?? 0) > 0);
  if (shown.length === 0) {
    const p = document.createElement("p");
    p.textContent = "No rule rejected any candidate.";
    return p;
  }
  const wide = width >= 640;
  // One axis row per rule, named "stage: reason", in pipeline order (facets would repeat every rule in every stage).
  const label = (r: RuleCounts) => `${r.stage}: ${r.reason}`;
  const long = shown.flatMap((r) => [
    { rule: label(r), kind: "would reject on its own", n: r.would ?? r.first },
    { rule: label(r), kind: "rejected first", n: r.first },
  ]);
  return Plot.plot({
    // Never narrower than its margins plus room for bars: a transient tiny width (a resize) would draw negative bar widths.
    height: 60 + shown.length * 20,
    ...framed(width, { marginLeft: wide ? 220 : 150, marginRight: 40 }, 80),
    x: { label: "Candidates rejected →", grid: true },
    y: { label: null, domain: shown.map(label) },
    color: { domain: ["would reject on its own", "rejected first"], range: ["var(--theme-foreground-faint)", "var(--theme-foreground-focus)"], legend: true },
    caption: caption ?? "Dark: candidates this rule rejected first (they sum to the stage's losses). Light: every candidate the rule would reject on its own.",
    marks: [
      Plot.barX(long.filter((d) => d.kind !== "rejected first"), { x: "n", y: "rule", fill: "kind" }),
      Plot.barX(long.filter((d) => d.kind === "rejected first"), { x: "n", y: "rule", fill: "kind", inset: 4 }),
      Plot.text(long.filter((d) => d.kind === "rejected first"), { x: "n", y: "rule", text: (d: { n: number }) => String(d.n), dx: 4, textAnchor: "start", fontSize: 10 }),
    ],
  });
}

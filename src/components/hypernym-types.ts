import * as Plot from "@observablehq/plot";
import { framed } from "./plot-frame.js";

/** One entity type and the pairs it occurs in. */
export interface TypeCount {
  type: string;
  n: number;
}

export interface TypesOptions {
  width: number;
  /** The entity-type filter's exclusive threshold: types at or below it are cut. */
  threshold: number;
}

/** Pairs per resolved entity type (log axis), cut types in a second colour, the threshold as a rule. */
export function hypernymTypes(types: readonly TypeCount[], { width, threshold }: TypesOptions): SVGSVGElement | HTMLElement {
  const rows = types.map((d) => ({ ...d, verdict: d.n > threshold ? "kept (occurs more than the threshold)" : "cut (at or below the threshold)" }));
  return Plot.plot({
    height: 50 + rows.length * 16,
    ...framed(width, { marginLeft: width >= 640 ? 140 : 100, marginRight: 20 }),
    x: { type: "log", label: "Pairs containing the type (log scale) →", grid: true, domain: [0.8, Math.max(2, threshold * 1.5, ...rows.map((d) => d.n))] },
    y: { label: null, domain: rows.map((d) => d.type) },
    color: { domain: ["kept (occurs more than the threshold)", "cut (at or below the threshold)"], range: ["var(--theme-foreground-focus)", "var(--theme-red)"], legend: true },
    marks: [
      Plot.barX(rows, { x1: 0.8, x2: "n", y: "type", fill: "verdict" }),
      Plot.ruleX([Math.max(0.8, threshold)], { stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.text(rows, { x: "n", y: "type", text: (d: TypeCount) => String(d.n), dx: 4, textAnchor: "start", fontSize: 10 }),
    ],
  });
}

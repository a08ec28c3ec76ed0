import * as Plot from "@observablehq/plot";
import { framed } from "./plot-frame.js";
import { pct, remainingShareAxis } from "./attrition-funnel.js";

/** One bar: the share of the input a series keeps after a stage. */
export interface CompareRow {
  stage: string;
  /** The series: "measured", "paper reference", a preset name ... */
  series: string;
  /** Share of the original candidates remaining after the stage, 0..1. */
  remaining: number;
  /** The stage's own pass rate (kept / in), null when nothing entered it. */
  pass_rate: number | null;
}

export interface CompareOptions {
  width: number;
  caption: string;
  /** Series in legend order (defaults to their order in the data). */
  series?: readonly string[];
}



/**
 * Funnels side by side: per stage, one bar per series for the share remaining, on a log axis (a
 * funnel spans orders of magnitude); zero remaining is drawn at the axis floor and labelled 0%.
 */
export function attritionCompare(rows: readonly CompareRow[], { width, caption, series }: CompareOptions): SVGSVGElement | HTMLElement {
  const positive = rows.map((d) => d.remaining).filter((v) => v > 0);
  const floor = Math.min(1e-3, ...positive) / 2;
  const stages = [...new Set(rows.map((d) => d.stage))];
  const domain = series ?? [...new Set(rows.map((d) => d.series))];
  const wide = width >= 640;
  return Plot.plot({
    // Never narrower than its margins plus room for bars: a transient tiny width (a resize) would draw negative bar widths.
    height: 50 + stages.length * domain.length * 20 + stages.length * 12,
    ...framed(width, { marginLeft: wide ? 200 : 96, marginRight: wide ? 110 : 44 }, 80),
    x: remainingShareAxis(floor),
    fy: { domain: stages, label: null, tickFormat: (s: string) => (wide || s.length <= 14 ? s : `${s.slice(0, 13)}…`) },
    y: { domain, axis: null },
    color: { domain, legend: true },
    caption,
    marks: [
      Plot.barX(rows, { x1: floor, x2: (d: CompareRow) => Math.max(floor, d.remaining), y: "series", fy: "stage", fill: "series" }),
      Plot.text(rows, {
        x: (d: CompareRow) => Math.max(floor, d.remaining),
        y: "series",
        fy: "stage",
        text: (d: CompareRow) => (wide ? `${pct(d.remaining)} (stage keeps ${pct(d.pass_rate)})` : pct(d.remaining)),
        textAnchor: "start",
        dx: 4,
        fontSize: 10,
      }),
    ],
  });
}

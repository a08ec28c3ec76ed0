import * as Plot from "@observablehq/plot";
import { framed } from "./plot-frame.js";

/** One stage as the attrition funnel draws it (a row of cc-attrition-reference.arrow). */
export interface FunnelStage {
  stage_order: number;
  stage: string;
  pass_rate: number;
  implied_remaining: number;
  stated_overall: number | null;
}

export interface FunnelOptions {
  width: number;
  /** Caption under the chart; defaults to the paper-reference label. */
  caption?: string;
  /** id attribute of the chart's element (tests and links find it by id). */
  id?: string;
}

const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumSignificantDigits: 2 });
/** A share as a percentage with two significant digits ("—" for a missing one). */
export const pct = (v: number | null): string => (v === null ? "—" : percent.format(v));

/** The log x axis every funnel chart shares: the share of the original candidates remaining, from `floor` to 100%. */
export function remainingShareAxis(floor: number) {
  return {
    type: "log",
    domain: [floor, 1],
    ticks: [1e-4, 1e-3, 1e-2, 1e-1, 1].filter((t) => t >= floor),
    tickFormat: pct,
    label: "Share of the original candidates remaining (log scale) →",
    grid: true,
  } as const;
}

/**
 * Candidates remaining after each stage, on a log axis (the funnel spans three
 * orders of magnitude). Each bar is labelled with the stage's own pass rate; a
 * tick marks a stated overall yield where the data has one.
 */
export function attritionFunnel(stages: readonly FunnelStage[], { width, caption, id }: FunnelOptions): SVGSVGElement | HTMLElement {
  const rows = [...stages].sort((a, b) => a.stage_order - b.stage_order);
  const floor = Math.min(1e-3, ...rows.map((d) => d.implied_remaining)) / 2;
  const stated = rows.filter((d) => d.stated_overall !== null);
  // Narrow screens get shorter labels and margins; the table below the chart carries the details.
  const wide = width >= 640;
  const label = (d: FunnelStage) => (wide ? `${pct(d.implied_remaining)} (stage keeps ${pct(d.pass_rate)})` : pct(d.implied_remaining));
  const chart = Plot.plot({
    // Never narrower than its margins plus room for bars: a transient tiny width (a resize) would draw negative bar widths.
    height: 60 + rows.length * 44,
    ...framed(width, { marginLeft: wide ? 230 : 110, marginRight: wide ? 150 : 40 }, 80),
    x: remainingShareAxis(floor),
    y: { domain: rows.map((d) => d.stage), label: null, tickFormat: (s: string) => (wide || s.length <= 18 ? s : `${s.slice(0, 17)}…`) },
    caption: caption ?? "Paper reference (Sharma et al. 2018). Bars: share remaining implied by multiplying the stated stage rates; labels: each stage's own pass rate.",
    marks: [
      Plot.barX(rows, { x1: floor, x2: "implied_remaining", y: "stage", fill: "var(--theme-foreground-focus)", fillOpacity: 0.75 }),
      Plot.text(rows, {
        x: "implied_remaining",
        y: "stage",
        text: label,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.tickX(stated, { x: "stated_overall", y: "stage", stroke: "currentColor", strokeWidth: 3 }),
      Plot.text(stated, {
        x: "stated_overall",
        y: "stage",
        text: (d: FunnelStage) => `stated overall ≈ ${pct(d.stated_overall!)}`,
        dy: 16,
        textAnchor: "middle",
        fontSize: 10,
      }),
    ],
  });
  if (id) chart.id = id;
  return chart;
}

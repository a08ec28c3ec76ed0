import * as Plot from "@observablehq/plot";
import { framed } from "./plot-frame.js";

/** A noise class's observed share in the crawl beside its configured rate (synth-summary.json noiseClasses). */
export interface NoiseClassShare {
  noise_class: string;
  count: number;
  share: number;
  configured_rate: number;
}

const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

/** Bars: share of alt-texts in each noise class; ticks: the configured rate it was drawn at. */
export function noiseClassChart(rows: readonly NoiseClassShare[], { width }: { width: number }): SVGSVGElement | HTMLElement {
  const sorted = [...rows].sort((a, b) => b.share - a.share);
  return Plot.plot({
    height: 40 + sorted.length * 26,
    ...framed(width, { marginLeft: 140, marginRight: 60 }),
    x: { label: "Share of alt-texts →", tickFormat: (v: number) => percent.format(v), grid: true },
    y: { domain: sorted.map((d) => d.noise_class), label: null },
    caption: "Bars: share observed in the built-in crawl; black ticks: the configured rate (our defaults, not the paper's).",
    marks: [
      Plot.barX(sorted, { x: "share", y: "noise_class", fill: "var(--theme-foreground-focus)", fillOpacity: 0.7 }),
      Plot.tickX(sorted, { x: "configured_rate", y: "noise_class", stroke: "currentColor", strokeWidth: 2 }),
      Plot.text(sorted, { x: "share", y: "noise_class", text: (d: NoiseClassShare) => `${d.count}`, textAnchor: "start", dx: 4 }),
    ],
  });
}

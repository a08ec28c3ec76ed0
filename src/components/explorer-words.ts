import * as Plot from "@observablehq/plot";
import { framed } from "./plot-frame.js";
import type { TermCount } from "../lib/explore/index.js";

export interface TermChartOptions {
  width: number;
  /** What the terms are ("Words", "Bigrams"): the chart's heading and axis. */
  label: string;
  id?: string;
}

const number = new Intl.NumberFormat("en-US");

/** Horizontal bars of term counts, most frequent first, each labelled with its count; terms are set as text by Plot. */
export function termChart(terms: readonly TermCount[], { width, label, id }: TermChartOptions): HTMLElement {
  const root = document.createElement("figure");
  root.className = "explore-terms";
  if (id) root.id = id;
  const heading = document.createElement("h3");
  heading.textContent = label;
  root.appendChild(heading);
  if (terms.length === 0) {
    const empty = document.createElement("p");
    empty.className = "explore-note";
    empty.textContent = "No words in the selection.";
    root.appendChild(empty);
    return root;
  }
  const longest = Math.max(...terms.map((t) => t.term.length));
  root.appendChild(
    Plot.plot({
      height: 28 + terms.length * 18,
      ...framed(width, { marginLeft: Math.min(170, 14 + longest * 7), marginRight: 48 }),
      x: { label: "Occurrences →", grid: true, tickFormat: "s" },
      y: { label: null, domain: terms.map((t) => t.term) },
      ariaLabel: `${label}: occurrences`,
      marks: [
        Plot.barX(terms, { x: "count", y: "term", fill: "var(--theme-foreground-focus)", fillOpacity: 0.7, title: (t: TermCount) => `${t.term}: ${number.format(t.count)}` }),
        Plot.text(terms, { x: "count", y: "term", text: (t: TermCount) => number.format(t.count), textAnchor: "start", dx: 3 }),
      ],
    }),
  );
  // The same numbers as text, for reading and copying (and for screen readers).
  const list = document.createElement("ol");
  list.className = "explore-term-list";
  for (const t of terms) {
    const item = document.createElement("li");
    item.dataset.term = t.term;
    item.dataset.count = String(t.count);
    item.textContent = `${t.term} (${number.format(t.count)})`;
    list.appendChild(item);
  }
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "as a list";
  details.append(summary, list);
  root.appendChild(details);
  return root;
}

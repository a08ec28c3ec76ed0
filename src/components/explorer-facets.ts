import * as Plot from "@observablehq/plot";
import { framed } from "./plot-frame.js";
import type { FacetInfo, FacetResult, HistogramBin, Range, RangeInfo } from "../lib/explore/index.js";

const number = new Intl.NumberFormat("en-US");
export const NONE_LABEL = "(none)";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface FacetListOptions {
  facet: FacetInfo;
  /** Called with the value whose box was toggled. */
  onToggle(value: string | null, checked: boolean): void;
}

/**
 * A facet as a group of checkboxes, one per value with its count under the other filters.
 * Values are set as text; each box has a stable focus key so focus survives a re-render.
 */
export function facetList(result: FacetResult, { facet, onToggle }: FacetListOptions): HTMLFieldSetElement {
  const fieldset = el("fieldset", "explore-facet");
  fieldset.dataset.facet = facet.id;
  fieldset.appendChild(el("legend", undefined, facet.label));
  const list = el("ul");
  for (const v of result.values) {
    const item = el("li");
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = v.selected;
    box.value = v.value ?? "";
    box.dataset.focusKey = `facet:${facet.id}:${v.value ?? "\u0000"}`;
    box.dataset.none = String(v.value === null);
    box.addEventListener("change", () => onToggle(v.value, box.checked));
    label.append(box, " ", el("span", "explore-facet-value", v.value ?? NONE_LABEL), " ", el("span", "explore-facet-count", number.format(v.count)));
    item.appendChild(label);
    list.appendChild(item);
  }
  fieldset.appendChild(list);
  const hidden = result.distinct - result.values.filter((v) => v.count > 0 || v.selected).length;
  if (hidden > 0) fieldset.appendChild(el("p", "explore-note", `${number.format(hidden)} more value${hidden === 1 ? "" : "s"} not listed (search or the SQL console reach them)`));
  return fieldset;
}

export interface RangeFacetOptions {
  width: number;
  range: RangeInfo;
  selection: Range | undefined;
  onChange(range: Range): void;
}

const inRange = (b: HistogramBin, r: Range | undefined) => !r || ((r.min === null || (b.x1 ?? Infinity) >= r.min) && (r.max === null || b.x0 <= r.max));

/**
 * A histogram of a numeric column under the other filters, the selected range highlighted, with
 * min/max inputs (the keyboard way to set it); clicking a bar selects that bin.
 */
export function rangeFacet(bins: readonly HistogramBin[], { width, range, selection, onChange }: RangeFacetOptions): HTMLElement {
  const root = el("div", "explore-range");
  root.dataset.range = range.id;
  const heading = el("h3", undefined, `${range.label} (${range.unit})`);
  root.appendChild(heading);
  const last = bins[bins.length - 1];
  const step = bins.length > 1 ? bins[1]!.x0 - bins[0]!.x0 : 1;
  const end = (b: HistogramBin) => (b.x1 === null ? b.x0 + step : b.x1 + 1);
  const label = (b: HistogramBin) => (b.x1 === null ? `≥ ${b.x0}` : b.x1 === b.x0 ? `${b.x0}` : `${b.x0}–${b.x1}`);
  const chart = Plot.plot({
    height: 130,
    ...framed(width, { marginLeft: 44, marginRight: 20 }),
    marginBottom: 34,
    x: { label: `${range.label} (${range.unit}) →`, domain: [0, last ? end(last) : 1] },
    y: { label: "↑ Captions", grid: true, tickFormat: "s" },
    ariaLabel: `Histogram of ${range.label.toLowerCase()}`,
    marks: [
      Plot.rectY(bins, {
        x1: "x0",
        x2: end,
        y: "count",
        insetLeft: 0.5,
        fill: (b: HistogramBin) => (inRange(b, selection) ? "selected" : "outside"),
        title: (b: HistogramBin) => `${label(b)} ${range.unit}: ${number.format(b.count)} captions`,
      }),
      Plot.ruleY([0]),
    ],
    color: { domain: ["selected", "outside"], range: ["var(--theme-foreground-focus)", "var(--theme-foreground-faint)"] },
  });
  chart.addEventListener("click", (e) => {
    const event = e as MouseEvent;
    const scale = (chart as unknown as { scale(name: string): { invert?(v: number): number } }).scale("x");
    const box = chart.getBoundingClientRect();
    const x = scale.invert?.(event.clientX - box.left);
    const bin = x === undefined ? undefined : bins.find((b) => x >= b.x0 && x < end(b));
    if (bin) onChange({ min: bin.x0, max: bin.x1 });
  });
  root.appendChild(chart);
  const controls = el("div", "explore-range-inputs");
  const input = (which: "min" | "max") => {
    const field = el("input");
    field.type = "number";
    field.min = "0";
    field.step = "1";
    field.inputMode = "numeric";
    field.value = selection?.[which] === null || selection?.[which] === undefined ? "" : String(selection[which]);
    field.dataset.focusKey = `range:${range.id}:${which}`;
    field.setAttribute("aria-label", `${which === "min" ? "Smallest" : "Largest"} ${range.label.toLowerCase()} (${range.unit})`);
    field.placeholder = which;
    return field;
  };
  const min = input("min"), max = input("max");
  const apply = () => {
    const read = (f: HTMLInputElement) => (f.value.trim() === "" || !Number.isFinite(Number(f.value)) ? null : Math.max(0, Math.trunc(Number(f.value))));
    let lo = read(min), hi = read(max);
    if (lo !== null && hi !== null && lo > hi) [lo, hi] = [hi, lo];
    onChange({ min: lo, max: hi });
  };
  min.addEventListener("change", apply);
  max.addEventListener("change", apply);
  const clear = el("button", undefined, "All");
  clear.type = "button";
  clear.dataset.focusKey = `range:${range.id}:clear`;
  clear.disabled = !selection;
  clear.addEventListener("click", () => onChange({ min: null, max: null }));
  controls.append(el("span", undefined, "from "), min, el("span", undefined, " to "), max, " ", clear);
  root.appendChild(controls);
  return root;
}

import * as Plot from "@observablehq/plot";
import type { CaptionScores, ModelAggregate, TestImage } from "../lib/captioning/index.js";
import type { HumanEvalRow } from "../lib/reference/index.js";
import { recordTable } from "./record-table.js";
import { downloadBlob } from "./download.js";

/** One test image as the page holds it: the evaluation file's row, captions of every model shown (the upload too). */
export type ShownImage = TestImage & { captions: Record<string, CaptionScores> };

export const MODEL_LABELS: Record<string, string> = { coco: "COCO-trained", conceptual: "Conceptual-trained", uploaded: "Uploaded results" };
export const modelLabel = (m: string): string => MODEL_LABELS[m] ?? m;

/** The test image, drawn from its 64-pixel PNG at `size` CSS pixels, with its description as alt text. */
export function testImage(png: string | undefined, alt: string, size = 128): HTMLElement {
  if (!png) {
    const missing = document.createElement("div");
    missing.textContent = "(image not in the evaluation file)";
    return missing;
  }
  const img = document.createElement("img");
  img.src = `data:image/png;base64,${png}`;
  img.alt = alt;
  img.width = size;
  img.height = size;
  img.style.cssText = "image-rendering:pixelated;border:1px solid var(--theme-foreground-faintest);";
  return img;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The caption as text, its hallucinated object words wrapped in <mark> (all text set as text, never as HTML). */
export function markedCaption(caption: string, hallucinated: readonly string[]): HTMLSpanElement {
  const span = document.createElement("span");
  span.className = "cap-text";
  const words = [...new Set(hallucinated)].sort((a, b) => b.length - a.length);
  const pattern = words.length ? new RegExp(`\\b(${words.map((w) => escapeRegExp(w).replace(/\s+/g, "\\s+")).join("|")})\\b`, "gi") : null;
  let last = 0;
  for (const match of pattern ? caption.matchAll(pattern) : []) {
    span.append(caption.slice(last, match.index));
    const mark = document.createElement("mark");
    mark.textContent = match[0];
    mark.title = "names an object that is not in the image";
    span.append(mark);
    last = match.index! + match[0].length;
  }
  span.append(caption.slice(last));
  if (caption === "") span.append("(empty caption)");
  return span;
}

const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(digits));
const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)}%`);

/** One caption with its scores: the model's label, the caption, metrics, the judge's verdict, hallucinated words. */
function captionBlock(model: string, s: CaptionScores | undefined): HTMLElement {
  const div = document.createElement("div");
  div.className = "cap-caption";
  div.dataset.model = model;
  const head = document.createElement("strong");
  head.textContent = `${modelLabel(model)}: `;
  div.append(head);
  if (!s) {
    div.append("(no caption for this image)");
    return div;
  }
  div.dataset.good = String(s.good);
  div.append(markedCaption(s.caption, s.hallucinated));
  const scores = document.createElement("div");
  scores.className = "cap-scores";
  scores.textContent =
    `BLEU-4 ${fmt(s.bleu[3])} · ROUGE-L ${fmt(s.rougeL)} · CIDEr-D ${fmt(s.ciderD)} · recall ${pct(s.recall)} · judge: ${s.good ? "GOOD" : `BAD (${s.verdict})`}` +
    (s.hallucinated.length ? ` · hallucinated: ${s.hallucinated.join(", ")}` : "");
  div.append(scores);
  return div;
}

/** The side-by-side view's orders; the first is its default (where the two captioners differ most, first). */
export const SORTS = ["named objects differ first", "test order", "CIDEr-D difference (second − first)", "CIDEr-D difference (first − second)", "judge disagreement first"] as const;
export type SortKey = (typeof SORTS)[number];

/**
 * How differently two captions read an image: object categories one names and the other does not, counted over
 * both, plus a half when their words differ at all (so images whose captions differ only in wording come next).
 */
export function namedDifference(im: ShownImage, a: string | undefined, b: string | undefined): number {
  const x = a === undefined ? undefined : im.captions[a];
  const y = b === undefined ? undefined : im.captions[b];
  if (!x || !y) return 0;
  const named = (c: CaptionScores) => new Set(c.mentioned);
  const [nx, ny] = [named(x), named(y)];
  let only = 0;
  for (const m of nx) if (!ny.has(m)) only++;
  for (const m of ny) if (!nx.has(m)) only++;
  return only + (x.caption.trim() === y.caption.trim() ? 0 : 0.5);
}

/** Filters and orders the images for the side-by-side view; `models` are compared first vs second. */
export function orderImages(images: readonly ShownImage[], o: { models: readonly string[]; style: string; disagreeOnly: boolean; sort: SortKey }): ShownImage[] {
  const [a, b] = o.models;
  const diff = (im: ShownImage) => (im.captions[b!]?.ciderD ?? 0) - (im.captions[a!]?.ciderD ?? 0);
  const disagree = (im: ShownImage) => a !== undefined && b !== undefined && im.captions[a]?.good !== im.captions[b]?.good;
  const kept = images.filter((im) => (o.style === "all" || im.style === o.style) && (!o.disagreeOnly || disagree(im)));
  if (o.sort === "named objects differ first") return kept.sort((x, y) => namedDifference(y, a, b) - namedDifference(x, a, b));
  if (o.sort === "CIDEr-D difference (second − first)") return kept.sort((x, y) => diff(y) - diff(x));
  if (o.sort === "CIDEr-D difference (first − second)") return kept.sort((x, y) => diff(x) - diff(y));
  if (o.sort === "judge disagreement first") return kept.sort((x, y) => Number(disagree(y)) - Number(disagree(x)));
  return kept;
}

/** Per image, side by side: the image, every model's caption with its scores, the references. */
export function sideBySide(images: readonly ShownImage[], { models, png }: { models: readonly string[]; png: Record<string, string> }): HTMLElement {
  const list = document.createElement("div");
  list.id = "captioning-side-by-side";
  for (const im of images) {
    const row = document.createElement("section");
    row.className = "cap-row";
    row.dataset.imageId = im.imageId;
    row.style.cssText = "display:flex;flex-wrap:wrap;gap:1rem;padding:.75rem 0;border-bottom:1px solid var(--theme-foreground-faintest);";
    const figure = document.createElement("figure");
    figure.style.cssText = "margin:0;max-width:140px;";
    figure.append(testImage(png[im.imageId], im.description));
    const caption = document.createElement("figcaption");
    caption.textContent = `${im.style} · ${im.split} · objects: ${im.objects.join(", ")}`;
    figure.append(caption);
    const body = document.createElement("div");
    body.style.cssText = "flex:1 1 320px;min-width:0;";
    for (const m of models) body.append(captionBlock(m, im.captions[m]));
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = `References (${im.references.length} COCO-style captions)`;
    const ol = document.createElement("ol");
    ol.className = "cap-references";
    for (const r of im.references) {
      const li = document.createElement("li");
      li.textContent = r;
      ol.append(li);
    }
    details.append(summary, ol);
    body.append(details);
    row.append(figure, body);
    list.append(row);
  }
  if (images.length === 0) list.textContent = "No image matches these filters.";
  return list;
}

export const AGGREGATE_COLUMNS = ["model", "style", "images", "BLEU-1", "BLEU-4", "ROUGE-L", "CIDEr-D", "CHAIR-i", "CHAIR-s", "recall", "GOOD (judge)", "noun depth", "vocabulary", "distinct-2"] as const;

/** Every metric per model and style as table rows (numbers kept raw; the table formats them). */
export function aggregateRows(aggregates: Record<string, Record<string, ModelAggregate>>, models: readonly string[]): Record<string, unknown>[] {
  return models.flatMap((m) =>
    Object.entries(aggregates[m] ?? {}).map(([style, a]) => ({
      model: modelLabel(m),
      style,
      images: a.images,
      "BLEU-1": a.bleu[0],
      "BLEU-4": a.bleu[3],
      "ROUGE-L": a.rougeL,
      "CIDEr-D": a.ciderD,
      "CHAIR-i": a.chairI,
      "CHAIR-s": a.chairS,
      recall: a.recall,
      "GOOD (judge)": a.good,
      "noun depth": a.meanNounDepth,
      vocabulary: a.vocabulary,
      "distinct-2": a.distinct[1],
    })),
  );
}

const SHARES = new Set(["CHAIR-i", "CHAIR-s", "recall", "GOOD (judge)"]);

export function aggregateTable(rows: readonly Record<string, unknown>[], id = "captioning-aggregates"): HTMLTableElement {
  return recordTable(rows, {
    id,
    columns: AGGREGATE_COLUMNS,
    format: (v, c) => (typeof v !== "number" ? (v == null ? "—" : String(v)) : SHARES.has(c) ? pct(v) : c === "images" || c === "vocabulary" ? String(v) : fmt(v)),
  });
}

/** One metric per model, faceted by style. */
export function aggregateChart(rows: readonly Record<string, unknown>[], { metric, width }: { metric: string; width: number }): SVGSVGElement | HTMLElement {
  const data = rows.filter((r) => typeof r[metric] === "number");
  return Plot.plot({
    width: Math.max(width, 240),
    height: 220,
    marginBottom: 40,
    x: { axis: null },
    y: { label: metric, grid: true, percent: SHARES.has(metric) },
    color: { legend: true },
    fx: { label: null, domain: [...new Set(data.map((r) => String(r.style)))] },
    ariaLabel: `${metric} per model and style`,
    marks: [Plot.barY(data, { fx: "style", x: "model", y: metric, fill: "model", tip: true }), Plot.ruleY([0])],
  });
}

/** The paper's human evaluation (3 raters, k or more GOOD), labelled as reference values. */
export function referenceTable(rows: readonly HumanEvalRow[]): HTMLTableElement {
  return recordTable(
    rows.map((r) => ({ model: r.model, "trained on": r.trainedOn, "1+ GOOD": r.good1.value, "2+ GOOD": r.good2.value, "3+ GOOD": r.good3.value })),
    { id: "captioning-reference", format: (v) => (typeof v === "number" ? `${(100 * v).toFixed(1)}%` : String(v)) },
  );
}

/** The raters' k-or-more GOOD table (with the judge's share beside it). */
export function ratingTable(rows: readonly { model: string; items: number; share: number[] }[], raters: number, judge: Record<string, number | undefined>): HTMLTableElement {
  const columns = ["model", "rated captions", ...Array.from({ length: raters }, (_, k) => `${k + 1}+ GOOD`), "GOOD (judge, same captions)"];
  return recordTable(
    rows.map((r) => ({ model: modelLabel(r.model), "rated captions": r.items, ...Object.fromEntries(r.share.map((s, k) => [`${k + 1}+ GOOD`, s])), "GOOD (judge, same captions)": judge[r.model] })),
    { id: "captioning-ratings-table", columns, format: (v, c) => (c === "model" || c === "rated captions" ? String(v ?? "—") : pct(v as number)) },
  );
}

/** A horizontally scrolling box, so wide tables never widen a narrow page. */
export function scrollBox(el: Element): HTMLDivElement {
  const div = document.createElement("div");
  div.style.cssText = "overflow-x:auto;max-width:100%;";
  div.append(el);
  return div;
}

/** Asks the browser to save `text` (JSON) as a file. */
export function downloadText(text: string, name: string): void {
  downloadBlob(new Blob([text], { type: "application/json" }), name);
}

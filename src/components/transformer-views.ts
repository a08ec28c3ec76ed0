// Views of the transformer page: the gallery of generated samples, a grid with its lower rows hidden (the completion
// input), the zero-shot scores beside their ceilings and the paper anchor, and the report's prompts.
import { pixelCanvas } from "./dvae-views.js";

/** One generated image as the gallery shows it (a subset of the library's GeneratedImage). */
export interface GalleryImage {
  sample: number;
  rank: number;
  score: number | null;
  tokens: ArrayLike<number>;
  pixels: ArrayLike<number>;
}

export interface GalleryOptions {
  size: number; // image side in px
  prompt: string; // every image's alt text (set as an attribute, so never parsed as HTML)
  chosen?: number; // sample index of the highlighted image
  onPick?: (sample: number) => void;
  id?: string;
}

/**
 * The N samples, best first when reranked: each a button holding the decoded image, its rank and score; data-sample
 * and data-tokens carry the sampling index and the grid's ids (for copying, and tests).
 */
export function sampleGallery(images: readonly GalleryImage[], { size, prompt, chosen, onPick, id }: GalleryOptions): HTMLElement {
  const root = document.createElement("div");
  if (id) root.id = id;
  root.style.cssText = "display:flex;flex-wrap:wrap;gap:0.75rem;align-items:flex-start;";
  for (const image of images) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "transformer-sample";
    button.dataset.sample = String(image.sample);
    button.dataset.rank = String(image.rank);
    button.dataset.tokens = Array.from(image.tokens).join(",");
    const selected = image.sample === chosen;
    button.setAttribute("aria-pressed", String(selected));
    button.style.cssText = `display:flex;flex-direction:column;align-items:center;gap:0.25rem;padding:4px;background:none;cursor:pointer;font:inherit;color:inherit;border:2px solid ${selected ? "var(--theme-foreground-focus)" : "transparent"};border-radius:4px;`;
    button.appendChild(pixelCanvas(image.pixels, { size, scale: 2, label: prompt }));
    const caption = document.createElement("span");
    caption.style.cssText = "font-size:12px;font-variant-numeric:tabular-nums;";
    caption.textContent = image.score === null ? `sample ${image.sample + 1}` : `#${image.rank + 1} · score ${image.score.toFixed(3)}`;
    button.appendChild(caption);
    if (onPick) button.addEventListener("click", () => onPick(image.sample));
    root.appendChild(button);
  }
  return root;
}

/** An image with the rows below `keepRows` of a `grid`-token side greyed out: what completion starts from. */
export function keptRows(pixels: ArrayLike<number>, { size, grid, keepRows, label }: { size: number; grid: number; keepRows: number; label: string }): HTMLCanvasElement {
  const kept = Float32Array.from(pixels);
  const from = Math.round((keepRows * size) / grid) * size * 3;
  kept.fill(0.5, from);
  return pixelCanvas(kept, { size, scale: 2, label });
}

/** The zero-shot report's scores per group (the fields the page shows). */
export interface GroupScores {
  prompts: number;
  accuracy: number;
  accuracyReranked: number | null;
  objectRecall: number;
  ceilingOriginal: number;
  ceilingReconstruction: number;
}

export interface ZeroShotAnchor {
  seen: number; // the toy's accuracy on compositions it trained on
  unseen: number; // … on held-out ones
  source: string; // where the anchor comes from (shown in the header)
}

const percent = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : `${(v * 100).toFixed(1)}%`);

/**
 * Seen vs held-out compositions: accuracy without and with reranking, object recall, the judge's ceilings (the
 * prompts' real images and their dVAE reconstructions), and the paper anchor. data-value holds each raw number.
 */
export function zeroShotTable(groups: Record<"seen" | "unseen", GroupScores>, { anchor, id }: { anchor: ZeroShotAnchor; id?: string }): HTMLElement {
  const columns: [string, string][] = [
    ["group", "compositions"],
    ["prompts", "prompts"],
    ["accuracy", "all objects shown (every sample)"],
    ["accuracyReranked", "all objects shown (reranker's pick)"],
    ["objectRecall", "objects found"],
    ["ceilingOriginal", "judge on real images"],
    ["ceilingReconstruction", "judge on dVAE reconstructions"],
    ["anchor", `reference: ${anchor.source}`],
  ];
  const table = document.createElement("table");
  if (id) table.id = id;
  const head = table.createTHead().insertRow();
  for (const [, title] of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = title;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const group of ["seen", "unseen"] as const) {
    const scores = groups[group];
    const values: Record<string, unknown> = { ...scores, group, anchor: anchor[group] };
    const row = body.insertRow();
    row.dataset.group = group;
    for (const [key] of columns) {
      const cell = row.insertCell();
      const v = values[key];
      cell.dataset.column = key;
      cell.dataset.value = JSON.stringify(v ?? null);
      cell.textContent = key === "group" ? (group === "seen" ? "seen in training" : "held out (unseen)") : key === "prompts" ? String(v) : percent(v as number | null);
    }
  }
  return scrollable(table);
}

/** One prompt's outcome in the report (the fields the page shows). */
export interface PromptOutcome {
  caption: string;
  group: "seen" | "unseen";
  mentioned: string[];
  sampleFound: string[][];
  rerankedSample: number | null;
}

/**
 * The report's prompts: the objects each names, how many samples showed them all, whether the reranker's pick did,
 * and a button that puts the prompt into the prompt box.
 */
export function promptTable(prompts: readonly PromptOutcome[], { onUse, id }: { onUse?: (caption: string) => void; id?: string } = {}): HTMLElement {
  const table = document.createElement("table");
  if (id) table.id = id;
  const head = table.createTHead().insertRow();
  for (const title of ["prompt", "compositions", "objects named", "samples showing all", "reranker's pick", ""]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = title;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const p of prompts) {
    const row = body.insertRow();
    row.dataset.group = p.group;
    const all = (found: readonly string[] | undefined) => found !== undefined && p.mentioned.every((c) => found.includes(c));
    const pick = p.rerankedSample === null ? "—" : all(p.sampleFound[p.rerankedSample]) ? "all shown" : "missing some";
    const cells = [p.caption, p.group === "seen" ? "seen" : "held out", p.mentioned.join(", "), `${p.sampleFound.filter(all).length} of ${p.sampleFound.length}`, pick];
    for (const text of cells) row.insertCell().textContent = text;
    const action = row.insertCell();
    if (onUse) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "use";
      button.setAttribute("aria-label", `use the prompt: ${p.caption}`);
      button.addEventListener("click", () => onUse(p.caption));
      action.appendChild(button);
    }
  }
  return scrollable(table);
}

/** Lets a wide table scroll inside a narrow page instead of widening it. */
function scrollable(table: HTMLTableElement): HTMLElement {
  const wrap = document.createElement("div");
  wrap.style.cssText = "max-width:100%;overflow-x:auto;";
  wrap.appendChild(table);
  return wrap;
}

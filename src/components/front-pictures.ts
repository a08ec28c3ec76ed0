// The front page's pictures (front-pictures.json): generated samples for held-out prompts, scenes over their dVAE
// reconstructions, and test images with both captioners' captions. Every text is set as text, never as HTML; images
// are drawn pixel for pixel, scaled up.
import type { FrontCaption, FrontPictures } from "../lib/report/index.js";

type Available<T> = Extract<T, { available: true }>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, content?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (content !== undefined) e.textContent = content;
  if (className) e.className = className;
  return e;
}

/** An image drawn at `side` CSS pixels with nearest-neighbour scaling (the models work at 64 px). */
function pixelImage(src: string, alt: string, side: number): HTMLImageElement {
  const img = el("img");
  img.src = src;
  img.alt = alt;
  img.width = side;
  img.height = side;
  img.style.imageRendering = "pixelated";
  img.style.display = "block";
  return img;
}

/** A wrapping grid of figures, each `cell` CSS pixels wide, one per entry of `figures` (its images, then an optional caption). */
function figureGrid(id: string | undefined, cell: number, figures: readonly { images: HTMLImageElement[]; caption?: string }[]): HTMLDivElement {
  const g = el("div", undefined, "front-grid");
  if (id) g.id = id;
  Object.assign(g.style, { display: "grid", gridTemplateColumns: `repeat(auto-fill, minmax(${cell}px, 1fr))`, gap: "12px", maxWidth: "100%" });
  for (const f of figures) {
    const fig = el("figure");
    fig.style.margin = "0";
    fig.append(...f.images);
    if (f.caption !== undefined) fig.append(el("figcaption", f.caption));
    g.append(fig);
  }
  return g;
}

/** Side of one picture: as many as fit in `perRow` columns of the width, between 64 and 160 px. */
const sideFor = (width: number, perRow: number) => Math.max(64, Math.min(160, Math.floor((width - 12 * (perRow - 1)) / perRow)));

/** The transformer's sample for each held-out prompt, the prompt under it. */
export function sampleGrid(samples: Available<FrontPictures["samples"]>, { width, id }: { width: number; id?: string }): HTMLElement {
  const side = sideFor(width, width >= 640 ? 6 : 2);
  return figureGrid(id, side, samples.cells.map((c) => ({ images: [pixelImage(c.png, `generated for the held-out prompt: ${c.prompt}`, side)], caption: c.prompt })));
}

/** Each scene over its reconstruction, the scene's description as the images' names. */
export function reconstructionStrip(r: Available<FrontPictures["reconstructions"]>, { width, id }: { width: number; id?: string }): HTMLElement {
  const side = sideFor(width, width >= 640 ? 8 : 4);
  return figureGrid(id, side, r.pairs.map((p) => ({ images: [pixelImage(p.original, `scene: ${p.description}`, side), pixelImage(p.reconstruction, `the dVAE's reconstruction of: ${p.description}`, side)] })));
}

function captionLine(who: string, c: FrontCaption): HTMLElement {
  const p = el("p");
  p.style.margin = "0.25em 0";
  p.append(el("strong", `${who}: `), el("span", c.caption));
  const found = c.mentioned.filter((m) => !c.hallucinated.includes(m));
  p.append(el("br"), el("small", `names ${found.length ? found.join(", ") : "none of the objects"}${c.hallucinated.length ? `; absent: ${[...new Set(c.hallucinated)].join(", ")}` : ""}`));
  return p;
}

/** Test images with the objects they hold and both captioners' captions side by side. */
export function captionedImages(c: Available<FrontPictures["captioned"]>, { width, id }: { width: number; id?: string }): HTMLElement {
  const side = sideFor(width, width >= 640 ? 6 : 3);
  const list = el("div");
  if (id) list.id = id;
  for (const im of c.images) {
    const row = el("div");
    Object.assign(row.style, { display: "flex", gap: "12px", alignItems: "flex-start", margin: "0 0 12px 0" });
    const text = el("div");
    text.style.minWidth = "0";
    text.append(el("p", `${im.style} test image holding: ${im.objects.join(", ")}`), captionLine("COCO-trained", im.coco), captionLine("Conceptual-trained", im.conceptual));
    text.firstElementChild!.setAttribute("style", "margin: 0; font-style: italic");
    row.append(pixelImage(im.png, `${im.style} test image holding ${im.objects.join(", ")}`, side), text);
    list.append(row);
  }
  return list;
}

import { STYLES, STYLE_DOMAIN, drawScene, emojiSourceFromSheet, type EmojiSheet, type Scene } from "../lib/synth/index.js";

/** One image as the grid shows it: a row of synth-images.arrow joined with its alt-text and captions. */
export interface SceneCard {
  image_id: string;
  style: string;
  kind: string;
  format: string;
  width: number;
  height: number;
  description: string;
  scene_json: string;
  alt_text: string;
  alt_present: boolean;
  noise_class: string;
  captions: readonly string[];
}

export interface SceneGridOptions {
  width: number;
  /** The emoji SVGs (synth-emoji.json). */
  emoji: EmojiSheet;
  /** Cards per style (default 6). */
  perStyle?: number;
  id?: string;
}

/** Joins image rows with their alt-text (candidates) and captions; photos first, as the grid shows them. */
export function sceneCards(
  images: readonly Omit<SceneCard, "alt_text" | "alt_present" | "noise_class" | "captions">[],
  candidates: readonly { image_id: string; alt_text: string; alt_present: boolean; noise_class: string }[],
  captions: readonly { image_id: string; caption_index: number; caption: string }[],
): SceneCard[] {
  const alt = new Map(candidates.map((c) => [c.image_id, c]));
  const byImage = new Map<string, string[]>();
  for (const c of [...captions].sort((a, b) => a.caption_index - b.caption_index)) {
    byImage.set(c.image_id, [...(byImage.get(c.image_id) ?? []), c.caption]);
  }
  const rank = (kind: string) => ["photo", "thumbnail", "banner", "icon"].indexOf(kind);
  return images
    .map((im) => {
      const a = alt.get(im.image_id);
      return { ...im, alt_text: a?.alt_text ?? "", alt_present: a?.alt_present ?? false, noise_class: a?.noise_class ?? "unknown", captions: byImage.get(im.image_id) ?? [] };
    })
    .sort((x, y) => rank(x.kind) - rank(y.kind));
}

function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string, className?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

/**
 * Scenes drawn in the browser from their scene description (the same SVG the Node renderer
 * rasterises), one section per style, each with its crawled alt-text, tagged with its noise
 * class, and its five COCO-style captions. All data is set as text, never as HTML.
 */
export function sceneGrid(cards: readonly SceneCard[], { width, emoji, perStyle = 6, id }: SceneGridOptions): HTMLElement {
  const source = emojiSourceFromSheet(emoji);
  const root = document.createElement("div");
  if (id) root.id = id;
  const columns = Math.max(1, Math.min(perStyle, Math.floor(width / 230)));
  const cell = Math.floor((width - (columns - 1) * 12) / columns);
  for (const style of STYLES) {
    const section = document.createElement("section");
    section.dataset.style = style;
    section.appendChild(text("h3", `${style} — ${STYLE_DOMAIN[style]}`));
    const grid = document.createElement("div");
    grid.style.cssText = `display:grid;grid-template-columns:repeat(${columns},minmax(0,1fr));gap:12px;`;
    for (const card of cards.filter((c) => c.style === style).slice(0, perStyle)) {
      const scene = JSON.parse(card.scene_json) as Scene;
      const figure = document.createElement("figure");
      figure.style.cssText = "margin:0;font-size:12px;";
      figure.dataset.imageId = card.image_id;
      const w = Math.min(cell, scene.width), h = Math.max(1, Math.round((w * scene.height) / scene.width));
      const img = document.createElement("img");
      img.alt = card.description;
      img.width = w;
      img.height = h;
      img.style.cssText = "display:block;max-width:100%;height:auto;border:1px solid var(--theme-foreground-faintest);";
      // Drawn on a canvas by the browser renderer, then shown as an image with the scene's ground truth as its alt text.
      void drawScene(scene, source, { width: w, height: h }).then(
        (canvas) => {
          img.src = (canvas as HTMLCanvasElement).toDataURL("image/png");
        },
        (error: unknown) => figure.appendChild(text("p", `could not draw ${card.image_id}: ${String(error)}`, "scene-error")),
      );
      figure.appendChild(img);
      const caption = document.createElement("figcaption");
      caption.appendChild(text("div", `${card.image_id} · ${card.kind} · ${card.format} ${card.width}×${card.height}`, "scene-meta"));
      const alt = document.createElement("div");
      alt.className = "scene-alt";
      alt.appendChild(text("span", card.noise_class, "noise-class"));
      alt.appendChild(document.createTextNode(" "));
      alt.appendChild(text("q", card.alt_present ? card.alt_text : "(no alt attribute)", "alt-text"));
      caption.appendChild(alt);
      const list = document.createElement("ol");
      list.className = "coco-captions";
      list.style.cssText = "margin:4px 0 0;padding-left:18px;";
      for (const c of card.captions) list.appendChild(text("li", c));
      caption.appendChild(list);
      figure.appendChild(caption);
      grid.appendChild(figure);
    }
    section.appendChild(grid);
    root.appendChild(section);
  }
  return root;
}

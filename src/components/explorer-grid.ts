import type { ExploreRow, ImageSource } from "../lib/explore/index.js";
import { drawScene, emojiSourceFromSheet, type EmojiSheet, type Scene } from "../lib/synth/index.js";

/** One grid row: the explore columns of a selected row, less the token list the grid never shows. */
export type GridRow = Omit<ExploreRow, "tokens">;

export interface GridImages {
  source: ImageSource;
  /** Synthetic: scenes by image id (explore-synth-scenes.arrow) and the emoji sheet. */
  scenes?: ReadonlyMap<string, { scene_json: string; description: string }>;
  emoji?: EmojiSheet;
  /** COCO: thumbnails (data URLs) by file name. */
  thumbnails?: Readonly<Record<string, string>>;
  /** Web images are fetched from their hosts only when this is true. */
  remote: boolean;
}

export interface SampleGridOptions {
  width: number;
  images: GridImages;
  id?: string;
}

const THUMB = 168;
const isWebUrl = (url: string | null): url is string => !!url && /^https?:\/\//i.test(url);

function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.textContent = content;
  if (className) e.className = className;
  return e;
}

function placeholder(message: string): HTMLElement {
  const box = text("div", message, "explore-thumb explore-thumb-empty");
  box.style.height = `${Math.round(THUMB * 0.66)}px`;
  return box;
}

/** The picture of a row: drawn (synthetic), embedded (COCO thumbnail), remote (web, when allowed) or a placeholder that says why. */
function picture(row: GridRow, images: GridImages, emoji: ReturnType<typeof emojiSourceFromSheet> | null): HTMLElement {
  if (images.source === "synthetic" && row.image) {
    const entry = images.scenes?.get(row.image);
    if (!entry || !emoji) return placeholder("scene not available");
    const scene = JSON.parse(entry.scene_json) as Scene;
    const w = Math.min(THUMB, scene.width), h = Math.max(1, Math.round((w * scene.height) / scene.width));
    const img = document.createElement("img");
    img.className = "explore-thumb";
    img.alt = entry.description;
    img.width = w;
    img.height = h;
    // Drawn in the browser from the scene description; never fetched.
    void drawScene(scene, emoji, { width: w, height: h }).then(
      (canvas) => (img.src = (canvas as HTMLCanvasElement).toDataURL("image/png")),
      (error: unknown) => img.replaceWith(placeholder(`could not draw: ${String(error)}`)),
    );
    return img;
  }
  if (images.source === "coco" && row.image) {
    const src = images.thumbnails?.[row.image];
    if (!src) return placeholder(`no thumbnail for ${row.image} (set CCW_IMAGES to the image folder)`);
    const img = document.createElement("img");
    img.className = "explore-thumb";
    img.alt = `COCO image ${row.image}`;
    img.src = src;
    return img;
  }
  if (images.source === "web" && isWebUrl(row.url)) {
    if (!images.remote) return placeholder(`web image on ${row.domain ?? "another host"} (remote images are off)`);
    const img = document.createElement("img");
    img.className = "explore-thumb";
    img.alt = `web image from ${row.domain ?? "another host"}`;
    img.loading = "lazy";
    img.referrerPolicy = "no-referrer";
    img.addEventListener("error", () => img.replaceWith(placeholder(`could not load the image from ${row.domain ?? "its host"}`)), { once: true });
    img.src = row.url;
    return img;
  }
  return placeholder("no image");
}

/** Cards of selected rows: picture, caption (always as text) and the row's facts. */
export function sampleGrid(rows: readonly GridRow[], { width, images, id }: SampleGridOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "explore-grid";
  if (id) root.id = id;
  root.style.gridTemplateColumns = `repeat(${Math.max(1, Math.floor((width + 12) / (THUMB + 24)))}, minmax(0, 1fr))`;
  const emoji = images.emoji ? emojiSourceFromSheet(images.emoji) : null;
  for (const row of rows) {
    const card = document.createElement("figure");
    card.className = "explore-card";
    card.dataset.rowId = String(row.row_id);
    for (const key of ["noise_class", "status", "style"] as const) if (row[key] !== null) card.dataset[key === "noise_class" ? "noiseClass" : key] = row[key]!;
    card.appendChild(picture(row, images, emoji));
    const caption = document.createElement("figcaption");
    caption.appendChild(text("p", row.caption === "" ? "(empty caption)" : row.caption, "explore-caption"));
    const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
    const facts = [row.id, plural(row.chars, "char"), plural(row.words, "word"), row.noise_class, row.status, row.style, row.categories?.replaceAll(",", ", ") || null, row.domain];
    caption.appendChild(text("p", facts.filter((f) => f !== null && f !== "").join(" · "), "explore-meta"));
    // Synthetic and COCO rows carry no fetchable image URL worth a link; web rows do.
    if (images.source === "web" && isWebUrl(row.url)) {
      const link = text("a", "image URL", "explore-link");
      link.href = row.url;
      link.rel = "noopener noreferrer nofollow";
      link.target = "_blank";
      caption.appendChild(link);
    }
    card.appendChild(caption);
    root.appendChild(card);
  }
  if (rows.length === 0) root.appendChild(text("p", "No caption matches the current search and filters.", "explore-note"));
  return root;
}

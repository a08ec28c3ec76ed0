import { drawScene, emojiSourceFromSheet, type EmojiSheet, type Scene } from "../lib/synth/index.js";
import { recordTable } from "./record-table.js";

/** One example row of examplesQuery (the image's URL and state, the alt-text, the feature value). */
export interface ExampleRow extends Record<string, unknown> {
  url: string | null;
  image_state: string;
}

/** The crawl's image by URL (synth-images.arrow): its scene, ground-truth description and HTTP status. */
export interface CrawlImage {
  scene_json: string;
  description: string;
  http_status: number;
}

export interface ExamplesOptions {
  images: ReadonlyMap<string, CrawlImage>;
  emoji: EmojiSheet;
  /** Thumbnail width in px (narrower scenes are drawn at their own size). */
  thumb?: number;
  columns?: readonly string[];
  format?: (value: unknown, column: string) => string;
  id?: string;
}

const SERVED = new Set(["ok", "too_many_pixels"]);

function placeholder(label: string): HTMLElement {
  const box = document.createElement("div");
  box.className = "example-thumb example-thumb-missing";
  box.textContent = label;
  box.style.cssText = "width:96px;min-height:54px;display:flex;align-items:center;justify-content:center;text-align:center;font-size:11px;" +
    "border:1px dashed var(--theme-foreground-faint);color:var(--theme-foreground-muted);";
  return box;
}

/** The example's thumbnail: the crawl's scene drawn in the browser, or a placeholder that says why there is none. */
function thumbnail(row: ExampleRow, images: ReadonlyMap<string, CrawlImage>, emoji: ReturnType<typeof emojiSourceFromSheet>, thumb: number): HTMLElement {
  const image = row.url === null ? undefined : images.get(row.url);
  if (!image) return placeholder(row.url === null ? "no image URL" : "not in the crawl's image table");
  if (!SERVED.has(row.image_state)) {
    return placeholder(row.image_state === "missing" ? `image missing (HTTP ${image.http_status})` : `broken image (${row.image_state.replace(/_/g, " ")})`);
  }
  const scene = JSON.parse(image.scene_json) as Scene;
  const w = Math.min(thumb, scene.width), h = Math.max(1, Math.round((w * scene.height) / scene.width));
  const img = document.createElement("img");
  img.className = "example-thumb";
  img.alt = image.description;
  img.width = w;
  img.height = h;
  img.style.display = "block";
  // Drawn from the scene the crawl rendered; the crawl's hosts are fictitious, so nothing is fetched.
  void drawScene(scene, emoji, { width: w, height: h }).then(
    (canvas) => (img.src = (canvas as HTMLCanvasElement).toDataURL("image/png")),
    (error: unknown) => img.replaceWith(placeholder(`could not draw: ${String(error)}`)),
  );
  return img;
}

/** The examples as a record table with a first column of thumbnails. */
export function attritionExamples(rows: readonly ExampleRow[], { images, emoji, thumb = 96, columns, format, id }: ExamplesOptions): HTMLTableElement {
  const table = recordTable(rows, { columns, format, id });
  const th = document.createElement("th");
  th.scope = "col";
  th.textContent = "image";
  table.tHead?.rows[0]?.prepend(th);
  const source = emojiSourceFromSheet(emoji);
  rows.forEach((row, i) => {
    const td = document.createElement("td");
    td.dataset.column = "image";
    td.append(thumbnail(row, images, source, thumb));
    table.tBodies[0]?.rows[i]?.prepend(td);
  });
  return table;
}

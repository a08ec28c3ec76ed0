/** A crawled page as the HTML its server would send: header logo, article with figures, related thumbnails, a banner. */
import type { CrawlImage, CrawlPage } from "./crawl.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function img(image: CrawlImage): string {
  const alt = image.alt.present ? ` alt="${escapeHtml(image.alt.text)}"` : "";
  const size = image.declaresSize ? ` width="${image.width}" height="${image.height}"` : "";
  return `<img src="${escapeHtml(image.src)}"${alt}${size}>`;
}

export function pageHtml(page: CrawlPage): string {
  const icons = page.images.filter((i) => i.kind === "icon");
  const banners = page.images.filter((i) => i.kind === "banner");
  const body = page.images.filter((i) => i.kind !== "icon" && i.kind !== "banner");
  const [main, ...related] = body;
  const lines = [
    "<!doctype html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>`,
    "<body>",
    `<header>${icons.map(img).join("")}<a href="/">${escapeHtml(page.siteName)}</a></header>`,
    "<main><article>",
    `<h1>${escapeHtml(page.title.replace(/ \| .*$/, ""))}</h1>`,
    ...(main ? [`<figure>${img(main)}</figure>`] : []),
    ...page.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...related.map((image) => `<div class="related">${img(image)}</div>`),
    "</article></main>",
    ...banners.map((image) => `<aside class="ad">${img(image)}</aside>`),
    `<footer>&copy; ${escapeHtml(page.siteName)}</footer>`,
    "</body>",
    "</html>",
    "",
  ];
  return lines.join("\n");
}

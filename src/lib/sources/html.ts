/**
 * `<img>` candidates from an HTML page, with parse5 (a spec-compliant HTML parser): each image's
 * absolute `src`, its `alt` text, the page's title and how much text surrounds the image. Text
 * inside `<script>`, `<style>` and `<template>` is never parsed as markup, so markup written by a
 * script does not produce candidates; attribute values are returned as plain strings, never
 * re-parsed or rendered here, so an `alt` holding `<script>` stays inert text.
 */
import { parse, type DefaultTreeAdapterTypes } from "parse5";
import type { ReadError } from "./types.js";

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** One `<img>` element found in a page. */
export interface ImgCandidate {
  /** 0-based position of the `<img>` among the page's `<img>` elements (including ones without a usable src). */
  imgIndex: number;
  /** Absolute http(s) URL of the image, resolved against `<base href>` or the page URL. */
  src: string;
  /** The `alt` attribute exactly as the page gives it (entities decoded); null when the attribute is absent. */
  alt: string | null;
  /** The `width`/`height` attributes when they are plain integers, else null. */
  widthAttr: number | null;
  heightAttr: number | null;
  /** Characters of visible text (whitespace collapsed) in the image's nearest block-level ancestor: how much prose surrounds it. */
  contextChars: number;
}

export interface PageImages {
  /** The page's `<title>`, whitespace collapsed; null when absent or empty. */
  title: string | null;
  candidates: ImgCandidate[];
  /** `<img>` elements that could not become candidates (kinds `img_without_src`, `img_bad_src`). */
  problems: { kind: ReadError["kind"]; imgIndex: number; message: string }[];
}

/** Elements whose text is not page prose. */
const NON_TEXT = new Set(["script", "style", "template", "noscript", "head"]);
/** Elements that delimit "the text around an image". */
const BLOCKS = new Set([
  "p", "div", "li", "td", "th", "figure", "section", "article", "header", "footer", "main", "aside",
  "blockquote", "dd", "dt", "body", "table", "ul", "ol", "form", "nav", "h1", "h2", "h3", "h4", "h5", "h6",
]);

function attr(el: Element, name: string): string | null {
  for (const a of el.attrs) if (a.name === name) return a.value;
  return null;
}

function children(node: Node): Node[] {
  return "childNodes" in node ? (node.childNodes as Node[]) : [];
}

function isElement(node: Node): node is Element {
  return "tagName" in node;
}

/** Visible text length of a subtree, whitespace runs counted as one space, ends trimmed. */
function textLength(root: Node, memo: Map<Node, number>): number {
  const cached = memo.get(root);
  if (cached !== undefined) return cached;
  let length = 0;
  let pendingSpace = false;
  const walk = (node: Node) => {
    if (node.nodeName === "#text") {
      const value = (node as DefaultTreeAdapterTypes.TextNode).value;
      for (const part of value.split(/(\s+)/)) {
        if (part === "") continue;
        if (/^\s/.test(part)) pendingSpace = length > 0;
        else {
          length += part.length + (pendingSpace ? 1 : 0);
          pendingSpace = false;
        }
      }
      return;
    }
    if (isElement(node) && NON_TEXT.has(node.tagName)) return;
    for (const child of children(node)) walk(child);
  };
  walk(root);
  memo.set(root, length);
  return length;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function intAttr(value: string | null): number | null {
  if (value === null || !/^\s*\d{1,7}\s*$/.test(value)) return null;
  return Number(value);
}

/** Extracts every `<img>` of an HTML page; `pageUrl` is the base for relative URLs. Never throws on bad HTML. */
export function extractImages(html: string, pageUrl: string): PageImages {
  // scriptingEnabled false: <noscript> content is parsed as markup, where lazy-loading pages keep their real <img>.
  const document = parse(html, { scriptingEnabled: false });
  let base: URL | null = URL.canParse(pageUrl) ? new URL(pageUrl) : null;
  let title: string | null = null;
  let baseSeen = false;
  const imgs: { el: Element; block: Node }[] = [];

  const walk = (node: Node, block: Node) => {
    if (isElement(node)) {
      const tag = node.tagName;
      if (tag === "script" || tag === "style") return;
      if (tag === "template") return; // inert content, not rendered
      const href = tag === "base" ? attr(node, "href")?.trim() : undefined;
      if (href && !baseSeen) {
        // Only the first <base href> counts, as in browsers.
        baseSeen = true;
        if (URL.canParse(href, base ?? undefined)) base = new URL(href, base ?? undefined);
      }
      if (tag === "title" && title === null) title = collapse(children(node).map((c) => (c as DefaultTreeAdapterTypes.TextNode).value ?? "").join("")) || null;
      if (tag === "img") imgs.push({ el: node, block });
      if (BLOCKS.has(tag)) block = node;
    }
    for (const child of children(node)) walk(child, block);
  };
  walk(document, document);

  const memo = new Map<Node, number>();
  const candidates: ImgCandidate[] = [];
  const problems: PageImages["problems"] = [];
  imgs.forEach(({ el, block }, imgIndex) => {
    const rawSrc = attr(el, "src")?.trim() || attr(el, "data-src")?.trim() || "";
    if (rawSrc === "") {
      problems.push({ kind: "img_without_src", imgIndex, message: `<img> #${imgIndex} has no src` });
      return;
    }
    if (/^data:/i.test(rawSrc)) {
      problems.push({ kind: "img_without_src", imgIndex, message: `<img> #${imgIndex} has an inline data: URI, not a fetchable URL` });
      return;
    }
    const resolved = base && URL.canParse(rawSrc, base) ? new URL(rawSrc, base) : URL.canParse(rawSrc) ? new URL(rawSrc) : null;
    if (!resolved || (resolved.protocol !== "http:" && resolved.protocol !== "https:")) {
      problems.push({ kind: "img_bad_src", imgIndex, message: `<img> #${imgIndex} src ${JSON.stringify(rawSrc.slice(0, 120))} is not an http(s) URL` });
      return;
    }
    candidates.push({
      imgIndex,
      src: resolved.href,
      alt: attr(el, "alt"),
      widthAttr: intAttr(attr(el, "width")),
      heightAttr: intAttr(attr(el, "height")),
      contextChars: textLength(block, memo),
    });
  });
  return { title, candidates, problems };
}

/** The charset named by a Content-Type header or a `<meta>` in the first 2 KB, else "utf-8". */
export function sniffCharset(contentType: string | null, head: Uint8Array): string {
  const fromHeader = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  const prefix = new TextDecoder("latin1").decode(head.subarray(0, 2048));
  const fromMeta = prefix.match(/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i)?.[1];
  for (const label of [fromHeader, fromMeta]) {
    if (!label) continue;
    try {
      new TextDecoder(label);
      return label.toLowerCase();
    } catch {
      // unknown label: try the next source
    }
  }
  return "utf-8";
}

/** Decodes an HTML payload with its declared charset (invalid bytes become U+FFFD). */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): string {
  return new TextDecoder(sniffCharset(contentType, bytes)).decode(bytes);
}

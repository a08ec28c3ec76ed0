/**
 * `<img>` candidates from an HTML page, with parse5 (a spec-compliant HTML parser): each image's
 * absolute `src`, its `alt` text, the page's title and how much text surrounds the image. Text
 * inside `<script>`, `<style>` and `<template>` is never parsed as markup, so markup written by a
 * script does not produce candidates; attribute values are returned as plain strings, never
 * re-parsed or rendered here, so an `alt` holding `<script>` stays inert text.
 */
import { defaultTreeAdapter, parse, type DefaultTreeAdapterMap, type DefaultTreeAdapterTypes, type TreeAdapter } from "parse5";
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
  /** Why the page was not read at all (it nests deeper than `maxDepth` or holds more than `maxElements`); null when it was. */
  refused: string | null;
}

/**
 * Bounds on the parsed tree. parse5's work per start tag grows with the nesting depth (40,000
 * nested `<div>` take 21 s), and some markup makes it create elements quadratically (27 KB of
 * `<b id=n><p>` would make 2 million), so a page's cost is at most about maxElements × maxDepth
 * steps (~3 s with the defaults).
 */
export interface HtmlLimits {
  /** Deepest element nesting read; deeper pages are refused. Default 512, where Chrome's parser stops nesting too. */
  maxDepth?: number;
  /** Most elements a page may create; pages with more are refused. Default 200,000 (large real pages have tens of thousands). */
  maxElements?: number;
}

export const DEFAULT_HTML_LIMITS: Required<HtmlLimits> = { maxDepth: 512, maxElements: 200_000 };

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

/** Visible text length of a subtree, whitespace runs counted as one space, ends trimmed. Iterative: no recursion on depth. */
function textLength(root: Node, memo: Map<Node, number>): number {
  const cached = memo.get(root);
  if (cached !== undefined) return cached;
  let length = 0;
  let pendingSpace = false;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
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
      continue;
    }
    if (isElement(node) && NON_TEXT.has(node.tagName)) continue;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!); // reversed: popped in document order
  }
  memo.set(root, length);
  return length;
}

/** Thrown from the tree adapter to stop parse5 on a page over the limits. */
class PageRefused extends Error {}

/** parse5's default tree, refusing pages over the limits while they are built (parse5 itself keeps no such bound). */
function boundedAdapter(limits: Required<HtmlLimits>): TreeAdapter<DefaultTreeAdapterMap> {
  const depth = new WeakMap<Node, number>();
  // A <template>'s content fragment sits at its template's depth; parse5 attaches it before placing the template.
  const templateOf = new WeakMap<Node, Node>();
  let elements = 0;
  const depthOf = (node: Node): number => depth.get(node) ?? (templateOf.has(node) ? depthOf(templateOf.get(node)!) : 0);
  const place = (parent: Node, child: Node) => {
    const d = depthOf(parent) + 1;
    if (d > limits.maxDepth) throw new PageRefused(`elements nest deeper than maxDepth ${limits.maxDepth}`);
    depth.set(child, d);
  };
  return {
    ...defaultTreeAdapter,
    createElement(tagName, namespaceURI, attrs) {
      if (++elements > limits.maxElements) throw new PageRefused(`more than maxElements ${limits.maxElements} elements`);
      return defaultTreeAdapter.createElement(tagName, namespaceURI, attrs);
    },
    appendChild(parent, child) {
      place(parent, child);
      defaultTreeAdapter.appendChild(parent, child);
    },
    insertBefore(parent, child, reference) {
      place(parent, child);
      defaultTreeAdapter.insertBefore(parent, child, reference);
    },
    setTemplateContent(template, content) {
      templateOf.set(content, template);
      defaultTreeAdapter.setTemplateContent(template, content);
    },
  };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function intAttr(value: string | null): number | null {
  if (value === null || !/^\s*\d{1,7}\s*$/.test(value)) return null;
  return Number(value);
}

/**
 * Extracts every `<img>` of an HTML page; `pageUrl` is the base for relative URLs. Never throws on
 * bad HTML: a page over the {@link HtmlLimits} comes back with `refused` set and no candidates.
 */
export function extractImages(html: string, pageUrl: string, limits: HtmlLimits = {}): PageImages {
  const bounds = { maxDepth: limits.maxDepth ?? DEFAULT_HTML_LIMITS.maxDepth, maxElements: limits.maxElements ?? DEFAULT_HTML_LIMITS.maxElements };
  let document: DefaultTreeAdapterTypes.Document;
  try {
    // scriptingEnabled false: <noscript> content is parsed as markup, where lazy-loading pages keep their real <img>.
    document = parse(html, { scriptingEnabled: false, treeAdapter: boundedAdapter(bounds) });
  } catch (error) {
    if (error instanceof PageRefused) return { title: null, candidates: [], problems: [], refused: error.message };
    throw error;
  }
  let base: URL | null = URL.canParse(pageUrl) ? new URL(pageUrl) : null;
  let title: string | null = null;
  let baseSeen = false;
  const imgs: { el: Element; block: Node }[] = [];

  // Depth-first in document order with an explicit stack: a page's nesting never reaches the call stack.
  const stack: { node: Node; block: Node }[] = [{ node: document, block: document }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const node = item.node;
    let block = item.block;
    if (isElement(node)) {
      const tag = node.tagName;
      if (tag === "script" || tag === "style") continue;
      if (tag === "template") continue; // inert content, not rendered
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
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, block }); // reversed: popped in document order
  }

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
  return { title, candidates, problems, refused: null };
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

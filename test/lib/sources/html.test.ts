import { describe, expect, it } from "vitest";
import { decodeHtml, DEFAULT_HTML_LIMITS, extractImages } from "../../../src/lib/sources/index.js";

const PAGE = "https://news.example.com/section/story.html";

describe("extractImages()", () => {
  it("resolves every <img> src to an absolute URL and keeps alt text, title and surrounding text length", () => {
    const html = `<!doctype html><html><head><title>  A  story
      about dogs </title></head><body>
      <p>Some prose before. <img src="/img/dog.jpg" alt="A dog runs on the beach" width="640" height="480"> and after.</p>
      <div><img src="cat.png"></div>
      <img src="https://cdn.example.org/x.webp" alt="">
    </body></html>`;
    const page = extractImages(html, PAGE);
    expect(page.title).toBe("A story about dogs");
    expect(page.problems).toEqual([]);
    expect(page.candidates).toEqual([
      { imgIndex: 0, src: "https://news.example.com/img/dog.jpg", alt: "A dog runs on the beach", widthAttr: 640, heightAttr: 480, contextChars: "Some prose before. and after.".length },
      { imgIndex: 1, src: "https://news.example.com/section/cat.png", alt: null, widthAttr: null, heightAttr: null, contextChars: 0 },
      { imgIndex: 2, src: "https://cdn.example.org/x.webp", alt: "", widthAttr: null, heightAttr: null, contextChars: expect.any(Number) },
    ]);
  });

  it("keeps script injection in alt as inert text and never runs or parses it", () => {
    const html = `<body><img src="a.jpg" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><img src="b.jpg" alt="<script>alert('x')</script><img src=evil.jpg onerror=alert(2)>"></body>`;
    const page = extractImages(html, PAGE);
    expect(page.candidates.map((c) => c.alt)).toEqual([`"><script>alert(1)</script>`, `<script>alert('x')</script><img src=evil.jpg onerror=alert(2)>`]);
    expect(page.candidates.map((c) => c.src)).toEqual(["https://news.example.com/section/a.jpg", "https://news.example.com/section/b.jpg"]);
  });

  it("finds no images in markup written by scripts, styles or templates", () => {
    const html = `<body><script>document.write('<img src="tracker.gif" alt="hidden">')</script>
      <style>/* <img src="style.jpg"> */</style><template><img src="tpl.jpg"></template>
      <!-- <img src="comment.jpg"> --><img src="real.jpg" alt="real"></body>`;
    expect(extractImages(html, PAGE).candidates.map((c) => c.alt)).toEqual(["real"]);
  });

  it("follows the first <base href>, lazy-loading data-src and <noscript> images", () => {
    const html = `<head><base href="https://static.example.net/assets/"><base href="https://ignored.example/"></head>
      <body><img data-src="lazy.jpg" alt="lazy"><noscript><img src="full.jpg" alt="full"></noscript></body>`;
    expect(extractImages(html, PAGE).candidates.map((c) => c.src)).toEqual(["https://static.example.net/assets/lazy.jpg", "https://static.example.net/assets/full.jpg"]);
  });

  it("counts images it cannot use instead of dropping them silently", () => {
    const html = `<img alt="no src"><img src="   "><img src="data:image/png;base64,iVBORw0KGgo="><img src="javascript:alert(1)"><img src="http://[bad">`;
    const page = extractImages(html, PAGE);
    expect(page.candidates).toEqual([]);
    expect(page.problems.map((p) => [p.imgIndex, p.kind])).toEqual([[0, "img_without_src"], [1, "img_without_src"], [2, "img_without_src"], [3, "img_bad_src"], [4, "img_bad_src"]]);
  });

  it("reads an <img> nested just under maxDepth, with its block's text, in document order", () => {
    const html = `<body>${"<div>".repeat(500)}<p>deep text <img src="deep.jpg" alt="deep"></p>${"</div>".repeat(500)}<img src="after.jpg" alt="after"></body>`;
    const page = extractImages(html, PAGE);
    expect(page.refused).toBeNull();
    expect(page.candidates.map((c) => [c.imgIndex, c.alt, c.contextChars])).toEqual([[0, "deep", "deep text".length], [1, "after", expect.any(Number)]]);
  });

  it("refuses a page nested deeper than maxDepth (elements or templates) with a reason instead of overflowing the stack", () => {
    for (const html of ["<div>".repeat(10_000) + "<img src=a.jpg>", "<span>".repeat(100_000), "<template>".repeat(5_000)]) {
      const page = extractImages(html, PAGE);
      expect(page).toEqual({ title: null, candidates: [], problems: [], refused: `elements nest deeper than maxDepth ${DEFAULT_HTML_LIMITS.maxDepth}` });
    }
    expect(extractImages("<div>".repeat(20) + "<img src=a.jpg>", PAGE, { maxDepth: 10 }).refused).toBe("elements nest deeper than maxDepth 10");
  });

  it("refuses a page that creates more than maxElements elements", () => {
    const page = extractImages("<img src=a.jpg>".repeat(1_000), PAGE, { maxElements: 500 });
    expect(page.refused).toBe("more than maxElements 500 elements");
    expect(extractImages("<img src=a.jpg>".repeat(1_000), PAGE).candidates).toHaveLength(1_000);
  });

  it("survives broken markup", () => {
    const page = extractImages(`<p><img src=a.jpg alt=unquoted <div><img src="b.jpg" alt='x'`, PAGE);
    expect(page.candidates.length).toBeGreaterThanOrEqual(1);
  });
});

describe("decodeHtml()", () => {
  it("uses the charset from Content-Type or <meta>, defaulting to UTF-8", () => {
    const latin1 = new Uint8Array([0x3c, 0x70, 0x3e, 0x63, 0x61, 0x66, 0xe9]); // <p>café in ISO-8859-1
    expect(decodeHtml(latin1, "text/html; charset=ISO-8859-1")).toBe("<p>café");
    const meta = new Uint8Array([...new TextEncoder().encode('<meta charset="iso-8859-2"><p>'), 0xb9]); // š in Latin-2
    expect(decodeHtml(meta, "text/html")).toContain("<p>š");
    expect(decodeHtml(new TextEncoder().encode("<p>naïve"), null)).toBe("<p>naïve");
  });
});

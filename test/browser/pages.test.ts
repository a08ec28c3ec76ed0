// Every page of the report, on WASM and with WebGPU enabled, at 1280 px and 400 px: loads with no console errors
// and only local requests, no horizontal overflow at 400 px, headings in order, named images and controls, and
// every control reachable with Tab. Full-page screenshots of both widths go to test-output/screenshots/ (not committed).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../observablehq.config.js";
import { ROOT, openSession, visit, type Session, type Visit } from "./harness.js";

const SHOTS = join(ROOT, "test-output", "screenshots");
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 400, height: 900 };
/** Sub-pixel rounding slack when comparing the page's scroll width to the viewport. */
const OVERFLOW_TOLERANCE_PX = 2;

/** The front page and every sidebar page, each with whether it picks a TF.js backend from ?backend=. */
const PAGES = ["/", ...config.pages.map((p) => p.path)].map((path) => {
  const file = join(ROOT, "src", path === "/" ? "index.md" : `${path.slice(1)}.md`);
  return { path, name: path === "/" ? "index" : path.split("/").pop()!, exists: existsSync(file), backend: existsSync(file) && /get\("backend"\)/.test(readFileSync(file, "utf-8")) };
});

/** Waits until no cell of the page's main content is pending and every image there has loaded. */
async function settle(view: Visit, timeout: number): Promise<void> {
  try {
    await view.page.waitForFunction(
      () => {
        const main = document.querySelector("#observablehq-main") ?? document.body;
        return main.querySelectorAll("observablehq-loading").length === 0 && Array.from(main.querySelectorAll("img")).every((img) => img.complete);
      },
      null,
      { timeout, polling: 250 },
    );
  } catch (error) {
    const pending = await view.page.$$eval("#observablehq-main observablehq-loading", (els) => els.map((el) => el.parentElement?.id || el.parentElement?.className || "?"));
    throw new Error(`${view.page.url()} still has ${pending.length} pending cell(s) after ${timeout} ms (${pending.join(", ")}); errors so far: ${view.errors.join(" | ") || "none"}`, { cause: error });
  }
  // Two frames for the last cells' DOM to lay out.
  await view.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

interface Audit {
  headings: string[];
  skipped: string[];
  unnamedImages: string[];
  unnamedControls: string[];
  unreachable: string[];
}

/** Headings, image names and control names inside the page's main content, and a Tab walk over the whole page. */
async function audit(view: Visit): Promise<Audit> {
  const found = await view.page.evaluate(() => {
    const main = document.querySelector("#observablehq-main") ?? document.body;
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === "fixed";
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${(el as HTMLInputElement).type ? `[type=${(el as HTMLInputElement).type}]` : ""}${el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : ""}`;
    const headings = Array.from(main.querySelectorAll("h1, h2, h3, h4, h5, h6")).filter(visible);
    const levels = headings.map((h) => Number(h.tagName[1]));
    const skipped: string[] = [];
    levels.forEach((level, i) => {
      const previous = i === 0 ? 0 : levels[i - 1]!;
      if (level > previous + 1) skipped.push(`h${level} "${headings[i]!.textContent!.trim().slice(0, 60)}" after h${previous || "(none)"}`);
    });
    const labelled = (el: Element) =>
      Boolean(el.getAttribute("aria-label")?.trim() || (el.getAttribute("aria-labelledby") && document.getElementById(el.getAttribute("aria-labelledby")!)?.textContent?.trim()));
    const unnamedImages = Array.from(main.querySelectorAll("img, canvas"))
      .filter((el) => el.getAttribute("aria-hidden") !== "true" && el.getAttribute("role") !== "presentation")
      .filter((el) => !(el.tagName === "IMG" && (el as HTMLImageElement).alt.trim()) && !labelled(el))
      .map(describe);
    const controls = Array.from(main.querySelectorAll("input, select, textarea, button")).filter(
      (el) => visible(el) && (el as HTMLInputElement).type !== "hidden" && !(el as HTMLInputElement).disabled,
    );
    const unnamedControls = controls
      .filter((el) => !labelled(el) && !el.getAttribute("title")?.trim() && !((el as HTMLInputElement).labels?.length && Array.from((el as HTMLInputElement).labels!).some((l) => l.textContent!.trim())))
      .filter((el) => !(el.tagName === "BUTTON" && el.textContent!.trim()))
      .map(describe);
    // Tag every control so the Tab walk can name the ones it reached; a radio group is one tab stop.
    const keys = controls.map((el, i) => {
      const key = el.matches("input[type=radio]") ? `radio:${el.getAttribute("name")}` : `c${i}`;
      el.setAttribute("data-audit-key", key);
      return { key, what: describe(el) };
    });
    return { headings: headings.map((h) => `${h.tagName.toLowerCase()} ${h.textContent!.trim().slice(0, 60)}`), skipped, unnamedImages, unnamedControls, keys };
  });
  const wanted = new Map(found.keys.map((k) => [k.key, k.what]));
  const reached = new Set<string>();
  await view.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // Each Tab press moves focus one stop; the walk ends when focus wraps past the last stop or after a bound.
  const bound = found.keys.length * 2 + 60;
  let previous: string | null = null;
  for (let i = 0; i < bound && reached.size < wanted.size; i++) {
    await view.page.keyboard.press("Tab");
    const key = await view.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return "(body)";
      el.setAttribute("data-audit-seen", String(Number(el.getAttribute("data-audit-seen") ?? 0) + 1));
      return el.getAttribute("data-audit-key") ?? `other:${el.tagName}`;
    });
    if (key.startsWith("c") || key.startsWith("radio:")) reached.add(key);
    if (key === previous && key === "(body)") break;
    previous = key;
  }
  const unreachable = [...wanted].filter(([key]) => !reached.has(key)).map(([, what]) => what);
  return { headings: found.headings, skipped: found.skipped, unnamedImages: found.unnamedImages, unnamedControls: found.unnamedControls, unreachable };
}

function pagesOn(mode: "wasm" | "webgpu"): void {
  describe(`every page of the report (${mode === "wasm" ? "WASM" : "--enable-unsafe-webgpu"})`, () => {
    let session: Session;

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      session = await openSession({ webgpu: mode === "webgpu" });
    });

    afterAll(async () => {
      await session?.close();
    });

    it("lists only pages that exist", () => {
      expect(PAGES.filter((p) => !p.exists).map((p) => p.path)).toEqual([]);
    });

    for (const page of PAGES) {
      it(
        `${page.path} loads at 1280 px and 400 px with no console errors, only local requests, no overflow at 400 px, ordered headings, named images and controls, every control reachable with Tab`,
        async () => {
          const url = page.backend ? `${page.path}?backend=${mode}` : page.path;
          // Software WebGPU (SwiftShader) compiles every shader on first use: model pages can take minutes there.
          const timeout = page.backend ? 420_000 : 120_000;
          // Each width is a fresh load, as a reader on that screen gets it (Framework opens the sidebar only on wide
          // screens), except a model page under WebGPU: there the 1280 px page is narrowed to 400 px, since software
          // WebGPU spends about 100 s compiling shaders per load and the WASM pass already loads every page fresh at 400 px.
          const resize = mode === "webgpu" && page.backend;
          const wide = await visit(session, url, WIDE);
          let found: Audit;
          try {
            await settle(wide, timeout);
            await wide.page.screenshot({ path: join(SHOTS, `${mode}-${page.name}-1280.png`), fullPage: true });
            found = await audit(wide);
          } finally {
            if (!resize) await wide.context.close();
          }
          let narrow: Visit;
          if (resize) {
            narrow = wide;
            await narrow.page.setViewportSize(NARROW);
          } else narrow = await visit(session, url, NARROW);
          let scrollWidth: number;
          let widest: string[];
          try {
            await settle(narrow, timeout);
            await narrow.page.screenshot({ path: join(SHOTS, `${mode}-${page.name}-400.png`), fullPage: true });
            scrollWidth = await narrow.page.evaluate(() => document.documentElement.scrollWidth);
            // The outermost elements reaching past the right edge, to name the culprit when the page overflows.
            widest = await narrow.page.evaluate(() =>
              Array.from(document.querySelectorAll("#observablehq-main *"))
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 2)
                .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= window.innerWidth + 2)
                .slice(0, 5)
                .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}`),
            );
          } finally {
            await narrow.context.close();
          }
          for (const view of resize ? [wide] : [wide, narrow]) {
            const at = resize ? "1280 px and after narrowing to 400 px" : `${view === wide ? 1280 : 400} px`;
            expect(view.errors, `console errors and uncaught page errors at ${at}`).toEqual([]);
            expect([...view.external], "requests to other origins").toEqual([]);
          }
          expect(found.headings[0], "the page starts with its h1").toMatch(/^h1 /);
          expect(found.skipped, "headings that skip a level").toEqual([]);
          expect(found.unnamedImages, "images and canvases without alt text or aria-label").toEqual([]);
          expect(found.unnamedControls, "controls without a label").toEqual([]);
          expect(found.unreachable, "controls Tab never reached").toEqual([]);
          expect(scrollWidth, `page width at 400 px (elements past the edge: ${widest.join(", ") || "none"})`).toBeLessThanOrEqual(NARROW.width + OVERFLOW_TOLERANCE_PX);
        },
        page.backend ? 900_000 : 300_000,
      );
    }
  });
}

pagesOn("wasm");
pagesOn("webgpu");

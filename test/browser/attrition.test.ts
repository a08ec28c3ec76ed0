import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import { REASON_INFO, funnelOf, imageDecision, resolveConfig, type CandidateResult, type Funnel, type ImageFeatures, type Reason } from "../../src/lib/filter/index.js";
import { DIST, openSession, visit, type Session, type Visit } from "./harness.js";

/** The Arrow file a data loader wrote into the build (its name carries a content hash). */
function loaderOutput(base = "cc-attrition-reference"): Record<string, unknown>[] {
  const dir = join(DIST, "_file", "data");
  const name = readdirSync(dir).find((f) => f.startsWith(`${base}.`) && /^[0-9a-f]+\.arrow$/.test(f.slice(base.length + 1)));
  if (!name) throw new Error(`no ${base}.*.arrow in ${dir}; the data loader did not run`);
  return fromArrowIPC(readFileSync(join(dir, name))).toArray().map((row) => row.toJSON() as Record<string, unknown>);
}

/** A record table's rows as {column: value} from the cells' machine-readable values. */
function tableRows(page: Page, id: string): Promise<Record<string, unknown>[]> {
  return page.$$eval(`#${id} tbody tr`, (trs) =>
    trs.map((tr) => Object.fromEntries(Array.from(tr.querySelectorAll("td"), (td) => [td.dataset.column, JSON.parse(td.dataset.value ?? "null")]))),
  );
}

describe("the filter attrition page (paper reference funnel)", () => {
  let session: Session;
  let view: Visit;
  let expected: Record<string, unknown>[];

  beforeAll(async () => {
    expected = loaderOutput();
    session = await openSession();
    view = await visit(session, "/pages/attrition");
    await view.page.waitForSelector("#attrition-query-result tbody tr", { timeout: 90_000 });
    await view.page.waitForSelector('#attrition-reference-chart [aria-label="bar"] rect', { timeout: 30_000 });
  });

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("draws one funnel bar per stage the loader wrote", async () => {
    const bars = await view.page.locator('#attrition-reference-chart [aria-label="bar"] rect').count();
    expect(expected.length).toBeGreaterThan(0);
    expect(bars).toBe(expected.length);
  });

  it("labels every stage on the chart's axis", async () => {
    const labels = await view.page.locator('#attrition-reference-chart [aria-label="y-axis tick label"] text').allTextContents();
    expect(labels).toEqual(expected.map((r) => r.stage));
  });

  it("shows the DuckDB query result equal to what the loader wrote", async () => {
    const cells = await view.page.$$eval("#attrition-query-result tbody tr", (trs) =>
      trs.map((tr) =>
        Object.fromEntries(
          Array.from(tr.querySelectorAll("td"), (td) => [td.dataset.column, JSON.parse(td.dataset.value ?? "null")]),
        ),
      ),
    );
    const columns = Object.keys(cells[0] ?? {});
    expect(columns).toContain("pass_rate");
    expect(cells).toEqual(expected.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))));
  });

  it("labels the figures as paper reference", async () => {
    await expect(view.page.locator("main").textContent()).resolves.toMatch(/paper reference/i);
  });

  it("logs no console errors", () => {
    expect(view.errors).toEqual([]);
  });

  it("asks only its own origin for anything", () => {
    expect(view.requests.length).toBeGreaterThan(0);
    expect([...view.external]).toEqual([]);
  });
});

describe("the filter attrition page (measured funnel and thresholds)", () => {
  let session: Session;
  let view: Visit;
  let results: CandidateResult[];
  let funnel: Funnel;

  beforeAll(async () => {
    results = loaderOutput("filter-candidates") as unknown as CandidateResult[];
    // The loader's run: preset cc3m (its stages; not the opt-in near-duplicate one), every rule recorded.
    funnel = funnelOf(results, resolveConfig("cc3m").stages, {}, true);
    session = await openSession();
    view = await visit(session, "/pages/attrition");
    await view.page.waitForSelector("#attrition-whatif tbody tr", { timeout: 90_000 });
    await view.page.waitForSelector("#attrition-measured tbody tr", { timeout: 30_000 });
  });

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("shows per stage the counts the pipeline wrote", async () => {
    const shown = await tableRows(view.page, "attrition-measured");
    expect(funnel.input).toBeGreaterThan(0);
    expect(shown.map((r) => [r.stage, r.in, r.kept, r.rejected])).toEqual(funnel.stages.map((s) => [s.stage, s.in, s.kept, s.rejected]));
  });

  it("shows per rule the first rejections and would-reject counts the pipeline wrote", async () => {
    const shown = await tableRows(view.page, "attrition-rules");
    const expected = Object.keys(funnel.wouldReject ?? {}).length;
    expect(shown.length).toBeGreaterThanOrEqual(expected);
    for (const row of shown) {
      expect([row.reason, row.first, row.would]).toEqual([row.reason, funnel.byReason[row.reason as keyof Funnel["byReason"]] ?? 0, funnel.wouldReject?.[row.reason as keyof Funnel["byReason"]] ?? 0]);
    }
  });

  it("recomputes, under the stored run's preset, the funnel the pipeline wrote", async () => {
    const shown = await tableRows(view.page, "attrition-whatif");
    expect(shown.map((r) => [r.stage, r.in, r.kept])).toEqual(funnel.stages.map((s) => [s.stage, s.in, s.kept]));
  });

  it("moving the minimum-size slider sets the image stage's rejections to what imageDecision gives over the stored features", async () => {
    const config = resolveConfig("cc3m", { overrides: ["image.minSidePx=200"] }).config.image;
    const expected = results.filter((r) => !imageDecision(r as unknown as ImageFeatures, config).keep).length;
    const before = (await tableRows(view.page, "attrition-whatif"))[0]!.rejected;
    expect(expected).not.toBe(before);
    await view.page.locator('form[data-key="image.minSidePx"] input[type=number]').fill("200");
    await view.page.waitForFunction(
      (b) => document.querySelector('#attrition-whatif tbody tr td[data-column="rejected"]')?.getAttribute("data-value") !== String(b),
      before,
      { timeout: 30_000 },
    );
    const image = (await tableRows(view.page, "attrition-whatif"))[0]!;
    expect([image.stage, image.rejected]).toEqual(["image", expected]);
  });

  it("switching the preset to datacomp-basic recomputes a funnel of its two stages", async () => {
    await view.page.locator("select").first().selectOption("datacomp-basic");
    await view.page.waitForFunction(() => document.querySelectorAll("#attrition-whatif tbody tr").length === 2, undefined, { timeout: 30_000 });
    const shown = await tableRows(view.page, "attrition-whatif");
    const config = resolveConfig("datacomp-basic").config.image;
    const expected = results.filter((r) => !imageDecision(r as unknown as ImageFeatures, config).keep).length;
    expect(shown.map((r) => r.stage)).toEqual(["image", "text"]);
    expect(shown[0]!.rejected).toBe(expected);
  });

  /** Picks a rule in the examples' selector and returns its rows: id, image state, and what the image cell holds. */
  async function examplesOf(reason: Reason) {
    // The options are labelled "stage: rule".
    await view.page.locator("#attrition-example-rule select").selectOption({ label: `${REASON_INFO[reason].stage}: ${reason}` });
    await view.page.waitForFunction((r) => {
      // The table of this rule, every thumbnail drawn.
      return document.querySelector<HTMLElement>("#attrition-examples")?.dataset.rule === r &&
        Array.from(document.querySelectorAll<HTMLImageElement>("#attrition-examples img")).every((img) => img.src.startsWith("data:image/png"));
    }, reason, { timeout: 60_000 });
    return view.page.$$eval("#attrition-examples tbody tr", (trs) => trs.map((tr) => {
      const cell = tr.querySelector("[data-column=image]")!;
      const img = cell.querySelector("img");
      return {
        id: JSON.parse(tr.querySelector<HTMLElement>("[data-column=id]")!.dataset.value!) as string,
        state: JSON.parse(tr.querySelector<HTMLElement>("[data-column=image_state]")!.dataset.value!) as string,
        img: img ? { alt: img.alt, drawn: img.src.startsWith("data:image/png") && img.naturalWidth > 0 } : null,
        placeholder: cell.querySelector(".example-thumb-missing")?.textContent ?? null,
      };
    }));
  }

  it("shows each example of a rule with a thumbnail drawn from the crawl's scene for that image", async () => {
    const images = new Map(loaderOutput("synth-images").map((r) => [r.image_url as string, r]));
    const byId = new Map(results.map((r) => [r.id, r]));
    const reason: Reason = "image_too_small";
    const expected = results.filter((r) => r.all_reasons.includes(reason)).map((r) => r.id).sort().slice(0, 5);
    expect(expected.length).toBeGreaterThan(0);
    const shown = await examplesOf(reason);
    expect(shown.map((r) => r.id)).toEqual(expected);
    for (const row of shown) {
      const image = images.get(byId.get(row.id)!.url!)!;
      expect([row.id, row.state, row.img, row.placeholder]).toEqual([row.id, "ok", { alt: image.description, drawn: true }, null]);
    }
  });

  it("shows a labelled placeholder, not nothing, for an image the crawl could not serve", async () => {
    const shown = await examplesOf("image_missing");
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown) expect([row.id, row.state, row.img, row.placeholder]).toEqual([row.id, "missing", null, "image missing (HTTP 404)"]);
  });

  it("logs no console errors and asks only its own origin", () => {
    expect(view.errors).toEqual([]);
    expect([...view.external]).toEqual([]);
  });
});

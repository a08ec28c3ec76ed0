import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import { DIST, openSession, visit, type Session, type Visit } from "./harness.js";

/** The Arrow file the data loader wrote into the build (its name carries a content hash). */
function loaderOutput(): Record<string, unknown>[] {
  const dir = join(DIST, "_file", "data");
  const name = readdirSync(dir).find((f) => /^cc-attrition-reference\.[0-9a-f]+\.arrow$/.test(f));
  if (!name) throw new Error(`no cc-attrition-reference.*.arrow in ${dir}; the data loader did not run`);
  return fromArrowIPC(readFileSync(join(dir, name))).toArray().map((row) => row.toJSON() as Record<string, unknown>);
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
    await view.page.waitForSelector('svg [aria-label="bar"] rect', { timeout: 30_000 });
  });

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("draws one funnel bar per stage the loader wrote", async () => {
    const bars = await view.page.locator('svg [aria-label="bar"] rect').count();
    expect(expected.length).toBeGreaterThan(0);
    expect(bars).toBe(expected.length);
  });

  it("labels every stage on the chart's axis", async () => {
    const labels = await view.page.locator('svg [aria-label="y-axis tick label"] text').allTextContents();
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

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST, openSession, visit, type Session, type Visit } from "./harness.js";

interface EvalFile {
  models: string[];
  images: { imageId: string; cocoId: number; references: string[]; captions: Record<string, { caption: string; hallucinated: string[]; mentioned: string[] }> }[];
  aggregates: Record<string, Record<string, { ciderD: number }>>;
}

/** The evaluation file the site was built with (the loader's output; its name carries a content hash). */
function builtEval(): EvalFile {
  const dir = join(DIST, "_file", "data");
  const name = readdirSync(dir).find((f) => /^captioners-eval\.[0-9a-f]+\.json$/.test(f));
  if (!name) throw new Error(`no captioners-eval.*.json in ${dir}; the data loader did not run`);
  return JSON.parse(readFileSync(join(dir, name), "utf-8")) as EvalFile;
}

async function open(session: Session): Promise<Visit> {
  const view = await visit(session, "/pages/captioning");
  await view.page.waitForSelector("#captioning-side-by-side .cap-row", { timeout: 90_000 });
  await view.page.waitForSelector("#captioning-ratings-table", { timeout: 30_000 });
  return view;
}

/** The raters' table as {model → {rated, 1+ GOOD}} (text as shown). */
async function ratingTable(view: Visit): Promise<Record<string, { rated: number; good1: string | null }>> {
  return view.page.$$eval("#captioning-ratings-table tbody tr", (rows) =>
    Object.fromEntries(
      rows.map((tr) => {
        const cell = (c: string) => tr.querySelector(`td[data-column="${c}"]`)?.textContent ?? null;
        return [cell("model"), { rated: Number(cell("rated captions")), good1: cell("1+ GOOD") }];
      }),
    ),
  );
}

const totalRated = (t: Record<string, { rated: number }>) => Object.values(t).reduce((s, r) => s + r.rated, 0);

describe("the captioning page", () => {
  let session: Session;
  let view: Visit;
  let data: EvalFile;

  beforeAll(async () => {
    data = builtEval();
    session = await openSession();
    view = await open(session);
  });

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("shows both models' captions side by side for an image, as the evaluation wrote them, with its references", async () => {
    const rows = await view.page.$$eval("#captioning-side-by-side .cap-row", (els) =>
      els.slice(0, 5).map((row) => ({
        id: (row as HTMLElement).dataset.imageId!,
        captions: Object.fromEntries(Array.from(row.querySelectorAll(".cap-caption"), (c) => [(c as HTMLElement).dataset.model, c.querySelector(".cap-text")?.textContent])),
        marks: Array.from(row.querySelectorAll("mark"), (m) => m.textContent),
        references: Array.from(row.querySelectorAll(".cap-references li"), (li) => li.textContent),
        alt: row.querySelector("img")?.getAttribute("alt"),
      })),
    );
    expect(rows.length).toBeGreaterThan(0);
    const byId = new Map(data.images.map((im) => [im.imageId, im]));
    for (const row of rows) {
      const im = byId.get(row.id)!;
      expect(Object.keys(row.captions)).toEqual(data.models);
      for (const m of data.models) expect([row.id, m, row.captions[m]]).toEqual([row.id, m, im.captions[m]!.caption || "(empty caption)"]);
      expect(row.references).toEqual(im.references);
      expect(row.alt?.length).toBeGreaterThan(0);
    }
  });

  it("opens on the images where the two captioners name different objects", async () => {
    const shown = await view.page.$$eval("#captioning-side-by-side .cap-row", (els) => els.map((row) => (row as HTMLElement).dataset.imageId!));
    const [a, b] = data.models;
    const named = (id: string, m: string) => new Set(data.images.find((im) => im.imageId === id)!.captions[m]!.mentioned);
    const differs = (id: string) => {
      const [x, y] = [named(id, a!), named(id, b!)];
      return [...x].some((c) => !y.has(c)) || [...y].some((c) => !x.has(c));
    };
    const everywhere = data.images.filter((im) => differs(im.imageId)).length;
    expect(everywhere, "test images where the captioners name different objects").toBeGreaterThan(0);
    // The first rows shown are such images, as many as there are (up to the rows shown).
    const first = shown.slice(0, Math.min(shown.length, everywhere));
    expect(first.filter(differs)).toEqual(first);
  });

  it("states what came out with the evaluation's own numbers", async () => {
    const text = (await view.page.locator("#captioning-summary").textContent()) ?? "";
    const [a, b] = data.models.map((m) => data.aggregates[m]!.all!);
    expect(text).toContain(`${a!.ciderD.toFixed(3)} vs ${b!.ciderD.toFixed(3)}`);
    expect(text).toContain("GOOD");
  });

  it("a rating changes the raters' table", async () => {
    expect(totalRated(await ratingTable(view))).toBe(0);
    await view.page.click("#captioning-rating-card button[data-rate=good]");
    await view.page.waitForFunction(() => document.querySelector("#captioning-rating-progress")?.textContent?.startsWith("1 of"));
    const after = await ratingTable(view);
    expect(totalRated(after)).toBe(1);
    expect(Object.values(after).find((r) => r.rated === 1)?.good1).toBe("100.0%");
    await view.page.click("#captioning-rating-card button[data-rate=bad]");
    await view.page.waitForFunction(() => document.querySelector("#captioning-rating-progress")?.textContent?.startsWith("2 of"));
    expect(totalRated(await ratingTable(view))).toBe(2);
  });

  it("export and import round-trip the ratings; another rater's file gives Fleiss' kappa", async () => {
    const [download] = await Promise.all([view.page.waitForEvent("download"), view.page.click("#captioning-export")]);
    const exported = JSON.parse(readFileSync((await download.path())!, "utf-8")) as { rater: string; ratings: Record<string, string> };
    expect(exported.rater).toBe("rater-1");
    expect(Object.values(exported.ratings).sort()).toEqual(["bad", "good"]);
    const before = await ratingTable(view);

    // A fresh browser (empty local storage) restores them from the file.
    const fresh = await open(session);
    try {
      expect(totalRated(await ratingTable(fresh))).toBe(0);
      await fresh.page.setInputFiles("#captioning-import", { name: "mine.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(exported)) });
      await fresh.page.waitForFunction(() => document.querySelector("#captioning-rating-progress")?.textContent?.startsWith("2 of"));
      expect(await ratingTable(fresh)).toEqual(before);
      // The same ratings from a second rater: perfect agreement on one GOOD and one BAD caption, κ = 1.
      await fresh.page.setInputFiles("#captioning-import", { name: "other.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...exported, rater: "other" })) });
      await fresh.page.waitForFunction(() => document.querySelector("#captioning-kappa")?.textContent === "1.000");
      expect(await fresh.page.locator("#captioning-ratings-table th").allTextContents()).toContain("2+ GOOD");
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  it("scores an uploaded COCO results file as a third model", async () => {
    const results = data.images.slice(0, 20).map((im) => ({ image_id: im.cocoId, caption: im.references[0] }));
    await view.page.setInputFiles("form:has(label:text-is('Results JSON')) input[type=file]", { name: "mine.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(results)) });
    await view.page.waitForFunction(() => document.querySelector("#captioning-upload-status")?.textContent?.includes("20 test images captioned"));
    const models = await view.page.$$eval('#captioning-aggregates td[data-column="model"]', (tds) => [...new Set(tds.map((td) => td.textContent))]);
    expect(models).toContain("Uploaded results");
    const row = await view.page.$('#captioning-side-by-side .cap-caption[data-model="uploaded"] .cap-text');
    expect(row).not.toBeNull();
  });

  it("logs no console errors and asks nothing of other origins", () => {
    expect(view.errors).toEqual([]);
    expect([...view.external]).toEqual([]);
  });
});

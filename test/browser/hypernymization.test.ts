import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import { diffTokens } from "../../src/lib/attrition/index.js";
import { countEntityTypes } from "../../src/lib/filter/index.js";
import { DIST, openSession, visit, type Session, type Visit } from "./harness.js";

/** A loader's output in the build (its name carries a content hash). */
function built(base: string, ext: string): Buffer {
  const dir = join(DIST, "_file", "data");
  const name = readdirSync(dir).find((f) => f.startsWith(`${base}.`) && f.endsWith(`.${ext}`) && /^[0-9a-f]+$/.test(f.slice(base.length + 1, -ext.length - 1)));
  if (!name) throw new Error(`no ${base}.*.${ext} in ${dir}; the data loader did not run`);
  return readFileSync(join(dir, name));
}

interface Row {
  id: string;
  text_clean: string | null;
  caption_out: string | null;
  entity_types: string[] | null;
  transform_changed: boolean | null;
}

describe("the hypernymization page", () => {
  let session: Session;
  let view: Visit;
  let rows: Row[];
  let chains: { type: string; chain: string[] }[];

  beforeAll(async () => {
    rows = fromArrowIPC(built("filter-candidates", "arrow")).toArray().map((r) => r.toJSON() as unknown as Row);
    chains = JSON.parse(built("hypernym-chains", "json").toString("utf8"));
    session = await openSession();
    view = await visit(session, "/pages/hypernymization");
    await view.page.waitForSelector("#hypernym-pairs li", { timeout: 90_000 });
    await view.page.waitForSelector("#hypernym-cut", { timeout: 30_000 });
  });

  afterAll(async () => {
    await view?.context.close();
    await session?.close();
  });

  it("shows each changed pair's alt-text and caption, token for token, as the pipeline wrote them", async () => {
    const changed = new Map(rows.filter((r) => r.transform_changed && r.caption_out !== null).map((r) => [r.id, r]));
    const shown = await view.page.$$eval("#hypernym-pairs li", (lis) =>
      lis.map((li) => ({
        id: (li as HTMLElement).dataset.id!,
        before: Array.from(li.querySelectorAll(".hypernym-before > :not(:first-child)"), (e) => e.textContent).join(" "),
        after: Array.from(li.querySelectorAll(".hypernym-after > :not(:first-child)"), (e) => e.textContent).join(" "),
      })),
    );
    expect(shown.length).toBe(Math.min(40, changed.size));
    for (const pair of shown) {
      const row = changed.get(pair.id)!;
      expect([pair.id, pair.before]).toEqual([pair.id, diffTokens(row.text_clean ?? "").join(" ")]);
      expect([pair.id, pair.after]).toEqual([pair.id, diffTokens(row.caption_out ?? "").join(" ")]);
    }
  });

  it("counts the types a moved threshold cuts as countEntityTypes does", async () => {
    await view.page.locator("input[type=number]").first().fill("3");
    await view.page.waitForFunction(() => document.querySelector("#hypernym-cut")?.textContent?.includes(" 3 pairs"), undefined, { timeout: 30_000 });
    const counts = countEntityTypes(rows.map((r) => r.entity_types ?? []));
    const cut = [...counts.values()].filter((n) => n <= 3).length;
    await expect(view.page.locator("#hypernym-cut").textContent()).resolves.toMatch(new RegExp(`^${cut} of ${counts.size} types`));
  });

  it("shows the chosen type's WordNet chain from the loader", async () => {
    const withChain = chains.find((c) => c.chain.length > 2)!;
    await view.page.locator("select").last().selectOption(withChain.type);
    await view.page.waitForFunction((first) => document.querySelector("#hypernym-chain li")?.textContent === first, withChain.chain[0], { timeout: 30_000 });
    await expect(view.page.locator("#hypernym-chain li").allTextContents()).resolves.toEqual(withChain.chain);
  });

  it("logs no console errors and asks only its own origin", () => {
    expect(view.errors).toEqual([]);
    expect(view.requests.length).toBeGreaterThan(0);
    expect([...view.external]).toEqual([]);
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import { diffTokens } from "../../src/lib/attrition/index.js";
import { checkAltText, countEntityTypes, resolveConfig } from "../../src/lib/filter/index.js";
import { lexicon, pipelineTextVerdict } from "../lib/filter/helpers.js";
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

  /** Types an alt-text into the box (and picks a preset), then reads back what the page shows. */
  async function typeAlt(alt: string, preset = "cc3m") {
    await view.page.locator("#alt-check-input select").selectOption(preset);
    await view.page.locator("#alt-check-input textarea").fill(alt);
    await view.page.waitForFunction(([a, p]) => {
      const root = document.querySelector<HTMLElement>("#alt-check");
      return root?.dataset.alt === a && root.querySelector(".alt-check-status")?.textContent?.includes(`Under ${p},`);
    }, [alt, preset] as const, { timeout: 30_000 });
    return view.page.$eval("#alt-check", (root) => ({
      status: (root as HTMLElement).dataset.status!,
      rules: Array.from(root.querySelectorAll<HTMLTableRowElement>(".alt-check-rules tbody tr"), (tr) => ({
        reason: tr.dataset.reason!,
        verdict: tr.dataset.verdict!,
        value: tr.querySelector("[data-column=value]")!.textContent!,
        threshold: tr.querySelector("[data-column=threshold]")!.textContent!,
      })),
      caption: root.querySelector(".alt-check-caption")!.textContent!,
      after: Array.from(root.querySelectorAll(".hypernym-after > :not(:first-child)"), (e) => e.textContent).join(" "),
    }));
  }

  /** What Node says for the same text: the pipeline's verdicts, and every rule's wording from the full lexicon. */
  async function nodeSays(alt: string, preset = "cc3m") {
    const run = await pipelineTextVerdict(alt, preset);
    const check = checkAltText(alt, await lexicon(), resolveConfig(preset).config);
    return { run, check };
  }

  it.each([
    ["a clean caption", "A dog sitting on the beach with a red ball"],
    ["named entities, a place and a date to transform", "Tom Cruise and Nicole Kidman attend the premiere in Cannes, France on June 12, 2014"],
    ["a non-English alt-text", "un perro en la playa con una pelota"],
    ["no determiner", "Dog on beach"],
  ])("the typed alt-text box judges %s as the library does in Node", async (_, alt) => {
    const shown = await typeAlt(alt);
    const { run, check } = await nodeSays(alt);
    expect(shown.status).toBe(run.status);
    expect(shown.rules.filter((r) => r.verdict === "fail").map((r) => r.reason)).toEqual(run.all_reasons);
    expect(shown.rules).toEqual(check.rules.map((r) => ({ reason: r.reason, verdict: r.rejects ? "fail" : "pass", value: r.value, threshold: r.threshold })));
    expect(shown.caption).toBe(run.caption_out);
    expect(shown.after).toBe(diffTokens(run.caption_out ?? "").join(" "));
  });

  it("judges under the chosen preset", async () => {
    const alt = "Dog on beach";
    const shown = await typeAlt(alt, "cc12m");
    const { run } = await nodeSays(alt, "cc12m");
    expect([shown.status, shown.rules.filter((r) => r.verdict === "fail").map((r) => r.reason), shown.caption]).toEqual([run.status, run.all_reasons, run.caption_out]);
    await typeAlt(alt, "cc3m");
  });

  it("shows hostile alt-text as text, never as HTML", async () => {
    const alt = `<img src=x onerror="window.__pwned=1"><b>A dog</b> on the beach &amp; <script>window.__pwned=2</script>`;
    const shown = await typeAlt(alt);
    await expect(view.page.locator("#alt-check img, #alt-check b, #alt-check script").count()).resolves.toBe(0);
    await expect(view.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    await expect(view.page.$eval("#alt-check", (root) => (root as HTMLElement).dataset.alt)).resolves.toBe(alt);
    const { run } = await nodeSays(alt);
    expect([shown.status, shown.caption]).toEqual([run.status, run.caption_out]);
  });

  it("logs no console errors and asks only its own origin", () => {
    expect(view.errors).toEqual([]);
    expect(view.requests.length).toBeGreaterThan(0);
    expect([...view.external]).toEqual([]);
  });
});

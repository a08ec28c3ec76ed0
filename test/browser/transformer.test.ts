import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bpeEncode, bpeFromJson } from "../../src/lib/bpe/index.js";
import { useBackend } from "../../src/lib/tfjs/index.js";
import { RAINBOW_TOY } from "../../src/lib/reference/index.js";
import { bestDrawnPrompt, sampleImages, transformerFromSafetensors, type PromptOutcome, type Transformer } from "../../src/lib/transformer/index.js";
import { ROOT, openSession, visit, type Session, type Visit } from "./harness.js";

// The files the site was built from (the loaders read the same folder).
const WEIGHTS = resolve(ROOT, process.env.CCW_TRANSFORMER_WEIGHTS ?? join("models", "transformer-small"));

/** Opens the transformer page on one backend and waits until the first generation's token grid is shown. */
async function open(session: Session, backend: string, viewport?: { width: number; height: number }): Promise<Visit> {
  const view = await visit(session, `/pages/transformer?backend=${backend}`, viewport);
  // Software WebGPU (SwiftShader) compiles a shader per new attention length: the first generation takes a minute or more.
  await view.page.waitForFunction(() => (document.querySelector("#transformer-tokens") as HTMLElement | null)?.dataset.tokens, null, { timeout: 300_000 });
  return view;
}

interface Shown {
  sample: number;
  tokens: number[];
  label: string | null;
}

const samplesOf = (view: Visit, id = "transformer-samples"): Promise<Shown[]> =>
  view.page.$$eval(`#${id} button[data-sample]`, (buttons) =>
    buttons.map((b) => ({
      sample: Number((b as HTMLElement).dataset.sample),
      tokens: (b as HTMLElement).dataset.tokens!.split(",").map(Number),
      label: b.querySelector("canvas")!.getAttribute("aria-label"),
    })),
  );

/** The sampling settings as the page's controls hold them. */
async function settingsOf(view: Visit) {
  const value = (label: string) => view.page.locator(`form:has(label:text-is("${label}")) input[type=number]`).first().inputValue();
  return {
    prompt: await view.page.locator("form:has(label:text-is('Prompt')) input").inputValue(),
    n: Number(await value("Samples (N)")),
    temperature: Number(await value("Temperature (0 = greedy)")),
    topK: Number(await value("Top-k (0 = off)")),
    seed: Number(await value("Seed")),
  };
}

describe("the transformer page", () => {
  let session: Session;
  let wasm: Visit;
  let webgpu: Visit;
  let narrow: Visit;
  // The same weights in Node (WASM backend), for the reference grids and the sizes.
  let model: Transformer;
  let bpe: ReturnType<typeof bpeFromJson>;

  beforeAll(async () => {
    await useBackend("wasm");
    const loaded = transformerFromSafetensors(readFileSync(join(WEIGHTS, "weights.safetensors")));
    model = loaded.model;
    bpe = bpeFromJson(loaded.metadata.bpe);
    // --enable-unsafe-webgpu gives Chromium a (software) WebGPU adapter; the same session serves both backends.
    session = await openSession({ webgpu: true });
    wasm = await open(session, "wasm");
    webgpu = await open(session, "webgpu");
    narrow = await open(session, "wasm", { width: 400, height: 900 });
  }, 600_000);

  afterAll(async () => {
    await wasm?.context.close();
    await webgpu?.context.close();
    await narrow?.context.close();
    await session?.close();
    model?.dispose();
  });

  it("generates N images for the default prompt on WASM, each labelled with the prompt", async () => {
    await expect(wasm.page.locator("#transformer-backend").textContent()).resolves.toBe("wasm");
    const { prompt, n } = await settingsOf(wasm);
    // The default prompt is the held-out composition the committed model draws best in its zero-shot report.
    const report = JSON.parse(readFileSync(join(WEIGHTS, "zero-shot.json"), "utf-8")) as { prompts: PromptOutcome[] };
    expect(prompt).toBe(bestDrawnPrompt(report.prompts, "unseen"));
    const shown = await samplesOf(wasm);
    expect(shown).toHaveLength(n);
    expect(shown.map((s) => s.sample).sort()).toEqual([...Array(n).keys()]);
    for (const s of shown) {
      expect(s.label).toBe(prompt);
      expect(s.tokens).toHaveLength(model.config.grid ** 2);
    }
    await expect(wasm.page.locator("#transformer-speed").textContent()).resolves.toMatch(/^\d+ tokens\/s sampled, [\d.]+ samples\/s end to end$/);
    await expect(wasm.page.$eval("#transformer-progress", (el) => (el as HTMLProgressElement).value)).resolves.toBe(1);
  });

  it("draws the same token grids on WASM as the library samples in Node for the same weights, prompt and seed", async () => {
    const settings = await settingsOf(wasm);
    const textIds = bpeEncode(bpe, settings.prompt).slice(0, model.config.textLength);
    const grids = await sampleImages(model, textIds, settings.n, { temperature: settings.temperature, topK: settings.topK, seed: settings.seed });
    const shown = await samplesOf(wasm);
    for (const s of shown) expect(s.tokens, `sample ${s.sample}`).toEqual(Array.from(grids[s.sample]!));
    const chosen = await wasm.page.$eval("#transformer-tokens", (el) => (el as HTMLElement).dataset.tokens!.split(",").map(Number));
    expect(grids.map((g) => Array.from(g))).toContainEqual(chosen);
  });

  it("shows the token grid of the image clicked", async () => {
    const target = (await samplesOf(wasm))[1]!;
    await wasm.page.locator(`#transformer-samples button[data-sample="${target.sample}"]`).click();
    await wasm.page.waitForFunction((tokens) => (document.querySelector("#transformer-tokens") as HTMLElement).dataset.tokens === tokens, target.tokens.join(","));
    await expect(wasm.page.locator(`#transformer-samples button[data-sample="${target.sample}"]`).getAttribute("aria-pressed")).resolves.toBe("true");
  });

  it("completes the chosen image from its kept top rows", async () => {
    const chosen = await wasm.page.$eval("#transformer-tokens", (el) => (el as HTMLElement).dataset.tokens!.split(",").map(Number));
    const rows = Number(await wasm.page.locator("form:has(label:text-is('Rows to keep')) input[type=number]").inputValue());
    await wasm.page.getByRole("button", { name: "Complete" }).click();
    await wasm.page.waitForSelector("#transformer-completions button[data-sample]", { timeout: 120_000 });
    const { n } = await settingsOf(wasm);
    const completions = await samplesOf(wasm, "transformer-completions");
    expect(completions).toHaveLength(n);
    const kept = rows * model.config.grid;
    for (const c of completions) expect(c.tokens.slice(0, kept)).toEqual(chosen.slice(0, kept));
  });

  it("generates N images on WebGPU too", async () => {
    await expect(webgpu.page.locator("#transformer-backend").textContent()).resolves.toBe("webgpu");
    const { prompt, n } = await settingsOf(webgpu);
    const shown = await samplesOf(webgpu);
    expect(shown).toHaveLength(n);
    for (const s of shown) {
      expect(s.label).toBe(prompt);
      expect(s.tokens.every((id) => Number.isInteger(id) && id >= 0 && id < model.config.imageVocab)).toBe(true);
    }
  });

  it("shows the zero-shot report's numbers beside the toy anchor", async () => {
    const report = JSON.parse(readFileSync(join(WEIGHTS, "zero-shot.json"), "utf-8")) as { groups: Record<string, Record<string, number | null>>; prompts: { caption: string }[] };
    for (const group of ["seen", "unseen"]) {
      const cells = await wasm.page.$$eval(`#transformer-zero-shot tr[data-group="${group}"] td`, (tds) =>
        Object.fromEntries(tds.map((td) => [(td as HTMLElement).dataset.column!, JSON.parse((td as HTMLElement).dataset.value!)])),
      );
      for (const key of ["prompts", "accuracy", "accuracyReranked", "objectRecall", "ceilingOriginal", "ceilingReconstruction"]) {
        expect(cells[key], `${group} ${key}`).toBe(report.groups[group]![key] ?? null);
      }
      expect(cells.anchor).toBe(group === "seen" ? RAINBOW_TOY.trainAccuracy.value : RAINBOW_TOY.unseenAccuracy.value);
    }
    const captions = await wasm.page.$$eval("#transformer-prompts tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));
    expect(captions.sort()).toEqual(report.prompts.map((p) => p.caption).sort());
  });

  it("generates a prompt of the report when its button is pressed", async () => {
    const row = wasm.page.locator("#transformer-prompts tbody tr").last();
    const caption = (await row.locator("td").first().textContent())!;
    await row.getByRole("button").click();
    await wasm.page.waitForFunction((text) => [...document.querySelectorAll("#transformer-samples canvas")].every((c) => c.getAttribute("aria-label") === text), caption, { timeout: 120_000 });
    await expect(wasm.page.locator("form:has(label:text-is('Prompt')) input").inputValue()).resolves.toBe(caption);
  });

  it("fits a 400 px wide window", async () => {
    expect(await samplesOf(narrow)).not.toHaveLength(0);
    const [scroll, client] = await narrow.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll).toBeLessThanOrEqual(client);
  });

  it("logs no console errors and asks only its own origin for anything", () => {
    for (const view of [wasm, webgpu, narrow]) {
      expect(view.errors).toEqual([]);
      expect([...view.external]).toEqual([]);
    }
  });
});

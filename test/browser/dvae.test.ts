import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, visit, type Session, type Visit } from "./harness.js";

/** Opens the dVAE page on one backend and waits until the first reconstruction is shown. */
async function open(session: Session, backend: string): Promise<Visit> {
  const view = await visit(session, `/pages/dvae?backend=${backend}`);
  // Software WebGPU (SwiftShader) compiles every shader on first use: the first decode can take tens of seconds.
  await view.page.waitForFunction(() => document.querySelector("#dvae-psnr")?.textContent, null, { timeout: 150_000 });
  await view.page.waitForFunction(() => (document.querySelector("#dvae-tokens") as HTMLElement | null)?.dataset.tokens, null, { timeout: 30_000 });
  return view;
}

const tokensOf = (view: Visit) => view.page.$eval("#dvae-tokens", (el) => (el as HTMLElement).dataset.tokens!.split(",").map(Number));

describe("the dVAE page", () => {
  let session: Session;
  let wasm: Visit;
  let webgpu: Visit;

  beforeAll(async () => {
    // --enable-unsafe-webgpu gives Chromium a (software) WebGPU adapter; the same session serves both backends.
    session = await openSession({ webgpu: true });
    wasm = await open(session, "wasm");
    webgpu = await open(session, "webgpu");
  }, 400_000);

  afterAll(async () => {
    await wasm?.context.close();
    await webgpu?.context.close();
    await session?.close();
  });

  it("encodes and decodes on WASM", async () => {
    await expect(wasm.page.locator("#dvae-backend").textContent()).resolves.toBe("wasm");
    const tokens = await tokensOf(wasm);
    expect(tokens.length).toBeGreaterThan(0);
    expect(Math.sqrt(tokens.length) % 1).toBe(0);
    const psnr = Number(await wasm.page.locator("#dvae-psnr").textContent());
    expect(psnr).toBeGreaterThan(5);
  });

  it("starts on a held-out model-world scene whose reconstruction keeps its objects: the judge names the same objects in both", async () => {
    const label = await wasm.page.locator("canvas[role=img]").first().getAttribute("aria-label");
    expect(label).toMatch(/^input: /);
    const cells = (row: string) => wasm.page.$$eval(`#dvae-judge tr[data-row="${row}"] td`, (tds) => tds.map((td) => td.textContent ?? ""));
    const [truth] = await cells("truth");
    const objects = truth!.split(", ");
    expect(objects.length).toBeGreaterThan(0);
    const [seenInput, seenReconstruction] = await cells("seen");
    for (const object of objects) {
      expect(seenInput).toContain(object);
      expect(seenReconstruction).toContain(object);
    }
    expect(await cells("missed")).toEqual(["none", "none"]);
    expect(seenReconstruction).not.toContain("not in the scene");
  });

  it("gives the same tokens for the same image on WebGPU as on WASM", async () => {
    await expect(webgpu.page.locator("#dvae-backend").textContent()).resolves.toBe("webgpu");
    expect(await tokensOf(webgpu)).toEqual(await tokensOf(wasm));
  });

  it("paints a code into a clicked cell and decodes the edited grid", async () => {
    const before = await tokensOf(wasm);
    const paint = Number(await wasm.page.locator("form:has-text('Code to paint') input[type=number]").inputValue());
    const target = before.findIndex((id) => id !== paint);
    await wasm.page.locator(`#dvae-tokens button[data-index="${target}"]`).click();
    await wasm.page.waitForFunction(
      ([i, code]) => (document.querySelector("#dvae-tokens") as HTMLElement).dataset.tokens!.split(",")[i as number] === String(code),
      [target, paint],
    );
    const after = await tokensOf(wasm);
    expect(after.filter((id, i) => id !== before[i])).toEqual([paint]);
  });

  it("encodes a built-in photograph too", async () => {
    const before = await tokensOf(wasm);
    await wasm.page.getByLabel("built-in photo").check();
    await wasm.page.waitForFunction((old) => (document.querySelector("#dvae-tokens") as HTMLElement).dataset.tokens !== old, before.join(","));
    const label = await wasm.page.locator("canvas[role=img]").first().getAttribute("aria-label");
    expect(label).toMatch(/input: An airplane seen from above/);
  });

  it("shows the codebook usage histogram", async () => {
    await wasm.page.waitForSelector("svg [aria-label='rule'] line", { timeout: 60_000, state: "attached" });
    await expect(wasm.page.locator("svg [aria-label='rule'] line").count()).resolves.toBeGreaterThan(1);
  });

  it("logs no console errors on either backend", () => {
    expect(wasm.errors).toEqual([]);
    expect(webgpu.errors).toEqual([]);
  });

  it("asks only its own origin for anything", () => {
    expect([...wasm.external]).toEqual([]);
    expect([...webgpu.external]).toEqual([]);
  });
});

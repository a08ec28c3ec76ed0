// Encode + decode latency of the dVAE page per TF.js backend, in Debian's Chromium (software WebGPU/WebGL here).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DIST, openSession, visit } from "../test/browser/harness.js";
import type { Benchmark } from "./harness.js";

const LOADS = 3;

type Backend = "wasm" | "webgl" | "webgpu" | "cpu";
interface PageTimes {
  encode: number[];
  decode: number[];
}

/** Encode and decode times of the first image over LOADS page loads on one backend; measured once per run, shared by its rows. */
const measured = new Map<Backend, Promise<PageTimes | { skipped: string }>>();
function pageTimes(backend: Backend): Promise<PageTimes | { skipped: string }> {
  let times = measured.get(backend);
  if (!times) {
    times = measureLoads(backend);
    measured.set(backend, times);
  }
  return times;
}

async function measureLoads(backend: Backend): Promise<PageTimes | { skipped: string }> {
  if (!existsSync(join(DIST, "pages", "dvae.html"))) return { skipped: "dist/pages/dvae.html missing: run `npm run build` first" };
  const session = await openSession({ webgpu: backend === "webgpu" });
  try {
    const times: PageTimes = { encode: [], decode: [] };
    for (let i = 0; i < LOADS; i++) {
      const view = await visit(session, `/pages/dvae?backend=${backend}`);
      // The timing text fills in once the first decode is done (software WebGPU compiles shaders first).
      await view.page.waitForFunction(() => /decode [\d.]+ ms/.test(document.querySelector("#dvae-timing")?.textContent ?? ""), null, { timeout: 180_000 });
      const text = (await view.page.locator("#dvae-timing").textContent()) ?? "";
      const match = /encode ([\d.]+) ms, decode ([\d.]+) ms/.exec(text);
      await view.context.close();
      if (!match) return { skipped: `no timing on the page (${text || view.errors.join("; ")})` };
      times.encode.push(Number(match[1]));
      times.decode.push(Number(match[2]));
    }
    return times;
  } catch (error) {
    return { skipped: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  } finally {
    await session.close();
  }
}

const PARTS = { both: "encoded and decoded", encode: "encoded (the encode alone)", decode: "decoded (the decode alone)" } as const;

function dvaePage(backend: Backend, part: keyof typeof PARTS = "both"): Benchmark {
  return {
    name: part === "both" ? `dvae-page-${backend}` : `dvae-page-${backend}-${part}`,
    unit: "images",
    workload: `dVAE page, the first 64×64 image after page load ${PARTS[part]} on ${backend} in headless Chromium, so WebGL/WebGPU include compiling their shaders (software adapters here; median of ${LOADS} page loads; build the site first)`,
    async selfTimed() {
      const times = await pageTimes(backend);
      if ("skipped" in times) return times;
      const values = times.encode.map((e, i) => (part === "both" ? e + times.decode[i]! : part === "encode" ? e : times.decode[i]!)).sort((a, b) => a - b);
      return { repetitions: LOADS, medianMs: values[Math.floor(LOADS / 2)]!, minMs: values[0]!, items: 1 };
    },
  };
}

/** Every backend's encode + decode, and WASM's encode and decode apart (the target: each 20 ms or less). */
export const dvaePageBenchmarks = [...(["wasm", "webgl", "webgpu", "cpu"] as const).map((b) => dvaePage(b)), dvaePage("wasm", "encode"), dvaePage("wasm", "decode")];

// Picks and initialises a TF.js backend: the user's choice, or the fastest one that works by a quick probe.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmGradientKernels } from "./kernels.js";

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Makes `name` the active backend; throws naming the valid ones when it is unknown or cannot start here. */
export async function useBackend(name: BackendName): Promise<BackendName> {
  if (typeof name !== "string") throw new Error(`no TF.js backend chosen (got ${String(name)}): none of ${BACKENDS.join(", ")} started here`);
  if (!BACKENDS.includes(name)) throw new Error(`unknown TF.js backend ${JSON.stringify(name.length > 40 ? `${name.slice(0, 37)}...` : name)}; valid: ${BACKENDS.join(", ")}`);
  if (name === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
  const ok = await tf.setBackend(name);
  if (!ok) {
    const hint = name === "webgpu" ? " (no WebGPU adapter: without a GPU, Chromium needs --enable-unsafe-webgpu)" : "";
    throw new Error(`TF.js backend "${name}" could not start here${hint}; the others to try: ${BACKENDS.filter((b) => b !== name).join(", ")}`);
  }
  await tf.ready();
  if (name === "wasm") registerWasmGradientKernels();
  return name;
}

/**
 * The backends a page probes for its `?backend=` parameter: that one when it names a backend, every one when it
 * is absent; anything else probes every one and comes back as a `problem` for the page to show, naming the valid values.
 */
export function backendsFromParam(search: string): { candidates: BackendName[]; problem: string | null } {
  const requested = new URLSearchParams(search).get("backend");
  if (requested === null || requested === "") return { candidates: [...BACKENDS], problem: null };
  if ((BACKENDS as readonly string[]).includes(requested)) return { candidates: [requested as BackendName], problem: null };
  const shown = requested.length > 40 ? `${requested.slice(0, 37)}...` : requested;
  return { candidates: [...BACKENDS], problem: `?backend=${JSON.stringify(shown)} is not a TF.js backend; valid: ${BACKENDS.join(", ")}. Probing all of them instead.` };
}

/** The probe's fastest working backend; throws listing each backend's error when none works here. */
export function fastestWorking(probe: readonly ProbeResult[]): BackendName {
  const ok = probe.find((p) => p.ok);
  if (!ok) throw new Error(`no TF.js backend works here: ${probe.map((p) => `${p.backend}: ${p.error ?? "failed"}`).join("; ")}`);
  return ok.backend;
}

/** Backends whose registration exists in this environment (not necessarily working). */
export async function availableBackends(): Promise<BackendName[]> {
  return BACKENDS.filter((b) => tf.findBackendFactory(b) !== null);
}

export interface ProbeResult {
  backend: BackendName;
  ok: boolean;
  /** Median milliseconds of the probe after one warm-up; NaN when the backend failed. */
  ms: number;
  error?: string;
}

/**
 * Times `work` on each backend that starts here (median of `repetitions` after a warm-up) and returns the results,
 * fastest working backend first. `work` must return a tensor; the probe waits for its data, so GPU work is counted.
 */
export async function probeBackends(work: () => tf.Tensor, candidates: readonly BackendName[] = BACKENDS, repetitions = 3): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const backend of candidates) {
    try {
      await useBackend(backend);
      const run = async () => {
        const t = work();
        await t.data();
        t.dispose();
      };
      await run();
      const times: number[] = [];
      for (let i = 0; i < repetitions; i++) {
        const start = performance.now();
        await run();
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      results.push({ backend, ok: true, ms: times[Math.floor(times.length / 2)]! });
    } catch (error) {
      results.push({ backend, ok: false, ms: NaN, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results.sort((a, b) => Number(b.ok) - Number(a.ok) || a.ms - b.ms);
}

// Picks and initialises a TF.js backend: the user's choice, or the fastest one that works by a quick probe.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmGradientKernels } from "./kernels.js";

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Makes `name` the active backend; throws naming the valid ones when it is unknown or cannot start here. */
export async function useBackend(name: BackendName): Promise<BackendName> {
  if (!BACKENDS.includes(name)) throw new Error(`unknown TF.js backend "${name}"; valid: ${BACKENDS.join(", ")}`);
  if (name === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TF.js backend "${name}" could not start here; valid here: ${(await availableBackends()).join(", ") || "none"}`);
  await tf.ready();
  if (name === "wasm") registerWasmGradientKernels();
  return name;
}

/** Backends whose registration exists in this environment (not necessarily working). */
export async function availableBackends(): Promise<BackendName[]> {
  return BACKENDS.filter((b) => tf.findBackendFactory(b) !== null);
}

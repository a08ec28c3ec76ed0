// A tiny random-init dVAE written as a TF.js weights folder: the pairs builder's real loading path, at test speed.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDvae, dvaeToTfjs } from "../../../src/lib/dvae/index.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

export const TINY_DVAE = { groupCount: 2, nHid: 8, nBlkPerGroup: 1, vocabSize: 16, nInit: 8, inputSize: 16 };

/** Makes a temporary folder with `weights/` (the tiny dVAE) in it; returns both paths. */
export async function tinyDvaeFolder(prefix: string): Promise<{ dir: string; weights: string }> {
  await useBackend("wasm");
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const weights = join(dir, "weights");
  mkdirSync(weights);
  const dvae = createDvae(TINY_DVAE, { seed: 3 });
  const { manifest, bin } = await dvaeToTfjs(dvae, { note: "test" });
  dvae.dispose();
  writeFileSync(join(weights, "model.json"), JSON.stringify(manifest));
  writeFileSync(join(weights, "weights.bin"), bin);
  return { dir, weights };
}

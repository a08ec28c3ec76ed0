import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  convSpecs,
  createDvae,
  dvaeFromSafetensors,
  dvaeFromTfjs,
  dvaeToSafetensors,
  dvaeToTfjs,
  inferConfig,
  resolveConfig,
} from "../../../src/lib/dvae/index.js";
import { readSafetensors } from "../../../src/lib/safetensors/index.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

beforeAll(async () => {
  await useBackend("wasm");
});
afterAll(async () => {
  await useBackend("cpu");
});

const CONFIG = resolveConfig({ groupCount: 3, nHid: 8, nBlkPerGroup: 2, vocabSize: 16, nInit: 8, inputSize: 16 });

/** A random official-layout state dict (OIHW kernels), written as safetensors by this test, not by the library. */
function officialStateFile(seed: number): { bytes: Uint8Array; values: Map<string, { shape: number[]; data: Float32Array }> } {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const half of ["encoder", "decoder"] as const) {
    for (const c of convSpecs(CONFIG, half)) {
      const w = [c.nOut, c.nIn, c.kernel, c.kernel];
      values.set(`${half}.${c.name}.w`, { shape: w, data: Float32Array.from({ length: w.reduce((a, b) => a * b) }, rand) });
      values.set(`${half}.${c.name}.b`, { shape: [c.nOut], data: Float32Array.from({ length: c.nOut }, rand) });
    }
  }
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of values) {
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  let at = 8 + json.length;
  for (const t of values.values()) for (const x of t.data) (view.setFloat32(at, x, true), (at += 4));
  return { bytes, values };
}

describe("official weights import (safetensors, OIHW → HWIO)", () => {
  it("places every OIHW element at its HWIO position", () => {
    const { bytes, values } = officialStateFile(11);
    const dvae = dvaeFromSafetensors([bytes], CONFIG);
    for (const name of ["blocks.input", "blocks.group_2.block_1.id_path", "blocks.group_3.block_2.res_path.conv_3"]) {
      const oihw = values.get(`encoder.${name}.w`)!;
      const [o, i, kh, kw] = oihw.shape as [number, number, number, number];
      const hwio = dvae.encoder.get(`${name}.w`)!;
      expect(hwio.shape).toEqual([kh, kw, i, o]);
      const got = hwio.arraySync() as number[][][][];
      for (const [a, b, c, d] of [[0, 0, 0, 0], [o - 1, i - 1, kh - 1, kw - 1], [Math.floor(o / 2), 0, kh - 1, 0]] as const) {
        expect(got[c]![d]![b]![a]).toBeCloseTo(oihw.data[((a * i + b) * kh + c) * kw + d]!, 6);
      }
    }
    expect(Array.from(dvae.decoder.get("blocks.output.conv.b")!.dataSync())).toEqual(Array.from(values.get("decoder.blocks.output.conv.b")!.data));
    dvae.dispose();
  });

  it("infers the architecture from the tensors when no config is given", () => {
    const { bytes } = officialStateFile(3);
    const inferred = inferConfig(readSafetensors(bytes).tensors, 16);
    expect(inferred).toEqual(CONFIG);
  });

  it("names the missing tensor when the weights are for another config", () => {
    const { bytes } = officialStateFile(5);
    expect(() => dvaeFromSafetensors([bytes], { ...CONFIG, nBlkPerGroup: 3 })).toThrow(/lack "blocks\.group_1\.block_3\.res_path\.conv_1\.w"/);
  });

  it("round-trips through its own export and gives the same tokens", () => {
    const original = createDvae(CONFIG, { seed: 9 });
    const copy = dvaeFromSafetensors([dvaeToSafetensors(original)]);
    const images = tf.randomUniform([2, 16, 16, 3], 0, 1, "float32", 1) as tf.Tensor4D;
    const a = original.encode(images);
    const b = copy.encode(images);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([images, a, b]);
    original.dispose();
    copy.dispose();
  });
});

describe("TF.js weights format", () => {
  it("round-trips config, weights and training info", async () => {
    const original = createDvae(CONFIG, { seed: 2 });
    const saved = await dvaeToTfjs(original, { steps: 3 });
    expect(saved.manifest.info).toEqual({ steps: 3 });
    // The manifest travels as JSON text in real use.
    const copy = dvaeFromTfjs({ manifest: JSON.parse(JSON.stringify(saved.manifest)) as typeof saved.manifest, bin: saved.bin });
    expect(copy.config).toEqual(CONFIG);
    const w1 = original.decoder.get("blocks.group_1.block_1.res_path.conv_4.w")!.dataSync();
    const w2 = copy.decoder.get("blocks.group_1.block_1.res_path.conv_4.w")!.dataSync();
    expect(Array.from(w2)).toEqual(Array.from(w1));
    original.dispose();
    copy.dispose();
  });
});

import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DVAE_CONFIGS,
  convSpecs,
  createDvae,
  decoderForward,
  encoderForward,
  resolveConfig,
  tokenGridSize,
  type DvaeConfig,
  type Params,
} from "../../../src/lib/dvae/index.js";
import { DVAE_PARAMS } from "../../../src/lib/reference/index.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const countParams = (c: DvaeConfig, half: "encoder" | "decoder") =>
  convSpecs(c, half).reduce((n, s) => n + s.kernel * s.kernel * s.nIn * s.nOut + s.nOut, 0);

describe("the dVAE architecture", () => {
  it("has the official model's parameter counts at the official config (53.8M + 43.8M)", () => {
    const official = resolveConfig("official");
    expect(countParams(official, "encoder") / 1e6).toBeCloseTo(DVAE_PARAMS.encoder.value / 1e6, 1);
    expect(countParams(official, "decoder") / 1e6).toBeCloseTo(DVAE_PARAMS.decoder.value / 1e6, 1);
  });

  it("names weights as the official state dict does", () => {
    const names = convSpecs(resolveConfig("official"), "encoder").map((s) => s.name);
    expect(names[0]).toBe("blocks.input");
    expect(names).toContain("blocks.group_1.block_1.res_path.conv_1");
    expect(names).toContain("blocks.group_2.block_1.id_path"); // width doubles entering group 2
    expect(names).not.toContain("blocks.group_1.block_1.id_path"); // same width: identity skip
    expect(names.at(-1)).toBe("blocks.output.conv");
  });

  it("uses the official kernel sizes: encoder stem 7×7, encoder blocks 3,3,3,1, decoder blocks 1,3,3,3", () => {
    const c = resolveConfig("small");
    const k = (half: "encoder" | "decoder", name: string) => convSpecs(c, half).find((s) => s.name === name)!.kernel;
    expect(k("encoder", "blocks.input")).toBe(7);
    expect([1, 2, 3, 4].map((i) => k("encoder", `blocks.group_1.block_1.res_path.conv_${i}`))).toEqual([3, 3, 3, 1]);
    expect([1, 2, 3, 4].map((i) => k("decoder", `blocks.group_1.block_1.res_path.conv_${i}`))).toEqual([1, 3, 3, 3]);
  });

  for (const spec of [
    { groupCount: 4, nHid: 16, nBlkPerGroup: 1, vocabSize: 32, nInit: 8, inputSize: 32 },
    { groupCount: 3, nHid: 8, nBlkPerGroup: 2, vocabSize: 16, nInit: 4, inputSize: 16 },
    { groupCount: 2, nHid: 4, nBlkPerGroup: 1, vocabSize: 8, nInit: 4, inputSize: 8 },
  ]) {
    it(`maps images to a ${spec.inputSize / 2 ** (spec.groupCount - 1)}² token grid and back (${JSON.stringify(spec)})`, () => {
      const dvae = createDvae(spec, { seed: 3 });
      const t = tokenGridSize(dvae.config);
      const images = tf.randomUniform([2, spec.inputSize, spec.inputSize, 3]) as tf.Tensor4D;
      const tokens = dvae.encode(images);
      expect(tokens.shape).toEqual([2, t, t]);
      const ids = Array.from(tokens.dataSync());
      expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < spec.vocabSize)).toBe(true);
      const decoded = dvae.decode(tokens);
      expect(decoded.shape).toEqual([2, spec.inputSize, spec.inputSize, 3]);
      const px = decoded.dataSync();
      expect(Math.min(...px)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...px)).toBeLessThanOrEqual(1);
      tf.dispose([images, tokens, decoded]);
      dvae.dispose();
    });
  }

  it("gives a hand-checked output for a tiny config with all weights 1 and biases 0", () => {
    // 1×1 image, one group of one block: only kernel centres matter.
    const c = resolveConfig({ groupCount: 1, nHid: 4, nBlkPerGroup: 1, vocabSize: 2, nInit: 1, inputChannels: 1, outputChannels: 1, inputSize: 1 });
    const ones = (half: "encoder" | "decoder"): Params =>
      new Map(
        convSpecs(c, half).flatMap((s) => [
          [`${s.name}.w`, tf.variable(tf.ones([s.kernel, s.kernel, s.nIn, s.nOut]))],
          [`${s.name}.b`, tf.variable(tf.zeros([s.nOut]))],
        ]),
      );
    const encoder = ones("encoder");
    const decoder = ones("decoder");
    // Encoder on mapped pixel 0.5: stem → 0.5 ×4; res path: 4·0.5 = 2 → 2 → 2 → 2 ×4; out = 0.5 + 1·2 = 2.5 ×4;
    // logits = Σ_4 2.5 = 10 for both codes.
    const logits = encoderForward(c, encoder, tf.fill([1, 1, 1, 1], 0.5) as tf.Tensor4D);
    expect(Array.from(logits.dataSync())).toEqual([10, 10]);
    // Decoder on code 0: stem → 1; id path → 1 ×4; res path 1 → 1 → 1 → 1 ×4; out = 2 ×4; stats = Σ_4 2 = 8 (mu and log b).
    const stats = decoderForward(c, decoder, tf.tensor4d([1, 0], [1, 1, 1, 2]));
    expect(Array.from(stats.dataSync())).toEqual([8, 8]);
    tf.dispose([logits, stats, ...encoder.values(), ...decoder.values()]);
  });

  it("is deterministic for a seed", () => {
    const a = createDvae("small", { seed: 7 });
    const b = createDvae("small", { seed: 7 });
    const wa = a.encoder.get("blocks.input.w")!.dataSync();
    const wb = b.encoder.get("blocks.input.w")!.dataSync();
    expect(Array.from(wa.slice(0, 20))).toEqual(Array.from(wb.slice(0, 20)));
    a.dispose();
    b.dispose();
  });

  it("leaves no tensors behind after encode, decode and reconstruct", () => {
    const dvae = createDvae({ ...DVAE_CONFIGS.small, nHid: 8, vocabSize: 16, nInit: 8, inputSize: 16 }, { seed: 1 });
    const images = tf.randomUniform([1, 16, 16, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose([dvae.encode(images), dvae.reconstruct(images)]);
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
    dvae.dispose();
  });

  it("rejects images of the wrong size, naming the expected shape", () => {
    const dvae = createDvae({ ...DVAE_CONFIGS.small, nHid: 8, vocabSize: 16, nInit: 8, inputSize: 16 });
    const wrong = tf.zeros([1, 15, 15, 3]) as tf.Tensor4D;
    expect(() => dvae.encode(wrong)).toThrow(/expects images \[B, 16, 16, 3\], got \[1, 15, 15, 3\]/);
    wrong.dispose();
    dvae.dispose();
  });
});

describe("resolveConfig()", () => {
  it("rejects an unknown preset, listing the valid ones", () => {
    expect(() => resolveConfig("huge" as "small")).toThrow(/unknown dVAE config "huge"; valid presets: official, small/);
  });
  it("rejects a size the encoder cannot halve evenly", () => {
    // The small preset's 3 groups halve twice: 60 px gives 15² tokens, 62 px cannot be halved twice.
    expect(resolveConfig({ inputSize: 60 }).inputSize).toBe(60);
    expect(() => resolveConfig({ inputSize: 62 })).toThrow(/inputSize 62 must be divisible by 2\^\(groupCount-1\) = 4/);
    expect(() => resolveConfig({ groupCount: 4, inputSize: 60 })).toThrow(/inputSize 60 must be divisible by 2\^\(groupCount-1\) = 8/);
  });
  it("rejects a non-integer field with its valid range", () => {
    expect(() => resolveConfig({ vocabSize: 1.5 })).toThrow(/vocabSize must be an integer from 2 to 65536/);
  });
});

afterAll(async () => {
  await useBackend("cpu");
});

describe("seeded initialisation", () => {
  it("gives the same weights for the same seed, seed 0 included (TF.js treats a 0 seed as unseeded)", () => {
    const config = { groupCount: 2, nHid: 8, nBlkPerGroup: 1, vocabSize: 16, nInit: 8, inputSize: 8 };
    const a = createDvae(config, { seed: 0 });
    const b = createDvae(config, { seed: 0 });
    for (const [name, v] of a.encoder) expect(tf.util.arraysEqual(v.dataSync(), b.encoder.get(name)!.dataSync()), name).toBe(true);
    a.dispose();
    b.dispose();
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { bpeEncode, trainBpe } from "../../../src/lib/bpe/index.js";
import { createDvae } from "../../../src/lib/dvae/index.js";
import { createReranker, rankImages, rerankerToSafetensors, resolveRerankerConfig } from "../../../src/lib/rerank/index.js";
import { dvaeDecodes, loadReranker, saveReranker, syntheticCaptioned, toPairs } from "../../../src/lib/rerank/node.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("the reranker's training data (Node)", () => {
  it("syntheticCaptioned() renders scenes at the asked size with their literal description, the same for the same seed", async () => {
    const a = await syntheticCaptioned({ seed: "t", count: 3, size: 16, split: "val" });
    const b = await syntheticCaptioned({ seed: "t", count: 3, size: 16, split: "val" });
    expect(a).toHaveLength(3);
    for (const item of a) {
      expect(item.pixels).toHaveLength(16 * 16 * 3);
      expect(item.split).toBe("val");
      expect(item.caption).toMatch(/\w+ \w+/);
    }
    expect(b.map((i) => i.caption)).toEqual(a.map((i) => i.caption));
    expect(Buffer.from(b[0]!.pixels).equals(Buffer.from(a[0]!.pixels))).toBe(true);
  });

  it("dvaeDecodes() decodes an image's tokens when it has them, and re-encodes its pixels when it does not", async () => {
    const dvae = createDvae({ groupCount: 2, nHid: 8, nBlkPerGroup: 1, vocabSize: 16, nInit: 8, inputSize: 16 }, { seed: 1 });
    const pixels = Uint8Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 37) % 256);
    const tokens = Array.from({ length: 64 }, (_, i) => i % 16);
    const [fromTokens] = await dvaeDecodes(dvae, [{ caption: "x", pixels, tokens, split: "train" }]);
    const [fromPixels] = await dvaeDecodes(dvae, [{ caption: "x", pixels, split: "train" }]);
    const expected = tf.tidy(() => dvae.decode(tf.tensor3d(tokens, [1, 8, 8], "int32")));
    expect(Array.from(fromTokens!)).toEqual(Array.from(expected.dataSync(), (v) => Math.round(v * 255)));
    const reconstructed = tf.tidy(() => dvae.reconstruct(tf.tensor4d(Array.from(pixels, (v) => v / 255), [1, 16, 16, 3])));
    expect(Array.from(fromPixels!)).toEqual(Array.from(reconstructed.dataSync(), (v) => Math.round(v * 255)));
    await expect(dvaeDecodes(dvae, [{ caption: "x", pixels, tokens: [1, 2], split: "train" }])).rejects.toThrow(/2 dVAE tokens; this dVAE's grid is 8×8/);
    tf.dispose([expected, reconstructed]);
    dvae.dispose();
  });

  it("toPairs() tokenises captions with the BPE and attaches the decodes", () => {
    const bpe = trainBpe(["a red dog", "a blue cat"], { vocabSize: 40 });
    const pixels = new Uint8Array(3);
    const pairs = toPairs(bpe, [{ caption: "a red dog", pixels, split: "train" }], [pixels]);
    expect(pairs).toEqual([{ pixels, decoded: pixels, text: bpeEncode(bpe, "a red dog") }]);
  });
});

describe("the reranker's weights file", () => {
  const dir = mkdtempSync(join(tmpdir(), "ccw-rerank-"));

  it("saveReranker() and loadReranker() round-trip the model, its BPE and the info", async () => {
    const bpe = trainBpe(["a red dog", "a blue cat"], { vocabSize: 40 });
    const config = resolveRerankerConfig({ imageSize: 16, textLength: 8, textVocab: bpe.vocab.length, embedDim: 8, imageChannels: [4, 8], imageHidden: 16, textWidth: 16, textHeads: 2 });
    const model = createReranker(config, 3);
    const path = join(dir, "r.safetensors");
    await saveReranker(path, model, bpe, { steps: 5 });
    const loaded = await loadReranker(path);
    expect(loaded.bpe.vocab).toEqual(bpe.vocab);
    expect(loaded.bpe.merges).toEqual(bpe.merges);
    expect(loaded.info).toEqual({ steps: 5 });
    const images = tf.randomUniform([3, 16, 16, 3]) as tf.Tensor4D;
    const ids = bpeEncode(bpe, "a red cat");
    expect(await rankImages(loaded.model, images, ids)).toEqual(await rankImages(model, images, ids));
    tf.dispose(images);
    loaded.model.dispose();
    model.dispose();
  });

  it("loadReranker() names a missing file and a file without a BPE", async () => {
    await expect(loadReranker(join(dir, "none.safetensors"))).rejects.toThrow(/no reranker weights at .*none\.safetensors; train them with `npm run train:reranker`/);
    const model = createReranker(resolveRerankerConfig({ imageSize: 16, textLength: 4, textVocab: 5, imageChannels: [4], imageHidden: 4, textWidth: 8, textHeads: 2 }));
    writeFileSync(join(dir, "bare.safetensors"), rerankerToSafetensors(model, {}));
    await expect(loadReranker(join(dir, "bare.safetensors"))).rejects.toThrow(/bare\.safetensors: .*hold no BPE vocabulary/);
    model.dispose();
  });
});

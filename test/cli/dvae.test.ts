import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { fromArrowIPC } from "../../src/lib/arrow/index.js";
import { createDvae, dvaeToTfjs } from "../../src/lib/dvae/index.js";
import { useBackend } from "../../src/lib/tfjs/index.js";
import { ccw } from "./run-ccw.js";

const TINY = { groupCount: 2, nHid: 8, nBlkPerGroup: 1, vocabSize: 16, nInit: 8, inputSize: 16 };

describe("ccw dvae", () => {
  let dir: string;
  let weights: string;
  let images: string;

  beforeAll(async () => {
    await useBackend("wasm");
    dir = mkdtempSync(join(tmpdir(), "ccw-dvae-"));
    weights = join(dir, "weights");
    mkdirSync(weights);
    const { manifest, bin } = await dvaeToTfjs(createDvae(TINY, { seed: 1 }), { note: "test" });
    writeFileSync(join(weights, "model.json"), JSON.stringify(manifest));
    writeFileSync(join(weights, "weights.bin"), bin);
    images = join(dir, "images");
    mkdirSync(images);
    for (const [i, colour] of ["#ff0000", "#00aa33", "#2244ff"].entries()) {
      await sharp({ create: { width: 40 + i * 10, height: 30, channels: 3, background: colour } }).png().toFile(join(images, `img${i}.png`));
    }
    writeFileSync(join(images, "broken.jpg"), Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01])); // a JPEG that ends after its magic number
  });

  it("--help documents the three verbs and their options", async () => {
    const { code, out } = await ccw("dvae", "--help");
    expect(code).toBe(0);
    for (const text of ["ccw dvae train", "ccw dvae encode", "ccw dvae decode", "--weights", "--config", "--n-hid", "--steps", "--kl-weight", "--resume", "--backend"]) expect(out).toContain(text);
  });

  it.each([
    [[], /expected a verb, one of train, encode, decode, eval, card, sheet, baseline; got nothing/],
    [["squash"], /expected a verb, one of train, encode, decode, eval, card, sheet, baseline; got "squash"/],
    [["baseline", "--grid", "5"], /--grid 5 must divide the input size 64/],
    [["baseline", "--vocab", "1"], /--vocab must be an integer from 2 to 65536/],
    [["sheet", "--count", "0"], /--count must be an integer from 1 to 64/],
    [["eval"], /ccw dvae eval: expected <images dir>/],
    [["encode", "somewhere"], /expected <images dir> --out <tokens.arrow\|tokens.parquet>/],
    [["encode", "/nonexistent", "--out", "t.csv"], /--out must end in .arrow or .parquet/],
    [["encode", "/nonexistent/folder", "--out", "t.arrow"], /is not a readable folder/],
    [["train", "--steps", "0"], /--steps must be an integer from 1/],
    [["train", "--lr", "5"], /--lr must be a number from 1e-7 to 1, got "5"/],
    [["train", "--config", "huge"], /--config must be official \| small or a JSON object/],
    [["encode", "x", "--backend", "tpu"], /--backend must be wasm or cpu in Node/],
  ])("exits 2 with a clear message on bad arguments %j", async (args, message) => {
    const { code, err } = await ccw("dvae", ...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("names the missing weights and how to get them", async () => {
    const { code, err } = await ccw("dvae", "encode", images, "--out", join(dir, "t.arrow"), "--weights", join(dir, "nowhere"));
    expect(code).toBe(2);
    expect(err).toMatch(/no dVAE folder at .*nowhere: .*pass --weights/);
  });

  it("encodes a folder to token grids, counting the unreadable file, and decodes them to PNGs", async () => {
    const tokensPath = join(dir, "tokens.arrow");
    const encoded = await ccw("dvae", "encode", images, "--out", tokensPath, "--weights", weights);
    expect(encoded.code).toBe(0);
    expect(encoded.out).toMatch(/encoded 3 of 4 images \(1 unreadable\)/);
    expect(encoded.err).toMatch(/skipping broken\.jpg/);
    const rows = fromArrowIPC(readFileSync(tokensPath)).toArray().map((r) => r.toJSON() as { file: string; grid: number; vocab: number; tokens: { length: number } });
    expect(rows.map((r) => r.file)).toEqual(["img0.png", "img1.png", "img2.png"]);
    expect(rows.every((r) => r.grid === 8 && r.vocab === 16 && r.tokens.length === 64)).toBe(true);

    const out = join(dir, "decoded");
    const decoded = await ccw("dvae", "decode", tokensPath, "--out", out, "--weights", weights);
    expect(decoded.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["img0.png", "img1.png", "img2.png"]);
    const meta = await sharp(join(out, "img0.png")).metadata();
    expect([meta.width, meta.height]).toEqual([16, 16]);
  });

  it("evaluates a folder: PSNR and codebook usage, as JSON on request", async () => {
    const { code, out } = await ccw("dvae", "eval", images, "--weights", weights, "--json");
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { images: number; psnrMean: number; codesUsed: number; vocabSize: number };
    expect(summary.images).toBe(3);
    expect(summary.vocabSize).toBe(16);
    expect(summary.psnrMean).toBeGreaterThan(0);
    expect(summary.codesUsed).toBeGreaterThanOrEqual(1);
  });

  it("trains a tiny dVAE end to end and writes weights, log and evaluation", async () => {
    const out = join(dir, "trained");
    const args = ["dvae", "train", "--out", out, "--config", JSON.stringify(TINY), "--steps", "3", "--batch", "2", "--train-images", "6", "--heldout-images", "2", "--log-every", "1", "--eval-images", images];
    const { code, out: printed } = await ccw(...args);
    expect(code).toBe(0);
    expect(printed).toMatch(/3 steps in .*held-out PSNR [\d.]+ dB \(EMA\)/);
    for (const file of ["model.json", "weights.bin", "eval.json", "eval-coco.json", "train-log.jsonl", "MODEL.md"]) expect(existsSync(join(out, file)), file).toBe(true);
    const card = readFileSync(join(out, "MODEL.md"), "utf-8");
    expect(card).toMatch(/\| training updates \| 3 \|/);
    expect(card).toMatch(/real COCO photos \(3, outside the training domain\)/);
    expect(readFileSync(join(out, "train-log.jsonl"), "utf-8").trim().split("\n")).toHaveLength(3);
    const manifest = JSON.parse(readFileSync(join(out, "model.json"), "utf-8")) as { config: typeof TINY; info: { steps: number } };
    expect(manifest.config).toMatchObject(TINY);
    expect(manifest.info.steps).toBe(3);
    expect(existsSync(join(out, "checkpoint"))).toBe(false);

    // The contact sheet of held-out scenes over their reconstructions, and a k-means reference, both shown in the card.
    const sheet = await ccw("dvae", "sheet", "--weights", out, "--count", "3");
    expect(sheet.code, sheet.err).toBe(0);
    const png = readFileSync(join(out, "reconstructions.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const baseline = await ccw("dvae", "baseline", "--input-size", "16", "--grid", "4", "--vocab", "8", "--train-images", "4", "--heldout-images", "2", "--save", join(out, "baseline-4x4-8.json"));
    expect(baseline.code, baseline.err).toBe(0);
    expect(baseline.out).toMatch(/k-means baseline, 4×4 tokens over 8 codes: held-out PSNR [\d.]+ dB over 2 scenes/);
    await ccw("dvae", "card", "--weights", out);
    const redone = readFileSync(join(out, "MODEL.md"), "utf-8");
    expect(redone).toContain("![held-out scenes and reconstructions](reconstructions.png)");
    expect(redone).toMatch(/\| 4×4 \| 8 \| [\d.]+ \| \d+ \| 4 \/ 2 \|/);
  });

  it("rejects --threads outside 1-8 and --threads with the cpu backend, naming what is valid", async () => {
    const range = await ccw("dvae", "eval", images, "--weights", weights, "--threads", "9");
    expect([range.code, range.err]).toEqual([2, expect.stringMatching(/--threads must be an integer from 1 to 8, got "9"/)]);
    const cpu = await ccw("dvae", "eval", images, "--weights", weights, "--threads", "2", "--backend", "cpu");
    expect([cpu.code, cpu.err]).toEqual([2, expect.stringMatching(/--threads is for the wasm backend/)]);
  });

  it("trains on 2 WASM threads in a fresh process (threads are fixed when the backend starts)", () => {
    const out = join(dir, "threaded");
    const bin = resolve(import.meta.dirname, "..", "..", "bin", "ccw.js");
    const args = ["dvae", "train", "--threads", "2", "--out", out, "--config", JSON.stringify(TINY), "--steps", "2", "--batch", "2", "--train-images", "4", "--heldout-images", "2", "--log-every", "1", "--eval-images", images];
    const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf-8", timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/WASM backend on 2 threads/);
    expect(result.stdout).toMatch(/2 steps in .*held-out PSNR [\d.]+ dB/);
    expect(readFileSync(join(out, "train-log.jsonl"), "utf-8").trim().split("\n")).toHaveLength(2);
  });
});

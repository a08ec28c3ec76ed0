// Hostile weights and configs (issue 20, item 9): every file here is generated in the test; none is committed.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDvae, dvaeFromSafetensors, dvaeFromTfjs, dvaeToTfjs, MAX_FEATURE_MAP_FLOATS, resolveConfig } from "../../../src/lib/dvae/index.js";
import { loadDvae } from "../../../src/lib/dvae/node.js";
import { cnnFromSafetensors } from "../../../src/lib/labeler/cnn.js";
import { rerankerFromSafetensors } from "../../../src/lib/rerank/index.js";
import { checkConfigFields, parseConfigJson, readSafetensors, writeSafetensors } from "../../../src/lib/safetensors/index.js";
import { transformerFromSafetensors } from "../../../src/lib/transformer/index.js";
import { loadTransformer } from "../../../src/lib/transformer/node.js";
import { useBackend } from "../../../src/lib/tfjs/index.js";
import { ccw } from "../../cli/run-ccw.js";

beforeAll(async () => {
  await useBackend("cpu");
});

/** A safetensors file assembled by hand: the header exactly as given, then `data`. */
function assemble(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (...values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

/** A file holding nothing but metadata: config checks run before any tensor is looked up. */
const metadataOnly = (metadata: Record<string, string>) => writeSafetensors(new Map(), metadata);

describe("readSafetensors() under hostile headers", () => {
  it("refuses tensors whose data_offsets overlap, naming both", () => {
    const file = assemble({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } }, f32(1, 2, 3));
    expect(() => readSafetensors(file)).toThrow(/tensor "b": data_offsets \[4, 12\] overlap tensor "a", which ends at 8/);
  });

  it("refuses two tensors sharing the same bytes", () => {
    const file = assemble({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, f32(1));
    expect(() => readSafetensors(file)).toThrow(/overlap tensor "a"/);
  });

  it("refuses a gap between tensors and bytes after the last one, as the reference reader does", () => {
    const gap = assemble({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [8, 12] } }, f32(1, 2, 3));
    expect(() => readSafetensors(gap)).toThrow(/tensor "b": data_offsets begin at 8, leaving bytes 4\.\.8 that no tensor holds/);
    const tail = assemble({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, f32(1, 2));
    expect(() => readSafetensors(tail)).toThrow(/data section has 8 bytes but its tensors hold 4/);
  });

  it.each([
    ["F32 NaN", "F32", f32(1, NaN), 1, "NaN"],
    ["F32 -Infinity", "F32", f32(-Infinity, 0), 0, "-Infinity"],
    ["F16 +Infinity", "F16", new Uint8Array([0x00, 0x3c, 0x00, 0x7c]), 1, "Infinity"],
    ["BF16 NaN", "BF16", new Uint8Array([0xc0, 0x7f, 0x80, 0x3f]), 0, "NaN"],
    ["F64 beyond Float32", "F64", new Uint8Array(Float64Array.from([1e300, 0]).buffer), 0, "Infinity"],
  ])("refuses non-finite weights (%s), naming the tensor and the element", (_, dtype, data, at, shown) => {
    const file = assemble({ w: { dtype, shape: [2], data_offsets: [0, data.length] } }, data);
    expect(() => readSafetensors(file)).toThrow(new RegExp(`tensor "w": element ${at} is ${shown}; weights must be finite`));
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("refuses the inherited name %j as a dtype, listing the valid ones", (dtype) => {
    const file = assemble({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, f32(1));
    expect(() => readSafetensors(file)).toThrow(new RegExp(`tensor "w": dtype "${dtype}" is not one of F32, F16, BF16, F64, I32, I64, U8, I8, BOOL`));
  });

  it("refuses metadata that is not an object of strings, naming the entry", () => {
    expect(() => readSafetensors(assemble({ __metadata__: { config: { size: 64 } } }, new Uint8Array()))).toThrow(/__metadata__ "config" must be a string, got object/);
    expect(() => readSafetensors(assemble({ __metadata__: ["x"] }, new Uint8Array()))).toThrow(/__metadata__ must be an object of strings/);
  });

  it("keeps a metadata entry named __proto__ as an entry, never as the prototype", () => {
    const { metadata } = readSafetensors(assemble(JSON.parse('{"__metadata__": {"__proto__": "x", "format": "pt"}}'), new Uint8Array()));
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata).sort()).toEqual(["__proto__", "format"]);
  });
});

describe("model configs in metadata: not JSON, not an object, or out of range", () => {
  const readers: [string, (bytes: Uint8Array) => unknown, Record<string, string>][] = [
    ["dVAE", (b) => dvaeFromSafetensors([b]), {}],
    ["transformer", transformerFromSafetensors, { format: "ccw-transformer" }],
    ["reranker", rerankerFromSafetensors, { format: "ccw-reranker/1" }],
    ["labeler", (b) => cnnFromSafetensors(b), {}],
  ];

  it.each(readers)("%s: a config that is not JSON is refused, naming the metadata field", (name, read, base) => {
    expect(() => read(metadataOnly({ ...base, config: "{size: 64" }))).toThrow(new RegExp(`metadata "config" is not JSON`, "i"));
  });

  it.each(readers.flatMap(([name, read, base]) => ['"small"', "null", "[1, 2]", "7"].map((text) => [name, text, read, base] as const)))(
    "%s: a config of %s (JSON, but not an object) is refused",
    (name, text, read, base) => {
      expect(() => read(metadataOnly({ ...base, config: text }))).toThrow(/metadata "config" must be a JSON object of fields/);
    },
  );

  it.each(readers)("%s: a config with a __proto__ field is refused by name", (name, read, base) => {
    expect(() => read(metadataOnly({ ...base, config: '{"__proto__": {"polluted": true}}' }))).toThrow(/field name "__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("dVAE: a metadata inputSize of 1024 is refused before anything is allocated, with the valid range", () => {
    const config = JSON.stringify({ ...resolveConfig("small"), inputSize: 1024 });
    expect(() => dvaeFromSafetensors([metadataOnly({ config })])).toThrow(new RegExp(`inputSize 1024 with nHid 32 needs feature maps .* over the limit of ${MAX_FEATURE_MAP_FLOATS}.*at most 724`));
    expect(() => resolveConfig({ inputSize: 4096 })).toThrow(/dVAE config inputSize must be an integer from 1 to 1024, got 4096/);
    expect(() => resolveConfig({ nHid: "32" as never })).toThrow(/nHid must be an integer from 4 to 4096, got "32"/);
  });

  it("transformer: a grid or text length past the paper's is refused, naming the field and its range", () => {
    const good = { direction: "text-to-image", textLength: 32, textVocab: 10, imageVocab: 16, grid: 8, dModel: 16, nLayers: 1, nHeads: 2, ffMult: 1, attention: ["conv"], convKernel: 3, textLossWeight: 0.125, imageLossWeight: 0.875 };
    const read = (patch: object) => transformerFromSafetensors(metadataOnly({ format: "ccw-transformer", config: JSON.stringify({ ...good, ...patch }) }));
    expect(() => read({ grid: 1024 })).toThrow(/transformer config grid must be an integer from 1 to 32, got 1024/);
    expect(() => read({ textLength: 1e6 })).toThrow(/textLength must be an integer from 1 to 256/);
    expect(() => read({ textLossWeight: null })).toThrow(/textLossWeight must be a number from 0 to 1000, got null/);
    expect(() => read({ direction: "sideways" })).toThrow(/direction must be one of text-to-image, image-to-text/);
    expect(() => read({ extra: 1 })).toThrow(/unknown transformer config field "extra"/);
    expect(() => read({})).toThrow(/transformer file lacks the weight/); // the config itself passes
  });

  it("reranker: an image tower whose feature map would not fit is refused before allocation", () => {
    const read = (config: object) => rerankerFromSafetensors(metadataOnly({ format: "ccw-reranker/1", config: JSON.stringify(config) }));
    expect(() => read({ textVocab: 10, imageSize: 1024, imageChannels: [4096] })).toThrow(/needs a feature map of 1073741824 floats per image, over the limit/);
    expect(() => read({ textVocab: 10, imageChannels: "wide" })).toThrow(/imageChannels must be a list of 1 to 8 integers from 1 to 4096, got "wide"/);
  });

  it("labeler: size, channels and categories are checked with their valid values", () => {
    const read = (config: object) => cnnFromSafetensors(metadataOnly({ config: JSON.stringify(config) }), "judge.safetensors");
    const good = { size: 64, channels: [8, 8, 8, 8], categories: ["cat", "dog"] };
    expect(() => read({ ...good, size: 1024 })).toThrow(/judge\.safetensors: metadata "config" size must be an integer from 8 to 512, got 1024/);
    expect(() => read({ ...good, channels: [8, 8, 8] })).toThrow(/channels must be a list of 4 to 4 integers/);
    expect(() => read({ ...good, categories: ["cat", "cat"] })).toThrow(/categories must be a list of 1 to 10000 distinct non-empty strings/);
    expect(() => read({ size: 64 })).toThrow(/lacks the field channels/);
    expect(() => read(good)).toThrow(/labeler weights lack conv0\.w/); // the config itself passes
  });

  it("a metadata entry other than the config that is not JSON names its field", () => {
    expect(() => cnnFromSafetensors(metadataOnly({ config: JSON.stringify({ size: 64, channels: [8, 8, 8, 8], categories: ["a"] }), info: "{oops" }))).toThrow(/metadata "info" is not JSON/);
  });
});

describe("truncated weights files name themselves", () => {
  it("loadTransformer() names the cut-off weights.safetensors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ccw-hostile-transformer-"));
    const whole = writeSafetensors(new Map([["w", { shape: [4], data: new Float32Array(4) }]]), { format: "ccw-transformer", config: "{}" });
    writeFileSync(join(dir, "weights.safetensors"), whole.subarray(0, whole.length - 3));
    await expect(loadTransformer(dir)).rejects.toThrow(new RegExp(`${join(dir, "weights.safetensors").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: tensor "w": data_offsets \\[0, 16\\] fall outside the 13 data bytes \\(truncated file\\?\\)`));
  });
});

describe("the shared config checker", () => {
  it("words every rule with its valid values", () => {
    const schema = { n: { kind: "int", min: 1, max: 8 }, t: { kind: "number", min: 0, max: 1, minExclusive: true } } as const;
    expect(() => checkConfigFields("demo config", { n: 9, t: 0.5 }, schema)).toThrow("demo config n must be an integer from 1 to 8, got 9");
    expect(() => checkConfigFields("demo config", { n: 1, t: 0 }, schema)).toThrow("demo config t must be a number above 0 up to 1, got 0");
    expect(() => parseConfigJson("--config", "")).toThrow(/--config is not JSON/);
  });
});

describe("TF.js dVAE folders", () => {
  const tiny = resolveConfig({ groupCount: 2, nHid: 8, nBlkPerGroup: 1, vocabSize: 16, nInit: 8, inputSize: 16 });
  let root: string;
  let folder: string;
  let manifest: Record<string, unknown>;
  let bin: Uint8Array;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "ccw-hostile-dvae-"));
    folder = join(root, "models", "dvae");
    mkdirSync(folder, { recursive: true });
    const dvae = createDvae(tiny, { seed: 1 });
    const weights = await dvaeToTfjs(dvae);
    dvae.dispose();
    manifest = weights.manifest as unknown as Record<string, unknown>;
    bin = weights.bin;
    writeFileSync(join(root, "outside.bin"), bin); // a well-formed weights file outside the folder
  });
  afterAll(() => tf.disposeVariables());

  /** Writes the folder with the manifest patched and, optionally, another binary. */
  const write = (patch: Record<string, unknown>, bytes: Uint8Array = bin) => {
    writeFileSync(join(folder, "model.json"), JSON.stringify({ ...manifest, ...patch }));
    writeFileSync(join(folder, "weights.bin"), bytes);
    return folder;
  };
  const paths = (p: unknown) => ({ weightsManifest: [{ paths: p, weights: (manifest.weightsManifest as { weights: unknown }[])[0]!.weights }] });

  it("loads the folder it wrote", async () => {
    const dvae = await loadDvae(write({}));
    expect(dvae.config).toEqual(tiny);
    dvae.dispose();
  });

  it.each([["../../outside.bin"], ["../../../../etc/hostname"], ["/etc/hostname"], ["/tmp/outside.bin"], ["sub/../../outside.bin"], [""], ["."]])(
    "never reads a weights path that leaves the folder: %j",
    async (path) => {
      await expect(loadDvae(write(paths([path])))).rejects.toThrow(/which is not a file inside the folder|is missing/);
      await expect(loadDvae(write(paths([path])))).rejects.not.toThrow(/holds \d+ bytes/); // refused before reading
    },
  );

  it("refuses a manifest naming several weights files or none", async () => {
    await expect(loadDvae(write(paths(["weights.bin", "weights.bin"])))).rejects.toThrow(/exactly one weights file/);
    await expect(loadDvae(write({ weightsManifest: "x" }))).rejects.toThrow(/no weightsManifest\[0\]\.paths/);
  });

  it("names the truncated weights.bin and the bytes it should hold", async () => {
    await expect(loadDvae(write({}, bin.subarray(0, bin.length - 10)))).rejects.toThrow(new RegExp(`weights\\.bin holds ${bin.length - 10} bytes but .*model\\.json describes ${bin.length} \\(truncated file\\?\\)`));
  });

  it("names the weight holding a NaN", async () => {
    const poisoned = bin.slice();
    new DataView(poisoned.buffer).setFloat32(8, NaN, true);
    await expect(loadDvae(write({}, poisoned))).rejects.toThrow(/weights\.bin: weight "encoder\.[^"]+" element 2 is NaN; weights must be finite/);
  });

  it("refuses a manifest whose config is out of range or not an object, naming the field", async () => {
    await expect(loadDvae(write({ config: { ...tiny, nHid: 64, inputSize: 1024 } }))).rejects.toThrow(/dVAE config inputSize 1024 with nHid 64 needs feature maps/);
    expect(() => dvaeFromTfjs({ manifest: { ...manifest, config: null } as never, bin })).toThrow(/dVAE config must be a JSON object of fields, got null/);
    expect(() => dvaeFromTfjs({ manifest: { ...manifest, config: { ...tiny, inputSize: "16" } } as never, bin })).toThrow(/inputSize must be an integer from 1 to 1024, got "16"/);
    expect(() => dvaeFromTfjs({ manifest: "model" as never, bin })).toThrow(/the dVAE manifest must be a JSON object/);
  });

  it("refuses weight specs of another dtype or a mismatched shape", () => {
    const specs = (manifest.weightsManifest as { weights: { name: string; shape: number[]; dtype: string }[] }[])[0]!.weights;
    const with0 = (spec: object) => ({ ...manifest, weightsManifest: [{ paths: ["weights.bin"], weights: [{ ...specs[0], ...spec }, ...specs.slice(1)] }] });
    expect(() => dvaeFromTfjs({ manifest: with0({ dtype: "string" }) as never, bin })).toThrow(/weights\[0\] .* dtype must be one of float32, got "string"/);
    const [a, b] = specs[0]!.shape;
    expect(() => dvaeFromTfjs({ manifest: with0({ shape: [b, a, ...specs[0]!.shape.slice(2)].reverse() }) as never, bin })).toThrow(/has shape .* the config needs|holds/);
  });

  it("reads the folder's files only: its manifest is left as it was", async () => {
    write({});
    const before = readFileSync(join(folder, "model.json"), "utf-8");
    (await loadDvae(folder, { config: { inputSize: 32 } })).dispose();
    expect(readFileSync(join(folder, "model.json"), "utf-8")).toBe(before);
  });
});

describe("ccw dvae --config", () => {
  it.each([
    ['{"__proto__": {"nHid": 8}}', /field name "__proto__" is not allowed/],
    ['"small"', /--config must be official \| small or a JSON object of fields \(groupCount, nHid, .*\), got "\\"small\\""/],
    ["null", /--config must be official \| small or a JSON object of fields .*, got "null"/],
    ["{nHid: 8}", /--config is not JSON/],
    ['{"inputSize": 1024}', /dVAE config inputSize 1024 with nHid 32 needs feature maps/],
    ['{"inputSize": 99999}', /dVAE config inputSize must be an integer from 1 to 1024, got 99999/],
    ['{"width": 8}', /unknown dVAE config field "width"; valid fields: groupCount, nHid/],
  ])("refuses --config %s with a message naming the field and the valid values", async (spec, message) => {
    const { code, err } = await ccw("dvae", "train", "--config", spec, "--out", join(tmpdir(), "ccw-never-written"));
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("bounds each single-field flag by the config's own range", async () => {
    const { code, err } = await ccw("dvae", "train", "--input-size", "4096", "--out", join(tmpdir(), "ccw-never-written"));
    expect(code).toBe(2);
    expect(err).toMatch(/--input-size must be an integer from 1 to 1024, got "4096"/);
  });
});

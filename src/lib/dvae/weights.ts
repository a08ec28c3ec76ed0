// Moving dVAE weights in and out: the official PyTorch layout (safetensors, OIHW) and TF.js's own weights format.
import * as tf from "@tensorflow/tfjs";
import { checkConfigObject, parseConfigJson, readSafetensors, writeSafetensors, type SafeTensor } from "../safetensors/index.js";
import { resolveConfig, type DvaeConfig } from "./config.js";
import { convSpecs, createDvae, type Dvae, type Half, type Params } from "./model.js";

/** Official tensors may come one file per half (`blocks.…`) or one file with `encoder.` / `decoder.` prefixes. */
function officialName(tensors: Map<string, SafeTensor>, half: Half, name: string): string | undefined {
  const prefixed = `${half}.${name}`;
  if (tensors.has(prefixed)) return prefixed;
  return tensors.has(name) ? name : undefined;
}

function float32(t: SafeTensor, name: string): Float32Array {
  if (!(t.data instanceof Float32Array)) throw new Error(`weight "${name}" is ${t.dtype}; expected a float type`);
  return t.data;
}

/** Reads one half's weights from official-layout tensors, converting OIHW kernels to HWIO. */
export function paramsFromOfficial(config: DvaeConfig, half: Half, tensors: Map<string, SafeTensor>): Params {
  const params: Params = new Map();
  const fail = (message: string) => {
    for (const v of params.values()) v.dispose();
    throw new Error(message);
  };
  for (const s of convSpecs(config, half)) {
    const wName = officialName(tensors, half, `${s.name}.w`);
    const bName = officialName(tensors, half, `${s.name}.b`);
    if (!wName || !bName) fail(`${half} weights lack "${s.name}.w"/"${s.name}.b" (config ${JSON.stringify(config)})`);
    const w = tensors.get(wName!)!;
    const b = tensors.get(bName!)!;
    const expected = [s.nOut, s.nIn, s.kernel, s.kernel];
    if (w.shape.join() !== expected.join()) fail(`${half} weight "${wName}" has shape [${w.shape.join(", ")}], expected OIHW [${expected.join(", ")}]`);
    if (b.shape.join() !== String(s.nOut)) fail(`${half} bias "${bName}" has shape [${b.shape.join(", ")}], expected [${s.nOut}]`);
    params.set(`${s.name}.w`, tf.variable(tf.tidy(() => tf.transpose(tf.tensor4d(float32(w, wName!), expected as [number, number, number, number]), [2, 3, 1, 0]))));
    params.set(`${s.name}.b`, tf.variable(tf.tensor1d(float32(b, bName!))));
  }
  return params;
}

/** Infers the architecture from official-layout tensors (input size cannot be inferred: the model is fully convolutional). */
export function inferConfig(tensors: Map<string, SafeTensor>, inputSize = 256): DvaeConfig {
  const shape = (half: Half, name: string) => {
    const n = officialName(tensors, half, name);
    if (!n) throw new Error(`cannot infer the dVAE config: no "${name}" (or "${half}.${name}") in the weights`);
    return tensors.get(n)!.shape;
  };
  const names = [...tensors.keys()];
  const groups = names.map((n) => /group_(\d+)\./.exec(n)?.[1]).filter(Boolean).map(Number);
  const blocks = names.map((n) => /group_1\.block_(\d+)\./.exec(n)?.[1]).filter(Boolean).map(Number);
  const encIn = shape("encoder", "blocks.input.w");
  return resolveConfig({
    groupCount: Math.max(...groups),
    nBlkPerGroup: Math.max(...blocks),
    nHid: encIn[0]!,
    inputChannels: encIn[1]!,
    vocabSize: shape("encoder", "blocks.output.conv.w")[0]!,
    nInit: shape("decoder", "blocks.input.w")[0]!,
    outputChannels: shape("decoder", "blocks.output.conv.w")[0]! / 2,
    inputSize,
  });
}

/** Loads a dVAE from safetensors bytes in the official layout (both halves in one file, or one file per half); the config comes from the argument, the file's metadata, or the tensors' shapes. */
export function dvaeFromSafetensors(files: Uint8Array[], config?: Partial<DvaeConfig> & { inputSize?: number }): Dvae {
  const tensors = new Map<string, SafeTensor>();
  let saved: Partial<DvaeConfig> | undefined;
  for (const bytes of files) {
    const file = readSafetensors(bytes);
    for (const [k, v] of file.tensors) tensors.set(k, v);
    if (file.metadata.config !== undefined) saved = parseConfigJson('dVAE safetensors metadata "config"', file.metadata.config) as Partial<DvaeConfig>; // our own exports record it
  }
  const resolved = config?.groupCount ? resolveConfig(config) : saved ? resolveConfig({ ...saved, ...config }) : inferConfig(tensors, config?.inputSize);
  const encoder = paramsFromOfficial(resolved, "encoder", tensors);
  const decoder = paramsFromOfficial(resolved, "decoder", tensors);
  return createDvae(resolved, { encoder, decoder });
}

/** Writes a dVAE in the official layout (OIHW, `encoder.`/`decoder.` prefixes) as safetensors. */
export function dvaeToSafetensors(dvae: Dvae): Uint8Array {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [half, params] of [["encoder", dvae.encoder], ["decoder", dvae.decoder]] as const) {
    for (const s of convSpecs(dvae.config, half)) {
      const w = tf.tidy(() => tf.transpose(params.get(`${s.name}.w`)!, [3, 2, 0, 1])); // HWIO → OIHW
      out.set(`${half}.${s.name}.w`, { shape: w.shape, data: w.dataSync() as Float32Array });
      w.dispose();
      const b = params.get(`${s.name}.b`)!;
      out.set(`${half}.${s.name}.b`, { shape: b.shape, data: b.dataSync() as Float32Array });
    }
  }
  return writeSafetensors(out, { format: "pt", source: "conceptual-workbench dvae", config: JSON.stringify(dvae.config) });
}

/** TF.js weights format: a JSON manifest (with our config and any training record) plus one binary. */
export interface TfjsWeights {
  manifest: { format: "conceptual-workbench-dvae"; config: DvaeConfig; info: Record<string, unknown>; weightsManifest: tf.io.WeightsManifestConfig };
  bin: Uint8Array;
}

export async function dvaeToTfjs(dvae: Dvae, info: Record<string, unknown> = {}, binName = "weights.bin"): Promise<TfjsWeights> {
  const named: tf.NamedTensorMap = {};
  for (const [k, v] of dvae.encoder) named[`encoder.${k}`] = v;
  for (const [k, v] of dvae.decoder) named[`decoder.${k}`] = v;
  const { data, specs } = await tf.io.encodeWeights(named);
  return {
    manifest: { format: "conceptual-workbench-dvae", config: dvae.config, info, weightsManifest: [{ paths: [binName], weights: specs }] },
    bin: new Uint8Array(data),
  };
}

/** Bytes per element of the TF.js dtypes a dVAE manifest may hold (the workbench writes float32 only). */
const TFJS_DTYPE_BYTES: Record<string, number> = { float32: 4 };

/** Names used in errors: where the manifest and the binary came from (a folder's files, or a page's attachments). */
export interface TfjsSources {
  manifest: string;
  bin: string;
}

/**
 * Checks a TF.js dVAE manifest before anything is decoded: the format marker, the config (every field in range),
 * and every weight spec (name, shape, float32, no quantization), whose sizes must add up to the binary's length.
 * Returns the specs.
 */
export function checkTfjsWeights(weights: TfjsWeights, sources: TfjsSources = { manifest: "the dVAE manifest", bin: "the weights binary" }): { config: DvaeConfig; specs: tf.io.WeightsManifestEntry[]; buffer: ArrayBuffer } {
  const manifest = checkConfigObject(sources.manifest, weights.manifest);
  if (manifest.format !== "conceptual-workbench-dvae") throw new Error(`${sources.manifest} is not dVAE weights: format ${JSON.stringify(manifest.format)}, expected "conceptual-workbench-dvae"`);
  const config = resolveConfig(manifest.config as Partial<DvaeConfig>);
  const groups = manifest.weightsManifest;
  if (!Array.isArray(groups) || groups.length !== 1 || !Array.isArray(groups[0]?.weights)) throw new Error(`${sources.manifest}: weightsManifest must be a list of one group { paths, weights }, got ${JSON.stringify(groups)?.slice(0, 80)}`);
  const specs = groups[0].weights as tf.io.WeightsManifestEntry[];
  let bytes = 0;
  specs.forEach((spec, i) => {
    const bad = (what: string) => new Error(`${sources.manifest}: weightsManifest[0].weights[${i}] (${JSON.stringify(spec?.name)}) ${what}`);
    if (typeof spec?.name !== "string") throw bad("has no name");
    if (!Array.isArray(spec.shape) || spec.shape.length > 8 || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`shape must be a list of at most 8 non-negative integers, got ${JSON.stringify(spec.shape)}`);
    if (!Object.hasOwn(TFJS_DTYPE_BYTES, spec.dtype)) throw bad(`dtype must be one of ${Object.keys(TFJS_DTYPE_BYTES).join(", ")}, got ${JSON.stringify(spec.dtype)}`);
    if (spec.quantization !== undefined) throw bad("is quantized; the dVAE reads unquantized float32 weights only");
    bytes += spec.shape.reduce((a, b) => a * b, 1) * TFJS_DTYPE_BYTES[spec.dtype]!;
  });
  if (bytes !== weights.bin.byteLength) {
    throw new Error(`${sources.bin} holds ${weights.bin.byteLength} bytes but ${sources.manifest} describes ${bytes}${weights.bin.byteLength < bytes ? " (truncated file?)" : ""}`);
  }
  const buffer = weights.bin.buffer.slice(weights.bin.byteOffset, weights.bin.byteOffset + weights.bin.byteLength) as ArrayBuffer;
  const floats = new Float32Array(buffer);
  let at = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(floats[at + j]!)) throw new Error(`${sources.bin}: weight "${spec.name}" element ${j} is ${floats[at + j]}; weights must be finite numbers`);
    }
    at += n;
  }
  return { config, specs, buffer };
}

export function dvaeFromTfjs(weights: TfjsWeights, sources?: TfjsSources): Dvae {
  const { config, specs, buffer } = checkTfjsWeights(weights, sources);
  const named = tf.io.decodeWeights(buffer, specs);
  const made: tf.Variable[] = [];
  try {
    const half = (prefix: Half): Params => {
      const p: Params = new Map();
      for (const s of convSpecs(config, prefix)) {
        for (const [suffix, shape] of [["w", [s.kernel, s.kernel, s.nIn, s.nOut]], ["b", [s.nOut]]] as const) {
          const name = `${prefix}.${s.name}.${suffix}`;
          const t = named[name];
          if (!t) throw new Error(`dVAE weights lack "${name}"`);
          if (t.shape.join() !== shape.join()) throw new Error(`dVAE weight "${name}" has shape [${t.shape.join(", ")}], the config needs [${shape.join(", ")}]`);
          const v = tf.variable(t);
          made.push(v);
          p.set(`${s.name}.${suffix}`, v);
        }
      }
      return p;
    };
    return createDvae(config, { encoder: half("encoder"), decoder: half("decoder") });
  } catch (error) {
    tf.dispose(made);
    throw error;
  } finally {
    tf.dispose(Object.values(named));
  }
}

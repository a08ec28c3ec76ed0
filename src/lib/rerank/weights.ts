// The reranker's weights as safetensors: every weight as F32 under its model name, the config and caller's info as metadata.
import * as tf from "@tensorflow/tfjs";
import { bpeFromJson, bpeToJson, type Bpe } from "../bpe/index.js";
import { checkConfigObject, parseConfigJson, parseJsonEntry, readSafetensors, writeSafetensors } from "../safetensors/index.js";
import { createReranker, rerankerShapes, resolveRerankerConfig, type Reranker, type RerankerConfig } from "./model.js";

/** Marks the file as a reranker, so another model's safetensors is refused by name. */
const FORMAT = "ccw-reranker/1";

/** Serialises the weights (synchronously read back from the backend) with `info` (JSON) in the metadata. */
export function rerankerToSafetensors(model: Reranker, info: Record<string, unknown>): Uint8Array {
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name] of rerankerShapes(model.config)) {
    const v = model.params.get(name);
    if (!v) throw new Error(`reranker weights lack "${name}"`);
    tensors.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
  }
  return writeSafetensors(tensors, { format: FORMAT, config: JSON.stringify(model.config), info: JSON.stringify(info) });
}

/** Reads what rerankerToSafetensors wrote; throws naming a missing, extra or misshapen tensor. */
export function rerankerFromSafetensors(bytes: Uint8Array): { model: Reranker; info: Record<string, unknown> } {
  const { tensors, metadata } = readSafetensors(bytes);
  if (metadata.format !== FORMAT) throw new Error(`not reranker weights: safetensors metadata format is ${JSON.stringify(metadata.format)}, expected "${FORMAT}"`);
  const config = resolveRerankerConfig(parseConfigJson('reranker metadata "config"', metadata.config) as unknown as RerankerConfig);
  const info = metadata.info === undefined ? {} : checkConfigObject('reranker metadata "info"', parseJsonEntry('reranker metadata "info"', metadata.info));
  const shapes = rerankerShapes(config);
  const expected = new Set(shapes.map(([name]) => name));
  const extra = [...tensors.keys()].filter((k) => !expected.has(k));
  if (extra.length) throw new Error(`reranker weights hold tensors this config does not use: ${extra.join(", ")}`);
  for (const [name, shape] of shapes) {
    const t = tensors.get(name);
    if (!t) throw new Error(`reranker weights lack "${name}" [${shape.join(", ")}]`);
    if (t.shape.join("x") !== shape.join("x")) throw new Error(`reranker weight "${name}" has shape [${t.shape.join(", ")}], expected [${shape.join(", ")}]`);
    if (!(t.data instanceof Float32Array)) throw new Error(`reranker weight "${name}" is ${t.dtype}; expected a float type`);
  }
  const model = createReranker(config);
  for (const [name, v] of model.params) {
    const t = tensors.get(name)!;
    const value = tf.tensor(t.data as Float32Array, t.shape);
    v.assign(value);
    value.dispose();
  }
  return { model, info };
}

/** The weights with the BPE vocabulary they were trained with (under info.bpe): what a page or the CLI loads. */
export function rerankerWithBpeToSafetensors(model: Reranker, bpe: Bpe, info: Record<string, unknown>): Uint8Array {
  return rerankerToSafetensors(model, { ...info, bpe: bpeToJson(bpe) });
}

/** Reads what rerankerWithBpeToSafetensors wrote; throws when the file carries no BPE vocabulary. */
export function rerankerWithBpeFromSafetensors(bytes: Uint8Array): { model: Reranker; bpe: Bpe; info: Record<string, unknown> } {
  const { model, info } = rerankerFromSafetensors(bytes);
  const { bpe, ...rest } = info;
  if (!bpe) {
    model.dispose();
    throw new Error("these reranker weights hold no BPE vocabulary in their metadata, so captions cannot be tokenised for them");
  }
  try {
    return { model, bpe: bpeFromJson(bpe), info: rest };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

// Transformer weights as one safetensors file: tensors by name, the config and the BPE vocabulary in the metadata.
import * as tf from "@tensorflow/tfjs";
import { parseConfigJson, parseJsonEntry, readSafetensors, writeSafetensors } from "../safetensors/index.js";
import { checkConfig, type TransformerConfig } from "./config.js";
import { createTransformer, paramShapes, type Params, type Transformer } from "./model.js";

/** Writes the given weights (default: the model's own) with config and extra metadata (JSON strings). */
export async function transformerToSafetensors(model: Transformer, metadata: Record<string, unknown> = {}, weights?: Map<string, tf.Tensor>): Promise<Uint8Array> {
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const name of paramShapes(model.config).keys()) {
    const t = weights?.get(name) ?? model.params.get(name)!;
    tensors.set(name, { shape: t.shape, data: (await t.data()) as Float32Array });
  }
  const meta: Record<string, string> = { format: "ccw-transformer", config: JSON.stringify(model.config) };
  for (const [k, v] of Object.entries(metadata)) meta[k] = JSON.stringify(v);
  return writeSafetensors(tensors, meta);
}

/** Reads a file written by transformerToSafetensors: the model, and the other metadata entries parsed from JSON. */
export function transformerFromSafetensors(bytes: Uint8Array): { model: Transformer; metadata: Record<string, unknown> } {
  const file = readSafetensors(bytes);
  if (file.metadata.format !== "ccw-transformer") throw new Error(`not a workbench transformer file (metadata format is ${JSON.stringify(file.metadata.format ?? null)}, expected "ccw-transformer")`);
  const config = checkConfig(parseConfigJson('transformer metadata "config"', file.metadata.config) as unknown as TransformerConfig);
  const shapes = paramShapes(config);
  for (const [name, shape] of shapes) {
    const t = file.tensors.get(name);
    if (!t) throw new Error(`transformer file lacks the weight "${name}"`);
    if (t.shape.join() !== shape.join()) throw new Error(`transformer weight "${name}" has shape [${t.shape.join(", ")}], the config needs [${shape.join(", ")}]`);
    if (!(t.data instanceof Float32Array)) throw new Error(`transformer weight "${name}" is not a float tensor`);
  }
  // fromEntries defines own properties, so a "__proto__" entry stays an entry.
  const metadata: Record<string, unknown> = Object.fromEntries(
    Object.entries(file.metadata).filter(([k]) => k !== "format" && k !== "config").map(([k, v]) => [k, parseJsonEntry(`transformer metadata "${k}"`, v)]),
  );
  // Everything is checked: only now are variables made, so a bad file leaks none.
  const params: Params = new Map();
  for (const [name] of shapes) {
    const t = file.tensors.get(name)!;
    params.set(name, tf.tidy(() => tf.variable(tf.tensor(t.data as Float32Array, t.shape), true)));
  }
  return { model: createTransformer(config, { params }), metadata };
}

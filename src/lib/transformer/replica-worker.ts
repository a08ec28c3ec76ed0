// Worker thread of GradientReplicas (replicas.ts): a replica of the model on its own backend. Before every step it
// reads the weights from the shared buffer, then writes its shard's gradients into its own shared buffer.
import { parentPort, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../tfjs/index.js";
import { useWasmThreads } from "../tfjs/node.js";
import { createTransformer, type Transformer } from "./model.js";
import type { ReplicaInit, ReplicaReply, ReplicaRequest } from "./replicas.js";
import { lossAndGradients } from "./train.js";

if (!parentPort) throw new Error("replica-worker.ts must run in a worker thread");
const port = parentPort;
const init = workerData as ReplicaInit;
const send = (m: ReplicaReply) => port.postMessage(m);
const fail = (error: unknown) => send({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });

async function start(): Promise<Transformer> {
  if (init.backend === "wasm") await useWasmThreads(init.threads);
  else await useBackend(init.backend);
  const model = createTransformer(init.config, { seed: 1 });
  const names = [...model.params.keys()];
  const sizes = names.map((n) => model.params.get(n)!.size);
  if (names.join() !== init.names.join() || sizes.join() !== init.sizes.join()) throw new Error("the replica's weights differ in names or sizes from the model's");
  return model;
}

const weights = new Float32Array(init.weights);
const grads = new Float32Array(init.grads);
const ready = start();
ready.then(() => send({ type: "ready" }), fail);

port.on("message", async (m: ReplicaRequest) => {
  try {
    const model = await ready;
    let offset = 0;
    for (const [i, name] of init.names.entries()) {
      const v = model.params.get(name)!;
      const size = init.sizes[i]!;
      tf.tidy(() => v.assign(tf.tensor(weights.slice(offset, offset + size), v.shape, "float32")));
      offset += size;
    }
    const T = m.text.length / m.rows;
    const N = m.image.length / m.rows;
    const text = tf.tensor2d(m.text, [m.rows, T], "int32");
    const image = tf.tensor2d(m.image, [m.rows, N], "int32");
    const g = lossAndGradients(model, text, image);
    tf.dispose([text, image]);
    offset = 0;
    for (const [i, name] of init.names.entries()) {
      const grad = g.grads[model.params.get(name)!.name]!;
      grads.set(grad.dataSync() as Float32Array, offset);
      grad.dispose();
      offset += init.sizes[i]!;
    }
    send({ type: "grads", loss: g.loss, text: g.text, image: g.image });
  } catch (error) {
    fail(error);
  }
});

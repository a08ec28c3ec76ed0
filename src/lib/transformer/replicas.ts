// Node only: data-parallel training steps. The batch is cut into row shards; this thread computes the first shard's
// gradients while worker threads, each holding a replica of the model on its own backend, compute the others. The
// weights reach the replicas through one shared buffer before every step, their gradients come back through one
// shared buffer each, and this thread sums them weighted by shard size (a fixed order: the same batch and weights
// give the same sum whichever replica finishes first). Only this thread's model has an optimizer.
import type { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { startModuleWorker } from "../files/index.js";
import type { TransformerConfig } from "./config.js";
import type { Transformer } from "./model.js";
import { lossAndGradients, type StepGradients } from "./train.js";

/** What a replica worker starts from (its workerData). */
export interface ReplicaInit {
  config: TransformerConfig;
  backend: "wasm" | "cpu";
  threads: number; // WASM (XNNPACK) threads of the replica's backend
  names: string[]; // the model's weights in the order the buffers hold them
  sizes: number[];
  weights: SharedArrayBuffer; // Float32 [Σ sizes], written by this thread before every step
  grads: SharedArrayBuffer; // Float32 [Σ sizes], this replica's gradients
}

/** One shard's work, and the replica's answer. */
export type ReplicaRequest = { type: "step"; rows: number; text: Int32Array; image: Int32Array };
export type ReplicaReply = { type: "ready" } | { type: "grads"; loss: number; text: number; image: number } | { type: "error"; message: string };

export interface ReplicaOptions {
  replicas: number; // shards per batch, this thread's included (≥ 2; 1 needs no replicas)
  backend: "wasm" | "cpu"; // the backend each worker's replica runs on
  threads: number; // its WASM threads
}

/** A worker thread and its one outstanding request. */
class Replica {
  private waiting: { resolve: (r: ReplicaReply) => void; reject: (e: Error) => void } | undefined;
  private failed: Error | undefined;

  constructor(
    readonly worker: Worker,
    readonly grads: Float32Array,
    index: number,
  ) {
    const fail = (e: Error) => {
      this.failed ??= new Error(`transformer replica ${index}: ${e.message}`, { cause: e });
      this.waiting?.reject(this.failed);
      this.waiting = undefined;
    };
    worker.on("message", (m: ReplicaReply) => {
      if (m.type === "error") return fail(new Error(m.message));
      const w = this.waiting;
      this.waiting = undefined;
      w?.resolve(m);
    });
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`worker exited with code ${code}`)));
  }

  /** The next reply (one request at a time). */
  reply(): Promise<ReplicaReply> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.waiting) return Promise.reject(new Error("a transformer replica was asked twice at once"));
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}

/** Rows [start, start + count) of each of `shards` near-equal shards of `batch` rows (the first ones one row longer). */
export function shardRows(batch: number, shards: number): { start: number; count: number }[] {
  const base = Math.floor(batch / shards);
  const extra = batch % shards;
  let start = 0;
  return Array.from({ length: shards }, (_, i) => {
    const count = base + (i < extra ? 1 : 0);
    const s = { start, count };
    start += count;
    return s;
  });
}

/** Worker threads holding replicas of one model, for data-parallel gradients of its batches. */
export class GradientReplicas {
  private constructor(
    private readonly replicas: Replica[],
    private readonly weights: Float32Array,
    private readonly names: string[],
    private readonly sizes: number[],
  ) {}

  /** Starts `replicas - 1` workers for `model`'s config and waits until each has built its replica. */
  static async start(model: Transformer, o: ReplicaOptions): Promise<GradientReplicas> {
    if (!Number.isInteger(o.replicas) || o.replicas < 2 || o.replicas > 64) throw new Error(`data-parallel replicas must be an integer from 2 to 64, got ${o.replicas}`);
    const names = [...model.params.keys()];
    const sizes = names.map((n) => model.params.get(n)!.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const weights = new SharedArrayBuffer(4 * total);
    const replicas: Replica[] = [];
    try {
      for (let i = 1; i < o.replicas; i++) {
        const grads = new SharedArrayBuffer(4 * total);
        const init: ReplicaInit = { config: model.config, backend: o.backend, threads: o.threads, names, sizes, weights, grads };
        replicas.push(new Replica(startModuleWorker(import.meta.url, "replica-worker", init), new Float32Array(grads), i));
      }
      await Promise.all(replicas.map(async (r) => (await r.reply()).type));
    } catch (error) {
      await Promise.all(replicas.map((r) => r.worker.terminate()));
      throw error;
    }
    return new GradientReplicas(replicas, new Float32Array(weights), names, sizes);
  }

  /** Shards per batch, this thread's included. */
  get count(): number {
    return this.replicas.length + 1;
  }

  /**
   * The batch's mean losses and gradients, as lossAndGradients(model, text, image) computes them on one thread (to
   * rounding): text [B, T], image [B, N]. A batch of fewer rows than replicas leaves the extra replicas idle.
   */
  async gradients(model: Transformer, text: tf.Tensor2D, image: tf.Tensor2D): Promise<StepGradients> {
    const B = text.shape[0];
    if (image.shape[0] !== B) throw new Error(`text and image batches differ: ${B} and ${image.shape[0]} rows`);
    const shards = shardRows(B, Math.min(this.count, B));
    const T = text.shape[1];
    const N = image.shape[1];
    let offset = 0;
    this.names.forEach((name, i) => {
      this.weights.set(model.params.get(name)!.dataSync() as Float32Array, offset);
      offset += this.sizes[i]!;
    });
    const textIds = text.dataSync() as Int32Array;
    const imageIds = image.dataSync() as Int32Array;
    const asked = shards.slice(1).map(({ start, count }, i) => {
      const replica = this.replicas[i]!;
      const reply = replica.reply();
      const request: ReplicaRequest = { type: "step", rows: count, text: textIds.slice(start * T, (start + count) * T), image: imageIds.slice(start * N, (start + count) * N) };
      replica.worker.postMessage(request);
      return reply;
    });
    // This thread's shard, while the workers compute theirs.
    const [own] = shards;
    const ownText = tf.slice(text, [0, 0], [own!.count, T]);
    const ownImage = tf.slice(image, [0, 0], [own!.count, N]);
    const local = lossAndGradients(model, ownText, ownImage);
    tf.dispose([ownText, ownImage]);
    const replies = await Promise.all(asked).catch((error: Error) => {
      tf.dispose(Object.values(local.grads));
      throw error;
    });
    const weightOf = (count: number) => count / B;
    const w0 = weightOf(own!.count);
    const sum = { loss: w0 * local.loss, text: w0 * local.text, image: w0 * local.image };
    replies.forEach((r, i) => {
      if (r.type !== "grads") throw new Error(`transformer replica ${i + 1} answered ${r.type}`);
      const w = weightOf(shards[i + 1]!.count);
      sum.loss += w * r.loss;
      sum.text += w * r.text;
      sum.image += w * r.image;
    });
    const grads: tf.NamedTensorMap = {};
    offset = 0;
    this.names.forEach((name, i) => {
      const v = model.params.get(name)!;
      const size = this.sizes[i]!;
      const mine = local.grads[v.name]!;
      const ours = mine.dataSync() as Float32Array; // a backend's own array on some backends: read, never written
      const g = new Float32Array(size);
      for (let j = 0; j < size; j++) g[j] = w0 * ours[j]!;
      mine.dispose();
      replies.forEach((_, r) => {
        const w = weightOf(shards[r + 1]!.count);
        const theirs = this.replicas[r]!.grads.subarray(offset, offset + size);
        for (let j = 0; j < size; j++) g[j] = g[j]! + w * theirs[j]!;
      });
      grads[v.name] = tf.tensor(g, v.shape, "float32");
      offset += size;
    });
    return { ...sum, grads };
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.worker.terminate()));
  }
}

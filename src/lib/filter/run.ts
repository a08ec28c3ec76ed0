/**
 * Running shards (Node): the plan (which stages run, which are skipped and why, which models),
 * the per-process context built from it, and a worker-thread pool. Candidates go to workers in
 * fixed-size chunks and come back in chunk order, and every result depends only on its candidate
 * and the plan, so the output is the same for any worker count (1 runs in this thread).
 */
import { availableParallelism } from "node:os";
import "./nlp.js"; // the stages' NLP packages, in this thread and in each worker (they import this module)
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../files/index.js";
import { inputLabeler, tsvLabeler, type Labeler } from "../labeler/index.js";
import { loadWordNet } from "../wordnet/node.js";
import { loadLexicon } from "./lexicon-node.js";
import { filterCandidates, type Candidate, type CandidateResult, type PipelineContext } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import type { PlanInput, Resource, Skipped, StagePlan } from "./stage.js";
import { pipelineStages } from "./stages.js";
import type { Shard } from "./inputs.js";

/** Everything a worker needs to rebuild the context: plain data, sent once (the stages' records: StagePlan). */
export interface RunPlan extends StagePlan {
  resolved: ResolvedConfig;
  skipped: Skipped;
  allReasons: boolean;
}

/**
 * Decides which stages run for this input and configuration, and why the others do not, asking each stage in
 * order: not among the run's stages; needs images the input lacks; then the stage's own plan (a labeler, an
 * option, a stage before it), which also records the models a worker loads for it.
 */
export function planRun(resolved: ResolvedConfig, input: PlanInput, allReasons = false): RunPlan {
  const skipped: Skipped = {};
  const stages = pipelineStages(resolved.stages);
  for (const s of stages) if (!resolved.stages.includes(s.decl.id)) skipped[s.decl.id] = "not among the stages this run asked for (--stages or the preset)";
  for (const s of stages) if (s.images === "required" && input.captionOnly && skipped[s.decl.id] === undefined) skipped[s.decl.id] = s.withoutImages ?? "caption-only input: no images";
  const records: Partial<StagePlan> = {};
  for (const s of stages) {
    const planned = s.plan?.(resolved, input, skipped) ?? {};
    if (planned.skip !== undefined && skipped[s.decl.id] === undefined) skipped[s.decl.id] = planned.skip;
    Object.assign(records, planned.record);
  }
  return { resolved, skipped, allReasons, nsfw: false, labelers: [], ...records };
}

/** What a process loads for each resource a running stage reads. */
const RESOURCES: { [R in Resource]: () => Promise<NonNullable<PipelineContext[R]>> } = { lexicon: loadLexicon, wordnet: loadWordNet };

/** Builds a process's context from a plan: the resources the running stages read (lexicon, WordNet), and the models the plan names. */
export async function createContext(plan: RunPlan): Promise<PipelineContext & { dispose(): void }> {
  // Load only what the running stages read: an image-only run starts in a second, not three.
  const running = pipelineStages(plan.resolved.stages).filter((s) => plan.resolved.stages.includes(s.decl.id) && plan.skipped[s.decl.id] === undefined);
  const needs = (r: Resource) => running.some((s) => s.resources?.includes(r));
  const [lexicon, wordnet] = await Promise.all([needs("lexicon") ? RESOURCES.lexicon() : null, needs("wordnet") ? RESOURCES.wordnet() : null]);
  const nsfw = plan.nsfw ? await (await import("./nsfw.js")).loadNsfwModel() : null;
  const labelers: Labeler[] = [];
  for (const name of plan.labelers) {
    if (name === "input") labelers.push(inputLabeler());
    else if (name === "tsv") labelers.push(tsvLabeler());
    else labelers.push(await (await import("../labeler/node.js")).loadSynthLabeler());
  }
  return {
    resolved: plan.resolved,
    skipped: plan.skipped,
    lexicon,
    wordnet,
    models: { nsfw, labelers },
    allReasons: plan.allReasons,
    cache: new Map(),
    dispose() {
      nsfw?.dispose();
      for (const l of labelers) l.dispose?.();
    },
  };
}

/** Candidates per message to a worker: small enough to balance, large enough that messaging is cheap. */
export const CHUNK_SIZE = 32;

/** Candidates per worker below which the default pool does not grow (start-up would cost more than it saves). */
export const MIN_PER_WORKER = 400;

export interface RunOptions {
  /** Worker threads (default: the machine's cores, at most one per MIN_PER_WORKER candidates); 1 runs in this thread. */
  workers?: number;
  /** Called after each chunk with candidates done so far. */
  onProgress?: (done: number, total: number) => void;
}

async function runInThread(candidates: readonly Candidate[], plan: RunPlan, onProgress?: RunOptions["onProgress"]): Promise<CandidateResult[]> {
  const ctx = await createContext(plan);
  try {
    const out: CandidateResult[] = [];
    for (let from = 0; from < candidates.length; from += CHUNK_SIZE) {
      out.push(...(await filterCandidates(candidates.slice(from, from + CHUNK_SIZE), ctx)));
      onProgress?.(out.length, candidates.length);
    }
    return out;
  } finally {
    ctx.dispose();
  }
}

/** Filters a shard's candidates with the shard stages (image .. transform), results in input order. */
export async function runCandidates(candidates: readonly Candidate[], plan: RunPlan, options: RunOptions = {}): Promise<CandidateResult[]> {
  const chunks: Candidate[][] = [];
  for (let i = 0; i < candidates.length; i += CHUNK_SIZE) chunks.push(candidates.slice(i, i + CHUNK_SIZE));
  // A worker pays seconds of start-up (loader, lexicon, models): by default one per MIN_PER_WORKER candidates at most.
  const workers = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), Math.ceil(candidates.length / MIN_PER_WORKER)), chunks.length));
  if (workers === 1) return runInThread(candidates, plan, options.onProgress);
  const results: CandidateResult[][] = new Array(chunks.length);
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: workers }, () => startModuleWorker(import.meta.url, "worker"));
  try {
    await Promise.all(pool.map((worker) => new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= chunks.length) {
          resolve();
          return;
        }
        const seq = next++;
        worker.postMessage({ type: "chunk", seq, candidates: chunks[seq] });
      };
      worker.on("message", (m: { type: "ready" } | { type: "result"; seq: number; results: CandidateResult[] } | { type: "error"; message: string }) => {
        if (m.type === "ready") send();
        else if (m.type === "result") {
          results[m.seq] = m.results;
          done += m.results.length;
          options.onProgress?.(done, candidates.length);
          send();
        } else reject(new Error(`filter worker: ${m.message}`));
      });
      worker.on("error", reject);
      worker.on("exit", (code) => { if (next < chunks.length || results.includes(undefined as never)) reject(new Error(`filter worker exited with code ${code}`)); });
      worker.postMessage({ type: "plan", plan });
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results.flat();
}

/** Whether a shard's candidates carry labels (input or TSV). */
export function shardHasLabels(shard: Pick<Shard, "candidates">): boolean {
  return shard.candidates.some((c) => c.labels != null);
}

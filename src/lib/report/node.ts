// Gathers the report's build-time records from the repository (Node only): package versions, git, the models'
// recorded metadata, the benchmark run, the zero-shot report. Missing models are recorded as missing, never fatal.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readSafetensors } from "../safetensors/index.js";
import { sampleConfigFromEnv } from "../synth/node-index.js";
import { abridge, findSeeds, findTrainSeconds, parseMetadataStrings } from "./metadata.js";
import type { CaptionersSummary, FrontPictures, ModelRecord, PackageVersion, ReportSummary, ReproduceRecord, ZeroShotSummary } from "./types.js";

type Env = Readonly<Record<string, string | undefined>>;

interface ModelSpec {
  id: string;
  /** Path relative to the root, after the environment override the model's loader honours. */
  file(env: Env): string;
  script: string;
  /** Reads the metadata from the file's bytes (and its folder). */
  read(path: string, bytes: Buffer): Record<string, unknown>;
}

const safetensorsMetadata = (_path: string, bytes: Buffer) => parseMetadataStrings(readSafetensors(bytes).metadata);
const readJsonIfPresent = (path: string): unknown => (existsSync(path) ? JSON.parse(readFileSync(path, "utf-8")) : undefined);

/** A dVAE folder: its manifest's config and info, and the evaluations beside it. */
function dvaeFolder(path: string, bytes: Buffer): Record<string, unknown> {
  const manifest = JSON.parse(bytes.toString("utf-8")) as { config?: unknown; info?: unknown };
  const dir = join(path, "..");
  return { config: manifest.config, info: manifest.info, eval: readJsonIfPresent(join(dir, "eval.json")), evalCoco: readJsonIfPresent(join(dir, "eval-coco.json")) };
}

/** The models the report records, in training order; the environment overrides are those of their loaders. */
export const MODELS: readonly ModelSpec[] = [
  { id: "dvae-small (the model world's dVAE)", file: (env) => join(env.CCW_DVAE_WEIGHTS ?? "models/dvae-small", "model.json"), script: "train:dvae", read: dvaeFolder },
  { id: "transformer-small/dvae (the earlier dVAE whose tokens the committed transformer, reranker and captioners learned)", file: () => "models/transformer-small/dvae/model.json", script: "train:dvae (its recipe before the model world: git history)", read: dvaeFolder },
  { id: "synth-labeler", file: () => "models/synth-labeler.safetensors", script: "train:labeler", read: safetensorsMetadata },
  { id: "judge (the model world's labeler; judges generated images)", file: (env) => env.CCW_JUDGE_WEIGHTS ?? "models/judge.safetensors", script: "train:judge", read: safetensorsMetadata },
  { id: "reranker-small", file: (env) => join(env.CCW_RERANKER_WEIGHTS ?? "models/reranker-small", "reranker.safetensors"), script: "train:reranker", read: safetensorsMetadata },
  { id: "transformer-small", file: (env) => join(env.CCW_TRANSFORMER_WEIGHTS ?? "models/transformer-small", "weights.safetensors"), script: "train:transformer", read: safetensorsMetadata },
  { id: "captioner-coco", file: () => "models/captioner-coco/weights.safetensors", script: "train:captioners", read: safetensorsMetadata },
  { id: "captioner-conceptual", file: () => "models/captioner-conceptual/weights.safetensors", script: "train:captioners", read: safetensorsMetadata },
];

function readPackageJson(root: string): { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> } {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf-8"));
}

/** One model's record; a missing or unreadable file gives available: false with the reason. */
export function modelRecord(root: string, spec: ModelSpec, env: Env, scripts: Readonly<Record<string, string>>): ModelRecord {
  const rel = spec.file(env);
  const path = resolve(root, rel);
  const base = { id: spec.id, path: relative(root, path) || rel, script: { name: spec.script, command: scripts[spec.script] ?? null } };
  if (!existsSync(path)) return { ...base, available: false, missing: `${base.path} not found (train it with \`npm run ${spec.script}\`)`, seeds: [], trainSeconds: null, metadata: {} };
  try {
    const bytes = readFileSync(path);
    const metadata = spec.read(path, bytes);
    return {
      ...base,
      available: true,
      bytes: bytes.byteLength,
      sha256: createHash("sha256").update(bytes).digest("hex").slice(0, 16),
      seeds: findSeeds(metadata),
      trainSeconds: findTrainSeconds(metadata),
      metadata: abridge(metadata),
    };
  } catch (error) {
    return { ...base, available: false, missing: `${base.path} could not be read: ${(error as Error).message}`, seeds: [], trainSeconds: null, metadata: {} };
  }
}

function git(root: string): ReproduceRecord["git"] {
  try {
    const run = (args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf-8", stdio: ["ignore", "pipe", "pipe"] });
    const commit = run(["rev-parse", "HEAD"]).trim();
    const modifiedFiles = run(["status", "--porcelain", "--untracked-files=no"]).split("\n").filter(Boolean).length;
    return { commit, modifiedFiles };
  } catch (error) {
    return { commit: null, modifiedFiles: null, error: `git could not say which commit this is: ${(error as Error).message.split("\n")[0]}` };
  }
}

function packages(root: string): PackageVersion[] {
  const pkg = readPackageJson(root);
  const lockPath = join(root, "package-lock.json");
  const lock = existsSync(lockPath) ? (JSON.parse(readFileSync(lockPath, "utf-8")) as { packages?: Record<string, { version?: string }> }) : {};
  const resolved = (name: string) => lock.packages?.[`node_modules/${name}`]?.version ?? null;
  return [
    ...Object.entries(pkg.dependencies ?? {}).map(([name, declared]) => ({ name, declared, resolved: resolved(name), dev: false })),
    ...Object.entries(pkg.devDependencies ?? {}).map(([name, declared]) => ({ name, declared, resolved: resolved(name), dev: true })),
  ];
}

/** The first comment line of each loader under src/data (what it emits, in its own words). */
function loaders(root: string): ReproduceRecord["loaders"] {
  const dir = join(root, "src", "data");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((file) => {
      const first = readFileSync(join(dir, file), "utf-8").split("\n").find((line) => line.startsWith("//"));
      return { file: `src/data/${file}`, summary: first ? first.replace(/^\/\/\s*/, "") : "(no leading comment)" };
    });
}

function bench(root: string): ReproduceRecord["bench"] {
  const path = join(root, "bench", "results.json");
  if (!existsSync(path)) return { available: false, missing: "bench/results.json not found (run `npm run bench`)" };
  const file = JSON.parse(readFileSync(path, "utf-8")) as { date: string; commit: string; machine: string; results: unknown[] };
  return { available: true, date: file.date, commit: file.commit, machine: file.machine, rows: file.results.length };
}

/** Everything the Reproduce page shows, read from the repository at build time. */
export function reproduceRecord(root: string, env: Env = process.env): ReproduceRecord {
  const pkg = readPackageJson(root);
  const scripts = pkg.scripts ?? {};
  return {
    builtAt: new Date().toISOString(),
    git: git(root),
    node: { version: process.version, platform: process.platform, arch: process.arch },
    scripts: Object.entries(scripts).map(([name, command]) => ({ name, command })),
    packages: packages(root),
    environment: Object.entries(env)
      .filter((e): e is [string, string] => e[0].startsWith("CCW_") && e[1] !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    synthSample: sampleConfigFromEnv(env),
    loaders: loaders(root),
    models: MODELS.map((spec) => modelRecord(root, spec, env, scripts)),
    bench: bench(root),
  };
}

/** The zero-shot report written by `ccw transformer eval`, or a record saying it is not there yet. */
export function zeroShotSummary(root: string, env: Env = process.env): ZeroShotSummary {
  const rel = join(env.CCW_TRANSFORMER_WEIGHTS ?? "models/transformer-small", "zero-shot.json");
  const path = resolve(root, rel);
  if (!existsSync(path)) return { available: false, path: rel, missing: `${rel} not found: the transformer is not yet trained and evaluated (\`npm run train:transformer\`, then \`node bin/ccw.js transformer eval\`)` };
  return { available: true, path: rel, report: JSON.parse(readFileSync(path, "utf-8")) };
}

/** The captioner comparison's overall scores (written by `ccw captioners eval`), or a record saying it is not there yet. */
export function captionersSummary(root: string, env: Env = process.env): CaptionersSummary {
  const rel = env.CCW_CAPTIONERS_EVAL ?? "models/captioners-eval.json";
  const path = resolve(root, rel);
  if (!existsSync(path)) return { available: false, path: rel, missing: `${rel} not found: the captioners are not yet trained and evaluated (\`npm run train:captioners\`, then \`npm run eval:captioners\`)` };
  const evaluation = JSON.parse(readFileSync(path, "utf-8")) as { judge?: string; testSet?: { images?: number }; aggregates?: Record<string, Record<string, { images: number; good: number; ciderD: number; chairI: number; recall: number }>> };
  const models: Record<string, { good: number; ciderD: number; chairI: number; recall: number }> = {};
  let images = 0;
  for (const [model, groups] of Object.entries(evaluation.aggregates ?? {})) {
    const all = groups.all;
    if (!all) continue;
    models[model] = { good: all.good, ciderD: all.ciderD, chairI: all.chairI, recall: all.recall };
    images = all.images;
  }
  return { available: true, path: rel, images: evaluation.testSet?.images ?? images, judge: evaluation.judge ?? "", models };
}

/** The sidebar's pages (observablehq.config.ts), in reading order, each with whether its page file exists. */
export async function sidebarPages(root: string): Promise<ReportSummary["pages"]> {
  const config = (await import(pathToFileURL(join(root, "observablehq.config.ts")).href)) as { default: { pages?: { name: string; path: string }[] } };
  return (config.default.pages ?? []).map(({ name, path }) => ({ name, path, exists: existsSync(join(root, "src", `${path.replace(/^\//, "")}.md`)) }));
}

/** The front page's data: the sidebar's pages, the dVAE's held-out evaluation, the zero-shot report and the captioner comparison. */
export async function reportSummary(root: string, env: Env = process.env): Promise<ReportSummary> {
  const dir = env.CCW_DVAE_WEIGHTS ?? "models/dvae-small";
  const modelPath = resolve(root, dir, "model.json");
  const evalPath = resolve(root, dir, "eval.json");
  type Heldout = { images?: number; psnrMean: number; codesUsed: number; usedFraction: number; perplexity: number };
  let dvae: ReportSummary["dvae"];
  if (!existsSync(modelPath) || !existsSync(evalPath)) {
    dvae = { available: false, path: dir, missing: `${join(dir, existsSync(modelPath) ? "eval.json" : "model.json")} not found (\`npm run train:dvae\`)` };
  } else {
    const manifest = JSON.parse(readFileSync(modelPath, "utf-8")) as { config: Record<string, number>; info?: { steps?: number; trainSeconds?: number } };
    const evaluation = JSON.parse(readFileSync(evalPath, "utf-8")) as { heldout: Heldout; heldoutEma?: Heldout };
    // The saved weights are the averaged (EMA) ones when the trainer kept an average.
    const saved = evaluation.heldoutEma ?? evaluation.heldout;
    const judged = readJsonIfPresent(resolve(root, dir, "eval-judge.json")) as
      | { heldout: { images: number }; judgeRecallKept: number; originals: { judge: { recall: number } }; reconstructions: { judge: { recall: number } } }
      | undefined;
    dvae = {
      available: true,
      path: dir,
      config: manifest.config,
      steps: manifest.info?.steps ?? null,
      trainSeconds: manifest.info?.trainSeconds ?? null,
      heldout: { images: evaluation.heldout.images ?? null, psnrMean: saved.psnrMean, codesUsed: saved.codesUsed, usedFraction: saved.usedFraction, perplexity: saved.perplexity },
      judge: judged ? { images: judged.heldout.images, recallOriginal: judged.originals.judge.recall, recallReconstructed: judged.reconstructions.judge.recall, kept: judged.judgeRecallKept } : null,
    };
  }
  return { pages: await sidebarPages(root), dvae, zeroShot: zeroShotSummary(root, env), captioners: captionersSummary(root, env) };
}

/** The front page's pictures from the committed models (loaded on call: the models and TF.js stay out of the other records). */
export async function frontPictures(root: string, env: Env = process.env): Promise<FrontPictures> {
  return (await import("./pictures.js")).frontPictures(root, env);
}

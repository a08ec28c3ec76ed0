/**
 * Where the data loaders get their data: one documented configuration, from environment variables
 * and/or a JSON config file (environment wins). With nothing configured a role resolves to
 * `{ kind: "builtin" }` and the caller decides what built-in data to use (the synthetic world);
 * this module never depends on it.
 *
 * | role             | env variable          | what it points at                                   |
 * |------------------|-----------------------|-----------------------------------------------------|
 * | `captions`       | `CCW_CAPTIONS`        | CC3M / CC12M / cc-labels TSV (path or http(s) URL)  |
 * | `coco-captions`  | `CCW_COCO_CAPTIONS`   | COCO `captions_*.json`                              |
 * | `coco-instances` | `CCW_COCO_INSTANCES`  | COCO `instances_*.json`                             |
 * | `warc`           | `CCW_WARC`            | a `.warc` or `.warc.gz` file (e.g. a Common Crawl segment) |
 * | `images`         | `CCW_IMAGES`          | a folder of images (+ `captions.jsonl`/`captions.tsv`) |
 *
 * `CCW_CAPTIONS_FORMAT` = cc3m | cc12m | cc-labels names the TSV layout (default: detected from a
 * local file's first lines; cc3m for URLs). `CCW_SAMPLE` (rows, default 20,000) and `CCW_SEED`
 * (default 42) set the deterministic sample loaders draw from large sources. `CCW_CONFIG` names the
 * config file (default `ccw.config.json` in the working directory, if it exists):
 *
 * ```json
 * { "sources": { "captions": { "path": "data/cc3m-val.tsv", "format": "cc3m" },
 *                "coco-captions": "data/coco/captions_val2017.json" },
 *   "sample": 20000, "seed": 42 }
 * ```
 * Relative paths in the file resolve against the file's folder; in env variables, against the
 * working directory. The value `"builtin"` selects the built-in data explicitly.
 */
import { nodeFsPromises, nodePath } from "./node-only.js";
import type { SourceFormat } from "./formats.js";

export type SourceRole = "captions" | "coco-captions" | "coco-instances" | "warc" | "images";
export const SOURCE_ROLES: readonly SourceRole[] = ["captions", "coco-captions", "coco-instances", "warc", "images"];

/** Formats each role accepts (the first is the default for URLs). */
const ROLE_FORMATS: Record<SourceRole, readonly SourceFormat[]> = {
  captions: ["cc3m", "cc12m", "cc-labels"],
  "coco-captions": ["coco-captions"],
  "coco-instances": ["coco-instances"],
  warc: ["warc"],
  images: ["images"],
};

const ENV_NAMES: Record<SourceRole, string> = {
  captions: "CCW_CAPTIONS",
  "coco-captions": "CCW_COCO_CAPTIONS",
  "coco-instances": "CCW_COCO_INSTANCES",
  warc: "CCW_WARC",
  images: "CCW_IMAGES",
};

export type SourceSetting =
  | { kind: "builtin"; origin: string }
  | {
      kind: "path" | "url";
      /** Absolute path, or the URL. */
      location: string;
      /** The format when it is fixed by the role or configured; null means "detect from the file". */
      format: SourceFormat | null;
      /** Where the setting came from: `env:CCW_CAPTIONS` or `file:/abs/ccw.config.json`. */
      origin: string;
    };

export interface SourceConfig {
  sources: Record<SourceRole, SourceSetting>;
  /** Rows loaders sample from large sources. */
  sample: number;
  seed: number;
  /** The config file read, or null. */
  file: string | null;
}

export const DEFAULT_SAMPLE = 20_000;
export const DEFAULT_CONFIG_FILE = "ccw.config.json";

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Thrown for a configuration that names an unknown role, format or value; the message lists the valid ones. */
export class SourceConfigError extends Error {
  override name = "SourceConfigError";
}

function setting(role: SourceRole, value: unknown, format: unknown, origin: string, base: string, resolvePath: (base: string, p: string) => string): SourceSetting {
  if (value === "builtin") return { kind: "builtin", origin };
  if (typeof value !== "string" || value.trim() === "") {
    throw new SourceConfigError(`${origin}: ${role} must be a path, an http(s) URL or "builtin", got ${JSON.stringify(value)}`);
  }
  const allowed = ROLE_FORMATS[role];
  if (format !== undefined && format !== null && format !== "") {
    if (typeof format !== "string" || !allowed.includes(format as SourceFormat)) {
      throw new SourceConfigError(`${origin}: format ${JSON.stringify(format)} is not valid for ${role}; valid: ${allowed.join(", ")}`);
    }
  }
  const fixed = allowed.length === 1 ? allowed[0]! : null;
  const chosen = (format || fixed) as SourceFormat | null;
  if (/^https?:\/\//i.test(value)) return { kind: "url", location: value, format: chosen ?? allowed[0]!, origin };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new SourceConfigError(`${origin}: ${role} URL ${JSON.stringify(value)} must be http(s) or a local path`);
  return { kind: "path", location: resolvePath(base, value), format: chosen, origin };
}

function positiveInt(value: unknown, name: string, origin: string, fallback: number, min: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new SourceConfigError(`${origin}: ${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Reads the configuration (Node): env variables over the config file over built-in defaults. */
export async function loadSourceConfig(options: LoadConfigOptions = {}): Promise<SourceConfig> {
  const env = options.env ?? process.env;
  const { resolve, dirname } = await nodePath();
  const { readFile } = await nodeFsPromises();
  const cwd = options.cwd ?? process.cwd();
  const explicit = env.CCW_CONFIG;
  const filePath = resolve(cwd, explicit || DEFAULT_CONFIG_FILE);
  let file: Record<string, unknown> | null = null;
  const text = await readFile(filePath, "utf-8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" && !explicit) return null;
    throw new SourceConfigError(`CCW_CONFIG: cannot read ${filePath}: ${error.message}`);
  });
  if (text !== null) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SourceConfigError(`${filePath}: not JSON: ${(error as Error).message}`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new SourceConfigError(`${filePath}: expected an object {"sources": {...}, "sample": N, "seed": S}`);
    file = json as Record<string, unknown>;
    const unknown = Object.keys(file).filter((k) => !["sources", "sample", "seed", "$comment"].includes(k));
    if (unknown.length) throw new SourceConfigError(`${filePath}: unknown key(s) ${unknown.join(", ")}; valid: sources, sample, seed`);
  }
  const fileOrigin = `file:${filePath}`;
  const fileSources = (file?.sources ?? {}) as Record<string, unknown>;
  if (typeof fileSources !== "object" || fileSources === null || Array.isArray(fileSources)) throw new SourceConfigError(`${fileOrigin}: "sources" must be an object keyed by role (${SOURCE_ROLES.join(", ")})`);
  const unknownRoles = Object.keys(fileSources).filter((k) => !(SOURCE_ROLES as readonly string[]).includes(k));
  if (unknownRoles.length) throw new SourceConfigError(`${fileOrigin}: unknown source role(s) ${unknownRoles.join(", ")}; valid: ${SOURCE_ROLES.join(", ")}`);

  const sources = {} as Record<SourceRole, SourceSetting>;
  for (const role of SOURCE_ROLES) {
    const envName = ENV_NAMES[role];
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== "") {
      const format = role === "captions" ? env.CCW_CAPTIONS_FORMAT : undefined;
      sources[role] = setting(role, fromEnv, format, `env:${envName}`, cwd, resolve);
      continue;
    }
    const entry = fileSources[role];
    if (entry === undefined) {
      sources[role] = { kind: "builtin", origin: "default" };
    } else if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
      const { path, url, format, ...rest } = entry as Record<string, unknown>;
      if (Object.keys(rest).length) throw new SourceConfigError(`${fileOrigin}: sources.${role} has unknown key(s) ${Object.keys(rest).join(", ")}; valid: path, url, format`);
      sources[role] = setting(role, path ?? url, format, fileOrigin, dirname(filePath), resolve);
    } else {
      sources[role] = setting(role, entry, undefined, fileOrigin, dirname(filePath), resolve);
    }
  }
  const sample = positiveInt(env.CCW_SAMPLE || file?.sample, "sample (CCW_SAMPLE)", env.CCW_SAMPLE ? "env:CCW_SAMPLE" : fileOrigin, DEFAULT_SAMPLE, 1);
  const seed = positiveInt(env.CCW_SEED || file?.seed, "seed (CCW_SEED)", env.CCW_SEED ? "env:CCW_SEED" : fileOrigin, 42, 0);
  return { sources, sample, seed, file: text !== null ? filePath : null };
}

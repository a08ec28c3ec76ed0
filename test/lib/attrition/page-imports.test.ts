/**
 * What a page that reads the filter's rules loads: the attrition folder imports the stage list (stages.ts) for its
 * declarations, so every stage module is in its import graph, and none may load a heavy or Node-only package at
 * import (compromise takes ~0.4 s; TF.js, sharp and node:* do not belong in a page).
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");

/** A module hook that prints, for every module resolved, its URL and the module that asked for it. */
const HOOK = `data:text/javascript,${encodeURIComponent(
  `import { register } from "node:module"; register("data:text/javascript," + encodeURIComponent("export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('module ' + r.url + ' from ' + c.parentURL + '\\\\n'); return r; }"));`,
)}`;

/** The modules that `entry` (a path under src/) and what it imports resolve, as [module, importer] URLs. */
function importGraph(entry: string): [string, string][] {
  const code = `await import(${JSON.stringify(resolve(ROOT, entry))});`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--import", HOOK, "--input-type=module", "-e", code], { encoding: "utf-8", cwd: ROOT, timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr.split("\n").filter((l) => l.startsWith("module ")).map((l) => l.slice(7).split(" from ") as [string, string]);
}

describe("a page reading the filter's rules", () => {
  it.each(["src/lib/attrition/index.ts", "src/lib/filter/rules/index.ts"])("%s loads every stage module and no heavy or Node-only package", (entry) => {
    const graph = importGraph(entry);
    const fromSrc = graph.filter(([, parent]) => parent.includes("/src/lib/"));
    const loaded = fromSrc.map(([url]) => url);
    for (const stage of ["image", "text", "grounding", "transform", "entity-types", "near-duplicate"]) expect(loaded.some((u) => u.endsWith(`/src/lib/filter/${stage}.ts`))).toBe(true);
    const heavy = fromSrc.filter(([url]) => /\/node_modules\/(compromise|franc-min|stemmer|@tensorflow|sharp|nsfwjs|parquet-wasm|apache-arrow|@duckdb)\//.test(url) || url.startsWith("node:"));
    expect(heavy).toEqual([]);
    expect(loaded.some((u) => u.endsWith("/src/lib/filter/nlp.ts"))).toBe(false);
  }, 120_000);
});

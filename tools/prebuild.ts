// Prepares `observable build` to run with no network at all:
// 1. Pre-fills Framework's npm cache (src/.observablehq/cache/_npm) with ESM
//    bundles built by esbuild from node_modules, so Framework never asks the
//    CDN or the registry for Plot, d3, Arrow, DuckDB-WASM and friends.
// 2. Drops cached data-loader outputs older than any file under src/lib or
//    src/data: Framework only re-runs a loader when the loader file itself
//    changes, not when a module it imports does.
import { build, type Plugin } from "esbuild";
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = join(ROOT, "src", ".observablehq", "cache");
const require = createRequire(join(ROOT, "package.json"));

interface VendorSpec {
  /** npm package name, as the pages' `npm:` imports name it. */
  name: string;
  /** Packages left as imports of their own cached module (shared instances). */
  external?: string[];
  /** Files copied verbatim (wasm, workers), relative to the package root. */
  files?: string[];
  /** Exact version Framework pins for this package, if any. */
  pinned?: string;
}

/** Every `npm:` module the site imports, implicitly (Framework's stdlib) or explicitly. */
const VENDORED: VendorSpec[] = [
  { name: "apache-arrow" },
  {
    name: "@duckdb/duckdb-wasm",
    // Framework's DuckDB client hands Arrow tables to DuckDB: both must share one Arrow.
    external: ["apache-arrow"],
    files: [
      "dist/duckdb-mvp.wasm",
      "dist/duckdb-eh.wasm",
      "dist/duckdb-browser-mvp.worker.js",
      "dist/duckdb-browser-eh.worker.js",
    ],
    pinned: "1.29.0", // DUCKDB_WASM_VERSION in @observablehq/framework 1.13
  },
  { name: "@observablehq/plot" },
  { name: "d3" },
  { name: "htl" },
  { name: "d3-dsv" },
  { name: "isoformat" }, // Framework's Inputs imports it
];

/**
 * Recommended libraries that Framework's client bundle names in lazy imports
 * (`import("npm:react-dom")` ...). The build only resolves their version; it
 * fetches a module only when a page really imports it. An empty version folder
 * answers the version question offline. A page that starts using one of these
 * must move it to VENDORED, or the build fails offline with "unable to fetch".
 */
const RESOLVE_ONLY: Record<string, string> = {
  "@observablehq/sample-datasets": "1.0.1",
  "@uwdata/vgplot": "0.32.0",
  "@viz-js/viz": "3.31.0",
  arquero: "8.0.3",
  echarts: "6.1.0",
  exceljs: "4.4.0",
  jszip: "3.10.2",
  katex: "0.19.1",
  leaflet: "1.9.4",
  lodash: "4.18.1",
  "mapbox-gl": "3.32.0",
  mermaid: "12.3.0",
  "parquet-wasm": "0.8.0",
  react: "19.3.1",
  "react-dom": "19.3.1",
  "sql.js": "1.16.0",
  "topojson-client": "3.1.0",
  vega: "6.4.0",
  "vega-lite": "6.5.0",
  "vega-lite-api": "6.0.0",
};

async function packageVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(packageRoot(name) + "/package.json", "utf-8")) as { version: string };
  return pkg.version;
}

function packageRoot(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // Packages whose exports map hides package.json: walk node_modules directly.
    return join(ROOT, "node_modules", name);
  }
}

/** How every browser module is bundled: one minified ES2022 module, no comments kept. */
const BROWSER_ESM = { bundle: true, format: "esm", platform: "browser", target: "es2022", minify: true, legalComments: "none", logLevel: "error" } as const;

/** Path of a package's main module in Framework's cache, as Framework names it. */
function cachedModule(name: string, version: string): string {
  return join(CACHE, "_npm", `${name}@${version}`, "_esm.js");
}

function externalsPlugin(externals: Map<string, string>, fromFile: string): Plugin {
  return {
    name: "cached-externals",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const target = externals.get(args.path);
        if (!target) return undefined;
        let rel = relative(dirname(fromFile), target);
        if (!rel.startsWith(".")) rel = `./${rel}`;
        return { path: rel, external: true };
      });
    },
  };
}

async function vendor(spec: VendorSpec, versions: Map<string, string>): Promise<string> {
  const version = versions.get(spec.name)!;
  if (spec.pinned && version !== spec.pinned) {
    throw new Error(
      `${spec.name}@${version} is installed but Framework pins ${spec.pinned}; run \`npm ci\` to install the lockfile's versions`,
    );
  }
  const out = cachedModule(spec.name, version);
  const stamp = `${out}.source-version`;
  const exists = await readFile(stamp, "utf-8").catch(() => "");
  if (exists === version) return `${spec.name}@${version} (cached)`;
  const externals = new Map((spec.external ?? []).map((dep) => [dep, cachedModule(dep, versions.get(dep)!)]));
  await mkdir(dirname(out), { recursive: true });
  // `export *` drops a default export; re-export it when the package has one.
  const hasDefault = await import(spec.name).then((m: Record<string, unknown>) => "default" in m).catch(() => false);
  const id = JSON.stringify(spec.name);
  await build({
    stdin: { contents: `export * from ${id};${hasDefault ? ` export { default } from ${id};` : ""}`, resolveDir: ROOT, loader: "js" },
    ...BROWSER_ESM,
    outfile: out,
    plugins: [externalsPlugin(externals, out)],
  });
  for (const file of spec.files ?? []) {
    const target = join(CACHE, "_npm", `${spec.name}@${version}`, file);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(packageRoot(spec.name), file), target);
  }
  await writeFile(stamp, version);
  return `${spec.name}@${version}`;
}

/** Browser bundles the pages import from src/vendor/ (git-ignored, rebuilt when their inputs change). */
const BROWSER_BUNDLES = [{ entry: join(ROOT, "tools", "browser", "ml.ts"), out: join(ROOT, "src", "vendor", "ml.js") }];

/** WASM binaries of the TF.js WASM backend, served as files so pages can pass their URLs to setWasmPaths. */
const TFJS_WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

async function bundleBrowserModules(): Promise<string[]> {
  const built: string[] = [];
  const newestInput = Math.max(await newestMtime(join(ROOT, "src", "lib")), await newestMtime(join(ROOT, "tools", "browser")), (await stat(join(ROOT, "package-lock.json"))).mtimeMs);
  for (const { entry, out } of BROWSER_BUNDLES) {
    const current = await stat(out).then((s) => s.mtimeMs, () => 0);
    if (current >= newestInput) continue;
    await build({
      entryPoints: [entry],
      ...BROWSER_ESM,
      outfile: out,
      // The WASM backend's Node branch names these; the browser never loads them.
      external: ["fs", "path", "crypto", "worker_threads", "perf_hooks", "os", "util"],
    });
    built.push(relative(ROOT, out));
  }
  const wasmDir = join(ROOT, "src", "vendor", "tfjs");
  await mkdir(wasmDir, { recursive: true });
  for (const file of TFJS_WASM_FILES) await copyFile(join(packageRoot("@tensorflow/tfjs-backend-wasm"), "dist", file), join(wasmDir, file));
  return built;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const s = await stat(join(entry.parentPath ?? entry.path, entry.name));
    newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

/** Loaders that record the build itself (git commit, Node and package versions, models, bench run): cheap, so they run every build. */
const ALWAYS_RERUN = ["reproduce.json", "report-summary.json"];

async function dropStaleLoaderOutputs(): Promise<number> {
  const dataCache = join(CACHE, "data");
  // Trained weights under models/ feed loaders too (the dVAE page's weights).
  const newest = Math.max(await newestMtime(join(ROOT, "src", "lib")), await newestMtime(join(ROOT, "src", "data")), await newestMtime(join(ROOT, "models")).catch(() => 0));
  let dropped = 0;
  const entries = await readdir(dataCache, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (ALWAYS_RERUN.includes(entry.name) || (await stat(path)).mtimeMs < newest) {
      await rm(path);
      dropped++;
    }
  }
  return dropped;
}

async function main(): Promise<void> {
  const versions = new Map<string, string>();
  for (const spec of VENDORED) versions.set(spec.name, await packageVersion(spec.name));
  // Dependencies first, so externals point at modules that exist.
  const order = [...VENDORED].sort((a, b) => (a.external?.length ?? 0) - (b.external?.length ?? 0));
  const done: string[] = [];
  for (const spec of order) done.push(await vendor(spec, versions));
  for (const [name, version] of Object.entries(RESOLVE_ONLY)) {
    if (versions.has(name)) continue;
    await mkdir(join(CACHE, "_npm", `${name}@${version}`), { recursive: true });
  }
  const bundles = await bundleBrowserModules();
  const dropped = await dropStaleLoaderOutputs();
  console.log(
    `prebuild: npm cache ready (${done.join(", ")}); browser bundles ${bundles.length ? `rebuilt: ${bundles.join(", ")}` : "up to date"}; ${dropped} stale loader output(s) dropped`,
  );
}

main().catch((error: unknown) => {
  console.error(`prebuild: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

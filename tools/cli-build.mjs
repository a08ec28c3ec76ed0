// Compiles the CLI's TypeScript (src/cli, src/lib) to JavaScript in .ccw/, file by file with esbuild, so `ccw`
// starts without a TypeScript loader. `npm install`/`npm ci` run it (the `prepare` script); bin/ccw.js calls
// compiledCli(), which rebuilds first whenever a source file changed since the last build (a fingerprint of every
// source's path, size and mtime), so an edited clone never runs stale code.
//
// .ccw/ mirrors src/ one level below the repository root (src/cli/main.ts → .ccw/cli/main.js), so paths that the
// sources resolve relative to their own module (../../package.json, ../../../models/…) mean the same compiled.
// Plain JavaScript on purpose: it runs before anything is compiled.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where the compiled modules go (ignored by git). */
export const OUT_DIR = join(ROOT, ".ccw");
const SOURCE_DIRS = ["src/cli", "src/lib"];
const STAMP = join(OUT_DIR, "fingerprint");
const ENTRY = join(OUT_DIR, "cli", "main.js");

/** Every TypeScript source the CLI can load, with its stat. */
function sources() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  return files.sort();
}

/** A fingerprint of the sources (path, size, mtime) and of this script, cheap enough to take on every start. */
function fingerprint(files) {
  const hash = createHash("sha1");
  for (const path of [...files, fileURLToPath(import.meta.url)]) {
    const stat = statSync(path);
    hash.update(`${relative(ROOT, path)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

function readStamp() {
  try {
    return readFileSync(STAMP, "utf-8").trim();
  } catch {
    return undefined;
  }
}

/** Writes a file so that a process reading it concurrently sees the old or the new contents, never half of one. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/**
 * Compiles every source to .ccw/ and records the fingerprint. Concurrent builds are harmless: each writes the same
 * files atomically, and the fingerprint last.
 */
export async function buildCli(files = sources()) {
  const key = fingerprint(files);
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: files,
    outdir: OUT_DIR,
    outbase: join(ROOT, "src"),
    format: "esm",
    platform: "node",
    target: "node20",
    bundle: false,
    write: false,
    logLevel: "silent",
  });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeAtomically(STAMP, `${key}\n`);
  return { files: result.outputFiles.length, key };
}

/** The compiled CLI entry's URL, rebuilding first when a source changed since the last build. */
export async function compiledCli() {
  const files = sources();
  if (readStamp() !== fingerprint(files)) await buildCli(files);
  return pathToFileURL(ENTRY).href;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const { files } = await buildCli();
  console.log(`ccw: compiled ${files} modules of ${SOURCE_DIRS.join(", ")} to ${relative(process.cwd(), OUT_DIR) || "."} in ${Math.round(performance.now() - started)} ms`);
}

// Builds the explorer page alone into tmp/<name>/dist with its own loader cache and environment,
// so a test can run it on differently configured data without touching dist/ or the main cache.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./harness.js";

export interface ExplorerSiteOptions {
  /** Datasets the page should not offer (their FileAttachment lines are left out, so their loaders do not run). */
  without?: string[];
}

/** Builds and returns the dist folder; throws with the build's output when it fails. */
export function buildExplorerSite(name: string, env: Record<string, string>, options: ExplorerSiteOptions = {}): string {
  const dir = join(ROOT, "tmp", name);
  const src = join(dir, "src");
  rmSync(dir, { recursive: true, force: true });
  // Markdown under src/lib is documentation, not a page of this site.
  const notMarkdown = (path: string) => !path.endsWith(".md");
  // favicon.svg: the shared config's head links it, so every site built from that config needs it.
  for (const part of ["components", "lib", "data", "favicon.svg"]) cpSync(join(ROOT, "src", part), join(src, part), { recursive: true, filter: notMarkdown });
  mkdirSync(join(src, "pages"), { recursive: true });
  const page = readFileSync(join(ROOT, "src", "pages", "explore.md"), "utf-8")
    .split("\n")
    .filter((line) => !(options.without ?? []).some((id) => line.trimStart().startsWith(`${/^[\w]+$/.test(id) ? id : JSON.stringify(id)}: FileAttachment(`)))
    .join("\n");
  writeFileSync(join(src, "pages", "explore.md"), page);
  // The offline npm cache tools/prebuild.ts filled (npm run build ran before the browser tests).
  const npmCache = join(ROOT, "src", ".observablehq", "cache", "_npm");
  if (!existsSync(npmCache)) throw new Error(`${npmCache} is missing; run \`npm run build\` once first`);
  // With --root, Framework looks for npm modules under both the project's and the source root's cache.
  for (const base of [dir, src]) {
    mkdirSync(join(base, ".observablehq", "cache"), { recursive: true });
    symlinkSync(npmCache, join(base, ".observablehq", "cache", "_npm"));
  }
  writeFileSync(
    join(dir, "observablehq.config.ts"),
    `import base from ${JSON.stringify(join(ROOT, "observablehq.config.ts"))};\n` +
      `export default { ...base, root: ${JSON.stringify(src)}, output: ${JSON.stringify(join(dir, "dist"))}, pages: [{ name: "Dataset explorer", path: "/pages/explore" }] };\n`,
  );
  // Relative: Framework joins --root onto the working directory even when it is absolute.
  const result = spawnSync("npx", ["observable", "build", "--root", relative(ROOT, dir)], {
    cwd: ROOT,
    env: { ...process.env, ...env, OBSERVABLE_TELEMETRY_DISABLE: "true" },
    encoding: "utf-8",
  });
  if (result.status !== 0) throw new Error(`building the explorer site failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return join(dir, "dist");
}

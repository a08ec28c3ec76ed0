// Makes sure dist/ is a fresh build of the current sources before any browser test runs.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const INPUTS = ["src", "tools", "observablehq.config.ts", "package-lock.json"];

function newestMtime(path: string): number {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === ".observablehq" || entry.name === "node_modules") continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

export default function setup(): void {
  const built = statSync(join(ROOT, "dist", "index.html"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...INPUTS.map((p) => newestMtime(join(ROOT, p))));
  if (built >= sources) return;
  console.log("browser tests: dist/ is older than its sources; running `npm run build` …");
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`\`npm run build\` failed (exit ${result.status}); the browser tests need a built site`);
}

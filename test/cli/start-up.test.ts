import { spawnSync } from "node:child_process";
import { readFileSync, statSync, utimesSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES, loadCommands } from "../../src/cli/main.js";

const COMMANDS = await loadCommands();

const ROOT = resolve(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "ccw.js");
const FINGERPRINT = join(ROOT, ".ccw", "fingerprint");

/** A module hook that prints every module URL the process resolves, one per line on stderr. */
const HOOK = `data:text/javascript,${encodeURIComponent(
  `import { register } from "node:module"; register("data:text/javascript," + encodeURIComponent("export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('module ' + r.url + '\\\\n'); return r; }"));`,
)}`;

function ccwProcess(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf-8", cwd: ROOT, timeout: 120_000 });
}

describe("the ccw command as a process", () => {
  it("prints its version from compiled JavaScript, without a TypeScript loader", () => {
    const run = spawnSync(process.execPath, ["--import", HOOK, BIN, "--version"], { encoding: "utf-8", cwd: ROOT });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf-8")) as { version: string }).version);
    const modules = run.stderr.split("\n").filter((l) => l.startsWith("module "));
    expect(modules.some((m) => m.includes("/.ccw/cli/main.js"))).toBe(true);
    expect(modules.filter((m) => m.includes("/tsx/") || m.endsWith(".ts"))).toEqual([]);
  });

  it.each(COMMANDS.map((c) => c.name))("`ccw %s --help` loads no package (no TF.js, sharp, Arrow …) and no run module", (name) => {
    const run = spawnSync(process.execPath, ["--import", HOOK, BIN, name, "--help"], { encoding: "utf-8", cwd: ROOT });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`ccw ${name}`);
    const modules = run.stderr.split("\n").filter((l) => l.startsWith("module file:"));
    expect(modules.some((m) => m.endsWith(`/.ccw/cli/${name === "generate" ? "transformer" : name}.js`))).toBe(true);
    expect(modules.filter((m) => m.includes("/node_modules/") || m.endsWith("-run.js"))).toEqual([]);
  });

  it("rebuilds the compiled CLI when a source changed since the last build", () => {
    expect(ccwProcess("--version").status).toBe(0);
    const before = readFileSync(FINGERPRINT, "utf-8");
    const source = join(ROOT, "src", "cli", "command.ts");
    const { atime } = statSync(source);
    utimesSync(source, atime, new Date(Date.now() + 1000));
    const run = ccwProcess("--version");
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(FINGERPRINT, "utf-8")).not.toBe(before);
  });
});

describe("the ccw command registry", () => {
  it("names each command by the name its module declares, in `ccw --help`'s order", () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([...COMMAND_NAMES]);
  });
});

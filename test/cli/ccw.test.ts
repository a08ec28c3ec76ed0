import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ccw } from "./run-ccw.js";

const ROOT = resolve(import.meta.dirname, "..", "..");

describe("ccw", () => {
  it("--help lists every command and exits 0", async () => {
    const { code, out } = await ccw("--help");
    expect(code).toBe(0);
    expect(out).toMatch(/Usage: ccw <command>/);
    expect(out).toMatch(/serve/);
  });

  it("--version prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf-8")) as { version: string };
    expect(await ccw("--version")).toMatchObject({ code: 0, out: pkg.version });
  });

  it("without arguments prints help and exits 2", async () => {
    expect((await ccw()).code).toBe(2);
  });

  it("rejects an unknown command, naming the valid ones", async () => {
    const { code, err } = await ccw("frobnicate");
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command "frobnicate"\. Valid commands: serve/);
  });

  it("gives every command a --help", async () => {
    const { code, out } = await ccw("serve", "--help");
    expect(code).toBe(0);
    expect(out).toMatch(/--port <n>/);
  });

  it("rejects an unknown option, listing the valid ones", async () => {
    const { code, err } = await ccw("serve", "--colour");
    expect(code).toBe(2);
    expect(err).toMatch(/Valid options: --host, --port, --isolate, --help/);
  });

  it("rejects a bad option value with the valid range", async () => {
    const { code, err } = await ccw("serve", "--port", "99999");
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be an integer from 0 to 65535, got "99999"/);
  });

  it("serve refuses a missing folder and says how to build one", async () => {
    const { code, err } = await ccw("serve", "/nonexistent/site");
    expect(code).toBe(2);
    expect(err).toMatch(/is not a folder; build the site first with `npm run build`/);
  });

  it("runs as the package's bin from a clone", () => {
    const result = spawnSync(process.execPath, [join(ROOT, "bin", "ccw.js"), "--version"], { encoding: "utf-8" });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Command } from "../../src/cli/command.js";
import { flagDescription, type Flag } from "../../src/cli/flags.js";
import { loadCommands } from "../../src/cli/main.js";

const COMMANDS = await loadCommands();

const README = readFileSync(join(resolve(import.meta.dirname, "..", ".."), "README.md"), "utf-8");

/** The README's `ccw` table: command name → the row's text. */
const ROWS = new Map(
  [...README.matchAll(/^\| `ccw ([a-z-]+)[^|]*\|(.*)\|$/gm)].map((m) => [m[1]!, m[2]!] as const),
);

/** Every declaration of a flag in a command (one per verb that takes it). */
function declarations(command: Command, name: string): Flag[] {
  const tables = command.verbs ? Object.values(command.verbs) : command.flags ? [command.flags] : [];
  return tables.flatMap((t) => (Object.hasOwn(t, name) ? [t[name]!] : []));
}

/** The defaults the row states: `--flag …` (…default `x`…), `--flag` default `x`, and the captioners' `--flag` 600. */
function statedDefaults(row: string): [string, string][] {
  const found: [string, string][] = [];
  for (const m of row.matchAll(/`--([a-z][a-z-]*)[^`]*` \(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) {
    const stated = /(?:^|[ ;,(])default (?:`([^`]+)`|([^`,;) ]+))/.exec(m[2]!);
    const value = stated?.[1] ?? stated?.[2];
    if (value !== undefined && !/^(none|off|every|detected|cores|first|the)$/.test(value)) found.push([m[1]!, value]);
  }
  for (const m of row.matchAll(/`--([a-z][a-z-]*)` default `([^`]+)`/g)) found.push([m[1]!, m[2]!]);
  for (const m of row.matchAll(/`--([a-z][a-z-]*)` (\d[\d.]*)(?=[,;)])/g)) found.push([m[1]!, m[2]!]);
  return found;
}

const tabled = COMMANDS.filter((c) => ROWS.has(c.name));

describe("the README's ccw table stays true to the flag tables", () => {
  it("has a row for every command", () => {
    expect(COMMANDS.map((c) => c.name).filter((n) => !ROWS.has(n))).toEqual([]);
  });

  it.each(tabled.map((c) => [c.name, c] as const))("ccw %s: every flag the row names exists", (name, command) => {
    const named = [...ROWS.get(name)!.matchAll(/`--([a-z][a-z-]*)/g)].map((m) => m[1]!);
    expect(named.filter((flag) => flag !== "help" && declarations(command, flag).length === 0)).toEqual([]);
  });

  it.each(tabled.map((c) => [c.name, c] as const))("ccw %s: every default the row states is the table's", (name, command) => {
    for (const [flag, value] of statedDefaults(ROWS.get(name)!)) {
      const helps = declarations(command, flag).map(flagDescription);
      expect(helps.some((h) => h.includes(`default: ${value}`)), `--${flag} default ${value}: ${helps.join(" | ")}`).toBe(true);
    }
  });

  it("reads the defaults it checks", () => {
    expect(statedDefaults(ROWS.get("synth")!)).toEqual(expect.arrayContaining([["pages", "200"], ["seed", "1"], ["missing-rate", "0.03"], ["styles", "modern,flat,high-contrast"]]));
    expect(statedDefaults(ROWS.get("captioners")!)).toEqual(expect.arrayContaining([["steps", "600"], ["coco", "out/pairs-coco"]]));
  });
});

import { describe, expect, expectTypeOf, it } from "vitest";
import { lazyRun, parseCommandArgs, type Command } from "../../src/cli/command.js";
import { defineFlags, flagDescription, helpText, HELP_WIDTH, optionsHelp, parseOptions, readCapped, readFlags, UsageError } from "../../src/cli/flags.js";
import { loadCommands } from "../../src/cli/main.js";

const COMMANDS = await loadCommands();

const TABLE = defineFlags({
  steps: { type: "int", min: 1, max: 100, default: 10, doc: "updates" },
  lr: { type: "number", min: 1e-7, max: 1, default: 0.001, doc: "learning rate" },
  warmup: { type: "int", min: 0, max: 100, defaultDoc: "a tenth of the run", doc: "warm-up updates" },
  world: { type: "enum", values: ["crawl", "model"], default: "crawl", doc: "which world" },
  out: { type: "path", arg: "<dir>", needs: "an output folder", doc: "output folder" },
  seed: { type: "string", default: "1", needs: "a seed (any string)", doc: "seed" },
  styles: { type: "list", values: ["modern", "flat"], doc: "styles" },
  set: { type: "repeat", arg: "<k=v>", doc: "override one option" },
  resume: { type: "boolean", doc: "continue from the checkpoint" },
});

const read = (values: Record<string, unknown>) => readFlags("demo", TABLE, values);
const usageError = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
};

describe("readFlags() reads parsed arguments through a flag table", () => {
  it("gives each flag its table default when absent, and undefined where the table has none", () => {
    expect(read({})).toEqual({ steps: 10, lr: 0.001, warmup: undefined, world: "crawl", out: undefined, seed: "1", styles: undefined, set: [], resume: false });
  });

  it("types each value from the table: defaulted flags are never undefined", () => {
    const v = read({});
    expectTypeOf(v.steps).toEqualTypeOf<number>();
    expectTypeOf(v.warmup).toEqualTypeOf<number | undefined>();
    expectTypeOf(v.world).toEqualTypeOf<"crawl" | "model">();
    expectTypeOf(v.out).toEqualTypeOf<string | undefined>();
    expectTypeOf(v.set).toEqualTypeOf<string[]>();
    expectTypeOf(v.resume).toEqualTypeOf<boolean>();
  });

  it("converts what was given: numbers, comma-separated lists, repeated values, booleans", () => {
    expect(read({ steps: "7", lr: "5e-4", styles: "modern, flat,", set: ["a=1", "b=2"], resume: true })).toMatchObject({ steps: 7, lr: 5e-4, styles: ["modern", "flat"], set: ["a=1", "b=2"], resume: true });
  });

  it("refuses an integer outside its range, a fraction or an empty value, naming the flag, the range and the input", () => {
    expect(usageError(() => read({ steps: "0" }))).toBe('ccw demo: --steps must be an integer from 1 to 100, got "0"');
    expect(usageError(() => read({ steps: "1.5" }))).toMatch(/--steps must be an integer from 1 to 100, got "1.5"/);
    expect(usageError(() => read({ steps: "" }))).toMatch(/--steps must be an integer from 1 to 100, got ""/);
  });

  it("refuses a number outside its range or not finite", () => {
    expect(usageError(() => read({ lr: "5" }))).toBe('ccw demo: --lr must be a number from 1e-7 to 1, got "5"');
    expect(usageError(() => read({ lr: "Infinity" }))).toMatch(/--lr must be a number/);
  });

  it("refuses a value outside an enum, naming the valid ones (or what the table says it must be)", () => {
    expect(usageError(() => read({ world: "moon" }))).toBe('ccw demo: --world must be one of crawl, model, got "moon"');
    const table = { backend: { type: "enum", values: ["wasm", "cpu"], mustBe: "wasm or cpu in Node", doc: "backend" } } as const;
    expect(usageError(() => readFlags("demo", table, { backend: "tpu" }))).toBe('ccw demo: --backend must be wasm or cpu in Node, got "tpu"');
  });

  it("refuses a list item outside the valid values, naming them", () => {
    expect(usageError(() => read({ styles: "modern,sepia" }))).toBe('ccw demo: --styles must be a comma-separated subset of modern,flat, got "sepia"');
  });

  it("refuses an empty path, and an empty string where the table says what it needs", () => {
    expect(usageError(() => read({ out: "" }))).toBe("ccw demo: --out needs an output folder");
    expect(usageError(() => read({ seed: "" }))).toBe("ccw demo: --seed needs a seed (any string)");
    expect(usageError(() => readFlags("demo", { note: { type: "path", doc: "a file" } }, { note: "" }))).toBe("ccw demo: --note needs a path");
  });

  it("readCapped() bounds a flag by another's value: the default is cut to it, a value given must fit under it", () => {
    const warmup = { type: "int", min: 0, max: 100, default: 60, doc: "warm-up updates" } as const;
    expect(readCapped("demo", "warmup", warmup, {}, 20)).toBe(20);
    expect(readCapped("demo", "warmup", warmup, { warmup: "5" }, 20)).toBe(5);
    expect(usageError(() => readCapped("demo", "warmup", warmup, { warmup: "30" }, 20))).toBe('ccw demo: --warmup must be an integer from 0 to 20, got "30"');
  });

  it("gives parseArgs every flag as a string but booleans, repeatables as multiple, with their aliases", () => {
    expect(parseOptions({ ...TABLE, file: { type: "path", short: "o", doc: "output" } })).toMatchObject({
      steps: { type: "string" }, resume: { type: "boolean" }, set: { type: "string", multiple: true }, file: { type: "string", short: "o" },
    });
  });
});

describe("the help text comes from the same table", () => {
  it("adds the valid range or values and the default to each flag's doc", () => {
    expect(flagDescription(TABLE.steps)).toBe("updates (1 to 100; default: 10)");
    expect(flagDescription(TABLE.world)).toBe("which world (default: crawl)");
    expect(flagDescription({ ...TABLE.world, arg: "<name>" })).toBe("which world (crawl | model; default: crawl)");
    expect(flagDescription(TABLE.styles)).toBe("styles (subset of modern,flat)");
    expect(flagDescription(TABLE.set)).toBe("override one option (repeatable)");
    expect(flagDescription(TABLE.resume)).toBe("continue from the checkpoint");
  });

  it("says a default in words when it is computed, and why beside a fixed one", () => {
    expect(flagDescription(TABLE.warmup)).toBe("warm-up updates (0 to 100; default: a tenth of the run)");
    expect(flagDescription({ ...TABLE.lr, defaultDoc: "the paper's" })).toBe("learning rate (1e-7 to 1; default: 0.001, the paper's)");
  });

  it("aligns every block's descriptions to one column and closes the last block with --help", () => {
    const text = optionsHelp([{ title: "Train options:", flags: { steps: TABLE.steps } }, { title: "Common:", flags: { set: TABLE.set, resume: TABLE.resume } }]);
    expect(text).toBe(
      [
        "Train options:",
        "  --steps <n>            updates (1 to 100; default: 10)",
        "",
        "Common:",
        "  --set <k=v>            override one option (repeatable)",
        "  --resume               continue from the checkpoint",
        "  -h, --help             show this help",
      ].join("\n"),
    );
  });

  it("moves the column right for a long flag and wraps long docs under it", () => {
    const doc = Array(40).fill("word").join(" ");
    const lines = optionsHelp([{ title: "Options:", flags: { "a-very-long-flag-name": { type: "int", min: 0, max: 9, arg: "<count>", doc } } }]).split("\n");
    const column = "  --a-very-long-flag-name <count> ".length;
    expect(lines[1]!.indexOf("word")).toBe(column);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.slice(2, -1)) expect(line).toMatch(new RegExp(`^ {${column}}\\S`));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(HELP_WIDTH);
  });

  it("puts the command's prose around the option blocks", () => {
    expect(helpText("Usage: ccw demo", [{ title: "Options:", flags: {} }], "Notes.")).toBe("Usage: ccw demo\n\nOptions:\n  -h, --help             show this help\n\nNotes.");
  });
});

const TRAIN = defineFlags({ steps: TABLE.steps, out: TABLE.out, resume: TABLE.resume });
const EVAL = defineFlags({ steps: { ...TABLE.steps, max: 5 }, json: { type: "boolean", doc: "print JSON" } });
const demo: Command = { name: "demo", summary: "", usage: "", verbs: { train: TRAIN, eval: EVAL }, run: lazyRun(async () => async () => 0) };
const plain: Command = { name: "plain", summary: "", usage: "", flags: { port: TABLE.steps }, run: lazyRun(async () => async () => 0) };

describe("parseCommandArgs() checks arguments against the command's table", () => {
  it("refuses an unknown flag, listing the valid ones", () => {
    expect(() => parseCommandArgs(plain, ["--colour"])).toThrow(/Unknown option '--colour'[\s\S]*Valid options: --port, --help\. See `ccw plain --help`/);
  });

  it("checks every value given before the command runs", () => {
    expect(() => parseCommandArgs(plain, ["--port", "0"])).toThrow('ccw plain: --port must be an integer from 1 to 100, got "0"');
  });

  it("checks nothing when --help is asked for, so help always shows", () => {
    expect(parseCommandArgs(plain, ["--port", "0", "--help"]).values.help).toBe(true);
  });

  it("reads a verb's flags from that verb's table, wherever they stand relative to the verb", () => {
    expect(parseCommandArgs(demo, ["--steps", "50", "train", "--resume"])).toEqual({ values: { steps: "50", resume: true }, positionals: ["train"] });
    expect(() => parseCommandArgs(demo, ["eval", "--steps", "50"])).toThrow('ccw demo eval: --steps must be an integer from 1 to 5, got "50"');
  });

  it("names the verbs a flag belongs to when it is given to another", () => {
    expect(() => parseCommandArgs(demo, ["eval", "--out", "x"])).toThrow("ccw demo eval: --out is for train, not eval. See `ccw demo --help`.");
  });

  it("leaves an unknown or missing verb to the command (which names its verbs), still refusing unknown flags", () => {
    expect(parseCommandArgs(demo, ["fly", "--steps", "500"]).positionals).toEqual(["fly"]);
    expect(() => parseCommandArgs(demo, ["--colour"])).toThrow(/Valid options: --steps, --out, --resume, --json, --help/);
  });
});

describe("every ccw command on a flag table", () => {
  const tabled = COMMANDS;
  const tables = (c: Command) => (c.verbs ? Object.entries(c.verbs) : [["", c.flags!] as const]);

  it.each(tabled.map((c) => [c.name, c] as const))("%s: every flag of every table is in its help, no option line is over the width", (_, command) => {
    for (const [verb, table] of tables(command)) for (const name of Object.keys(table)) expect(command.usage, `${verb} --${name}`).toMatch(new RegExp(`--${name}\\b`));
    for (const line of command.usage.split("\n").filter((l) => /^ {2}-/.test(l))) expect(line.length, line).toBeLessThanOrEqual(HELP_WIDTH);
  });

  it.each(tabled.filter((c) => c.verbs).map((c) => [c.name, c] as const))("%s: a flag shared by verbs takes a value in all or in none", (_, command) => {
    const kinds = new Map<string, string>();
    for (const [verb, table] of tables(command)) {
      for (const [name, option] of Object.entries(parseOptions(table))) {
        const kind = `${option.type}${option.multiple ? "[]" : ""}`;
        expect(kinds.get(name) ?? kind, `${verb} --${name}`).toBe(kind);
        kinds.set(name, kind);
      }
    }
  });
});

// A command's flags as one table (flag → type, default, valid range or values, doc): parseArgs's options, the help's
// option lines and the validated, typed values all come from it, so each default is written once. Light: no imports.

/** An error the user caused: printed without a stack, exit code 2. */
export class UsageError extends Error {}

interface FlagBase {
  /** What the flag does, for the help; the valid range or values and the default are added from the fields below. */
  doc: string;
  /** Placeholder after the flag in the help (default by type: `<n>`, `<x>`, `<a|b>`, `<text>`, `<path>`, `<list>`). */
  arg?: string;
  /** One-letter alias, e.g. "o" for `-o`. */
  short?: string;
  /**
   * The default in words. Without `default`, it says what happens when the flag is absent (computed from other flags,
   * or the library's choice), and the flag reads as undefined; beside `default`, it says why that value.
   */
  defaultDoc?: string;
}

export interface IntFlag extends FlagBase {
  type: "int";
  min: number;
  max: number;
  default?: number;
}

export interface NumberFlag extends FlagBase {
  type: "number";
  min: number;
  max: number;
  default?: number;
}

export interface EnumFlag extends FlagBase {
  type: "enum";
  values: readonly string[];
  default?: string;
  /** What the error says the value must be, when "one of <values>" would not say it (e.g. "wasm or cpu in Node"). */
  mustBe?: string;
}

export interface StringFlag extends FlagBase {
  type: "string";
  default?: string;
  /** When set, an empty value is refused: "--<flag> needs <this>". */
  needs?: string;
}

/** A file or folder, passed on as given (messages name it as the user wrote it); never empty. */
export interface PathFlag extends FlagBase {
  type: "path";
  default?: string;
  /** What an empty value is told it needs (default: "a path"). */
  needs?: string;
}

/** A comma-separated list, optionally a subset of `values`. */
export interface ListFlag extends FlagBase {
  type: "list";
  values?: readonly string[];
  default?: readonly string[];
}

/** A string that may be given several times (`--set a=1 --set b=2`); reads as every value, in order. */
export interface RepeatFlag extends FlagBase {
  type: "repeat";
}

/** Present or absent; never takes a value. */
export interface BooleanFlag extends FlagBase {
  type: "boolean";
}

export type Flag = IntFlag | NumberFlag | EnumFlag | StringFlag | PathFlag | ListFlag | RepeatFlag | BooleanFlag;

/** A command's (or one verb's) flags by name, without the leading `--`, in the order the help lists them. */
export type FlagTable = Readonly<Record<string, Flag>>;

/** Declares a table, keeping its literal types so `readFlags` can type each value. */
export function defineFlags<const T extends FlagTable>(table: T): T {
  return table;
}

/** The range of a library config field (`{ min, max }` of a checked field), for a flag that sets it. */
export function bounds(field: { readonly min: number; readonly max: number }): { min: number; max: number } {
  return { min: field.min, max: field.max };
}

type WithDefault<F, V> = F extends { default: unknown } ? V : V | undefined;

/** The value a flag reads as: its type, defaulted when the table has a default, else undefined when absent. */
export type FlagValue<F extends Flag> = F extends BooleanFlag
  ? boolean
  : F extends RepeatFlag
    ? string[]
    : F extends ListFlag
      ? WithDefault<F, string[]>
      : F extends EnumFlag
        ? WithDefault<F, F["values"][number]>
        : F extends IntFlag | NumberFlag
          ? WithDefault<F, number>
          : WithDefault<F, string>;

export type FlagValues<T extends FlagTable> = { -readonly [K in keyof T]: FlagValue<T[K]> };

type ParseOptions = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

/** The table as node:util parseArgs options: every flag a string but booleans, repeatables with `multiple`. */
export function parseOptions(table: FlagTable): ParseOptions {
  const options: ParseOptions = {};
  for (const [name, flag] of Object.entries(table)) {
    options[name] = { type: flag.type === "boolean" ? "boolean" : "string", ...(flag.type === "repeat" ? { multiple: true } : {}), ...(flag.short ? { short: flag.short } : {}) };
  }
  return options;
}

/** Checks one number against its flag: an integer (or any finite number) within [min, max], else a UsageError naming both. */
export function checkNumber(where: string, name: string, flag: Pick<IntFlag | NumberFlag, "type" | "min" | "max">, raw: unknown): number {
  const value = typeof raw === "string" && raw.trim() === "" ? NaN : Number(raw);
  const ok = flag.type === "int" ? Number.isInteger(value) : Number.isFinite(value);
  if (!ok || value < flag.min || value > flag.max) {
    throw new UsageError(`ccw ${where}: --${name} must be ${flag.type === "int" ? "an integer" : "a number"} from ${flag.min} to ${flag.max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A number bounded by another flag's value (warm-up by steps): absent, its default cut to `max`; given, checked against it. */
export function readCapped(where: string, name: string, flag: (IntFlag | NumberFlag) & { default: number }, values: Readonly<Record<string, unknown>>, max: number): number {
  return values[name] === undefined ? Math.min(flag.default, max) : checkNumber(where, name, { ...flag, max: Math.min(flag.max, max) }, values[name]);
}

function readOne(where: string, name: string, flag: Flag, raw: unknown): unknown {
  switch (flag.type) {
    case "boolean":
      return Boolean(raw);
    case "repeat":
      return raw === undefined ? [] : ([] as string[]).concat(raw as string | string[]);
  }
  if (raw === undefined) return flag.default === undefined ? undefined : flag.type === "list" ? [...flag.default] : flag.default;
  const text = String(raw);
  switch (flag.type) {
    case "int":
    case "number":
      return checkNumber(where, name, flag, raw);
    case "enum":
      if (!flag.values.includes(text)) throw new UsageError(`ccw ${where}: --${name} must be ${flag.mustBe ?? `one of ${flag.values.join(", ")}`}, got ${JSON.stringify(raw)}`);
      return text;
    case "list": {
      const items = text.split(",").map((s) => s.trim()).filter(Boolean);
      const bad = flag.values ? items.find((s) => !flag.values!.includes(s)) : undefined;
      if (bad !== undefined) throw new UsageError(`ccw ${where}: --${name} must be a comma-separated subset of ${flag.values!.join(",")}, got ${JSON.stringify(bad)}`);
      return items;
    }
    case "path":
      if (text === "") throw new UsageError(`ccw ${where}: --${name} needs ${flag.needs ?? "a path"}`);
      return text;
    case "string":
      if (text === "" && flag.needs) throw new UsageError(`ccw ${where}: --${name} needs ${flag.needs}`);
      return text;
  }
}

/**
 * Reads parsed arguments (parseArgs's values) through a table: each flag converted, checked against its range or
 * values, and defaulted. `where` names the command in errors ("dvae train"). Flags outside the table are ignored.
 */
export function readFlags<const T extends FlagTable>(where: string, table: T, values: Readonly<Record<string, unknown>>): FlagValues<T> {
  const out: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(table)) out[name] = readOne(where, name, flag, values[name]);
  return out as FlagValues<T>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Help text

/** Help lines are wrapped to this many columns. */
export const HELP_WIDTH = 110;
/** The description column starts at least this far in (two spaces of indent, then the flag and its placeholder). */
const MIN_FLAG_COLUMN = 25;

const shown = (value: unknown): string => (Array.isArray(value) ? value.join(",") : String(value));

function placeholder(flag: Flag): string {
  if (flag.arg) return flag.arg;
  switch (flag.type) {
    case "int":
      return "<n>";
    case "number":
      return "<x>";
    case "enum":
      return `<${flag.values.join("|")}>`;
    case "path":
      return "<path>";
    case "list":
      return "<list>";
    default:
      return "<text>";
  }
}

/** `-o, --out <file>`: the flag as the help's left column shows it. */
export function flagSignature(name: string, flag: Flag): string {
  const alias = flag.short ? `-${flag.short}, ` : "";
  return flag.type === "boolean" ? `${alias}--${name}` : `${alias}--${name} ${placeholder(flag)}`;
}

/** The help's description of a flag: its doc, then (valid range or values; default). */
export function flagDescription(flag: Flag): string {
  const notes: string[] = [];
  if (flag.type === "int" || flag.type === "number") notes.push(`${flag.min} to ${flag.max}`);
  if (flag.type === "enum" && flag.arg) notes.push(flag.values.join(" | "));
  if (flag.type === "list" && flag.values) notes.push(`subset of ${flag.values.join(",")}`);
  if (flag.type === "repeat") notes.push("repeatable");
  const value = "default" in flag && flag.default !== undefined ? shown(flag.default) : undefined;
  const def = [value, flag.defaultDoc].filter((s) => s !== undefined).join(", ");
  if (def) notes.push(`default: ${def}`);
  return notes.length ? `${flag.doc} (${notes.join("; ")})` : flag.doc;
}

/** Greedy word wrap of `text` after a `head` of `indent` columns, continuation lines indented to the same column. */
function wrap(head: string, indent: number, text: string): string[] {
  const lines: string[] = [];
  let line = head.padEnd(indent);
  let empty = true;
  for (const word of text.split(" ")) {
    if (!empty && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = " ".repeat(indent) + word;
    } else line = empty ? line + word : `${line} ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A titled block of the help ("Train options:") and the flags it lists. */
export interface HelpSection {
  title: string;
  flags: FlagTable;
}

/**
 * The help's option blocks: one per section, flags aligned to one column across all of them, each line wrapped to
 * HELP_WIDTH; `-h, --help` closes the last block.
 */
export function optionsHelp(sections: readonly HelpSection[]): string {
  const rows = sections.map((s) => ({ title: s.title, flags: Object.entries(s.flags).map(([name, flag]) => [flagSignature(name, flag), flagDescription(flag)] as const) }));
  rows[rows.length - 1]?.flags.push(["-h, --help", "show this help"]);
  const column = Math.max(MIN_FLAG_COLUMN, ...rows.flatMap((r) => r.flags.map(([left]) => left.length + 3)));
  return rows.map((r) => [r.title, ...r.flags.flatMap(([left, doc]) => wrap(`  ${left}`, column, doc))].join("\n")).join("\n\n");
}

/** A command's whole help: its prose, the option blocks, and any closing prose. */
export function helpText(intro: string, sections: readonly HelpSection[], outro?: string): string {
  return [intro, optionsHelp(sections), ...(outro === undefined ? [] : [outro])].join("\n\n");
}

import { parseArgs, type ParseArgsConfig } from "node:util";

/** What a command's run function receives: the parsed options and positional arguments. */
export interface CommandArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

/**
 * A `ccw` subcommand: its own options, help text and run function. The module that declares a command holds only
 * this (and what its help text names), so `ccw --help` and `ccw <command> --help` load no model code; its run
 * function lives in `<command>-run.ts`, imported when the command runs (see lazyRun).
 */
export interface Command {
  name: string;
  /** One line for `ccw --help`. */
  summary: string;
  /** Full usage text for `ccw <name> --help`: every option with its default. */
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Whether positional arguments are accepted. */
  allowPositionals?: boolean;
  run(args: CommandArgs, io: CommandIO): Promise<number>;
}

/** A run function that imports the module holding the real one on first call (TF.js and friends load only then). */
export function lazyRun(load: () => Promise<Command["run"]>): Command["run"] {
  return async (args, io) => (await load())(args, io);
}

export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Set by bin/ccw.js's default IO: ccw owns the process, so a model command may start the WASM backend on its default threads. */
  ownsProcess?: boolean;
}

/** An error the user caused: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/** Parses a command's arguments, turning parseArgs's errors into UsageErrors that name the valid options. */
export function parseCommandArgs(command: Command, argv: string[]): CommandArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    return { values: values as Record<string, unknown>, positionals };
  } catch (error) {
    const valid = Object.keys(command.options).map((o) => `--${o}`).concat("--help").join(", ");
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`ccw ${command.name}: ${message}\nValid options: ${valid}. See \`ccw ${command.name} --help\`.`);
  }
}

/** Reads an integer option, rejecting anything else with the valid range in the message. */
export function intOption(command: string, name: string, raw: unknown, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`ccw ${command}: --${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The --threads help lines of a model command (startModelBackend in backend-run.ts reads the flag), with why its default is what it is. */
export function threadsHelp(byDefault: "cores" | 1, why: string): string {
  const lines = [`--threads <n>          WASM backend (XNNPACK) threads, 1-8 (default: ${byDefault === 1 ? "1" : "the machine's cores, at most 4"}; ${why})`];
  // Wrapped to the help's 110 columns under the description column.
  const words = lines[0]!.split(" ");
  const out: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && (line + " " + w).length > 108) {
      out.push(line);
      line = " ".repeat(23) + w;
    } else line = line ? `${line} ${w}` : w;
  }
  out.push(line);
  return out.map((l) => `  ${l}`).join("\n");
}

/** --threads of the model commands: 1-8 WASM (XNNPACK) threads, or undefined to take the command's default. */
export function threadsOption(command: string, values: Record<string, unknown>, backend: string): number | undefined {
  if (values.threads === undefined) return undefined;
  const threads = intOption(command, "threads", values.threads, 1, 1, 8);
  if (backend !== "wasm") throw new UsageError(`ccw ${command}: --threads is for the wasm backend, got --backend ${backend}`);
  return threads;
}

/** Reads a number option within [min, max], rejecting anything else with the valid range in the message. */
export function numberOption(command: string, name: string, raw: unknown, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`ccw ${command}: --${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

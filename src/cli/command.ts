import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseOptions, readFlags, UsageError, type EnumFlag, type FlagTable, type IntFlag } from "./flags.js";

export { UsageError } from "./flags.js";

/** What a command's run function receives: the parsed options (as parseArgs gives them) and positional arguments. */
export interface CommandArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

/** Where a command's flags are declared: one table, or (for `ccw <command> <verb>`) one table per verb. */
export type CommandFlags = { flags: FlagTable; verbs?: never } | { verbs: Readonly<Record<string, FlagTable>>; flags?: never };

/**
 * A `ccw` subcommand: its own flags, help text and run function. The module that declares a command holds only
 * this (and what its help text names), so `ccw --help` and `ccw <command> --help` load no model code; its run
 * function lives in `<command>-run.ts`, imported when the command runs (see lazyRun).
 */
export type Command = CommandFlags & {
  name: string;
  /** One line for `ccw --help`. */
  summary: string;
  /** Full usage text for `ccw <name> --help`, its option blocks from the flag tables (flags.ts helpText); a getter, so only the help asked for is built. */
  readonly usage: string;
  /** Whether positional arguments are accepted (always, with verbs: the verb is one). */
  allowPositionals?: boolean;
  run(args: CommandArgs, io: CommandIO): Promise<number>;
};

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

const HELP = { help: { type: "boolean", short: "h" } } as const;

/** Every verb's flags in one table, in the order first declared, so flags parse wherever they stand relative to the verb. */
function allVerbFlags(verbs: Readonly<Record<string, FlagTable>>): FlagTable {
  const all: Record<string, FlagTable[string]> = {};
  for (const table of Object.values(verbs)) for (const [name, flag] of Object.entries(table)) all[name] ??= flag;
  return all;
}

function strictParse(where: string, command: Command, options: ReturnType<typeof parseOptions>, argv: string[]): CommandArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, ...HELP }, allowPositionals: command.verbs !== undefined || (command.allowPositionals ?? false), strict: true });
    return { values: values as Record<string, unknown>, positionals };
  } catch (error) {
    const valid = Object.keys(options).map((o) => `--${o}`).concat("--help").join(", ");
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`ccw ${where}: ${message}\nValid options: ${valid}. See \`ccw ${command.name} --help\`.`);
  }
}

/**
 * Parses a command's arguments against its flag table (with verbs: the table of the verb given, where a flag of
 * another verb is named as such), checks every value given against its range or valid values, and turns
 * parseArgs's errors into UsageErrors that name the valid options. With --help, nothing is checked.
 */
export function parseCommandArgs(command: Command, argv: string[]): CommandArgs {
  if (command.flags) {
    const args = strictParse(command.name, command, parseOptions(command.flags), argv);
    if (!args.values.help) readFlags(command.name, command.flags, args.values);
    return args;
  }
  const all = allVerbFlags(command.verbs);
  // A lenient pass finds the verb (options are known, so their values are not taken for it).
  const { positionals, tokens } = parseArgs({ args: argv, options: { ...parseOptions(all), ...HELP }, allowPositionals: true, strict: false, tokens: true });
  const verb = positionals[0];
  const table = verb !== undefined && Object.hasOwn(command.verbs, verb) ? command.verbs[verb]! : undefined;
  // An unknown or missing verb: parse against every verb's flags and let the run say which verbs there are.
  if (!table) return strictParse(command.name, command, parseOptions(all), argv);
  const where = `${command.name} ${verb}`;
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === "help" || Object.hasOwn(table, token.name) || !Object.hasOwn(all, token.name)) continue;
    const owners = Object.entries(command.verbs).filter(([, t]) => Object.hasOwn(t, token.name)).map(([v]) => v);
    throw new UsageError(`ccw ${where}: --${token.name} is for ${owners.join(", ")}, not ${verb}. See \`ccw ${command.name} --help\`.`);
  }
  const args = strictParse(where, command, parseOptions(table), argv);
  if (!args.values.help) readFlags(where, table, args.values);
  return args;
}

/** How many WASM threads a model command takes without --threads: the machine's cores (at most 4), or 1 where more are not faster. */
export type ThreadsDefault = "cores" | 1;

/** The TF.js backends a model command runs on in Node. */
export const NODE_BACKENDS = ["wasm", "cpu"] as const;

/** --backend of the model commands (startModelBackend in backend-run.ts reads it). */
export const BACKEND_FLAG = {
  type: "enum",
  values: NODE_BACKENDS,
  mustBe: `${NODE_BACKENDS.join(" or ")} in Node`,
  arg: "<name>",
  default: "wasm",
  defaultDoc: "the fastest without a GPU",
  doc: "TF.js backend",
} as const satisfies EnumFlag;

/** --threads of a model command (startModelBackend reads it), with why its default is what it is; absent, it reads as undefined. */
export function threadsFlag(byDefault: ThreadsDefault, why: string): IntFlag {
  return { type: "int", min: 1, max: 8, doc: "WASM backend (XNNPACK) threads", defaultDoc: `${byDefault === 1 ? "1" : "the machine's cores, at most 4"}; ${why}` };
}

/**
 * --shard and --shard-count of the commands that run as array tasks (filter, download): `task` says what task I of N
 * takes and where it writes. The index and count default from Slurm's or a Kubernetes Indexed Job's environment.
 */
export function shardFlags(task: string) {
  return {
    shard: {
      type: "string", arg: "<I/N>", needs: "I/N, e.g. 0/4",
      defaultDoc: "from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shard-count, when set; else one process",
      doc: `${task}, without merging`,
    },
    "shard-count": { type: "int", arg: "<N>", min: 1, max: 1_000_000, doc: "N for a task index from the environment (JOB_COMPLETION_INDEX, or SLURM_ARRAY_TASK_ID)" },
  } as const;
}

/** The repository's root: src/cli and its compiled copy .ccw/cli both sit two levels below it. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A file the library locates by URL (committed weights), as the help names it: relative to the repository. */
export function repoPath(url: URL): string {
  const path = fileURLToPath(url);
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

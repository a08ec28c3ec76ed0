import { readFileSync } from "node:fs";
import { parseCommandArgs, UsageError, type Command, type CommandIO } from "./command.js";
/**
 * Every subcommand, in the order `ccw --help` lists them, each module imported only when its command runs (or
 * `ccw --help` lists them all): `ccw <command> …` loads that command's flags and nothing of the others'.
 * Later capabilities register theirs here; a test holds each key equal to its command's name.
 */
const COMMAND_MODULES: readonly (readonly [string, () => Promise<Command>])[] = [
  ["serve", async () => (await import("./serve.js")).serveCommand],
  ["ingest", async () => (await import("./ingest.js")).ingestCommand],
  ["download", async () => (await import("./download.js")).downloadCommand],
  ["eval-captions", async () => (await import("./eval-captions.js")).evalCaptionsCommand],
  ["synth", async () => (await import("./synth.js")).synthCommand],
  ["dvae", async () => (await import("./dvae.js")).dvaeCommand],
  ["filter", async () => (await import("./filter.js")).filterCommand],
  ["labeler", async () => (await import("./labeler.js")).labelerCommand],
  ["rerank", async () => (await import("./rerank.js")).rerankCommand],
  ["pairs", async () => (await import("./pairs.js")).pairsCommand],
  ["transformer", async () => (await import("./transformer.js")).transformerCommand],
  ["generate", async () => (await import("./transformer.js")).generateCommand],
  ["captioners", async () => (await import("./captioners.js")).captionersCommand],
];

/** The subcommands' names, in `ccw --help`'s order. */
export const COMMAND_NAMES: readonly string[] = COMMAND_MODULES.map(([name]) => name);

/** Every subcommand, loaded (what `ccw --help`, the tests and the start-up bench list). */
export async function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_MODULES.map(([, load]) => load()));
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf-8")) as { version: string };
  return pkg.version;
}

async function help(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "ccw — Conceptual Workbench command line",
    "",
    "Usage: ccw <command> [options]",
    "       ccw --help | --version",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `ccw <command> --help` for a command's options.",
  ].join("\n");
}

const defaultIO: CommandIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  ownsProcess: true,
};

/** Runs `ccw` with the given arguments; returns the exit code (0 ok, 1 failure, 2 bad usage). */
export async function main(argv: string[], io: CommandIO = defaultIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.out(await help());
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-v") {
    io.out(version());
    return 0;
  }
  const load = COMMAND_MODULES.find(([name]) => name === first)?.[1];
  if (!load) {
    io.err(`ccw: unknown command ${JSON.stringify(first)}. Valid commands: ${COMMAND_NAMES.join(", ")}. See \`ccw --help\`.`);
    return 2;
  }
  const command = await load();
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.out(command.usage);
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    io.err(`ccw ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

import { readFileSync } from "node:fs";
import { parseCommandArgs, UsageError, type Command, type CommandIO } from "./command.js";
import { serveCommand } from "./serve.js";
import { ingestCommand } from "./ingest.js";
import { downloadCommand } from "./download.js";
import { synthCommand } from "./synth.js";
import { evalCaptionsCommand } from "./eval-captions.js";
import { dvaeCommand } from "./dvae.js";
import { filterCommand } from "./filter.js";
import { labelerCommand } from "./labeler.js";
import { captionersCommand } from "./captioners.js";
import { generateCommand, transformerCommand } from "./transformer.js";
import { rerankCommand } from "./rerank.js";
import { pairsCommand } from "./pairs.js";

/** Every subcommand, in the order `ccw --help` lists them. Later capabilities register theirs here. */
export const COMMANDS: readonly Command[] = [serveCommand, ingestCommand, downloadCommand, evalCaptionsCommand, synthCommand, dvaeCommand, filterCommand, labelerCommand, rerankCommand, pairsCommand, transformerCommand, generateCommand, captionersCommand];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf-8")) as { version: string };
  return pkg.version;
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "ccw — Conceptual Workbench command line",
    "",
    "Usage: ccw <command> [options]",
    "       ccw --help | --version",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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
    io.out(help());
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-v") {
    io.out(version());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.err(`ccw: unknown command ${JSON.stringify(first)}. Valid commands: ${COMMANDS.map((c) => c.name).join(", ")}. See \`ccw --help\`.`);
    return 2;
  }
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

// What `ccw ingest` runs (flags and help: ingest.ts).
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import {
  checkFormat, detectFormat, ingest, openSource, openTableSink, ReadFailure, tableFormatFromPath,
  type IngestSummary, type SourceFormat, type TableFormat,
} from "../lib/sources/index.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { readFlags } from "./flags.js";
import { FLAGS } from "./ingest.js";

const fmt = (n: number) => n.toLocaleString("en-US");

/** Where a format's extra tables go: `out.arrow` → `out.images.arrow` (WARC image responses). */
export function extraTablePath(out: string, table: string, format: TableFormat): string {
  const suffix = table.replace(/^warc_/, "");
  return out.replace(new RegExp(`\\.${format === "arrow" ? "(arrow|arrows|ipc|feather)" : "(parquet|pq)"}$`, "i"), (ext) => `.${suffix}${ext}`);
}

export function printSummary(summary: IngestSummary, paths: string[], io: CommandIO): void {
  io.out(`ccw ingest: ${summary.format} in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
  summary.tables.forEach((t, i) => {
    io.out(`  ${t.name}: ${fmt(t.rowsRead)} rows read, ${fmt(t.rowsWritten)} written → ${paths[i]}`);
  });
  const kinds = Object.entries(summary.errorsByKind).sort((a, b) => b[1] - a[1]);
  io.out(`  errors: ${fmt(summary.errors)}${kinds.length ? ` (${kinds.map(([k, n]) => `${k} ${fmt(n)}`).join(", ")})` : ""}`);
  for (const e of summary.firstErrors.slice(0, 5)) io.out(`    ${e.message}`);
  if (summary.errors > 5) io.out(`    … ${fmt(summary.errors - 5)} more`);
  const skipped = Object.entries(summary.skipped);
  if (skipped.length) io.out(`  skipped: ${fmt(skipped.reduce((n, [, k]) => n + k, 0))} entries that are not regular files or folders (${skipped.map(([k, n]) => `${k} ${fmt(n)}`).join(", ")})`);
}

/** `ccw ingest`: what ingestCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(`ccw ingest: expected one input file or folder, got ${positionals.length}${positionals.length ? `: ${positionals.join(" ")}` : ""}`);
  const input = resolve(positionals[0]!);
  if (!(await stat(input).then(() => true, () => false))) throw new UsageError(`ccw ingest: ${input} does not exist`);
  const flags = readFlags("ingest", FLAGS, values);
  if (flags.out === undefined) throw new UsageError("ccw ingest: --out <file.arrow|file.parquet> is required");
  const out = resolve(flags.out);
  const tableFormat = tableFormatFromPath(out);
  if (!tableFormat) throw new UsageError(`ccw ingest: --out must end in .arrow or .parquet, got ${basename(out)}`);
  let format: SourceFormat;
  if (flags.format !== undefined) {
    try {
      format = checkFormat(flags.format);
    } catch (error) {
      throw new UsageError(`ccw ingest: --format: ${(error as Error).message}`);
    }
  } else {
    try {
      format = await detectFormat(input);
    } catch (error) {
      throw new UsageError(`ccw ingest: ${(error as Error).message}`);
    }
  }
  const { sample, seed, compression } = flags;
  if (flags.captions !== undefined && format !== "images") throw new UsageError(`ccw ingest: --captions applies to --format images only (this input is ${format})`);

  let lastProgress = performance.now();
  const source = openSource(format, input, {
    strict: flags.strict,
    sidecar: flags.captions,
    keepImageBytes: false,
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastProgress < 5000) return;
      lastProgress = now;
      const share = p.totalBytes ? ` (${((100 * p.bytesRead) / p.totalBytes).toFixed(0)}% of input)` : "";
      io.err(`… ${fmt(p.records)} records, ${fmt(p.rows)} rows, ${fmt(p.errors)} errors${share}`);
    },
  });
  const paths = source.tables.map((t, i) => (i === 0 ? out : extraTablePath(out, t.name, tableFormat)));
  await mkdir(dirname(out), { recursive: true });
  // Write under a temporary name and rename at the end: a failed run leaves no half table behind.
  const handles = await Promise.all(paths.map((p) => open(`${p}.part`, "w")));
  const sinks = await Promise.all(
    source.tables.map((t, i) => openTableSink(t.columns, tableFormat, async (chunk) => void (await handles[i]!.write(chunk)), { compression })),
  );
  let summary: IngestSummary;
  try {
    summary = await ingest(source, sinks, { sample, seed });
  } catch (error) {
    await Promise.all(handles.map((h) => h.close()));
    await Promise.all(paths.map((p) => rm(`${p}.part`, { force: true })));
    if (error instanceof ReadFailure) {
      io.err(`ccw ingest: --strict: ${error.message}`);
      return 1;
    }
    throw error;
  }
  await Promise.all(handles.map((h) => h.close()));
  await Promise.all(paths.map((p) => rename(`${p}.part`, p)));
  printSummary(summary, paths, io);
  return 0;
}

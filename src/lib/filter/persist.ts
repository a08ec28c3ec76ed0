/**
 * The persist step of a filter run: the merged rows streamed into `candidates.arrow` and `candidates.parquet`
 * (batch by batch, each written under a temporary name and renamed when complete), then `funnel.arrow` and
 * `funnel.json` (the run's summary, with the paper's pass rate beside each stage).
 */
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import { tableFromRows, toArrowIPC } from "../arrow/index.js";
import { ATTRITION_STAGES } from "../reference/index.js";
import { openTableSink } from "../sources/index.js";
import { writeAtomic } from "../files/index.js";
import type { MergedRun } from "./merge.js";
import { FUNNEL_COLUMNS, funnelRows, resultColumns, type CandidateResult } from "./pipeline.js";
import type { ResolvedConfig } from "./presets.js";
import { REFERENCE_STAGE, type StageId } from "./reasons.js";
import type { RunManifest } from "./shard.js";

export interface FilterRunSummary extends MergedRun {
  preset: string;
  stages: StageId[];
  config: ResolvedConfig["config"];
  overrides: string[];
  provenance: Record<string, string>;
  allReasons: boolean;
  labels: string | null;
  /** Our stage -> the paper's approximate pass rate for the same stage (paper reference). */
  paperPassRates: Partial<Record<StageId, number>>;
  elapsedMs: number;
}

/** Our stage -> the paper's approximate pass rate for the stage it corresponds to. */
export function paperPassRates(stages: readonly StageId[]): Partial<Record<StageId, number>> {
  const rates: Partial<Record<StageId, number>> = {};
  for (const stage of stages) {
    const ref = ATTRITION_STAGES.find((a) => a.id === REFERENCE_STAGE[stage]);
    if (ref) rates[stage] = ref.passRate.value;
  }
  return rates;
}

/** The run's summary (what funnel.json holds) from its manifest and merge. */
export function runSummary(manifest: RunManifest, merged: MergedRun, elapsedMs: number): FilterRunSummary {
  const { resolved } = manifest;
  return {
    preset: resolved.preset, stages: resolved.stages, skipped: merged.skipped, config: resolved.config, overrides: resolved.overrides, provenance: resolved.provenance,
    allReasons: manifest.allReasons, labels: manifest.labels, shards: merged.shards, entityTypes: merged.entityTypes, funnel: merged.funnel,
    noiseClasses: merged.noiseClasses, paperPassRates: paperPassRates(resolved.stages), elapsedMs,
  };
}

/** Writers of candidates.arrow and candidates.parquet: `write` takes one batch of merged rows, `close` finishes both files. */
export interface CandidateWriters {
  write(rows: CandidateResult[]): Promise<void>;
  close(): Promise<void>;
}

/** `stages`: the run's (they decide the columns, see resultColumns). */
export async function openCandidateWriters(out: string, stages: readonly StageId[]): Promise<CandidateWriters> {
  const columns = resultColumns(stages);
  const outputs = await Promise.all((["arrow", "parquet"] as const).map(async (format) => {
    const path = join(out, `candidates.${format}`);
    const handle = await open(`${path}.tmp`, "w");
    const sink = await openTableSink(columns, format, async (chunk) => void (await handle.write(chunk)));
    return { path, handle, sink };
  }));
  return {
    async write(rows) {
      if (rows.length === 0) return;
      // Built once for both files: building the table costs more than encoding it.
      const table = tableFromRows(rows, columns);
      for (const o of outputs) await o.sink.writeTable(table);
    },
    async close() {
      for (const o of outputs) {
        await o.sink.close();
        await o.handle.close();
        await rename(`${o.path}.tmp`, o.path);
      }
    },
  };
}

/** Writes funnel.arrow and funnel.json (after the candidate tables: funnel.json is the run's last file). */
export async function persistSummary(out: string, summary: FilterRunSummary): Promise<void> {
  await writeAtomic(join(out, "funnel.arrow"), toArrowIPC(tableFromRows(funnelRows(summary.funnel), FUNNEL_COLUMNS)));
  await writeAtomic(join(out, "funnel.json"), `${JSON.stringify(summary, null, 2)}\n`);
}

// What `ccw pairs` runs (flags and help: pairs.ts): the text–image pairs the transformer and the captioners train on.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { PAIR_SPLITS, type PairSetInfo } from "../lib/pairs/index.js";
import { buildPairs, readPairsInfo, DEFAULT_DVAE_WEIGHTS, DEFAULT_PAGES } from "../lib/pairs/node.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { readFlags } from "./flags.js";
import { BUILD_FLAGS, pairsDir, VERBS } from "./pairs.js";
import { throttledProgress } from "./progress.js";

const formatSeconds = (s: number) => (s >= 90 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

/** The lines `ccw pairs info` and the end of a build print. */
export function infoLines(info: PairSetInfo, dir: string): string[] {
  const total = PAIR_SPLITS.reduce((n, s) => n + info.counts[s], 0);
  const candidates = Object.values(info.candidates).reduce((a, b) => a + b, 0);
  return [
    `${dir}: ${info.source} pairs, seed ${info.seed}, ${info.pages} pages, built ${info.built} in ${formatSeconds(info.seconds)}`,
    `  rows ${total}: ${PAIR_SPLITS.map((s) => `${s} ${info.counts[s]} (${info.images[s]} images)`).join(", ")}`,
    `  tokens ${info.grid}×${info.grid} of ${info.vocab} codes from ${info.dvaeWeights}; pixels ${info.imageSize}×${info.imageSize}×3`,
    `  candidates ${candidates}: ${Object.entries(info.candidates).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`,
    `  held-out compositions (${info.heldoutCompositions.length}, ${info.heldoutFrom}): ${info.heldoutCompositions.map(([a, b]) => `${a}+${b}`).join(", ") || "none"}`,
  ];
}

async function buildVerb(values: Record<string, unknown>, io: CommandIO): Promise<number> {
  const flags = readFlags("pairs build", BUILD_FLAGS, values);
  const src = flags.source;
  const pages = flags.pages ?? DEFAULT_PAGES[src];
  const { seed, "min-count": minCount, "heldout-share": heldoutShare } = flags;
  let heldout: [string, string][] | undefined;
  if (flags["heldout-from"] !== undefined) {
    try {
      heldout = (await readPairsInfo(resolve(flags["heldout-from"]))).heldoutCompositions;
    } catch (error) {
      throw new UsageError(`ccw pairs: --heldout-from: ${(error as Error).message}`);
    }
  }
  const dvae = resolve(flags.dvae);
  if (!existsSync(`${dvae}/model.json`)) throw new UsageError(`ccw pairs: --dvae ${dvae} has no model.json; give a TF.js dVAE weights folder (default ${DEFAULT_DVAE_WEIGHTS}, or train one with \`ccw dvae train\`)`);
  const out = resolve(flags.out ?? pairsDir(src));
  const bars = new Map<string, (done: number, detail?: string) => void>();
  const started = Date.now();
  const info = await buildPairs({
    source: src, seed, pages, out, dvaeWeights: dvae, heldout, split: { minCount, heldoutShare },
    onProgress: (phase, done, total) => {
      let bar = bars.get(phase);
      if (!bar) bars.set(phase, (bar = throttledProgress(io.err, phase, total)));
      const elapsed = (Date.now() - started) / 1000;
      bar(done, `${elapsed.toFixed(0)}s`);
    },
  });
  for (const line of infoLines(info, out)) io.out(line);
  io.out(`wrote ${out}/pairs.parquet and pairs.json`);
  return 0;
}

/** `ccw pairs`: what pairsCommand runs once its arguments have parsed. */
export async function run({ values, positionals }: CommandArgs, io: CommandIO): Promise<number> {
  const [verb, ...args] = positionals;
  if (!verb || !VERBS.includes(verb)) {
    throw new UsageError(`ccw pairs: expected a verb, one of ${VERBS.join(", ")}; got ${verb === undefined ? "nothing" : JSON.stringify(verb)}. See \`ccw pairs --help\`.`);
  }
  if (verb === "build") {
    if (args.length) throw new UsageError(`ccw pairs build: takes no positional arguments, got ${args.join(" ")}`);
    return buildVerb(values, io);
  }
  if (args.length !== 1) throw new UsageError("ccw pairs info: give one pairs folder, e.g. `ccw pairs info out/pairs-conceptual`");
  let info: PairSetInfo;
  try {
    info = await readPairsInfo(resolve(args[0]!));
  } catch (error) {
    throw new UsageError(`ccw pairs info: ${(error as Error).message}`);
  }
  for (const line of infoLines(info, resolve(args[0]!))) io.out(line);
  return 0;
}

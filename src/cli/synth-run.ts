// What `ccw synth` runs (flags and help: synth.ts).
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { once } from "node:events";
import type { Table } from "apache-arrow";
import { tableFromRows, toArrowIPC, toParquet } from "../lib/arrow/index.js";
import {
  CANDIDATE_COLUMNS,
  CAPTION_COLUMNS,
  IMAGE_COLUMNS,
  NOISE_CLASSES,
  OBJECT_COLUMNS,
  candidateRows,
  captionRows,
  cocoCaptionsJson,
  cocoInstancesJson,
  imageRows,
  objectRows,
  resolveCrawlOptions,
  summarizeCrawl,
  type CrawlOptions,
  type Style,
} from "../lib/synth/index.js";
import { buildCrawl } from "../lib/synth/node-index.js";
import { UsageError, type CommandArgs, type CommandIO } from "./command.js";
import { readFlags } from "./flags.js";
import { FLAGS } from "./synth.js";


function parseNoise(raw: string | undefined): Record<string, number> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of raw.split(",").filter(Boolean)) {
    const [name, value] = part.split("=");
    const rate = Number(value);
    if (!name || value === undefined || !Number.isFinite(rate)) {
      throw new UsageError(`ccw synth: --noise expects class=rate pairs such as good=0.3,empty=0.05, got ${JSON.stringify(part)}. Classes: ${NOISE_CLASSES.join(", ")}`);
    }
    out[name] = rate;
  }
  return out;
}

/** `ccw synth`: what synthCommand runs once its arguments have parsed. */
export async function run({ values }: CommandArgs, io: CommandIO): Promise<number> {
  const flags = readFlags("synth", FLAGS, values);
  if (flags.out === undefined) throw new UsageError("ccw synth: --out <dir> is required (the folder to write the crawl into)");
  const options: CrawlOptions = {
    seed: flags.seed,
    pages: flags.pages,
    world: flags.world as CrawlOptions["world"],
    styles: flags.styles as Style[],
    noiseRates: parseNoise(flags.noise),
    missingImageRate: flags["missing-rate"],
  };
  try {
    resolveCrawlOptions(options);
  } catch (error) {
    throw new UsageError(`ccw synth: ${(error as Error).message}`);
  }
  const concurrency = flags.concurrency;
  const out = resolve(flags.out);
  await mkdir(out, { recursive: true });
  if (flags.images) await mkdir(join(out, "images"), { recursive: true });
  const gzip = !flags["plain-warc"];
  const warcPath = join(out, gzip ? "crawl.warc.gz" : "crawl.warc");
  const warc = createWriteStream(warcPath);
  const started = performance.now();
  let lastShown = 0;
  const { crawl, facts } = await buildCrawl(options, {
    gzip,
    concurrency,
    warc: async (chunk) => {
      if (!warc.write(chunk)) await once(warc, "drain");
    },
    image: flags.images ? (image, bytes) => writeFile(join(out, "images", `${image.id}.${image.format === "jpeg" ? "jpg" : image.format}`), bytes) : undefined,
    onProgress: (done, total) => {
      const now = performance.now();
      if (done === total || now - lastShown > 1000) {
        lastShown = now;
        const rate = done / ((now - started) / 1000);
        io.err(`synth: ${done}/${total} images rendered (${rate.toFixed(0)}/s, ETA ${Math.ceil((total - done) / Math.max(rate, 1e-9))} s)`);
      }
    },
  });
  warc.end();
  await once(warc, "finish");
  // Each ground-truth table as Arrow (for the pages) and Parquet (for users' own tools).
  const built: [string, Table][] = [
    ["images", tableFromRows(imageRows(crawl, facts), IMAGE_COLUMNS)],
    ["objects", tableFromRows(objectRows(crawl), OBJECT_COLUMNS)],
    ["candidates", tableFromRows(candidateRows(crawl), CANDIDATE_COLUMNS)],
    ["captions", tableFromRows(captionRows(crawl), CAPTION_COLUMNS)],
  ];
  const tables: [string, Uint8Array][] = [];
  for (const [name, table] of built) tables.push([`${name}.arrow`, toArrowIPC(table)], [`${name}.parquet`, await toParquet(table)]);
  for (const [name, bytes] of tables) await writeFile(join(out, name), bytes);
  await writeFile(join(out, "coco-captions.json"), `${JSON.stringify(cocoCaptionsJson(crawl))}\n`);
  await writeFile(join(out, "coco-instances.json"), `${JSON.stringify(cocoInstancesJson(crawl))}\n`);
  const summary = summarizeCrawl(crawl, facts);
  await writeFile(join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  const seconds = (performance.now() - started) / 1000;
  io.out(`Wrote ${out}`);
  io.out(`  ${summary.pages} pages, ${summary.images} images (${((summary.imageBytes ?? 0) / 1e6).toFixed(1)} MB encoded, ${summary.missingImages} answering 404) in ${seconds.toFixed(1)} s`);
  io.out(`  formats: ${Object.entries(summary.formats).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  io.out(`  noise classes: ${summary.noiseClasses.map((c) => `${c.noise_class} ${c.count}`).join(", ")}`);
  io.out(`  files: ${[warcPath.slice(out.length + 1), ...tables.map((t) => t[0]), "coco-captions.json", "coco-instances.json", "summary.json"].join(", ")}${flags.images ? ", images/" : ""}`);
  return 0;
}

/**
 * One pass over a crawl for the CLI and the loaders: generate, render and encode every
 * image, hand each to the sinks (WARC chunks, image files), and collect the byte facts
 * for the ground-truth tables. Also the loaders' configuration from the environment.
 */
import type { Crawl, CrawlImage, CrawlOptions } from "./crawl.js";
import { generateCrawl } from "./crawl.js";
import { defaultNameLists, encodeCrawl, encodedFacts, type EncodedImage } from "./node.js";
import type { EncodedFacts } from "./tables.js";
import { crawlWarc } from "./warc.js";
import { checkWorld, type WorldId } from "./world.js";

export interface BuildSinks {
  /** Receives the WARC file's bytes, record by record (no WARC is made without it). */
  warc?: (chunk: Uint8Array) => Promise<void> | void;
  /** Receives each image's encoded bytes (not called for 404 images). */
  image?: (image: CrawlImage, bytes: Buffer) => Promise<void> | void;
  gzip?: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BuildResult {
  crawl: Crawl;
  facts: Map<string, EncodedFacts>;
}

/** Generates the crawl and renders every image once, feeding the sinks. */
export async function buildCrawl(options: CrawlOptions, sinks: BuildSinks = {}): Promise<BuildResult> {
  const crawl = generateCrawl(options, defaultNameLists());
  const facts = new Map<string, EncodedFacts>();
  async function* tee(): AsyncGenerator<EncodedImage> {
    for await (const encoded of encodeCrawl(crawl, { concurrency: sinks.concurrency, onProgress: sinks.onProgress })) {
      if (encoded.bytes) {
        facts.set(encoded.image.id, encodedFacts(encoded.bytes));
        await sinks.image?.(encoded.image, encoded.bytes);
      }
      yield encoded;
    }
  }
  if (sinks.warc) {
    for await (const chunk of crawlWarc(crawl, tee(), { gzip: sinks.gzip ?? false })) await sinks.warc(chunk);
  } else {
    for await (const _ of tee());
  }
  return { crawl, facts };
}

/** The built-in sample's size, seed and world, as the loaders read them from the environment. */
export interface SampleConfig {
  seed: string;
  pages: number;
  world: WorldId;
}

/** Default pages of the built-in sample: small enough that every synth loader together builds in well under a minute. */
export const DEFAULT_SAMPLE_PAGES = 200;

/**
 * Reads CCW_SYNTH_SEED (default 1), CCW_SYNTH_PAGES (default 200) and CCW_SYNTH_WORLD
 * (default decorrelated); a bad value is an error naming the variable and what is valid.
 */
export function sampleConfigFromEnv(env: Readonly<Record<string, string | undefined>>): SampleConfig {
  const pagesRaw = env.CCW_SYNTH_PAGES;
  const pages = pagesRaw === undefined || pagesRaw === "" ? DEFAULT_SAMPLE_PAGES : Number(pagesRaw);
  if (!Number.isInteger(pages) || pages < 1 || pages > 1_000_000) {
    throw new RangeError(`CCW_SYNTH_PAGES must be an integer from 1 to 1000000, got ${JSON.stringify(pagesRaw)}`);
  }
  let world: WorldId;
  try {
    world = checkWorld(env.CCW_SYNTH_WORLD || "decorrelated");
  } catch (error) {
    throw new RangeError(`CCW_SYNTH_WORLD: ${(error as Error).message}`);
  }
  return { seed: env.CCW_SYNTH_SEED || "1", pages, world };
}

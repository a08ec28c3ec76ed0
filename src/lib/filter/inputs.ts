/**
 * Inputs of `ccw filter` (Node): one shard per input, read whole into candidates. A CC3M/CC12M TSV
 * is caption-only (no image bytes: the image and pixel-based stages are skipped); a CC image-labels
 * TSV also supplies labels; a WARC pairs every <img> candidate with the image response for its src;
 * `synth:PAGES[:SEED]` generates and renders the built-in synthetic crawl, with each alt-text's
 * noise class kept for scoring. A TSV line with an empty caption is a candidate (its status: alt_missing);
 * lines that cannot become candidates (no URL, wrong field count, bad UTF-8) are counted read errors, never fatal.
 */
import { basename } from "node:path";
import { detectFormat, readTsvFormat, readWarc, type LabelsRow, type WarcCandidateRow, type WarcImageRow } from "../sources/index.js";
import type { SuppliedLabels } from "../labeler/index.js";
import type { CrawlImage } from "../synth/index.js";
import type { Candidate } from "./pipeline.js";

export type InputKind = "cc3m" | "cc12m" | "cc-labels" | "warc" | "synth";

export interface Shard {
  /** Shard name: the file's base name without extensions, or synth-<pages>-<seed>. */
  name: string;
  source: string;
  kind: InputKind;
  /** No image bytes anywhere in the input. */
  captionOnly: boolean;
  candidates: Candidate[];
  /** Records the reader could not turn into rows, by kind. */
  readErrors: Record<string, number>;
}

export interface SynthSpec {
  pages: number;
  seed: string;
}

/** Parses `synth:PAGES[:SEED]`; null when the input is not a synth spec. Throws on a malformed one. */
export function parseSynthSpec(input: string): SynthSpec | null {
  if (!input.startsWith("synth:") && input !== "synth") return null;
  const [, pages = "200", seed = "1"] = input.split(":");
  const n = Number(pages);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new RangeError(`${input}: expected synth:PAGES[:SEED] with PAGES an integer from 1 to 100000`);
  return { pages: n, seed };
}

export function shardName(input: string): string {
  const synth = parseSynthSpec(input);
  if (synth) return `synth-${synth.pages}-${synth.seed}`.replace(/[^\w.-]/g, "_");
  return basename(input).replace(/\.(gz|warc|tsv|txt)$/gi, "").replace(/\.(gz|warc|tsv|txt)$/gi, "").replace(/[^\w.-]/g, "_") || "input";
}

function tally(into: Record<string, number>, kind: string): void {
  into[kind] = (into[kind] ?? 0) + 1;
}

async function readTsvShard(path: string, kind: "cc3m" | "cc12m" | "cc-labels", name: string): Promise<Shard> {
  const candidates: Candidate[] = [];
  const readErrors: Record<string, number> = {};
  // An empty caption is a candidate (it ends as alt_missing), not a read error: every line with a URL is accounted for by a status.
  for await (const batch of readTsvFormat(kind, path, { allowEmptyCaption: true })) {
    for (const e of batch.errors) tally(readErrors, e.kind);
    for (const row of batch.rows) {
      const labels: SuppliedLabels | null = kind === "cc-labels"
        ? { source: "tsv", labels: (row as LabelsRow).labels.map((n, i) => ({ name: n, confidence: (row as LabelsRow).confidences[i] ?? 1 })) }
        : null;
      candidates.push({ id: `${name}:${row.line}`, alt: row.caption, url: row.url, labels });
    }
  }
  return { name, source: path, kind, captionOnly: true, candidates, readErrors };
}

async function readWarcShard(path: string, name: string): Promise<Shard> {
  const pending: WarcCandidateRow[] = [];
  const images = new Map<string, WarcImageRow>();
  const readErrors: Record<string, number> = {};
  for await (const batch of readWarc(path)) {
    for (const e of batch.errors) tally(readErrors, e.kind);
    for (const row of batch.rows) {
      if (row.kind === "candidate") pending.push(row);
      else if (!images.has(row.url)) images.set(row.url, row);
    }
  }
  const candidates = pending.map((c): Candidate => ({
    id: `${name}:r${c.record}:${c.img_index}`,
    alt: c.alt,
    url: c.src,
    image: images.get(c.src)?.data ?? null,
  }));
  return { name, source: path, kind: "warc", captionOnly: false, candidates, readErrors };
}

async function readSynthShard(spec: SynthSpec, name: string, images: boolean, onProgress?: (done: number, total: number) => void): Promise<Shard> {
  const { generateCrawl } = await import("../synth/index.js");
  const { defaultNameLists, encodeCrawl } = await import("../synth/node-index.js");
  const crawl = generateCrawl({ seed: spec.seed, pages: spec.pages }, defaultNameLists());
  const bytes = new Map<string, Uint8Array | null>();
  if (images) for await (const encoded of encodeCrawl(crawl, { onProgress })) bytes.set(encoded.image.id, encoded.bytes);
  const candidates = crawl.images.map((im) => synthCandidate(im, images ? (bytes.get(im.id) ?? null) : undefined));
  return { name, source: `synth:${spec.pages}:${spec.seed}`, kind: "synth", captionOnly: !images, candidates, readErrors: {} };
}

/** One synthetic crawl image as a pipeline candidate, its alt-text's noise class kept for scoring (image: as in Candidate). */
export function synthCandidate(im: CrawlImage, image: Uint8Array | null | undefined): Candidate {
  return {
    id: `c-${String(im.pageIndex).padStart(6, "0")}-${im.position}`,
    alt: im.alt.present ? im.alt.text : null,
    url: im.url,
    image,
    noiseClass: im.alt.noiseClass,
  };
}

/** Reads one input into a shard. Formats: cc3m, cc12m, cc-labels TSV, WARC, synth:PAGES[:SEED]. */
export async function readShard(input: string, options: { onProgress?: (done: number, total: number) => void; images?: boolean } = {}): Promise<Shard> {
  const name = shardName(input);
  const synth = parseSynthSpec(input);
  // Rendering is the slow part of a synthetic shard: skipped when no stage looks at pixels.
  if (synth) return readSynthShard(synth, name, options.images ?? true, options.onProgress);
  const format = await detectFormat(input);
  if (format === "warc") return readWarcShard(input, name);
  if (format === "cc3m" || format === "cc12m" || format === "cc-labels") return readTsvShard(input, format, name);
  throw new RangeError(`${input}: ${format} is not a filter input; valid: a CC3M/CC12M/CC image-labels TSV, a WARC file, or synth:PAGES[:SEED]`);
}

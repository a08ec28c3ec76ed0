/**
 * Ground-truth tables of a crawl, each with a documented schema (src/lib/arrow ColumnSpec):
 * images (one row per image: scene, format, size), objects (one row per drawn object),
 * candidates (one row per img element: its alt-text and noise class) and captions
 * (five COCO-style captions per image). Plus the same annotations in COCO's JSON formats.
 */
import type { ColumnSpec } from "../arrow/index.js";
import { NOISE_CLASSES, NOISE_CLASS_INFO } from "./alt-text.js";
import { describeScene } from "./captions.js";
import type { Crawl, CrawlImage } from "./crawl.js";
import { category } from "./vocabulary.js";

/** Facts read from an image's encoded bytes (Node only); absent when images were not rendered. */
export interface EncodedFacts {
  byteLength: number;
  sha256: string;
}

export interface ImageRow {
  image_id: string;
  page_index: number;
  page_url: string;
  image_url: string;
  kind: string;
  format: string;
  content_type: string;
  extension_matches: boolean;
  http_status: number;
  width: number;
  height: number;
  aspect: number;
  style: string;
  context: string;
  world: string;
  categories: string;
  counts: string;
  object_count: number;
  relations: string;
  description: string;
  scene_json: string;
  byte_length: number | null;
  sha256: string | null;
}

export const IMAGE_COLUMNS: ColumnSpec<ImageRow>[] = [
  { name: "image_id", type: "utf8", description: "image id, img-<page>-<position>; also the scene id" },
  { name: "page_index", type: "int32", description: "index of the page that embeds the image" },
  { name: "page_url", type: "utf8", description: "URL of that page" },
  { name: "image_url", type: "utf8", description: "absolute URL of the image" },
  { name: "kind", type: "utf8", description: "photo | thumbnail | icon | banner" },
  { name: "format", type: "utf8", description: "true encoding of the bytes: jpeg | png | gif | webp" },
  { name: "content_type", type: "utf8", description: "Content-Type the server sends (lies when extension_matches is false)" },
  { name: "extension_matches", type: "bool", description: "whether the URL's extension and Content-Type match the true format" },
  { name: "http_status", type: "int32", description: "200, or 404 when the crawl found the image gone (no bytes in the WARC)" },
  { name: "width", type: "int32", description: "width in pixels" },
  { name: "height", type: "int32", description: "height in pixels" },
  { name: "aspect", type: "float64", description: "long side / short side" },
  { name: "style", type: "utf8", description: "emoji style: modern (photo-like) | flat (cartoon) | high-contrast (line art)" },
  { name: "context", type: "utf8", description: "background: street | beach | kitchen | park | sky | room | field | snow | plain" },
  { name: "world", type: "utf8", description: "co-occurrence statistics: coco-like | decorrelated" },
  { name: "categories", type: "utf8", description: "COCO category names in the image, comma-separated, in scene order" },
  { name: "counts", type: "utf8", description: "category:count pairs, comma-separated" },
  { name: "object_count", type: "int32", description: "number of drawn objects (instances)" },
  { name: "relations", type: "utf8", description: "spatial relations, '; '-separated (\"dog left of cake\")" },
  { name: "description", type: "utf8", description: "canonical literal description (alt text on the workbench's pages)" },
  { name: "scene_json", type: "utf8", description: "the full scene as JSON: what the Node and browser renderers draw" },
  { name: "byte_length", type: "int32", nullable: true, description: "size of the encoded image in bytes (null when not rendered or 404)" },
  { name: "sha256", type: "utf8", nullable: true, description: "SHA-256 of the encoded bytes, hex (null when not rendered or 404)" },
];

export function imageRows(crawl: Crawl, facts?: ReadonlyMap<string, EncodedFacts>): ImageRow[] {
  return crawl.images.map((im) => {
    const s = im.scene;
    const f = im.httpStatus === 200 ? facts?.get(im.id) : undefined;
    return {
      image_id: im.id,
      page_index: im.pageIndex,
      page_url: crawl.pages[im.pageIndex]!.url,
      image_url: im.url,
      kind: im.kind,
      format: im.format,
      content_type: im.contentType,
      extension_matches: im.extensionMatches,
      http_status: im.httpStatus,
      width: im.width,
      height: im.height,
      aspect: Math.max(im.width, im.height) / Math.min(im.width, im.height),
      style: s.style,
      context: s.context,
      world: s.world,
      categories: s.objects.map((o) => o.category).join(","),
      counts: s.objects.map((o) => `${o.category}:${o.count}`).join(","),
      object_count: s.objects.reduce((n, o) => n + o.count, 0),
      relations: s.relations.map((r) => `${r.subject} ${r.predicate} ${r.object}`).join("; "),
      description: describeScene(s),
      scene_json: JSON.stringify(s),
      byte_length: f?.byteLength ?? null,
      sha256: f?.sha256 ?? null,
    };
  });
}

export interface ObjectRow {
  image_id: string;
  category: string;
  coco_id: number;
  supercategory: string;
  wordnet_sense: string;
  wordnet_offset: string;
  count: number;
  instance: number;
  emoji: string;
  style: string;
  x: number;
  y: number;
  size: number;
  flip: boolean;
}

export const OBJECT_COLUMNS: ColumnSpec<ObjectRow>[] = [
  { name: "image_id", type: "utf8", description: "image (scene) id" },
  { name: "category", type: "utf8", description: "COCO category name" },
  { name: "coco_id", type: "int32", description: "COCO category id" },
  { name: "supercategory", type: "utf8", description: "COCO supercategory" },
  { name: "wordnet_sense", type: "utf8", description: "WordNet noun sense (lemma.n.NN)" },
  { name: "wordnet_offset", type: "utf8", description: "WordNet 3.1 data.noun offset of that sense" },
  { name: "count", type: "int32", description: "how many objects of this category the image has" },
  { name: "instance", type: "int32", description: "0-based index of this object among them" },
  { name: "emoji", type: "utf8", description: "fluentui-emoji name drawn" },
  { name: "style", type: "utf8", description: "emoji style" },
  { name: "x", type: "float64", description: "left of the object's square box, pixels" },
  { name: "y", type: "float64", description: "top of the box, pixels" },
  { name: "size", type: "float64", description: "side of the box, pixels" },
  { name: "flip", type: "bool", description: "whether the emoji is mirrored" },
];

export function objectRows(crawl: Crawl): ObjectRow[] {
  return crawl.images.flatMap((im) =>
    im.scene.objects.flatMap((o) => {
      const c = category(o.category);
      return o.instances.map((inst, k) => ({
        image_id: im.id,
        category: c.id,
        coco_id: c.cocoId,
        supercategory: c.supercategory,
        wordnet_sense: c.wordnet.sense,
        wordnet_offset: c.wordnet.offset,
        count: o.count,
        instance: k,
        emoji: inst.emoji,
        style: im.scene.style,
        x: inst.x,
        y: inst.y,
        size: inst.size,
        flip: inst.flip,
      }));
    }),
  );
}

export interface CandidateRow {
  candidate_id: string;
  image_id: string;
  page_url: string;
  page_title: string;
  image_url: string;
  alt_text: string;
  alt_present: boolean;
  noise_class: string;
  language: string;
  entities: string;
  describes_image: boolean;
  kind: string;
  format: string;
  width: number;
  height: number;
  http_status: number;
  style: string;
  context: string;
  categories: string;
}

export const CANDIDATE_COLUMNS: ColumnSpec<CandidateRow>[] = [
  { name: "candidate_id", type: "utf8", description: "candidate id: page index and img position, c-<page>-<position>" },
  { name: "image_id", type: "utf8", description: "image (scene) id" },
  { name: "page_url", type: "utf8", description: "URL of the page" },
  { name: "page_title", type: "utf8", description: "the page's <title>" },
  { name: "image_url", type: "utf8", description: "absolute URL of the image" },
  { name: "alt_text", type: "utf8", description: "the img element's alt attribute (\"\" when absent)" },
  { name: "alt_present", type: "bool", description: "whether the img element has an alt attribute at all" },
  { name: "noise_class", type: "utf8", description: "ground-truth noise class of the alt-text (see NOISE_CLASS_INFO)" },
  { name: "language", type: "utf8", description: "language of the alt-text: en | es | fr | de" },
  { name: "entities", type: "utf8", description: "named entities in the alt-text, JSON [{text, type}]" },
  { name: "describes_image", type: "bool", description: "whether the alt-text is about this image" },
  { name: "kind", type: "utf8", description: "image kind" },
  { name: "format", type: "utf8", description: "true image format" },
  { name: "width", type: "int32", description: "image width" },
  { name: "height", type: "int32", description: "image height" },
  { name: "http_status", type: "int32", description: "200 or 404" },
  { name: "style", type: "utf8", description: "emoji style" },
  { name: "context", type: "utf8", description: "scene context" },
  { name: "categories", type: "utf8", description: "COCO categories in the image, comma-separated" },
];

const candidateId = (im: CrawlImage) => `c-${String(im.pageIndex).padStart(6, "0")}-${im.position}`;

export function candidateRows(crawl: Crawl): CandidateRow[] {
  return crawl.images.map((im) => {
    const page = crawl.pages[im.pageIndex]!;
    return {
      candidate_id: candidateId(im),
      image_id: im.id,
      page_url: page.url,
      page_title: page.title,
      image_url: im.url,
      alt_text: im.alt.text,
      alt_present: im.alt.present,
      noise_class: im.alt.noiseClass,
      language: im.alt.language,
      entities: JSON.stringify(im.alt.entities),
      describes_image: im.alt.describesImage,
      kind: im.kind,
      format: im.format,
      width: im.width,
      height: im.height,
      http_status: im.httpStatus,
      style: im.scene.style,
      context: im.scene.context,
      categories: im.scene.objects.map((o) => o.category).join(","),
    };
  });
}

export interface CaptionRow {
  image_id: string;
  caption_index: number;
  caption: string;
  style: string;
  categories: string;
}

export const CAPTION_COLUMNS: ColumnSpec<CaptionRow>[] = [
  { name: "image_id", type: "utf8", description: "image (scene) id" },
  { name: "caption_index", type: "int32", description: "0-4: which of the five COCO-style captions" },
  { name: "caption", type: "utf8", description: "a literal description as a crowd worker writes it" },
  { name: "style", type: "utf8", description: "emoji style of the image" },
  { name: "categories", type: "utf8", description: "COCO categories in the image (the caption names exactly these)" },
];

export function captionRows(crawl: Crawl): CaptionRow[] {
  return crawl.images.flatMap((im) =>
    im.captions.map((caption, k) => ({
      image_id: im.id,
      caption_index: k,
      caption,
      style: im.scene.style,
      categories: im.scene.objects.map((o) => o.category).join(","),
    })),
  );
}

/** Numeric COCO image id for a crawl image (COCO ids are integers): page * 100 + position. */
export const cocoImageId = (im: CrawlImage): number => im.pageIndex * 100 + im.position;

/** The COCO captions JSON ({images, annotations}) of the crawl's images. */
export function cocoCaptionsJson(crawl: Crawl): object {
  let id = 1;
  return {
    info: { description: `ccw synthetic world, seed ${crawl.options.seed}, ${crawl.options.pages} pages, ${crawl.options.world}` },
    images: crawl.images.map((im) => ({ id: cocoImageId(im), file_name: `${im.id}.${im.format === "jpeg" ? "jpg" : im.format}`, width: im.width, height: im.height })),
    annotations: crawl.images.flatMap((im) => im.captions.map((caption) => ({ id: id++, image_id: cocoImageId(im), caption }))),
  };
}

/** The COCO instances JSON: one box per drawn object (the emoji's square box), categories with COCO ids. */
export function cocoInstancesJson(crawl: Crawl): object {
  let id = 1;
  const used = new Map<string, number>();
  const annotations = crawl.images.flatMap((im) =>
    im.scene.objects.flatMap((o) => {
      const c = category(o.category);
      used.set(c.id, c.cocoId);
      return o.instances.map((inst) => ({
        id: id++,
        image_id: cocoImageId(im),
        category_id: c.cocoId,
        bbox: [inst.x, inst.y, inst.size, inst.size],
        area: inst.size * inst.size,
        iscrowd: 0,
      }));
    }),
  );
  return {
    images: crawl.images.map((im) => ({ id: cocoImageId(im), file_name: `${im.id}.${im.format === "jpeg" ? "jpg" : im.format}`, width: im.width, height: im.height })),
    annotations,
    categories: [...used].sort((a, b) => a[1] - b[1]).map(([name, cocoId]) => ({ id: cocoId, name, supercategory: category(name).supercategory })),
  };
}

export interface NoiseClassCount {
  noise_class: string;
  count: number;
  share: number;
  configured_rate: number;
  description: string;
}

export interface CrawlSummary {
  options: Crawl["options"];
  pages: number;
  images: number;
  /** Sum of encoded image sizes (null when images were not rendered). */
  imageBytes: number | null;
  missingImages: number;
  formats: Record<string, number>;
  kinds: Record<string, number>;
  styles: Record<string, number>;
  contexts: Record<string, number>;
  /** Every noise class, observed beside configured. */
  noiseClasses: NoiseClassCount[];
}

const tally = (items: readonly string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
};

/** Counts that describe a crawl (summary.json of `ccw synth`, synth-summary.json for pages). */
export function summarizeCrawl(crawl: Crawl, facts?: ReadonlyMap<string, EncodedFacts>): CrawlSummary {
  const n = crawl.images.length;
  const classes = tally(crawl.images.map((i) => i.alt.noiseClass));
  return {
    options: crawl.options,
    pages: crawl.pages.length,
    images: n,
    imageBytes: facts ? [...facts.values()].reduce((s, f) => s + f.byteLength, 0) : null,
    missingImages: crawl.images.filter((i) => i.httpStatus !== 200).length,
    formats: tally(crawl.images.map((i) => i.format)),
    kinds: tally(crawl.images.map((i) => i.kind)),
    styles: tally(crawl.images.map((i) => i.scene.style)),
    contexts: tally(crawl.images.map((i) => i.scene.context)),
    noiseClasses: NOISE_CLASSES.map((c) => ({
      noise_class: c,
      count: classes[c] ?? 0,
      share: n ? (classes[c] ?? 0) / n : 0,
      configured_rate: crawl.options.noiseRates[c],
      description: NOISE_CLASS_INFO[c],
    })),
  };
}

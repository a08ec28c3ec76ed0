/**
 * The synthetic web crawl: sites, pages with a URL, title, text and images, each image a
 * rendered scene with an alt-text and five COCO-style captions. Everything follows from
 * (seed, pages, options); page i depends only on the seed and i, so a larger crawl
 * extends a smaller one with the same seed.
 */
import { makeAltText, resolveNoiseRates, type AltText, type NameLists, type NoiseClass } from "./alt-text.js";
import { cocoCaptions } from "./captions.js";
import { CONTEXT_INFO } from "./contexts.js";
import { CONTENT_TYPES, EXTENSIONS, IMAGE_FORMATS, MAX_INSTANCES, sampleImageShape, type ImageFormat, type ImageKind } from "./images.js";
import { capitalize, objectsPhrase } from "./phrases.js";
import { Rng } from "./prng.js";
import { makeScene, SCENE_SCALES, type Scene, type SceneScale } from "./scene.js";
import { category, STYLES, type Style } from "./vocabulary.js";
import { checkWorld, type WorldId } from "./world.js";

export const SITE_KINDS = ["blog", "news", "shop", "recipes", "travel", "forum"] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export interface CrawlOptions {
  seed: string | number;
  /** Number of pages (each carries one or more images). */
  pages: number;
  /** Co-occurrence statistics of the scenes (default decorrelated: the crawl the Conceptual-style captioner learns from). */
  world?: WorldId;
  /** Styles the images are drawn in, uniformly (default all three). */
  styles?: readonly Style[];
  /** Overrides of the default noise-class rates (others scale to fill the rest). */
  noiseRates?: Readonly<Record<string, number>>;
  /** Share of image URLs that answer 404 in the crawl (link rot; default 0.03). */
  missingImageRate?: number;
  /** Share of images served under another format's extension and Content-Type (default 0.03). */
  wrongExtensionRate?: number;
  /** Scene layout: "web" (default) or "model", the model world's layout at the crawl's sizes (objects in each image's central square). */
  sceneScale?: SceneScale;
}

export interface ResolvedCrawlOptions {
  seed: string;
  pages: number;
  world: WorldId;
  styles: Style[];
  noiseRates: Record<NoiseClass, number>;
  missingImageRate: number;
  wrongExtensionRate: number;
  sceneScale: SceneScale;
}

export interface CrawlImage {
  id: string;
  pageIndex: number;
  /** Position of the img element in its page. */
  position: number;
  url: string;
  /** src as written in the HTML (relative for same-host images, sometimes). */
  src: string;
  fileName: string;
  kind: ImageKind;
  format: ImageFormat;
  width: number;
  height: number;
  quality: number;
  /** What the server says it is; differs from the format when the extension lies. */
  contentType: string;
  extensionMatches: boolean;
  /** 200, or 404 when the image is gone (its ground truth stays, its bytes are not in the WARC). */
  httpStatus: number;
  /** Whether the img element carries width/height attributes. */
  declaresSize: boolean;
  scene: Scene;
  alt: AltText;
  /** Five COCO-style literal captions. */
  captions: string[];
}

export interface CrawlPage {
  index: number;
  url: string;
  host: string;
  siteName: string;
  siteKind: SiteKind;
  title: string;
  paragraphs: string[];
  /** Crawl time, ISO 8601 UTC to the second. */
  date: string;
  images: CrawlImage[];
}

export interface Crawl {
  options: ResolvedCrawlOptions;
  pages: CrawlPage[];
  images: CrawlImage[];
}

export const DEFAULT_WORLD: WorldId = "decorrelated";
const MAX_PAGES = 1_000_000;

/** Validates options up front, naming the bad value and the valid ones. */
export function resolveCrawlOptions(options: CrawlOptions): ResolvedCrawlOptions {
  if (!Number.isInteger(options.pages) || options.pages < 1 || options.pages > MAX_PAGES) {
    throw new RangeError(`pages must be an integer from 1 to ${MAX_PAGES}, got ${options.pages}`);
  }
  const styles = [...(options.styles ?? STYLES)];
  for (const s of styles) if (!(STYLES as readonly string[]).includes(s)) throw new RangeError(`unknown style ${JSON.stringify(s)}; valid: ${STYLES.join(", ")}`);
  if (styles.length === 0) throw new RangeError(`styles must name at least one of ${STYLES.join(", ")}`);
  const rate = (name: string, v: number | undefined, fallback: number) => {
    const value = v ?? fallback;
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
    return value;
  };
  return {
    seed: String(options.seed),
    pages: options.pages,
    world: checkWorld(options.world ?? DEFAULT_WORLD),
    styles,
    noiseRates: resolveNoiseRates(options.noiseRates),
    missingImageRate: rate("missingImageRate", options.missingImageRate, 0.03),
    wrongExtensionRate: rate("wrongExtensionRate", options.wrongExtensionRate, 0.03),
    sceneScale: checkSceneScale(options.sceneScale ?? "web"),
  };
}

function checkSceneScale(scale: string): SceneScale {
  if (!(SCENE_SCALES as readonly string[]).includes(scale)) throw new RangeError(`unknown sceneScale ${JSON.stringify(scale)}; valid: ${SCENE_SCALES.join(", ")}`);
  return scale as SceneScale;
}

const SITE_ADJECTIVES = ["sunny", "daily", "happy", "little", "green", "urban", "cozy", "wild", "modern", "golden", "quiet", "bright", "lazy", "northern", "simple", "open", "rusty", "blue", "silver", "local"];
const SITE_NOUNS = ["kitchen", "gazette", "trails", "corner", "market", "journal", "nest", "lens", "table", "road", "garden", "harbor", "studio", "notes", "post", "forum", "outpost", "pantry", "voyage", "shop"];
const KIND_TAGLINES: Record<SiteKind, string> = {
  blog: "Stories and snapshots from everyday life.",
  news: "Local news, updated every day.",
  shop: "Free shipping on orders over $50.",
  recipes: "Simple recipes for busy people.",
  travel: "Trips, tips and photos from the road.",
  forum: "A friendly community. Please read the rules before posting.",
};

interface Site {
  host: string;
  name: string;
  kind: SiteKind;
  cdn: boolean;
}

function site(root: Rng, index: number): Site {
  const rng = root.fork("site", index);
  const combos = SITE_ADJECTIVES.length * SITE_NOUNS.length;
  // A permutation of name pairs: distinct sites get distinct names (until the pairs run out).
  const slot = (index * 7919 + new Rng(`${root.label}/site-offset`).int(0, combos - 1)) % combos;
  const adj = SITE_ADJECTIVES[slot % SITE_ADJECTIVES.length]!, noun = SITE_NOUNS[Math.floor(slot / SITE_ADJECTIVES.length)]!;
  const suffix = index >= combos ? `-${Math.floor(index / combos)}` : "";
  return {
    host: `www.${adj}-${noun}${suffix}.example`,
    name: `${capitalize(adj)} ${capitalize(noun)}`,
    kind: rng.pick(SITE_KINDS),
    cdn: rng.chance(0.3),
  };
}

const slugify = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The image file name a site would use for this kind of image. */
function fileNameFor(rng: Rng, kind: ImageKind, ext: string, scene: Scene, width: number, height: number): string {
  const slug = slugify(`${scene.objects.map((o) => category(o.category).noun.singular).join(" ")} ${CONTEXT_INFO[scene.context].keyword}`);
  switch (kind) {
    case "icon":
      return rng.pick([`logo.${ext}`, `favicon-${width}.${ext}`, `icon-${slug.split("-")[0]}.${ext}`]);
    case "banner":
      return rng.pick([`banner_${width}x${height}.${ext}`, `ad-${width}x${height}.${ext}`, `promo-${slug}.${ext}`]);
    case "thumbnail":
      return `thumb_${slug}_${width}x${height}.${ext}`;
    default: {
      const n = rng.int(1, 9999);
      return rng.pick([
        `IMG_${String(n).padStart(4, "0")}.${ext}`,
        `DSC_${String(n).padStart(4, "0")}.${ext}`,
        `${slug}.${ext}`,
        `${slug}-${width}x${height}.${ext}`,
        `${(rng.uint32() >>> 0).toString(16).padStart(8, "0")}.${ext}`,
      ]);
    }
  }
}

interface ImageContext {
  options: ResolvedCrawlOptions;
  names: NameLists;
  page: { index: number; host: string; cdn: boolean };
  used: Set<string>;
}

function makeImage(rng: Rng, kind: ImageKind, position: number, ctx: ImageContext): CrawlImage {
  const { options } = ctx;
  const shape = sampleImageShape(rng, kind);
  const style = rng.pick(options.styles);
  const id = `img-${String(ctx.page.index).padStart(6, "0")}-${position}`;
  const scene = makeScene(rng.fork("scene"), { id, width: shape.width, height: shape.height, style, world: options.world, maxInstances: MAX_INSTANCES[kind], scale: options.sceneScale });
  const lies = rng.chance(options.wrongExtensionRate);
  const served = lies ? rng.pick(IMAGE_FORMATS.filter((f) => f !== shape.format)) : shape.format;
  let fileName = fileNameFor(rng, kind, rng.pick(EXTENSIONS[served]), scene, shape.width, shape.height);
  for (let k = 2; ctx.used.has(fileName); k++) fileName = fileName.replace(/(\.[^.]+)$/, `-${k}$1`);
  ctx.used.add(fileName);
  const path = `/media/${ctx.page.index}/${fileName}`;
  const host = ctx.page.cdn && kind !== "icon" ? ctx.page.host.replace(/^www\./, "cdn.") : ctx.page.host;
  const url = `https://${host}${path}`;
  const src = host === ctx.page.host && rng.chance(0.5) ? path : url;
  return {
    id,
    pageIndex: ctx.page.index,
    position,
    url,
    src,
    fileName,
    kind,
    format: shape.format,
    width: shape.width,
    height: shape.height,
    quality: shape.quality,
    contentType: CONTENT_TYPES[served],
    extensionMatches: !lies,
    httpStatus: rng.chance(options.missingImageRate) ? 404 : 200,
    declaresSize: rng.chance(0.6),
    scene,
    alt: makeAltText(scene, rng.fork("alt"), { rates: options.noiseRates, names: ctx.names, fileName }),
    captions: cocoCaptions(scene, rng.fork("captions")),
  };
}

function makePage(root: Rng, index: number, options: ResolvedCrawlOptions, names: NameLists, start: number): CrawlPage {
  const rng = root.fork("page", index);
  // Page i picks among the sites seen so far plus a few: about eight pages a site, whatever the crawl's length.
  const s = site(root, rng.int(0, 2 + Math.floor(index / 8)));
  const ctx: ImageContext = { options, names, page: { index, host: s.host, cdn: s.cdn }, used: new Set() };
  const kinds: ImageKind[] = [];
  if (rng.chance(0.35)) kinds.push("icon");
  const mainCount = Number(rng.weighted({ "1": 0.6, "2": 0.3, "3": 0.1 }));
  for (let n = 0; n < mainCount; n++) kinds.push(rng.chance(0.8) ? "photo" : "thumbnail");
  const relatedCount = Number(rng.weighted({ "0": 0.7, "1": 0.15, "2": 0.15 }));
  for (let n = 0; n < relatedCount; n++) kinds.push("thumbnail");
  if (rng.chance(0.2)) kinds.push("banner");
  const images = kinds.map((kind, position) => makeImage(rng.fork("image", position), kind, position, ctx));
  const main = images.find((im) => im.kind === "photo" || im.kind === "thumbnail") ?? images[0]!;
  const topic = `${capitalize(objectsPhrase(main.scene))} ${rng.pick(CONTEXT_INFO[main.scene.context].phrases)}`;
  const slug = slugify(topic);
  const year = 2012 + (index % 9);
  const paths: Record<SiteKind, string> = {
    blog: `/${year}/${String(1 + (index % 12)).padStart(2, "0")}/${slug}/`,
    news: `/news/${year}/${slug}-${index}.html`,
    shop: `/products/${slug}-${index}`,
    recipes: `/recipes/${slug}-${index}`,
    travel: `/trips/${slug}-${index}.html`,
    forum: `/forum/thread-${index}?page=${rng.int(1, 9)}`,
  };
  const url = `https://${s.host}${paths[s.kind]}`;
  const paragraphs = [
    KIND_TAGLINES[s.kind],
    `${topic}. ${rng.pick(["We took these pictures last weekend.", "More photos below.", "Thanks for reading!", "Share your own in the comments.", "Posted by the editors."])}`,
  ];
  if (rng.chance(0.5)) paragraphs.push(rng.pick(["Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "Subscribe to our newsletter for more.", "All rights reserved."]));
  return {
    index,
    url,
    host: s.host,
    siteName: s.name,
    siteKind: s.kind,
    title: `${topic} | ${s.name}`,
    paragraphs,
    date: isoDate(start + index * 97 + rng.int(0, 90)),
    images,
  };
}

/** Generates the crawl: pages, images, scenes, alt-texts and captions (no pixels: rendering is separate). */
export function generateCrawl(options: CrawlOptions, names: NameLists): Crawl {
  const resolved = resolveCrawlOptions(options);
  for (const key of ["female", "male", "places"] as const) {
    if (names[key].length === 0) throw new RangeError(`name list "${key}" is empty; named-entity alt-texts need names`);
  }
  const root = new Rng(`ccw-synth/${resolved.seed}/${resolved.world}/${resolved.styles.join("+")}`);
  const start = Date.UTC(2019, 0, 1) / 1000 + root.fork("start").int(0, 86_400 * 365);
  const pages = Array.from({ length: resolved.pages }, (_, i) => makePage(root, i, resolved, names, start));
  return { options: resolved, pages, images: pages.flatMap((p) => p.images) };
}

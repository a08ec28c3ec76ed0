/**
 * The pairs sets' crawl settings and defaults (light: the CLI's help names them): the conceptual source's cleaner
 * crawl, the coco source's crawl, the default page counts and dVAE. Re-exported by the folder's index.ts.
 */
import type { CrawlOptions } from "../synth/index.js";
import type { PairSource } from "./index.js";

/** Where the dVAE weights come from unless told. */
export const DEFAULT_DVAE_WEIGHTS = "models/dvae-small";

/** Default crawl sizes: enough pages for at least 4,000 training rows with the default split. */
export const DEFAULT_PAGES: Record<PairSource, number> = { conceptual: 11_000, coco: 4_000 };

/**
 * The conceptual source's "cleaner crawl": pages whose alt-texts are mostly written descriptions
 * (82% good, 15% with named entities for hypernymization to resolve, the other ten classes sharing
 * 3%), and 0.5% link rot and lying extensions. Image kinds and formats stay as the web mixes them, so
 * the image stage still rejects icons, thumbnails, banners, PNG/GIF/WebP and small photos.
 */
export const CLEAN_CRAWL: Omit<CrawlOptions, "seed" | "pages"> = {
  world: "decorrelated",
  sceneScale: "model",
  noiseRates: { good: 0.82, "named-entity": 0.15 },
  missingImageRate: 0.005,
  wrongExtensionRate: 0.005,
};

/** The coco source's crawl: the correlated world, photo-like style only, no link rot. Both sources use the model world's layout at crawl sizes. */
export const COCO_CRAWL: Omit<CrawlOptions, "seed" | "pages"> = {
  world: "coco-like",
  sceneScale: "model",
  styles: ["modern"],
  missingImageRate: 0,
  wrongExtensionRate: 0,
};

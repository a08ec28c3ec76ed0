/**
 * The built-in world: a deterministic synthetic web crawl of emoji scenes with realistic
 * alt-text. Pure (browser and Node); rendering to bytes, name lists and the WARC writer are
 * Node-only, behind ./node-index.ts.
 */
export { Rng } from "./prng.js";
export { CATEGORIES, STYLES, STYLE_DOMAIN, category, emojiNames, mentionedCategories, type Category, type EmojiVariant, type ObjectKind, type Style } from "./vocabulary.js";
export { CONTEXTS, CONTEXT_INFO, contextInfo, type ContextId, type ContextInfo } from "./contexts.js";
export { WORLDS, AFFINITY, checkWorld, sampleContent, type WorldId, type SceneContent } from "./world.js";
export {
  PREDICATES,
  BACKGROUND_DETAILS,
  SCENE_SCALES,
  makeScene,
  instancesOf,
  relationBetween,
  type Scene,
  type SceneObject,
  type Instance,
  type Relation,
  type Predicate,
  type SceneSpec,
  type SceneScale,
  type BackgroundDetail,
} from "./scene.js";
export { MODEL_CATEGORIES, MODEL_WORLD, NON_MODEL_CATEGORIES, centralSquare, modelLayout, type Frame } from "./model-world.js";
export { MODEL_SCENE_SIDE, modelWorldScene, modelWorldScenes } from "./model-scenes.js";
export { backgroundSvg, type BackgroundSvg } from "./background.js";
export { sceneSvg, emojiKey, emojiSourceFromSheet, type EmojiSource, type EmojiSheet, type ComposeOptions } from "./compose.js";
export { describeScene, cocoCaptions } from "./captions.js";
export {
  NOISE_CLASSES,
  NOISE_CLASS_INFO,
  DEFAULT_NOISE_RATES,
  resolveNoiseRates,
  makeAltText,
  goodSentence,
  type NoiseClass,
  type AltText,
  type NameLists,
  type Entity,
  type EntityType,
  type Language,
} from "./alt-text.js";
export { IMAGE_FORMATS, IMAGE_KINDS, CONTENT_TYPES, sampleImageShape, type ImageFormat, type ImageKind, type ImageShape } from "./images.js";
export {
  SITE_KINDS,
  DEFAULT_WORLD,
  generateCrawl,
  resolveCrawlOptions,
  type Crawl,
  type CrawlImage,
  type CrawlPage,
  type CrawlOptions,
  type ResolvedCrawlOptions,
} from "./crawl.js";
export { pageHtml, escapeHtml } from "./html.js";
export {
  IMAGE_COLUMNS,
  OBJECT_COLUMNS,
  CANDIDATE_COLUMNS,
  CAPTION_COLUMNS,
  imageRows,
  objectRows,
  candidateRows,
  captionRows,
  cocoCaptionsJson,
  cocoInstancesJson,
  cocoImageId,
  summarizeCrawl,
  type CrawlSummary,
  type NoiseClassCount,
  type ImageRow,
  type ObjectRow,
  type CandidateRow,
  type CaptionRow,
  type EncodedFacts,
} from "./tables.js";
export { drawScene, type CanvasOptions } from "./canvas.js";

/** Node-only door of src/lib/synth: rendering and encoding (sharp), emoji and name lists from packages, the WARC writer. */
export {
  packageEmoji,
  emojiSheet,
  defaultNameLists,
  renderRaw,
  encodeScene,
  encodeImage,
  encodeCrawl,
  encodedFacts,
  type RawImage,
  type EncodedImage,
  type EncodeOptions,
} from "./node.js";
export { crawlWarc, type WarcOptions } from "./warc.js";
export { buildCrawl, sampleConfigFromEnv, DEFAULT_SAMPLE_PAGES, type BuildSinks, type BuildResult, type SampleConfig } from "./build.js";

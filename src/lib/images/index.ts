/**
 * Image facts from bytes: format by magic number, declared dimensions from the header, file size,
 * structural completeness, and bounded decoding that refuses absurd declared pixel counts.
 * `decodeImage` is Node-only (sharp, loaded lazily); everything else runs anywhere.
 */
export { sniffFormat, readImageHeader, isComplete, IMAGE_FORMATS, FORMAT_EXTENSIONS, MAX_DIMENSION, type ImageFormat, type HeaderResult } from "./header.js";
export { imageFacts, DEFAULT_MAX_PIXELS, IMAGE_STATUSES, type ImageFacts, type ImageStatus, type FactsOptions } from "./facts.js";
export { decodeImage, loadSharp, DecodeError, type DecodedImage } from "./decode.js";

/**
 * The published report's build-time records: what the Reproduce page and the front page show (types), and how
 * models' recorded metadata is read (seeds, training time, long values abridged). `node.ts` (Node) gathers them.
 */
export { abridge, findSeeds, findTrainSeconds, parseMetadataStrings, MAX_SHOWN_CHARS, type Found } from "./metadata.js";
export { FRONT_PICTURES } from "./front.js";
export type { CaptionersSummary, FrontCaption, FrontPictures, Missing, ModelRecord, PackageVersion, ReproduceRecord, ReportSummary, ZeroShotSummary, GroupScoresLike } from "./types.js";

/**
 * Source readers: each turns one public data format into typed rows and counted errors, streaming
 * in batches. Also: detection of a file's format, the output tables' schemas, deterministic
 * sampling, batch-wise Arrow/Parquet writing, and the loaders' source configuration.
 */
export {
  readCocoCaptions, readCocoInstances, readCocoResults, parseCocoJson, captionsByImage, objectsByImage, joinCocoResults,
  countCocoErrors, COCO_ERROR_KINDS,
  type CocoError, type CocoErrorKind, type CocoImage, type CocoCaption, type CocoCategory, type CocoObject, type CocoResult,
  type CocoCaptionsFile, type CocoInstancesFile, type CocoResultsFile, type CocoEvaluationRecord, type CocoJoin,
} from "./coco.js";
export {
  READ_ERROR_KINDS, ReadFailure, isReadError, DEFAULT_BATCH_SIZE,
  type ReadError, type ReadErrorKind, type ReadBatch, type ReadProgress, type ReaderOptions,
} from "./types.js";
export { openInput, inflateBounded, ChunkReader, InputError, type ByteInput, type OpenedInput, type InflateResult, type ReadLine } from "./bytes.js";
export { readLines, DEFAULT_MAX_LINE_BYTES, type Line, type LineOptions } from "./lines.js";
export {
  readCc3mTsv, readCc12mTsv, readCcLabelsTsv, readTsvFormat, sniffTsvFormat, isHttpUrl, TSV_FORMATS,
  type CaptionRow, type LabelsRow, type TsvFormat, type TsvReaderOptions,
} from "./tsv.js";
export { readWarc, emptyWarcStats, DEFAULT_MAX_RECORD_BYTES, type WarcRow, type WarcCandidateRow, type WarcImageRow, type WarcStats, type WarcReaderOptions } from "./warc.js";
export { extractImages, decodeHtml, sniffCharset, DEFAULT_HTML_LIMITS, type ImgCandidate, type PageImages, type HtmlLimits } from "./html.js";
export { readImageFolder, SIDECAR_NAMES, SKIPPED_ENTRY_KINDS, type FolderImageRow, type FolderReaderOptions, type SkippedEntryKind } from "./folder.js";
export {
  CAPTION_COLUMNS, LABELS_COLUMNS, COCO_CAPTION_COLUMNS, COCO_OBJECT_COLUMNS, COCO_RESULT_COLUMNS, FOLDER_IMAGE_COLUMNS,
  WARC_CANDIDATE_COLUMNS, WARC_IMAGE_COLUMNS, type CocoCaptionRow, type CocoObjectRow, type CocoResultRow,
} from "./schemas.js";
export {
  openSource, detectFormat, tablesOf, checkFormat, SOURCE_FORMATS,
  type SourceFormat, type SourceTable, type SourceBatch, type OpenedSource, type SourceOptions,
} from "./formats.js";
export { Reservoir, seededRandom, DEFAULT_SEED } from "./sample.js";
export { openTableSink, tableFormatFromPath, TABLE_FORMATS, type TableFormat, type TableSink } from "./sink.js";
export {
  loadSourceConfig, SOURCE_ROLES, DEFAULT_SAMPLE, DEFAULT_CONFIG_FILE, SourceConfigError,
  type SourceRole, type SourceSetting, type SourceConfig, type LoadConfigOptions,
} from "./config.js";
export { ingest, type IngestOptions, type IngestSummary } from "./ingest.js";
export { readCocoBatches, type CocoFormat } from "./coco-stream.js";
export { jsonArrayElements, emptyScanResult, type JsonElement, type JsonScanResult } from "./json-stream.js";

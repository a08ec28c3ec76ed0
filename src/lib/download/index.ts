/**
 * The image downloader for URL-only datasets: guarded fetching (timeouts, size and redirect limits,
 * private-address refusal, opt-out headers), verification from the bytes, resumable output with a
 * status per URL. Node only.
 */
export { downloadImages, imagePath, DOWNLOAD_DEFAULTS, JournalMismatchError, type DownloadItem, type DownloadOptions, type DownloadStats } from "./downloader.js";
export { fetchBytes, FETCH_DEFAULTS, DEFAULT_USER_AGENT, type FetchOptions, type FetchResult } from "./fetch.js";
export { classifyAddress, refuseAddress, isIpLiteral, type AddressClass, type AddressPolicy } from "./address.js";
export { isOptedOut, DEFAULT_OPT_OUT_DIRECTIVES, USER_AGENT_TOKEN } from "./opt-out.js";
export { DOWNLOAD_STATUSES, TRANSIENT_STATUSES, emptyStatusCounts, isTransientHttp, type DownloadStatus } from "./status.js";
export { resizeImage, RESIZE_MODES, type ResizeMode, type ResizeOptions } from "./resize.js";
export { STATUS_COLUMNS, type StatusRow } from "./table.js";
export {
  agreeDownloadManifest, mergeDownloads, taskFolder, downloadManifestPath, DownloadShardError, DOWNLOAD_MANIFEST_FORMAT,
  type DownloadManifest, type MergedDownloadStats,
} from "./shard.js";

/**
 * How every URL ends. Closed union, recorded per URL in the status table and tallied in stats.json,
 * like img2dataset's status columns: link rot is normal on the open web (about 30% of CC3M URLs no
 * longer resolve), so a failure is a counted outcome, never an exception.
 */
export type DownloadStatus =
  /** Image fetched, verified from its bytes and saved. */
  | "ok"
  /** Not a parsable absolute URL, or a scheme other than http(s) (file:, ftp:, data:, javascript:...), or an empty url cell. */
  | "bad_url"
  /** The input row's key is not a usable id (not an integer from 0 to 2^53 - 1, or repeats an earlier row's key): not fetched, key null. */
  | "bad_key"
  /** The input line could not be read into a URL (wrong field count, bad UTF-8, over the line limit, malformed label lists): not fetched, url empty, message from the reader. */
  | "bad_row"
  /** The host is, or resolves to, a private/loopback/link-local/reserved address and allowPrivate is off. */
  | "blocked_address"
  /** The host name does not resolve. */
  | "dns_error"
  /** Connection refused or reset, TLS failure, or a body cut off by the server. */
  | "network_error"
  /** No complete response within timeoutMs. */
  | "timeout"
  /** The final response's status is not 200. */
  | "http_error"
  /** More than maxRedirects redirects, or a redirect without a usable Location. */
  | "too_many_redirects"
  /** The response carries an opt-out such as `X-Robots-Tag: noai` or `noimageai`. */
  | "opted_out"
  /** Content-Length or the received body exceeds maxBytes. */
  | "too_large"
  /** The bytes are not a JPEG/PNG/GIF/WebP/BMP (by magic number), whatever the Content-Type says, or the header is unreadable. */
  | "not_an_image"
  /** The image ends before its structure does (cut-off file). */
  | "truncated"
  /** The declared width × height exceeds maxPixels (decompression-bomb guard). */
  | "too_many_pixels"
  /** Resizing was requested and the image could not be decoded or re-encoded. */
  | "resize_error";

export const DOWNLOAD_STATUSES: readonly DownloadStatus[] = [
  "ok", "bad_url", "bad_key", "bad_row", "blocked_address", "dns_error", "network_error", "timeout", "http_error", "too_many_redirects",
  "opted_out", "too_large", "not_an_image", "truncated", "too_many_pixels", "resize_error",
];

/** Statuses worth retrying within a run (transient); the rest are final for this run. */
export const TRANSIENT_STATUSES: ReadonlySet<DownloadStatus> = new Set(["network_error", "timeout"]);

/** HTTP statuses worth retrying: request timeout, rate limiting, server errors. */
export function isTransientHttp(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** An object with every status at 0, for tallies that list all kinds. */
export function emptyStatusCounts(): Record<DownloadStatus, number> {
  return Object.fromEntries(DOWNLOAD_STATUSES.map((s) => [s, 0])) as Record<DownloadStatus, number>;
}

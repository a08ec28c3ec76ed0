/**
 * Opt-out headers. A site can ask that its images not be used for AI training with
 * `X-Robots-Tag: noai` / `noimageai` (optionally addressed to one crawler: `X-Robots-Tag: ccw: noai`).
 * Same rule as img2dataset: a directive counts when it is unscoped or scoped to our user-agent token.
 */

/** Directives honoured by default. */
export const DEFAULT_OPT_OUT_DIRECTIVES: readonly string[] = ["noai", "noimageai"];

/** The user-agent token a site can address directives to (`X-Robots-Tag: ccw: noai`). */
export const USER_AGENT_TOKEN = "ccw";

/**
 * Whether any X-Robots-Tag value opts out. `values` are the header's values (one per header line;
 * each may hold comma-separated directives, optionally prefixed by `token:`).
 */
export function isOptedOut(values: readonly string[], directives: readonly string[] = DEFAULT_OPT_OUT_DIRECTIVES, token = USER_AGENT_TOKEN): string | null {
  for (const value of values) {
    const colon = value.indexOf(":");
    // "token: a, b" scopes the directives; a bare "a, b" applies to every crawler.
    const scoped = colon >= 0 && !/[,\s]/.test(value.slice(0, colon).trim());
    const scope = scoped ? value.slice(0, colon).trim().toLowerCase() : null;
    const list = (scoped ? value.slice(colon + 1) : value).split(",").map((d) => d.trim().toLowerCase());
    if (scope !== null && scope !== token.toLowerCase() && scope !== "*") continue;
    const hit = list.find((d) => directives.includes(d));
    if (hit) return `X-Robots-Tag: ${value.trim()}`;
  }
  return null;
}

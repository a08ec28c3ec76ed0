/**
 * Site boilerplate (paper §3, text-based filtering): known prefixes and suffixes are cropped
 * ("click to enlarge picture", "stock photo"); texts that begin or end with reject patterns
 * ("embedded image permalink", "profile photo") are dropped. Lists are ours, after the paper's
 * examples and what crawled alt-texts commonly carry.
 */

const SEP = String.raw`\s*[-–—:|•·]\s*`;

/** Prefixes cropped from the start (with their separator). */
const PREFIXES = [
  String.raw`click (?:here )?to enlarge(?: (?:picture|image|photo))?`, String.raw`stock (?:photo|image|picture|illustration)`,
  String.raw`royalty[- ]free (?:stock )?(?:photo|image)`, "image", "photo", "picture", "pic", "foto", "photograph", "illustration", "gallery",
];
/** Suffixes cropped from the end (with their separator or brackets). */
const SUFFIXES = [
  String.raw`(?:royalty[- ]free )?stock (?:photo(?:graph)?|image|picture|illustration|vector)s?(?: and image)?`,
  String.raw`click (?:here )?to enlarge(?: (?:picture|image|photo))?`, String.raw`(?:hd|high resolution) (?:photo|image|wallpaper)`,
  String.raw`(?:free )?download`, String.raw`(?:photo|image|picture) credit:? [^|]{0,40}`,
];

const PREFIX_RE = new RegExp(String.raw`^\s*(?:${PREFIXES.join("|")})${SEP}`, "i");
const SUFFIX_RE = new RegExp(String.raw`(?:${SEP}|\s*[(\[]\s*|\s+)(?:${SUFFIXES.join("|")})\s*[)\]]?\s*[.!]?\s*$`, "i");

/** Whole-text patterns: a text that begins or ends with one is rejected. */
export const REJECT_PATTERNS: readonly string[] = [
  "embedded image permalink", "profile photo", "profile picture", "profile pic", "avatar", "thumbnail", "image may contain",
  "no description available", "no photo description available", "click here", "click to enlarge", "untitled", "image not found",
  "placeholder", "spacer", "advertisement", "photo credit", "see more", "read more",
];
const REJECT_START = new RegExp(String.raw`^(?:${REJECT_PATTERNS.join("|")})\b`, "i");
const REJECT_END = new RegExp(String.raw`\b(?:${REJECT_PATTERNS.join("|")})[\s.!:]*$`, "i");

/** Crops boilerplate prefixes and suffixes (repeatedly: "Stock photo: ... - Stock Image"); returns the text and what was cut. */
export function cropBoilerplate(text: string): { text: string; cropped: string | null } {
  let out = text;
  const cut: string[] = [];
  for (let guard = 0; guard < 4; guard++) {
    const before = out;
    const p = PREFIX_RE.exec(out);
    if (p && p[0].length < out.length) {
      cut.push(p[0].trim());
      out = out.slice(p[0].length);
    }
    const s = SUFFIX_RE.exec(out);
    if (s && s.index > 0) {
      cut.push(s[0].trim());
      out = out.slice(0, s.index);
    }
    if (out === before) break;
  }
  out = out.trim();
  return { text: out, cropped: cut.length ? cut.join(" … ") : null };
}

/** The reject pattern a text begins or ends with, or null. */
export function boilerplateMatch(text: string): string | null {
  const m = REJECT_START.exec(text) ?? REJECT_END.exec(text);
  return m ? m[0].trim().toLowerCase() : null;
}

/** File-name shapes (sources shared with the attrition SQL, which re-derives the verdict from the stored text). */
export const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|bmp|tiff?|heic|svg)$/i;
/** Longest text (UTF-16 units) and most words a file name with an image extension has. */
export const FILE_NAME_MAX_CHARS = 200;
export const FILE_NAME_MAX_WORDS = 3;
export const NUMBERED = /^\d{6,}[_-]\d+$/;
export const CAMERA = /^(?:img|dsc|dscn|dscf|pict|p|mvimg|pxl|photo|image|screenshot)[-_ ]?\(?\d{2,}\)?$/i;

/** Whether the whole alt-text is a file name ("IMG_2041.JPG", "photo (3).jpg", "DSC01234"). */
export function isFileName(text: string): boolean {
  const t = text.trim();
  if (t.length === 0 || t.length > FILE_NAME_MAX_CHARS) return false;
  if (IMAGE_EXT.test(t) && !/\s{2,}/.test(t) && t.split(/\s+/).length <= FILE_NAME_MAX_WORDS) return true;
  return CAMERA.test(t) || NUMBERED.test(t);
}

/** Hashtags (#word) in the text. */
export function countHashtags(text: string): number {
  return (text.match(/(?:^|\s)#[\p{L}\p{N}_]+/gu) ?? []).length;
}

/** What separates the segments of an SEO keyword list. */
export const LIST_SEPARATOR = /\s*[,|;•/]\s*|\s+-\s+/;
/** Most words a short segment has. */
export const SHORT_SEGMENT_WORDS = 3;

/**
 * SEO keyword lists: the text split on separators (, | ; / •); returns how many segments there
 * are and how many are short (at most 3 words).
 */
export function listSegments(text: string): { segments: number; short: number } {
  const parts = text.split(LIST_SEPARATOR).map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length < 2) return { segments: parts.length, short: 0 };
  return { segments: parts.length, short: parts.filter((p) => p.split(/\s+/).length <= SHORT_SEGMENT_WORDS).length };
}

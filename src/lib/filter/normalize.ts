/**
 * Alt-text normalisation before any rule looks at it: HTML entities decoded (TSVs and some
 * crawls keep them), invisible characters (zero-width, bidi controls, soft hyphen, BOM) removed,
 * Unicode NFC, whitespace collapsed. Never throws; any string in, a string out.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " ", ndash: "–", mdash: "—", hellip: "…",
  lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", laquo: "«", raquo: "»", copy: "©", reg: "®", trade: "™",
  eacute: "é", egrave: "è", aacute: "á", agrave: "à", iacute: "í", oacute: "ó", uacute: "ú", ntilde: "ñ",
  ccedil: "ç", uuml: "ü", ouml: "ö", auml: "ä", szlig: "ß", middot: "·", bull: "•", times: "×", deg: "°",
};

/** Characters that render as nothing but split or join words: zero-width, bidi controls, soft hyphen, BOM, variation selectors. */
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/g;
// C0/C1 control characters other than whitespace become spaces.
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;

/** Decodes named (a common subset) and numeric HTML entities; unknown or invalid ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,8});/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : " ";
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** The normalised alt-text: entities decoded (twice, for double-escaped "&amp;amp;"), invisibles removed, NFC, single spaces. */
export function normalizeAltText(raw: string): string {
  const decoded = decodeEntities(decodeEntities(raw));
  return decoded.replace(INVISIBLE, "").replace(CONTROL, " ").normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * Streams the elements of a JSON document's top-level arrays without parsing the whole document:
 * COCO annotation files are one JSON object whose `annotations` array can hold millions of entries
 * (instances_train2017.json is 448 MB). A small scanner tracks strings and nesting depth and cuts
 * out each element's text; only that text is parsed. Memory is bounded by one element plus one
 * chunk. A malformed element costs only itself; a document that ends early is reported.
 *
 * The scanner never recurses: nesting is a counter, so a value nested 100,000 deep costs no stack.
 * An element nested deeper than {@link MAX_ELEMENT_DEPTH} or longer than {@link MAX_ELEMENT_CHARS}
 * is still cut out (the scan goes on after it) but comes back with a `problem` and no text: it is
 * never handed to JSON.parse or to code that walks it, and its text is not kept.
 */

/** Deepest nesting accepted inside one element (COCO's deepest, a segmentation polygon list, is 3). */
export const MAX_ELEMENT_DEPTH = 64;
/** Longest element accepted, in characters (COCO's longest, crowd RLE segmentations, are ~100 KB). */
export const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;

/** One element of a top-level array: the array's key ("" for a root array), its index, its JSON text. */
export interface JsonElement {
  key: string;
  index: number;
  /** The element's JSON text; "" when it has a problem. */
  text: string;
  /** Set when the element breaks a limit: `too_deep` (nesting past MAX_ELEMENT_DEPTH) or `too_large` (past MAX_ELEMENT_CHARS). */
  problem?: { kind: "too_deep" | "too_large"; message: string };
}

export interface JsonScanLimits {
  /** Default {@link MAX_ELEMENT_DEPTH}. */
  maxDepth?: number;
  /** Default {@link MAX_ELEMENT_CHARS}. */
  maxChars?: number;
}

export interface JsonScanResult {
  /** Top-level keys seen, in order, with their value's JSON type (`array`, `object`, `string`, ...). */
  keys: Map<string, string>;
  /** Whether the root is an array (elements have key ""). */
  rootArray: boolean;
  /** Set when the document is not well-formed at the top level (ends early, stray characters). */
  error: string | null;
}

/**
 * Yields the elements of the arrays under `wanted` keys of a root object (or of the root array,
 * with key "", when `wanted` includes ""). `result` is filled as the scan goes.
 */
export async function* jsonArrayElements(chunks: AsyncIterable<Uint8Array>, wanted: ReadonlySet<string>, result: JsonScanResult, limits: JsonScanLimits = {}): AsyncGenerator<JsonElement> {
  const maxDepth = limits.maxDepth ?? MAX_ELEMENT_DEPTH;
  const maxChars = limits.maxChars ?? MAX_ELEMENT_CHARS;
  const decoder = new TextDecoder("utf-8");
  let depth = 0;
  let inString = false;
  let escape = false;
  let started = false; // seen the root's first character
  let rootArray = false;
  // Top-level key tracking (depth 1 of a root object).
  let keyText: string | null = null; // collecting a key string
  let currentKey: string | null = null;
  let expectValue = false;
  // Element capture (depth 2 inside a wanted array, or depth 1 in a wanted root array).
  let capturing = false; // inside a wanted array
  let parts: string[] = [];
  let elementStart = -1; // start offset in the current chunk of the element being captured, -1 if none
  let inElement = false;
  let elementChars = 0; // characters of the element kept so far
  let deepest = 0; // deepest nesting inside the element so far (1: the element is an array or object)
  let index = 0;
  const elementDepth = () => (rootArray ? 1 : 2);
  const finish = (last: string): JsonElement => {
    const key = currentKey ?? "";
    const length = elementChars + last.length;
    const element: JsonElement =
      deepest > maxDepth ? { key, index, text: "", problem: { kind: "too_deep", message: `nested more than ${maxDepth} levels deep (the reader's limit)` } }
      : length > maxChars ? { key, index, text: "", problem: { kind: "too_large", message: `${length} characters, more than the reader's limit of ${maxChars}` } }
      : { key, index, text: parts.join("") + last };
    index++;
    inElement = false;
    return element;
  };

  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    elementStart = inElement ? 0 : -1;
    const out: JsonElement[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (escape) escape = false;
        else if (c === "\\") escape = true;
        else if (c === '"') {
          inString = false;
          if (keyText !== null) {
            try {
              currentKey = JSON.parse(`"${keyText}"`) as string;
            } catch {
              currentKey = keyText;
            }
            keyText = null;
          }
          continue;
        }
        if (keyText !== null) keyText += c;
        continue;
      }
      if (c === " " || c === "\n" || c === "\r" || c === "\t") continue;
      if (!started) {
        started = true;
        depth = 1;
        if (c === "[") {
          rootArray = true;
          result.rootArray = true;
          capturing = wanted.has("");
          currentKey = "";
          continue;
        }
        if (c !== "{") {
          result.error = `the document starts with ${JSON.stringify(c)}, not an object or array`;
          return;
        }
        continue;
      }
      if (!rootArray && depth === 1) {
        if (c === ":") {
          expectValue = true;
          continue;
        }
        if (expectValue) {
          result.keys.set(currentKey ?? "", c === "[" ? "array" : c === "{" ? "object" : c === '"' ? "string" : "other");
          expectValue = false;
          if (c === "[") {
            capturing = wanted.has(currentKey ?? "");
            index = 0;
          }
        } else if (c === '"') {
          inString = true; // a key
          keyText = "";
          continue;
        }
      }
      // The first character of an element inside a captured array.
      if (capturing && !inElement && depth === elementDepth() && c !== "," && c !== "]") {
        inElement = true;
        elementStart = i;
        parts = [];
        elementChars = 0;
        deepest = 0;
      }
      if (c === '"') {
        inString = true;
        continue;
      }
      if (c === "{" || c === "[") {
        depth++;
        if (inElement && depth - elementDepth() > deepest) deepest = depth - elementDepth();
        continue;
      }
      if (c === "}" || c === "]") {
        depth--;
        if (inElement && depth === elementDepth() - 1) out.push(finish(text.slice(elementStart, i))); // the array closed right after its last element
        if (depth === elementDepth() - 1) capturing = false;
        if (depth === 0) {
          if (out.length) yield* out;
          // Only whitespace may follow the root; the elements already read stand either way.
          let rest = text.slice(i + 1) + decoder.decode();
          for await (const more of chunks) rest += decoder.decode(more, { stream: true });
          result.error = rest.trim() === "" ? null : "characters after the end of the document";
          return;
        }
        continue;
      }
      if (c === "," && inElement && depth === elementDepth()) out.push(finish(text.slice(elementStart, i)));
    }
    if (inElement) {
      // Keep the element's text only while it can still be parsed: past a limit, only count.
      const piece = text.slice(elementStart);
      if (deepest <= maxDepth && elementChars + piece.length <= maxChars) parts.push(piece);
      else parts = [];
      elementChars += piece.length;
    }
    if (out.length) yield* out;
  }
  result.error = started ? "the document ends before it is complete (cut off?)" : "the document is empty";
}

export function emptyScanResult(): JsonScanResult {
  return { keys: new Map(), rootArray: false, error: null };
}

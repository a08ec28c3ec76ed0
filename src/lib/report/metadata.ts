// Reading a model's recorded metadata for the report: seeds and training time found wherever the trainer put them,
// and long values (vocabularies) replaced by a note of their size, so the Reproduce page shows every key.

/** Values longer than this (as JSON) are shown as a size note instead of in full. */
export const MAX_SHOWN_CHARS = 2000;

/** One recorded value: where it sits in the metadata (dotted path) and what it is. */
export interface Found {
  path: string;
  value: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every entry whose key names a seed ("seed", "dataSeed", ...), at any depth. */
export function findSeeds(meta: unknown, prefix = ""): Found[] {
  if (!isObject(meta)) return [];
  return Object.entries(meta).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    if (/seed$/i.test(k) && !isObject(v)) return [{ path, value: v }];
    return findSeeds(v, path);
  });
}

/** Recorded training time in seconds: the first of trainSeconds / seconds found breadth-first, or null. */
export function findTrainSeconds(meta: unknown): Found | null {
  let level: Found[] = [{ path: "", value: meta }];
  while (level.length) {
    const next: Found[] = [];
    for (const { path, value } of level) {
      if (!isObject(value)) continue;
      for (const key of ["trainSeconds", "seconds"]) {
        if (typeof value[key] === "number") return { path: path ? `${path}.${key}` : key, value: value[key] };
      }
      for (const [k, v] of Object.entries(value)) next.push({ path: path ? `${path}.${k}` : k, value: v });
    }
    level = next;
  }
  return null;
}

/** The metadata with each value longer than MAX_SHOWN_CHARS (as JSON) replaced by a note saying what was left out. */
export function abridge(meta: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(meta).map(([k, v]) => {
      const json = JSON.stringify(v) ?? "null";
      if (json.length <= MAX_SHOWN_CHARS) return [k, v];
      if (isObject(v)) return [k, abridge(v)];
      return [k, `(${json.length.toLocaleString("en-US")} characters of JSON, not shown)`];
    }),
  );
}

/** safetensors metadata values are strings, most of them JSON: parsed where they parse, kept as text otherwise. */
export function parseMetadataStrings(metadata: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).map(([k, v]) => {
      try {
        return [k, JSON.parse(v) as unknown];
      } catch {
        return [k, v];
      }
    }),
  );
}

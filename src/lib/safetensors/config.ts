// Model configs as they arrive from outside (safetensors metadata, a TF.js manifest, `--config` on the command line):
// JSON text → a plain object whose every field is checked against a declared table, before anything is allocated.

/** One field's rule; the error for a bad value is derived from it (describeField). */
export type ConfigField =
  | { kind: "int"; min: number; max: number }
  | { kind: "number"; min: number; max: number; minExclusive?: boolean }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "ints"; min: number; max: number; minLength: number; maxLength: number }
  | { kind: "enums"; values: readonly string[]; minLength: number; maxLength: number }
  | { kind: "strings"; maxChars: number; minLength: number; maxLength: number };

/** Every field of a config with its rule: one declaration that both checks and words the errors. */
export type ConfigSchema = Readonly<Record<string, ConfigField>>;

/** A bad config: the message names the config, the field and the valid values. */
export class ConfigError extends Error {}

/** Refused as field names: they would reach an object's prototype when copied by assignment. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const list = (values: readonly string[]) => values.join(", ");
const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The valid values of a field, in words ("an integer from 1 to 8"). */
export function describeField(f: ConfigField): string {
  switch (f.kind) {
    case "int":
      return `an integer from ${f.min} to ${f.max}`;
    case "number":
      return `a number ${f.minExclusive ? "above" : "from"} ${f.min} ${f.minExclusive ? "up " : ""}to ${f.max}`;
    case "enum":
      return `one of ${list(f.values)}`;
    case "ints":
      return `a list of ${f.minLength} to ${f.maxLength} integers from ${f.min} to ${f.max}`;
    case "enums":
      return `a list of ${f.minLength} to ${f.maxLength} values, each one of ${list(f.values)}`;
    case "strings":
      return `a list of ${f.minLength} to ${f.maxLength} distinct non-empty strings of at most ${f.maxChars} characters`;
  }
}

const isInt = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

function fieldOk(f: ConfigField, v: unknown): boolean {
  switch (f.kind) {
    case "int":
      return isInt(v, f.min, f.max);
    case "number":
      return typeof v === "number" && Number.isFinite(v) && (f.minExclusive ? v > f.min : v >= f.min) && v <= f.max;
    case "enum":
      return typeof v === "string" && f.values.includes(v);
    case "ints":
      return Array.isArray(v) && v.length >= f.minLength && v.length <= f.maxLength && v.every((x) => isInt(x, f.min, f.max));
    case "enums":
      return Array.isArray(v) && v.length >= f.minLength && v.length <= f.maxLength && v.every((x) => typeof x === "string" && f.values.includes(x));
    case "strings":
      return Array.isArray(v) && v.length >= f.minLength && v.length <= f.maxLength && new Set(v).size === v.length
        && v.every((x) => typeof x === "string" && x.length > 0 && x.length <= f.maxChars);
  }
}

/** A plain JSON object (not null, an array, a string or a number) without prototype-reaching keys; anything else is a ConfigError naming `what`. */
export function checkConfigObject(what: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${what} must be a JSON object of fields, got ${value === null ? "null" : Array.isArray(value) ? "an array" : `the ${typeof value} ${shown(value)}`}`);
  }
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) throw new ConfigError(`${what}: field name "${key}" is not allowed`);
  }
  return value as Record<string, unknown>;
}

/** Parses JSON text that must hold a config object; the error names `what` and says what is wrong with the text. */
export function parseConfigJson(what: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) throw new ConfigError(`${what} is missing`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${what} is not JSON (${(error as Error).message}): ${shown(text)}`);
  }
  return checkConfigObject(what, value);
}

/** Parses JSON text of any shape (metadata entries other than the config); the error names `what`. */
export function parseJsonEntry(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${what} is not JSON (${(error as Error).message}): ${shown(text)}`);
  }
}

/**
 * Checks a config object against its schema: unknown fields refused (listing the valid ones), every
 * present field within its rule, and (unless `partial`) every schema field present. Returns the same object.
 */
export function checkConfigFields<T>(what: string, value: unknown, schema: ConfigSchema, options: { partial?: boolean } = {}): T {
  const config = checkConfigObject(what, value);
  const known = Object.keys(schema);
  for (const key of Object.keys(config)) {
    if (!Object.hasOwn(schema, key)) throw new ConfigError(`unknown ${what} field "${key}"; valid fields: ${known.join(", ")}`);
  }
  for (const key of known) {
    const v = config[key];
    if (v === undefined) {
      if (options.partial) continue;
      throw new ConfigError(`${what} lacks the field ${key} (${describeField(schema[key]!)})`);
    }
    if (!fieldOk(schema[key]!, v)) throw new ConfigError(`${what} ${key} must be ${describeField(schema[key]!)}, got ${shown(v)}`);
  }
  return config as T;
}

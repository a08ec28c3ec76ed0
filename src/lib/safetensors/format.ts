// The safetensors format: u64 little-endian header size, a JSON header {name: {dtype, shape, data_offsets}}, then raw
// little-endian tensor bytes. Reading validates everything against the file's real size before touching data.

/** Element types we read; every float type is widened to Float32 on read. */
export const DTYPES = { F32: 4, F16: 2, BF16: 2, F64: 8, I32: 4, I64: 8, U8: 1, I8: 1, BOOL: 1 } as const;
export type Dtype = keyof typeof DTYPES;

export interface SafeTensor {
  dtype: Dtype;
  shape: number[];
  /** Float types widened to Float32Array; I32 as Int32Array; I64 as BigInt64Array; U8/BOOL as Uint8Array; I8 as Int8Array. */
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;
}

export interface SafeTensors {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

/** Refuse headers larger than this: real files have headers of kilobytes, not gigabytes. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export class SafetensorsError extends Error {}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decode(dtype: Dtype, bytes: Uint8Array, count: number): SafeTensor["data"] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "F32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    case "F64": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    }
    case "F16": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    }
    case "BF16": {
      const out = new Float32Array(count);
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        scratch.setUint32(0, view.getUint16(i * 2, true) << 16, true);
        out[i] = scratch.getFloat32(0, true);
      }
      return out;
    }
    case "I32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      return out;
    }
    case "I64": {
      const out = new BigInt64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getBigInt64(i * 8, true);
      return out;
    }
    case "I8":
      return new Int8Array(bytes.slice(0, count));
    case "U8":
    case "BOOL":
      return new Uint8Array(bytes.slice(0, count));
  }
}

/** The first non-finite value of a float tensor, or -1: NaN or ±Infinity in weights poison every output silently. */
function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

const FLOAT_DTYPES: ReadonlySet<Dtype> = new Set(["F32", "F16", "BF16", "F64"]);

/**
 * Parses a safetensors file; every inconsistency is a SafetensorsError naming the tensor and what was expected.
 * As the reference implementation requires, the tensors' byte ranges tile the data section exactly (no overlap,
 * no gap, nothing after the last one); beyond it, float weights must be finite (NaN/Infinity refused, naming
 * the tensor and the element). Everything is checked against the file's real size before any tensor is decoded.
 */
export function readSafetensors(bytes: Uint8Array): SafeTensors {
  if (bytes.byteLength < 8) throw new SafetensorsError(`not a safetensors file: ${bytes.byteLength} bytes, expected at least an 8-byte header size`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getBigUint64(0, true);
  if (headerSize > BigInt(Math.min(MAX_HEADER_BYTES, bytes.byteLength - 8))) {
    throw new SafetensorsError(`safetensors header declares ${headerSize} bytes but the file has ${bytes.byteLength - 8} after the size field (limit ${MAX_HEADER_BYTES})`);
  }
  const n = Number(headerSize);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    throw new SafetensorsError(`safetensors header is not valid UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) throw new SafetensorsError("safetensors header must be a JSON object");
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const entries: { name: string; dtype: Dtype; shape: number[]; count: number; begin: number; end: number }[] = [];
  const metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (!entry || typeof entry !== "object" || Array.isArray(entry)) throw new SafetensorsError(`safetensors __metadata__ must be an object of strings, got ${JSON.stringify(entry)}`);
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== "string") throw new SafetensorsError(`safetensors __metadata__ "${k}" must be a string, got ${typeof v}`);
        Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true }); // a "__proto__" key stays a plain entry
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e?.dtype !== "string" || !Object.hasOwn(DTYPES, e.dtype)) {
      throw new SafetensorsError(`tensor "${name}": dtype ${JSON.stringify(e?.dtype)} is not one of ${Object.keys(DTYPES).join(", ")}`);
    }
    const dtype = e.dtype as Dtype;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new SafetensorsError(`tensor "${name}": shape must be a list of non-negative integers, got ${JSON.stringify(e.shape)}`);
    }
    const shape = e.shape as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new SafetensorsError(`tensor "${name}": data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin || end > dataLength) {
      throw new SafetensorsError(`tensor "${name}": data_offsets [${begin}, ${end}] fall outside the ${dataLength} data bytes (truncated file?)`);
    }
    if (end - begin !== count * DTYPES[dtype]) {
      throw new SafetensorsError(`tensor "${name}": ${end - begin} bytes for shape [${shape.join(", ")}] of ${dtype}, expected ${count * DTYPES[dtype]}`);
    }
    entries.push({ name, dtype, shape, count, begin, end });
  }
  let covered = 0;
  let previous: string | null = null;
  for (const t of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (t.begin < covered) throw new SafetensorsError(`tensor "${t.name}": data_offsets [${t.begin}, ${t.end}] overlap tensor "${previous}", which ends at ${covered}`);
    if (t.begin > covered) throw new SafetensorsError(`tensor "${t.name}": data_offsets begin at ${t.begin}, leaving bytes ${covered}..${t.begin} that no tensor holds`);
    covered = t.end;
    previous = t.name;
  }
  if (covered !== dataLength) throw new SafetensorsError(`safetensors data section has ${dataLength} bytes but its tensors hold ${covered}: ${dataLength - covered} bytes after the last tensor`);
  const tensors = new Map<string, SafeTensor>();
  for (const t of entries) {
    const data = decode(t.dtype, bytes.subarray(dataStart + t.begin, dataStart + t.end), t.count);
    if (FLOAT_DTYPES.has(t.dtype)) {
      const at = firstNonFinite(data as Float32Array);
      if (at >= 0) throw new SafetensorsError(`tensor "${t.name}": element ${at} is ${data[at]}; weights must be finite numbers`);
    }
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data });
  }
  return { tensors, metadata };
}

/** Writes Float32 tensors (the only type the workbench exports) as a safetensors file. */
export function writeSafetensors(tensors: Map<string, { shape: number[]; data: Float32Array }>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = Object.keys(metadata).length ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new SafetensorsError(`tensor "${name}": shape [${t.shape.join(", ")}] holds ${count} values, data has ${t.data.length}`);
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((json.length + 8) % 8)) % 8); // pad so the data starts 8-byte aligned, as the reference writer does
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i]!, true);
    at += t.data.length * 4;
  }
  return out;
}

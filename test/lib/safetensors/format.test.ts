import { describe, expect, it } from "vitest";
import { MAX_HEADER_BYTES, readSafetensors, writeSafetensors } from "../../../src/lib/safetensors/index.js";

/** Assembles a safetensors file by hand from a header object and a data section. */
function assemble(header: unknown, data: Uint8Array, declaredSize?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredSize ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("readSafetensors()", () => {
  it("reads F32, F16 and BF16 tensors, widening to Float32", () => {
    const data = new Uint8Array(4 + 2 + 2);
    const v = new DataView(data.buffer);
    v.setFloat32(0, 1.5, true);
    v.setUint16(4, 0x3c00, true); // 1.0 in half precision
    v.setUint16(6, 0xc000, true); // -2.0 in bfloat16
    const file = assemble(
      {
        a: { dtype: "F32", shape: [1], data_offsets: [0, 4] },
        b: { dtype: "F16", shape: [1], data_offsets: [4, 6] },
        c: { dtype: "BF16", shape: [1], data_offsets: [6, 8] },
        __metadata__: { format: "pt" },
      },
      data,
    );
    const { tensors, metadata } = readSafetensors(file);
    expect(Array.from(tensors.get("a")!.data as Float32Array)).toEqual([1.5]);
    expect(Array.from(tensors.get("b")!.data as Float32Array)).toEqual([1]);
    expect(Array.from(tensors.get("c")!.data as Float32Array)).toEqual([-2]);
    expect(metadata).toEqual({ format: "pt" });
  });

  it("round-trips what writeSafetensors() writes", () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i / 7);
    const bytes = writeSafetensors(new Map([["w", { shape: [2, 3, 4], data }]]), { note: "x" });
    const back = readSafetensors(bytes).tensors.get("w")!;
    expect(back.shape).toEqual([2, 3, 4]);
    expect(Array.from(back.data as Float32Array)).toEqual(Array.from(data));
  });

  it("refuses a file shorter than the size field", () => {
    expect(() => readSafetensors(new Uint8Array(3))).toThrow(/at least an 8-byte header size/);
  });

  it("refuses a header size larger than the file (or the limit) without allocating it", () => {
    const file = assemble({}, new Uint8Array(0), 2n ** 60n);
    expect(() => readSafetensors(file)).toThrow(new RegExp(`declares ${2n ** 60n} bytes.*limit ${MAX_HEADER_BYTES}`));
  });

  it("refuses a header that is not JSON", () => {
    const file = new Uint8Array(8 + 3);
    new DataView(file.buffer).setBigUint64(0, 3n, true);
    file.set([0x7b, 0x7b, 0x7b], 8);
    expect(() => readSafetensors(file)).toThrow(/not valid UTF-8 JSON/);
  });

  it("refuses offsets beyond the data (a truncated file), naming the tensor", () => {
    const file = assemble({ w: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8));
    expect(() => readSafetensors(file)).toThrow(/tensor "w": data_offsets \[0, 16\] fall outside the 8 data bytes/);
  });

  it("refuses a byte count that does not match shape × dtype", () => {
    const file = assemble({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8));
    expect(() => readSafetensors(file)).toThrow(/8 bytes for shape \[3\] of F32, expected 12/);
  });

  it("refuses an unknown dtype, listing the valid ones", () => {
    const file = assemble({ w: { dtype: "Q4", shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1));
    expect(() => readSafetensors(file)).toThrow(/dtype "Q4" is not one of F32, F16, BF16/);
  });
});

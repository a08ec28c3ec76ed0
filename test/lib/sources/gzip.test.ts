import { constants, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Gunzip, HOLD_BYTES } from "../../../src/lib/sources/gzip.js";
import { utf8 } from "./helpers.js";

/** Decodes `input` pushed in chunks of `size`; returns the bytes and the break. */
function gunzip(input: Uint8Array, size: number) {
  const g = new Gunzip();
  const parts: Uint8Array[] = [];
  for (let i = 0; i < input.length; i += size) parts.push(...g.push(input.subarray(i, i + size)));
  parts.push(...g.push(new Uint8Array(0), true));
  return { bytes: Buffer.concat(parts), broken: g.broken, members: g.members };
}

/** A deterministic mix of text, runs and noise that exercises literals, short and long matches. */
function sample(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 5000 < 300 ? 10 : i % 997 < 500 ? 97 + ((i * 7) % 13) : x >>> 24;
  }
  return out;
}

describe("Gunzip", () => {
  it("decodes what zlib writes, byte for byte, at every level and strategy and whatever the chunk size", () => {
    const inputs = [new Uint8Array(0), utf8("a\tb\n"), sample(200_000), new Uint8Array(300_000).fill(10)];
    for (const input of inputs) {
      for (const level of [0, 1, 6, 9]) {
        for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE]) {
          const gz = gzipSync(input, { level, strategy });
          for (const size of [1 << 30, 4096, 13]) {
            if (size === 13 && gz.length > 20_000) continue;
            const got = gunzip(gz, size);
            expect(got.broken).toBeNull();
            expect(Buffer.compare(got.bytes, Buffer.from(input))).toBe(0);
          }
        }
      }
    }
  });

  it("reads concatenated members as one stream", () => {
    const got = gunzip(Buffer.concat([gzipSync(utf8("one\n")), gzipSync(utf8("two\n")), gzipSync(new Uint8Array(0))]), 5);
    expect(got).toMatchObject({ broken: null, members: 3 });
    expect(got.bytes.toString()).toBe("one\ntwo\n");
  });

  it("passes on every byte before a cut, whatever the cut, and says the member is cut off", () => {
    const text = sample(20_000);
    const gz = gzipSync(text);
    for (let cut = 1; cut < gz.length; cut += 23) {
      const got = gunzip(gz.subarray(0, cut), 512);
      expect(got.broken?.kind).toBe("truncated");
      expect(got.broken?.offset).toBeLessThanOrEqual(cut);
      expect(Buffer.compare(got.bytes, Buffer.from(text.subarray(0, got.bytes.length)))).toBe(0); // a prefix, never a wrong byte
    }
  });

  it("never passes on a byte of a damaged member: one flipped byte anywhere yields the original or a break", () => {
    const text = sample(3_000);
    const gz = gzipSync(text);
    for (let at = 0; at < gz.length; at++) {
      const bad = Buffer.from(gz);
      bad[at]! ^= 0x20;
      const got = gunzip(bad, 1000);
      if (got.broken === null) expect(Buffer.compare(got.bytes, Buffer.from(text))).toBe(0); // a header byte nobody checks (mtime, OS)
      else if (got.broken.kind === "corrupt") {
        expect(got.bytes.length).toBe(0);
        expect(got.broken.discardedBytes).toBeLessThanOrEqual(HOLD_BYTES);
      } else expect(Buffer.compare(got.bytes, Buffer.from(text.subarray(0, got.bytes.length)))).toBe(0);
    }
  });

  it("keeps every member before trailing garbage and names where it starts", () => {
    const gz = gzipSync(utf8("kept\n"));
    const got = gunzip(Buffer.concat([gz, Buffer.from("GARBAGE")]), 3);
    expect(got.bytes.toString()).toBe("kept\n");
    expect(got.broken).toMatchObject({ kind: "trailing", offset: gz.length, member: 1 });
  });

  it("keeps a gzip bomb's output to one slice at a time", () => {
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const g = new Gunzip();
    let largest = 0;
    for (let i = 0; i < bomb.length; i += 16 * 1024) {
      const out = g.push(bomb.subarray(i, i + 16 * 1024));
      largest = Math.max(largest, out.reduce((n, p) => n + p.byteLength, 0));
    }
    expect(largest).toBeLessThan(20 * 1024 * 1024); // 16 KiB of deflate inflates to ~16.5 MiB at most
  });
});

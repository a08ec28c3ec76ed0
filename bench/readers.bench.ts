// Readers on degenerate input (issue 20): every line still becomes a row or a counted error, at no
// less than 0.5 M lines/s. Inputs are generated in memory and gzip-compressed once in setup.
import { gzipSync } from "node:zlib";
import { readCc3mTsv } from "../src/lib/sources/index.js";
import { lcsLength, MAX_ROUGE_TOKENS, rougeLImage } from "../src/lib/metrics/index.js";
import type { Benchmark } from "./harness.js";

const MIB = 1024 * 1024;
const BLANK_MIB = 16;

/** Drains a TSV reader; returns rows + errors (every line is one of them). */
async function lines(input: Uint8Array, maxLineBytes?: number): Promise<number> {
  let n = 0;
  for await (const batch of readCc3mTsv(input, maxLineBytes ? { maxLineBytes } : {})) n += batch.rows.length + batch.errors.length;
  return n;
}

export const readersBlankLines: Benchmark = {
  name: "readers-blank-lines",
  unit: "lines",
  workload: `${BLANK_MIB} MiB of newlines, gzip, in memory → readCc3mTsv: ${(BLANK_MIB * MIB).toLocaleString("en-US")} field_count errors (the issue's 200 MiB run, scaled down)`,
  async setup() {
    const gz = gzipSync(new Uint8Array(BLANK_MIB * MIB).fill(10));
    return async () => {
      const n = await lines(gz);
      if (n !== BLANK_MIB * MIB) throw new Error(`expected ${BLANK_MIB * MIB} lines, got ${n}`);
      return n;
    };
  },
};

export const readersLongLines: Benchmark = {
  name: "readers-long-lines",
  unit: "MiB",
  workload: "64 MiB gzip TSV: 32 lines of 2 MiB (past the 1 MiB maxLineBytes: skipped, never decoded) between 100,000 short ones → readCc3mTsv (100,032 lines)",
  async setup() {
    const short = new TextEncoder().encode(Array.from({ length: 3125 }, (_, i) => `caption ${i}\thttp://example.com/${i}.jpg\n`).join(""));
    const long = new Uint8Array(2 * MIB).fill(0x61);
    long[long.length - 1] = 10;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 32; i++) parts.push(short, long);
    const gz = gzipSync(Buffer.concat(parts));
    return async () => {
      const n = await lines(gz);
      if (n !== 32 * 3126) throw new Error(`expected ${32 * 3126} lines, got ${n}`);
      return 64; // MiB decoded: what costs here is bytes, not lines
    };
  },
};

export const rougeLongCaptions: Benchmark = {
  name: "rouge-l-1mb-captions",
  unit: "pairs",
  workload: `ROUGE-L of a ~1 MB caption (200,000 tokens) against a ~1 MB reference, both cut to MAX_ROUGE_TOKENS = ${MAX_ROUGE_TOKENS} (uncapped: ~8 min, from a 50,000² LCS in 30 s)`,
  async setup() {
    const words = ["a", "dog", "runs", "on", "the", "beach", "with", "red", "ball", "man"];
    const long = (step: number) => Array.from({ length: 200_000 }, (_, i) => words[(i * step + (i >> 3)) % 10]!);
    const candidate = long(7);
    const reference = long(3);
    return () => {
      if (!(rougeLImage(candidate, [reference]) > 0) || lcsLength(["a"], ["a"]) !== 1) throw new Error("ROUGE-L scored 0");
      return 1;
    };
  },
};

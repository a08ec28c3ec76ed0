/**
 * Gzip decoding that knows where it broke. The platform decompressors (DecompressionStream, zlib
 * streams) throw away the output they hold when the input turns bad, and cannot say at which byte
 * or member it happened; so a gzip TSV with trailing garbage or one damaged member used to lose
 * every good row. This is a plain inflater (RFC 1951) inside the gzip framing (RFC 1952), member by
 * member (concatenated members, as `cat a.gz b.gz` and bgzip write them), that checks each member's
 * CRC-32 and length and, at the first problem, stops and reports a {@link GzipBreak}; nothing after
 * it is guessed at.
 *
 * What comes out is checked data: a member's output is held back until its CRC-32 and length match
 * (up to {@link HOLD_BYTES}; a larger member is passed on as it decodes, unverified). At a break:
 * - cut off (`truncated`): the member's output up to the cut is passed on (deflate decodes in order,
 *   so bytes before the cut are right), except what the last {@link CUT_GUARD} compressed bytes
 *   decoded to: a member whose end-of-block code is damaged also "runs past the end", reading its
 *   own CRC and length as data, and those bytes cannot be told from a real cut; they are discarded
 *   and counted like a damaged member's;
 * - damaged (`corrupt`): the member's held output is discarded, since it cannot be told where the
 *   damage begins; the break says how many bytes and newlines that was;
 * - trailing bytes after a complete member: every member before them is passed on.
 *
 * Memory is bounded: the input buffered is one 16 KiB slice plus a few hundred bytes, the output
 * window 32 KiB plus one 256 KiB output chunk, and one slice's output (~16 MiB at deflate's ceiling).
 */

/** Where and why a gzip stream stopped before its end. */
export interface GzipBreak {
  /** Offset, in compressed bytes from the start of the input, where decoding stopped. */
  offset: number;
  /** 1-based number of the member that broke (for trailing bytes: the member they follow). */
  member: number;
  /** Offset where that member began. */
  memberStart: number;
  /** Decoded bytes passed on before the break, over all members. */
  decodedBytes: number;
  /** Decoded bytes held back and discarded: a damaged member's, or what a cut-off member's last CUT_GUARD bytes decoded to. */
  discardedBytes: number;
  /** Newlines in the discarded bytes. */
  discardedNewlines: number;
  /** Bytes of the damaged member passed on unverified before the damage showed (a member larger than HOLD_BYTES). */
  unverifiedBytes: number;
  /** `truncated`: the input ends inside a member; `corrupt`: the deflate data, header, CRC or length is wrong; `trailing`: bytes after the last complete member that are not a gzip member. */
  kind: "truncated" | "corrupt" | "trailing";
  /** What was wrong, in words. */
  reason: string;
}

// RFC 1951 tables.
const LEN_BASE = new Uint16Array([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LEN_EXTRA = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE = new Uint16Array([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DIST_EXTRA = new Uint8Array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const REVERSE15 = (() => {
  const r = new Uint16Array(1 << 15);
  for (let i = 0; i < r.length; i++) {
    let x = i;
    let y = 0;
    for (let b = 0; b < 15; b++) {
      y = (y << 1) | (x & 1);
      x >>= 1;
    }
    r[i] = y;
  }
  return r;
})();

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(crc: number, bytes: Uint8Array, start: number, end: number): number {
  let c = ~crc;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A canonical Huffman code as a direct lookup table: entry = symbol << 4 | length (0: no such code). */
interface Huffman {
  table: Uint16Array;
  mask: number;
}

/** Builds the lookup table for code lengths, or returns why they do not form a code. */
function huffman(lengths: Uint8Array): Huffman | string {
  const count = new Uint16Array(16);
  let maxLen = 0;
  for (const len of lengths) {
    count[len]!++;
    if (len > maxLen) maxLen = len;
  }
  count[0] = 0;
  let left = 1;
  for (let len = 1; len <= 15; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) return "over-subscribed Huffman code lengths";
  }
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len <= 15; len++) {
    code = (code + count[len - 1]!) << 1;
    next[len] = code;
  }
  const bits = Math.max(maxLen, 1);
  const table = new Uint16Array(1 << bits);
  for (let sym = 0; sym < lengths.length; sym++) {
    const len = lengths[sym]!;
    if (!len) continue;
    const reversed = REVERSE15[next[len]!++]! >>> (15 - len);
    for (let i = reversed; i < table.length; i += 1 << len) table[i] = (sym << 4) | len;
  }
  return { table, mask: table.length - 1 };
}

const FIXED_LIT = huffman(new Uint8Array(288).map((_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8))) as Huffman;
const FIXED_DIST = huffman(new Uint8Array(30).fill(5)) as Huffman;

/** Bytes past the read position that guarantee one whole symbol (or a stored/fixed block header) can be decoded. */
const SYMBOL_SLACK = 16;
/** Compressed bytes before a cut whose output is discarded (a damaged member's trailer read as data is at most this far back). */
export const CUT_GUARD = SYMBOL_SLACK;
/** Bytes that guarantee a whole dynamic block header (at most 14 + 19·3 + 320·7 bits). */
const HEADER_SLACK = 320;
const WINDOW = 32 * 1024;
/** A member's output held back until its CRC-32 checks out, at most. */
export const HOLD_BYTES = 8 * 1024 * 1024;
/** Compressed bytes pushed at a time by {@link gunzipChunks}. */
const INFLATE_SLICE = 16 * 1024;
const OUT_CHUNK = 256 * 1024;

class Broken extends Error {
  constructor(readonly kind: GzipBreak["kind"], reason: string) {
    super(reason);
  }
}

type State = "member" | "block" | "stored" | "codes" | "trailer" | "done";

/**
 * Incremental gunzip: `push()` compressed chunks (the last with `final`), get decoded chunks back.
 * After a break, `broken` says where and why and further input is ignored.
 */
export class Gunzip {
  broken: GzipBreak | null = null;
  /** Members completely decoded and checked. */
  members = 0;
  private buf = new Uint8Array(0);
  private end = 0; // valid bytes in buf
  private pos = 0; // bit position in buf
  private base = 0; // input offset of buf[0]
  private final = false;
  private state: State = "member";
  private memberStart = 0;
  private lastBlock = false;
  private storedLeft = 0;
  private lit: Huffman = FIXED_LIT;
  private dist: Huffman = FIXED_DIST;
  private window = new Uint8Array(WINDOW + OUT_CHUNK + 258);
  private op = 0; // write position in window
  private emitFrom = 0; // first window byte not yet passed on
  private memberBytes = 0; // decoded bytes of the current member already passed on
  private crc = 0;
  private decoded = 0;
  private held: Uint8Array[] = []; // the current member's output, not yet verified
  private heldBytes = 0;
  private unverified = 0; // bytes of the current member passed on before its check
  private guard = -1; // member output when decoding entered the last CUT_GUARD bytes of the input, -1 before

  /** Feeds compressed bytes; returns the decoded bytes they complete (copies the caller may keep). */
  push(chunk: Uint8Array, final = false): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (this.broken) return out;
    this.append(chunk);
    this.final = final;
    try {
      this.run(out);
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
      this.flush(out);
      let discardedBytes = 0;
      let discardedNewlines = 0;
      // What is discarded: all the held output of a damaged member; of a cut-off one, what its last bytes decoded to.
      const keep = error.kind === "corrupt" ? 0 : error.kind === "truncated" && this.guard >= 0 ? Math.max(0, this.guard - (this.memberBytes - this.heldBytes)) : this.heldBytes;
      let kept = 0;
      const parts = this.held;
      this.held = [];
      this.heldBytes = 0;
      for (const part of parts) {
        const n = Math.min(part.byteLength, Math.max(0, keep - kept));
        if (n) this.held.push(part.subarray(0, n));
        this.heldBytes += n;
        kept += n;
        const dropped = part.subarray(n);
        discardedBytes += dropped.byteLength;
        for (let i = dropped.indexOf(10); i !== -1; i = dropped.indexOf(10, i + 1)) discardedNewlines++;
      }
      this.release(out);
      const offset = this.base + Math.min(this.pos >>> 3, this.end);
      this.broken = {
        offset, member: error.kind === "trailing" ? this.members : this.members + 1, memberStart: this.memberStart, decodedBytes: this.decoded,
        discardedBytes, discardedNewlines, unverifiedBytes: error.kind === "trailing" ? 0 : this.unverified, kind: error.kind, reason: error.message,
      };
    }
    return out;
  }

  private append(chunk: Uint8Array): void {
    const keep = this.pos >>> 3;
    const rest = this.end - keep;
    const buf = new Uint8Array(rest + chunk.byteLength + 4); // 4 zero bytes: reads may look past the end
    buf.set(this.buf.subarray(keep, this.end), 0);
    buf.set(chunk, rest);
    this.buf = buf;
    this.base += keep;
    this.pos -= keep * 8;
    this.end = rest + chunk.byteLength;
  }

  /** Whether `bytes` more input bytes are available past the read position. */
  private have(bytes: number): boolean {
    return this.end - (this.pos >>> 3) >= bytes;
  }

  private bits(n: number): number {
    const p = this.pos;
    const i = p >>> 3;
    const b = this.buf;
    const v = ((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> (p & 7)) & ((1 << n) - 1);
    this.pos = p + n;
    return v;
  }

  private checkInside(): void {
    if (this.pos > this.end * 8) throw new Broken("truncated", "the input ends inside a gzip member (cut off?)");
  }

  private decodeSymbol(h: Huffman): number {
    const p = this.pos;
    const i = p >>> 3;
    const b = this.buf;
    const entry = h.table[((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) >>> (p & 7)) & h.mask]!;
    if (!(entry & 15)) throw new Broken("corrupt", "invalid Huffman code in the deflate data");
    this.pos = p + (entry & 15);
    return entry >>> 4;
  }

  private run(out: Uint8Array[]): void {
    for (;;) {
      switch (this.state) {
        case "member":
          if (!this.readMemberHeader()) return;
          break;
        case "block":
          if (!this.have(HEADER_SLACK) && !this.final) return;
          this.readBlockHeader();
          break;
        case "stored":
          if (!this.copyStored(out)) return;
          break;
        case "codes":
          if (!this.inflateCodes(out)) return;
          break;
        case "trailer":
          if (!this.readTrailer(out)) return;
          break;
        case "done":
          return;
      }
    }
  }

  private readMemberHeader(): boolean {
    let i = this.pos >>> 3; // members start on a byte boundary
    const b = this.buf;
    this.memberStart = this.base + i;
    if (this.end - i === 0 && this.final) {
      if (this.members === 0) throw new Broken("truncated", "the input is empty");
      this.state = "done";
      return true;
    }
    if (this.end - i < 2 && !this.final) return false;
    if (this.end - i < 2 && b[i] === 0x1f) throw new Broken("truncated", "the input ends inside a gzip member header");
    if (this.end - i < 2 || b[i] !== 0x1f || b[i + 1] !== 0x8b) {
      if (this.members === 0) throw new Broken("corrupt", "not gzip (no 1f 8b magic)");
      throw new Broken("trailing", `the bytes after gzip member ${this.members} are not a gzip member (trailing garbage)`);
    }
    if (this.end - i < 10) {
      if (!this.final) return false;
      throw new Broken("truncated", "the input ends inside a gzip member header");
    }
    if (b[i + 2] !== 8) throw new Broken("corrupt", `gzip member uses compression method ${b[i + 2]}, not deflate (8)`);
    const flags = b[i + 3]!;
    if (flags & 0xe0) throw new Broken("corrupt", "gzip member header sets reserved flag bits");
    i += 10;
    const need = (n: number): boolean => {
      if (this.end - i >= n) return true;
      if (this.final) throw new Broken("truncated", "the input ends inside a gzip member header");
      return false;
    };
    if (flags & 4) {
      if (!need(2)) return false;
      const xlen = b[i]! | (b[i + 1]! << 8);
      if (!need(2 + xlen)) return false;
      i += 2 + xlen;
    }
    for (const flag of [8, 16]) {
      if (!(flags & flag)) continue;
      const zero = b.subarray(i, this.end).indexOf(0);
      if (zero === -1) {
        if (this.final) throw new Broken("truncated", "the input ends inside a gzip member header");
        return false;
      }
      i += zero + 1;
    }
    if (flags & 2) {
      if (!need(2)) return false;
      i += 2;
    }
    this.pos = i * 8;
    this.state = "block";
    this.lastBlock = false;
    this.crc = 0;
    this.memberBytes = 0;
    this.unverified = 0;
    this.guard = -1;
    this.op = 0;
    this.emitFrom = 0;
    return true;
  }

  private readBlockHeader(): void {
    this.lastBlock = this.bits(1) === 1;
    const type = this.bits(2);
    if (type === 0) {
      this.pos = (this.pos + 7) & ~7;
      const len = this.bits(16);
      const nlen = this.bits(16);
      this.checkInside();
      if ((len ^ 0xffff) !== nlen) throw new Broken("corrupt", "stored block length does not match its complement");
      this.storedLeft = len;
      this.state = "stored";
    } else if (type === 1) {
      this.lit = FIXED_LIT;
      this.dist = FIXED_DIST;
      this.state = "codes";
    } else if (type === 2) {
      this.readDynamicTables();
      this.checkInside();
      this.state = "codes";
    } else throw new Broken("corrupt", "invalid deflate block type 3");
    this.checkInside();
  }

  private readDynamicTables(): void {
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    if (hlit > 286 || hdist > 30) throw new Broken("corrupt", "too many literal/length or distance codes");
    const codeLengths = new Uint8Array(19);
    for (let k = 0; k < hclen; k++) codeLengths[CODE_LENGTH_ORDER[k]!] = this.bits(3);
    const clCode = huffman(codeLengths);
    if (typeof clCode === "string") throw new Broken("corrupt", clCode);
    const lengths = new Uint8Array(hlit + hdist);
    for (let k = 0; k < lengths.length; ) {
      const sym = this.decodeSymbol(clCode);
      if (sym < 16) lengths[k++] = sym;
      else {
        let repeat: number;
        let value = 0;
        if (sym === 16) {
          if (k === 0) throw new Broken("corrupt", "repeat of a code length with none before it");
          value = lengths[k - 1]!;
          repeat = 3 + this.bits(2);
        } else if (sym === 17) repeat = 3 + this.bits(3);
        else repeat = 11 + this.bits(7);
        if (k + repeat > lengths.length) throw new Broken("corrupt", "code lengths run past their count");
        lengths.fill(value, k, k + repeat);
        k += repeat;
      }
      this.checkInside();
    }
    if (lengths[256] === 0) throw new Broken("corrupt", "no end-of-block code");
    const lit = huffman(lengths.subarray(0, hlit));
    const dist = huffman(lengths.subarray(hlit));
    if (typeof lit === "string") throw new Broken("corrupt", lit);
    if (typeof dist === "string") throw new Broken("corrupt", dist);
    this.lit = lit;
    this.dist = dist;
  }

  private copyStored(out: Uint8Array[]): boolean {
    while (this.storedLeft > 0) {
      const available = this.end - (this.pos >>> 3);
      if (available === 0) {
        if (this.final) throw new Broken("truncated", "the input ends inside a stored block (cut off?)");
        return false;
      }
      if (this.op >= this.window.length - 258) this.slide(out);
      const n = Math.min(this.storedLeft, available, this.window.length - 258 - this.op);
      const from = this.pos >>> 3;
      this.window.set(this.buf.subarray(from, from + n), this.op);
      this.op += n;
      this.pos += n * 8;
      this.storedLeft -= n;
    }
    this.state = this.lastBlock ? "trailer" : "block";
    return true;
  }

  private inflateCodes(out: Uint8Array[]): boolean {
    const { table: litTable, mask: litMask } = this.lit;
    const { table: distTable, mask: distMask } = this.dist;
    const b = this.buf;
    const w = this.window;
    const limit = w.length - 258;
    const safeEnd = (this.end - SYMBOL_SLACK) * 8; // below this bit position a whole symbol is in the buffer
    const endBits = this.end * 8;
    let p = this.pos;
    let op = this.op;
    const cutOff = (): never => {
      this.pos = endBits;
      this.op = op; // the symbol read past the end is not written
      throw new Broken("truncated", "the input ends inside a gzip member (cut off?)");
    };
    for (;;) {
      const tail = p > safeEnd; // near the end of the buffer: check every symbol against it
      if (tail && !this.final) break;
      if (tail && this.guard < 0) this.guard = this.memberBytes + (op - this.emitFrom);
      if (op >= limit) {
        this.pos = p;
        this.op = op;
        this.slide(out);
        op = this.op;
      }
      let i = p >>> 3;
      let entry = litTable[((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) >>> (p & 7)) & litMask]!;
      if (!(entry & 15)) {
        this.pos = p;
        this.op = op;
        throw new Broken("corrupt", "invalid literal/length code in the deflate data");
      }
      p += entry & 15;
      const sym = entry >>> 4;
      if (sym < 256) {
        if (tail && p > endBits) cutOff();
        w[op++] = sym;
        continue;
      }
      if (sym === 256) {
        this.pos = p;
        this.op = op;
        this.checkInside();
        this.state = this.lastBlock ? "trailer" : "block";
        return true;
      }
      const lsym = sym - 257;
      if (lsym >= 29) {
        this.pos = p;
        this.op = op;
        throw new Broken("corrupt", "invalid length symbol in the deflate data");
      }
      i = p >>> 3;
      let extra = LEN_EXTRA[lsym]!;
      const length = LEN_BASE[lsym]! + (((b[i]! | (b[i + 1]! << 8)) >>> (p & 7)) & ((1 << extra) - 1));
      p += extra;
      i = p >>> 3;
      entry = distTable[((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) >>> (p & 7)) & distMask]!;
      const dsym = entry >>> 4;
      if (!(entry & 15) || dsym >= 30) {
        this.pos = p;
        this.op = op;
        throw new Broken("corrupt", "invalid distance code in the deflate data");
      }
      p += entry & 15;
      i = p >>> 3;
      extra = DIST_EXTRA[dsym]!;
      const distance = DIST_BASE[dsym]! + (((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) >>> (p & 7)) & ((1 << extra) - 1));
      p += extra;
      if (tail && p > endBits) cutOff();
      if (distance > op - this.emitFrom + this.memberBytes || distance > op) {
        this.pos = p;
        this.op = op;
        throw new Broken("corrupt", "distance too far back in the deflate data");
      }
      if (length < 32) {
        for (let from = op - distance, k = 0; k < length; k++) w[op++] = w[from++]!;
      } else {
        // An overlapping copy repeats the last `distance` bytes: copy in runs that double each time.
        for (let left = length, run = distance; left > 0; ) {
          const n = Math.min(run, left);
          w.copyWithin(op, op - run, op - run + n);
          op += n;
          left -= n;
          run += n;
        }
      }
    }
    this.pos = p;
    this.op = op;
    return false;
  }

  /** Moves the decoded bytes out of the window: held back while the member is small enough, else passed on. */
  private flush(out: Uint8Array[]): void {
    if (this.op > this.emitFrom) {
      const bytes = this.window.slice(this.emitFrom, this.op);
      this.crc = crc32(this.crc, bytes, 0, bytes.byteLength);
      this.memberBytes += bytes.byteLength;
      this.emitFrom = this.op;
      this.held.push(bytes);
      this.heldBytes += bytes.byteLength;
      if (this.heldBytes > HOLD_BYTES) {
        this.unverified += this.heldBytes;
        this.release(out);
      }
    }
  }

  /** Passes on the held bytes. */
  private release(out: Uint8Array[]): void {
    for (const part of this.held) out.push(part);
    this.decoded += this.heldBytes;
    this.held = [];
    this.heldBytes = 0;
  }

  /** Flushes, then keeps only the last 32 KiB (what back-references can reach). */
  private slide(out: Uint8Array[]): void {
    this.flush(out);
    if (this.op > WINDOW) {
      this.window.copyWithin(0, this.op - WINDOW, this.op);
      this.op = WINDOW;
      this.emitFrom = WINDOW;
    }
  }

  private readTrailer(out: Uint8Array[]): boolean {
    this.pos = (this.pos + 7) & ~7;
    if (!this.have(8)) {
      if (!this.final) return false;
      this.flush(out);
      throw new Broken("truncated", "the input ends before the gzip member's CRC and length (cut off?)");
    }
    this.flush(out);
    const crc = this.bits(16) | (this.bits(16) << 16);
    const size = this.bits(16) | (this.bits(16) << 16);
    if (crc >>> 0 !== this.crc) throw new Broken("corrupt", "the gzip member's CRC-32 does not match its content (damaged data)");
    if (size >>> 0 !== this.memberBytes % 2 ** 32) throw new Broken("corrupt", "the gzip member's length does not match its content");
    this.release(out);
    this.members++;
    this.state = "member";
    return true;
  }
}

/**
 * Decodes a gzip byte stream chunk by chunk. At a break it stops reading and calls `onBreak`
 * with where and why; every byte decoded before the break has been yielded.
 */
export async function* gunzipChunks(chunks: AsyncIterable<Uint8Array>, onBreak: (b: GzipBreak) => void): AsyncGenerator<Uint8Array> {
  const gunzip = new Gunzip();
  read: for await (const chunk of chunks) {
    // Small slices: one slice inflates to at most ~1032x its size, so a gzip bomb stays ~16 MiB ahead of the reader.
    for (let at = 0; at < chunk.byteLength; at += INFLATE_SLICE) {
      yield* gunzip.push(chunk.subarray(at, at + INFLATE_SLICE));
      if (gunzip.broken) break read; // leaving the loop closes the input
    }
  }
  if (!gunzip.broken) yield* gunzip.push(new Uint8Array(0), true);
  if (gunzip.broken) onBreak(gunzip.broken);
}

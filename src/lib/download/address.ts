/**
 * Which IP addresses the downloader may connect to. A dataset is untrusted input: without this, a
 * URL list could make the downloader probe the local network or a cloud metadata endpoint
 * (169.254.169.254). Everything that is not globally routable unicast is refused unless the user
 * passes `allowPrivate`. IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are judged by
 * the embedded address.
 */

/** What kind of address an IP is. Only "public" is reachable by default. */
export type AddressClass =
  | "public"
  /** RFC 1918 (10/8, 172.16/12, 192.168/16), IPv6 unique-local fc00::/7 and site-local fec0::/10. */
  | "private"
  /** 127/8, ::1. */
  | "loopback"
  /** 169.254/16 (including cloud metadata endpoints), fe80::/10. */
  | "link_local"
  /** 100.64/10, carrier-grade NAT. */
  | "shared"
  /** 0/8, ::. */
  | "unspecified"
  /** 224/4, ff00::/8. */
  | "multicast"
  /** Documentation, benchmarking, protocol-assignment and future-use ranges; anything unparsable. */
  | "reserved";

type V4Rule = [prefix: number, bits: number, cls: AddressClass];

const V4_RULES: V4Rule[] = [
  [0x00000000, 8, "unspecified"],
  [0x0a000000, 8, "private"],
  [0x64400000, 10, "shared"],
  [0x7f000000, 8, "loopback"],
  [0xa9fe0000, 16, "link_local"],
  [0xac100000, 12, "private"],
  [0xc0000000, 24, "reserved"], // IETF protocol assignments
  [0xc0000200, 24, "reserved"], // TEST-NET-1
  [0xc0a80000, 16, "private"],
  [0xc6120000, 15, "reserved"], // benchmarking
  [0xc6336400, 24, "reserved"], // TEST-NET-2
  [0xcb007100, 24, "reserved"], // TEST-NET-3
  [0xe0000000, 4, "multicast"],
  [0xf0000000, 4, "reserved"], // future use and broadcast
];

function parseV4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

function classifyV4(value: number): AddressClass {
  for (const [prefix, bits, cls] of V4_RULES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((value & mask) >>> 0) === prefix) return cls;
  }
  return "public";
}

/** Parses an IPv6 address (with optional zone and embedded dotted quad) into 8 hextets, or null. */
function parseV6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [v4 >>> 16, v4 & 0xffff];
    s = `${s.slice(0, lastColon + 1)}0:0`; // two placeholder hextets, replaced by the IPv4 value below
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((h) => (/^[0-9a-f]{1,4}$/i.test(h) ? parseInt(h, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...head, ...rest].some(Number.isNaN)) return null;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else groups = head;
  if (groups.length !== 8) return null;
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups;
}

function classifyV6(g: number[]): AddressClass {
  const v4 = (hi: number, lo: number) => classifyV4(((hi << 16) >>> 0) + lo);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (g.every((x) => x === 0)) return "unspecified";
  if (zeros(7) && g[7] === 1) return "loopback";
  if (zeros(5) && g[5] === 0xffff) return v4(g[6]!, g[7]!); // ::ffff:a.b.c.d (IPv4-mapped)
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0) return v4(g[6]!, g[7]!); // NAT64
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!); // 6to4
  if (zeros(6)) return "reserved"; // deprecated IPv4-compatible ::a.b.c.d
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return "private";
  if ((first & 0xffc0) === 0xfe80) return "link_local";
  if ((first & 0xffc0) === 0xfec0) return "private";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if (first === 0x2001 && g[1] === 0x0db8) return "reserved"; // documentation
  if (first === 0x0100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return "reserved"; // discard-only
  if ((first & 0xe000) !== 0x2000) return "reserved"; // outside global unicast 2000::/3
  return "public";
}

/** Classifies an IPv4 or IPv6 address string; anything unparsable is "reserved" (and so refused). */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseV4(address);
  if (v4 !== null) return classifyV4(v4);
  const v6 = parseV6(address);
  return v6 ? classifyV6(v6) : "reserved";
}

/** Whether a string is an IP literal (v4 or v6, brackets allowed) rather than a host name. */
export function isIpLiteral(host: string): boolean {
  return parseV4(host) !== null || (host.includes(":") && parseV6(host) !== null);
}

export interface AddressPolicy {
  /** Allow every address class (private, loopback, link-local, ...). Default false. */
  allowPrivate?: boolean;
  /** Individual addresses allowed despite their class (e.g. a local mirror). */
  allowAddresses?: readonly string[];
}

/** Why an address is refused, or null when it may be used. */
export function refuseAddress(address: string, policy: AddressPolicy): string | null {
  if (policy.allowPrivate) return null;
  const bare = address.replace(/^\[|\]$/g, "");
  if (policy.allowAddresses?.includes(bare)) return null;
  const cls = classifyAddress(bare);
  return cls === "public" ? null : `${bare} is a ${cls.replace("_", "-")} address (pass allowPrivate / --allow-private to permit)`;
}

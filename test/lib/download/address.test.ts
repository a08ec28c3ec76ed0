import { describe, expect, it } from "vitest";
import { classifyAddress, isOptedOut, refuseAddress } from "../../../src/lib/download/index.js";

describe("classifyAddress()", () => {
  it.each([
    ["8.8.8.8", "public"], ["172.32.0.1", "public"], ["2606:4700:4700::1111", "public"], ["::ffff:8.8.8.8", "public"],
    ["127.0.0.1", "loopback"], ["127.255.0.9", "loopback"], ["::1", "loopback"], ["[::1]", "loopback"], ["::ffff:127.0.0.1", "loopback"], ["::ffff:7f00:1", "loopback"],
    ["10.0.0.1", "private"], ["172.16.5.4", "private"], ["172.31.255.255", "private"], ["192.168.0.10", "private"], ["fd00::1", "private"], ["64:ff9b::10.0.0.1", "private"],
    ["169.254.169.254", "link_local"], ["fe80::1%eth0", "link_local"],
    ["100.64.0.1", "shared"], ["0.0.0.0", "unspecified"], ["::", "unspecified"],
    ["224.0.0.251", "multicast"], ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"], ["192.0.2.1", "reserved"], ["2001:db8::1", "reserved"], ["2002:a00:1::", "private"],
    ["999.1.1.1", "reserved"], ["not-an-ip", "reserved"],
  ])("%s is %s", (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe("refuseAddress()", () => {
  it("refuses every non-public address unless allowed, and explains how to allow it", () => {
    expect(refuseAddress("127.0.0.1", {})).toMatch(/127\.0\.0\.1 is a loopback address \(pass allowPrivate \/ --allow-private to permit\)/);
    expect(refuseAddress("93.184.216.34", {})).toBeNull();
    expect(refuseAddress("10.1.2.3", { allowPrivate: true })).toBeNull();
    expect(refuseAddress("127.0.0.1", { allowAddresses: ["127.0.0.1"] })).toBeNull();
    expect(refuseAddress("127.0.0.2", { allowAddresses: ["127.0.0.1"] })).not.toBeNull();
  });
});

describe("isOptedOut()", () => {
  it("honours noai and noimageai, unscoped or addressed to ccw, case-insensitively", () => {
    expect(isOptedOut(["noai"])).toBe("X-Robots-Tag: noai");
    expect(isOptedOut(["noindex, NoImageAI"])).not.toBeNull();
    expect(isOptedOut(["ccw: noai"])).not.toBeNull();
    expect(isOptedOut(["*: noimageai"])).not.toBeNull();
    expect(isOptedOut(["noindex", "noai"])).not.toBeNull();
  });

  it("ignores directives addressed to other crawlers and unrelated directives", () => {
    expect(isOptedOut(["otherbot: noai"])).toBeNull();
    expect(isOptedOut(["noindex, nofollow", "unavailable_after: 25 Jun 2030 15:00:00 PST"])).toBeNull();
    expect(isOptedOut([])).toBeNull();
  });
});

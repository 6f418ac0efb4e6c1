// Address-range arithmetic used by the peer checks.

import { describe, expect, it } from "vitest";
import { cidrRange, compareCidrs, isCatchAll, rangeCovered, sortCidrs, survivingFamilies } from "../../src/semantic/cidr-set.js";
import type { Cidr } from "../../src/semantic/model.js";

const c = (text: string): Cidr => ({ text, family: text.includes(":") ? 6 : 4 });

describe("cidr ranges", () => {
  it("computes inclusive ranges", () => {
    expect(cidrRange(c("10.0.0.0/8"))).toEqual({ family: 4, lo: 0x0a000000n, hi: 0x0affffffn });
    expect(cidrRange(c("10.96.0.1/32"))).toEqual({ family: 4, lo: 0x0a600001n, hi: 0x0a600001n });
    const v6 = cidrRange(c("fd00::/8"));
    expect(v6.lo).toBe(0xfdn << 120n);
    expect(v6.hi).toBe((0xfen << 120n) - 1n);
    expect(cidrRange(c("::/0"))).toEqual({ family: 6, lo: 0n, hi: (1n << 128n) - 1n });
  });
  it("recognises catch-alls", () => {
    expect(isCatchAll(c("0.0.0.0/0"))).toBe(true);
    expect(isCatchAll(c("::/0"))).toBe(true);
    expect(isCatchAll(c("0.0.0.0/1"))).toBe(false);
  });
  it("sorts v4 before v6, then by address and prefix, without duplicates", () => {
    const sorted = sortCidrs([c("fd00::/8"), c("192.168.0.0/16"), c("10.0.0.0/16"), c("10.0.0.0/8"), c("10.0.0.0/8")]);
    expect(sorted.map((x) => x.text)).toEqual(["10.0.0.0/8", "10.0.0.0/16", "192.168.0.0/16", "fd00::/8"]);
    expect(compareCidrs(c("9.0.0.0/8"), c("10.0.0.0/8"))).toBeLessThan(0);
  });
  it("decides coverage by a union of ranges, adjacent ranges included", () => {
    const r = cidrRange(c("10.0.0.0/8"));
    expect(rangeCovered(r, [cidrRange(c("10.0.0.0/9")), cidrRange(c("10.128.0.0/9"))])).toBe(true);
    expect(rangeCovered(r, [cidrRange(c("10.0.0.0/9"))])).toBe(false);
    expect(rangeCovered(r, [cidrRange(c("0.0.0.0/0"))])).toBe(true);
    expect(rangeCovered(r, [cidrRange(c("::/0"))])).toBe(false);
    expect(rangeCovered(r, [cidrRange(c("10.0.0.0/10")), cidrRange(c("10.128.0.0/9"))])).toBe(false);
  });
  it("reports the families an except list leaves", () => {
    expect([...survivingFamilies([c("10.0.0.0/8"), c("fd00::/8")], [c("10.0.0.0/8")])]).toEqual([6]);
    expect([...survivingFamilies([c("10.1.0.0/16")], [c("10.0.0.0/8")])]).toEqual([]);
    expect([...survivingFamilies([c("10.1.0.0/16")], [])]).toEqual([4]);
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DomainBuilder, decBig, decNumber, incBig, incNumber } from "../../../src/analysis/sets/domain.js";

describe("segment domains", () => {
  it("splits the line at every interval end", () => {
    const b = new DomainBuilder(0, 65535, incNumber);
    b.add(80, 80);
    b.add(8000, 8080);
    b.add(0, 65535);
    const d = b.freeze();
    expect(d.starts).toEqual([0, 80, 81, 8000, 8081]);
    expect(d.rangeOf(80, 80)).toEqual([1, 2]);
    expect(d.rangeOf(8000, 8080)).toEqual([3, 4]);
    expect(d.rangeOf(0, 65535)).toEqual([0, 5]);
    expect(d.last(4, decNumber)).toBe(65535);
    expect(d.last(2, decNumber)).toBe(7999);
  });

  it("works over bigint lines (IPv4 + IPv6 address space)", () => {
    const max = (1n << 32n) + (1n << 128n) - 1n;
    const b = new DomainBuilder(0n, max, incBig);
    b.add(0x0a000000n, 0x0affffffn);
    b.add(1n << 32n, max);
    const d = b.freeze();
    expect(d.size).toBe(4);
    expect(d.rangeOf(0x0a000000n, 0x0affffffn)).toEqual([1, 2]);
    expect(d.last(2, decBig)).toBe((1n << 32n) - 1n);
  });

  it("maps every added interval to exactly its values (brute force)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 6 }),
        (ivs) => {
          const b = new DomainBuilder(0, 40, incNumber);
          for (const [x, y] of ivs) b.add(Math.min(x, y), Math.max(x, y));
          const d = b.freeze();
          for (const [x, y] of ivs) {
            const lo = Math.min(x, y);
            const hi = Math.max(x, y);
            const [a, z] = d.rangeOf(lo, hi);
            for (let v = 0; v <= 40; v++) {
              const s = d.segmentOf(v);
              expect(s >= a && s < z).toBe(v >= lo && v <= hi);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

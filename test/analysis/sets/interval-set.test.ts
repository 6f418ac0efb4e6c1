import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  cardinality,
  complement,
  containsSet,
  equalSets,
  fromRanges,
  has,
  intersect,
  subtract,
  union,
  type IntervalSet,
} from "../../../src/analysis/sets/interval-set.js";

const N = 24;
const arbRanges = fc.array(fc.tuple(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N })), { maxLength: 5 });
const toSet = (rs: [number, number][]): IntervalSet => fromRanges(rs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const));
const members = (s: IntervalSet): boolean[] => Array.from({ length: N }, (_, x) => has(s, x));

function normalised(s: IntervalSet): boolean {
  for (let i = 0; i < s.length; i += 2) {
    if (!(s[i]! < s[i + 1]!)) return false;
    if (i > 0 && !(s[i - 1]! < s[i]!)) return false; // disjoint and not adjacent
  }
  return true;
}

describe("interval sets", () => {
  it("normalises ranges", () => {
    expect(
      fromRanges([
        [5, 7],
        [0, 2],
        [2, 3],
        [6, 9],
        [4, 4],
      ]),
    ).toEqual([0, 3, 5, 9]);
  });

  it("agrees with brute force on every operation", () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (ra, rb) => {
        const a = toSet(ra);
        const b = toSet(rb);
        const ma = members(a);
        const mb = members(b);
        const check = (s: IntervalSet, f: (x: boolean, y: boolean) => boolean) => {
          expect(normalised(s)).toBe(true);
          expect(members(s)).toEqual(ma.map((x, i) => f(x, mb[i]!)));
        };
        check(union(a, b), (x, y) => x || y);
        check(intersect(a, b), (x, y) => x && y);
        check(subtract(a, b), (x, y) => x && !y);
        check(complement(a, N), (x) => !x);
        expect(containsSet(a, b)).toBe(mb.every((y, i) => !y || ma[i]));
        expect(equalSets(a, b)).toBe(ma.every((x, i) => x === mb[i]));
        expect(cardinality(a)).toBe(ma.filter(Boolean).length);
      }),
      { numRuns: 500 },
    );
  });
});

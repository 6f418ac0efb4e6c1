// The interval decision diagram against brute force: every operation, every point of small domains.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BudgetExceeded, FALSE, Idd, TRUE, type SetId } from "../../../src/analysis/sets/idd.js";
import { fromRanges, has, type IntervalSet } from "../../../src/analysis/sets/interval-set.js";

type Expr =
  | { k: "box"; sets: (readonly [number, number][] | null)[] }
  | { k: "and" | "or" | "diff" | "xor"; a: Expr; b: Expr }
  | { k: "not"; a: Expr };

function points(sizes: number[]): number[][] {
  let pts: number[][] = [[]];
  for (const s of sizes) pts = pts.flatMap((p) => Array.from({ length: s }, (_, x) => [...p, x]));
  return pts;
}

function arbWorld() {
  return fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((sizes) => {
    const arbSet = (s: number) =>
      fc.option(fc.array(fc.tuple(fc.integer({ min: 0, max: s }), fc.integer({ min: 0, max: s })), { maxLength: 2 }), { nil: null });
    const arbBox = fc.tuple(...sizes.map(arbSet)).map((sets) => ({ k: "box" as const, sets }));
    const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
      expr: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        arbBox,
        fc.record({ k: fc.constantFrom("and" as const, "or" as const, "diff" as const, "xor" as const), a: tie("expr"), b: tie("expr") }),
        fc.record({ k: fc.constant("not" as const), a: tie("expr") }),
      ) as fc.Arbitrary<Expr>,
    }));
    return fc.tuple(fc.constant(sizes), fc.array(expr, { minLength: 1, maxLength: 4 }));
  });
}

const setOf = (rs: readonly [number, number][]): IntervalSet => fromRanges(rs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const));

function build(m: Idd, e: Expr): SetId {
  switch (e.k) {
    case "box":
      return m.box(e.sets.map((s) => (s === null ? undefined : setOf(s))));
    case "not":
      return m.not(build(m, e.a));
    default: {
      const a = build(m, e.a);
      const b = build(m, e.b);
      return e.k === "and" ? m.and(a, b) : e.k === "or" ? m.or(a, b) : e.k === "diff" ? m.diff(a, b) : m.xor(a, b);
    }
  }
}

function brute(e: Expr, p: number[]): boolean {
  switch (e.k) {
    case "box":
      return e.sets.every((s, d) => s === null || has(setOf(s), p[d]!));
    case "not":
      return !brute(e.a, p);
    case "and":
      return brute(e.a, p) && brute(e.b, p);
    case "or":
      return brute(e.a, p) || brute(e.b, p);
    case "diff":
      return brute(e.a, p) && !brute(e.b, p);
    case "xor":
      return brute(e.a, p) !== brute(e.b, p);
  }
}

describe("interval decision diagrams", () => {
  it("agree with brute force membership, are canonical, and answer queries correctly", () => {
    fc.assert(
      fc.property(arbWorld(), ([sizes, exprs]) => {
        const m = new Idd(sizes);
        const pts = points(sizes);
        const ids = exprs.map((e) => build(m, e));
        const truth = exprs.map((e) => pts.map((p) => brute(e, p)));
        ids.forEach((id, i) => {
          // membership of every point
          expect(pts.map((p) => m.member(id, p))).toEqual(truth[i]);
          // emptiness, witness, volume
          const count = truth[i]!.filter(Boolean).length;
          expect(m.isEmpty(id)).toBe(count === 0);
          expect(id === TRUE).toBe(count === pts.length);
          expect(m.volume(id)).toBe(count);
          const w = m.witness(id);
          if (count === 0) expect(w).toBeUndefined();
          else expect(m.member(id, w!)).toBe(true);
          // the cube listing covers exactly the set
          const { boxes, truncated } = m.cubes(id, 10_000);
          expect(truncated).toBe(false);
          const inCubes = pts.map((p) => boxes.some((b) => b.every((s, d) => s === undefined || has(s, p[d]!))));
          expect(inCubes).toEqual(truth[i]);
          // projections
          for (let d = 0; d < sizes.length; d++) {
            const proj = m.project(id, d);
            for (let x = 0; x < sizes[d]!; x++) expect(has(proj, x)).toBe(pts.some((p, k) => truth[i]![k] && p[d] === x));
          }
        });
        // canonicity: equal sets are the same node; subset agrees with brute force
        for (let i = 0; i < ids.length; i++) {
          for (let j = 0; j < ids.length; j++) {
            const same = truth[i]!.every((x, k) => x === truth[j]![k]);
            expect(ids[i] === ids[j]).toBe(same);
            expect(m.subset(ids[i]!, ids[j]!)).toBe(truth[i]!.every((x, k) => !x || truth[j]![k]));
            expect(m.intersects(ids[i]!, ids[j]!)).toBe(truth[i]!.some((x, k) => x && truth[j]![k]));
            expect(m.split(ids[i]!, ids[j]!)).toEqual([m.and(ids[i]!, ids[j]!), m.diff(ids[i]!, ids[j]!)]);
          }
        }
        // the same set built point by point is the same node
        ids.forEach((id, i) => {
          let acc = FALSE;
          pts.forEach((p, k) => {
            if (truth[i]![k]) acc = m.or(acc, m.box(p.map((x) => [x, x + 1])));
          });
          expect(acc).toBe(id);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("gives the same sets (the same ids) with a preallocated heap and unique table", () => {
    fc.assert(
      fc.property(arbWorld(), fc.integer({ min: 1, max: 1 << 20 }), ([sizes, exprs], hint) => {
        const plain = new Idd(sizes);
        const sized = new Idd(sizes, { heap: hint, unique: hint >> 4 });
        for (const e of exprs) {
          const a = build(plain, e);
          const b = build(sized, e);
          expect(b).toBe(a);
          for (const p of points(sizes)) expect(sized.member(b, p)).toBe(brute(e, p));
        }
        expect(sized.nodeCount).toBe(plain.nodeCount);
      }),
      { numRuns: 100 },
    );
  });

  it("stops at the work budget and stays usable", () => {
    const m = new Idd([64, 64, 64]);
    let acc = FALSE;
    m.stepLimit = m.steps + 20;
    expect(() => {
      for (let i = 0; i < 64; i++)
        acc = m.or(
          acc,
          m.box([
            [i, i + 1],
            [(i * 7) % 64, ((i * 7) % 64) + 1],
            [(i * 13) % 64, 64],
          ]),
        );
    }).toThrow(BudgetExceeded);
    m.stepLimit = Number.POSITIVE_INFINITY;
    const a = m.box([[0, 10], undefined, undefined]);
    expect(m.member(a, [3, 5, 5])).toBe(true);
    expect(m.member(a, [30, 5, 5])).toBe(false);
  });

  it("skips unconstrained dimensions and merges equal edges", () => {
    const m = new Idd([10, 10]);
    const a = m.box([[0, 5], undefined]);
    const b = m.box([[5, 10], undefined]);
    expect(m.or(a, b)).toBe(TRUE);
    expect(m.dimOf(a)).toBe(0);
    expect(m.edges(a)).toEqual([
      [0, 5, TRUE],
      [5, 10, FALSE],
    ]);
    const c = m.box([undefined, [2, 3]]);
    expect(m.dimOf(c)).toBe(1);
  });
  it("projects (exists) and renames dimensions exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 6,
        }),
        (pts) => {
          // dims: [x (4), y (4), z (4), x' (4)]; sets over x,y,z; rename x -> x' is not monotone, so
          // instead rename over sets using only y,z -> x,y (strictly increasing, same sizes).
          const m = new Idd([4, 4, 4, 4]);
          let s = FALSE;
          for (const [x, y, z] of pts) s = m.or(s, m.box([[x, x + 1], [y, y + 1], [z, z + 1], undefined]));
          const ex = m.exists(s, (d) => d === 1, "y");
          for (let x = 0; x < 4; x++)
            for (let z = 0; z < 4; z++) expect(m.member(ex, [x, 0, z, 0])).toBe(pts.some((p) => p[0] === x && p[2] === z));
          const yz = m.exists(s, (d) => d === 0, "x");
          const moved = m.rename(yz, [0, 0, 1, 3]); // y -> dim 0, z -> dim 1
          for (let y = 0; y < 4; y++)
            for (let z = 0; z < 4; z++) expect(m.member(moved, [y, z, 0, 0])).toBe(pts.some((p) => p[1] === y && p[2] === z));
          expect(m.rename(moved, [1, 2, 2, 3])).toBe(yz);
        },
      ),
      { numRuns: 200 },
    );
  });
  it("weighted volume sums the weights of every point", () => {
    fc.assert(
      fc.property(arbWorld(), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 16, maxLength: 16 }), ([sizes, exprs], ws) => {
        const m = new Idd(sizes);
        const weights = sizes.map((n, d) => Array.from({ length: n }, (_, i) => ws[(d * 4 + i) % ws.length]!));
        for (const e of exprs) {
          const id = build(m, e);
          const expected = points(sizes)
            .filter((p) => brute(e, p))
            .reduce((acc, p) => acc + p.reduce((w, x, d) => w * weights[d]![x]!, 1), 0);
          expect(m.weightedVolume(id, weights)).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

// Subject classes (shadow-analysis.md §5.1): endpoints that no policy selector of a direction can tell
// apart. A class is identified by the set of policies selecting it; its `set` is the exact set of
// label combinations (A dims) with that policy set.
//
// Symbolic mode walks the A label dims once for all policies at the same time (a multi-terminal
// `apply`): at each dimension the segment line is cut at every boundary of the policies still in play,
// each piece continues with the policies whose selector is still possible there, and pieces with the
// same continuation are merged. Cost is about the total size of the selectors, not policies x classes.
// Inventory mode evaluates each endpoint's label point against each selector.

import { FALSE, TRUE, type SetId } from "./sets/idd.js";
import type { IntervalSet } from "./sets/interval-set.js";
import type { Space } from "./space.js";

export interface SubjectClass {
  /** Indices (into the caller's policy list), ascending. */
  readonly policies: readonly number[];
  /** The subjects in this class (A dims). */
  readonly set: SetId;
  /** Inventory mode: the endpoints in this class. */
  readonly endpoints?: readonly string[];
}

/** Classes of the subjects selected by at least one of `selectors` (index = policy index). */
export function subjectClasses(space: Space, selectors: readonly SetId[]): SubjectClass[] {
  return space.endpoints ? inventoryClasses(space, selectors) : symbolicClasses(space, selectors);
}

function symbolicClasses(space: Space, selectors: readonly SetId[]): SubjectClass[] {
  const idd = space.idd;
  const byKey = new Map<string, { policies: number[]; set: SetId }>();
  const box: (IntervalSet | undefined)[] = new Array(idd.dims).fill(undefined);

  // entries: [policy index, residual node]; the universe travels as policy -1 (must stay non-empty).
  const visit = (universe: SetId, entries: [number, SetId][], certain: number[]): void => {
    let d = idd.dimOf(universe);
    for (const [, n] of entries) d = Math.min(d, idd.dimOf(n));
    if (d >= space.K) {
      // Every residual is TRUE (selectors only use A dims): a leaf.
      if (certain.length === 0 && entries.length === 0) return;
      const pol = [...certain, ...entries.map(([p]) => p)].sort((a, b) => a - b);
      const key = pol.join(",");
      const cube = idd.box(box);
      const cls = byKey.get(key);
      if (cls) cls.set = idd.or(cls.set, cube);
      else byKey.set(key, { policies: pol, set: cube });
      return;
    }
    // Cut points of dimension d.
    const size = idd.sizes[d]!;
    const cuts = new Set<number>([0, size]);
    const tested: { p: number; edges: [number, number, SetId][] }[] = [];
    const untouched: [number, SetId][] = [];
    for (const [p, n] of entries) {
      if (idd.dimOf(n) === d) {
        const es = idd.edges(n);
        for (const [lo, hi] of es) {
          cuts.add(lo);
          cuts.add(hi);
        }
        tested.push({ p, edges: es });
      } else untouched.push([p, n]);
    }
    const uEdges: [number, number, SetId][] = idd.dimOf(universe) === d ? idd.edges(universe) : [[0, size, universe]];
    for (const [lo, hi] of uEdges) {
      cuts.add(lo);
      cuts.add(hi);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const pieces = points.length - 1;
    const idx = new Map<number, number>(points.map((x, i) => [x, i]));
    // Per piece: universe child and the entries alive there.
    const uChild: SetId[] = new Array(pieces).fill(FALSE);
    for (const [lo, hi, k] of uEdges) for (let i = idx.get(lo)!; i < idx.get(hi)!; i++) uChild[i] = k;
    const alive: [number, SetId][][] = Array.from({ length: pieces }, () => []);
    for (const { p, edges } of tested) {
      for (const [lo, hi, k] of edges) {
        if (k === FALSE) continue;
        for (let i = idx.get(lo)!; i < idx.get(hi)!; i++) if (uChild[i] !== FALSE) alive[i]!.push([p, k]);
      }
    }
    // Group pieces with the same continuation.
    const groups = new Map<string, { ranges: number[]; u: SetId; entries: [number, SetId][] }>();
    for (let i = 0; i < pieces; i++) {
      if (uChild[i] === FALSE) continue;
      const es = alive[i]!;
      const key = `${uChild[i]}|${es.map(([p, k]) => `${p}:${k}`).join(",")}`;
      const g = groups.get(key);
      if (g) g.ranges.push(points[i]!, points[i + 1]!);
      else groups.set(key, { ranges: [points[i]!, points[i + 1]!], u: uChild[i]!, entries: es });
    }
    for (const g of groups.values()) {
      const nextCertain = [...certain];
      const nextEntries: [number, SetId][] = [];
      for (const [p, k] of [...g.entries, ...untouched]) {
        if (k === TRUE) nextCertain.push(p);
        else nextEntries.push([p, k]);
      }
      if (nextCertain.length === 0 && nextEntries.length === 0) continue; // selected by nothing
      box[d] = mergeRanges(g.ranges);
      visit(g.u, nextEntries, nextCertain);
      box[d] = undefined;
    }
  };

  const certain: number[] = [];
  const entries: [number, SetId][] = [];
  selectors.forEach((s, p) => {
    const r = idd.and(s, space.subjects);
    if (r === FALSE) return;
    if (r === TRUE) certain.push(p);
    else entries.push([p, r]);
  });
  visit(space.subjects, entries, certain);
  return [...byKey.values()].sort((a, b) => cmpLists(a.policies, b.policies));
}

function mergeRanges(rs: number[]): IntervalSet {
  const out: number[] = [];
  for (let i = 0; i < rs.length; i += 2) {
    const n = out.length;
    if (n > 0 && out[n - 1] === rs[i]) out[n - 1] = rs[i + 1]!;
    else out.push(rs[i]!, rs[i + 1]!);
  }
  return out;
}

function cmpLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function inventoryClasses(space: Space, selectors: readonly SetId[]): SubjectClass[] {
  const idd = space.idd;
  const byKey = new Map<string, { policies: number[]; set: SetId; endpoints: string[] }>();
  for (const e of space.endpoints!) {
    const pt: number[] = new Array(idd.dims).fill(0);
    space.labels.forEach((dom, i) => {
      pt[i] = space.segmentOfValue(dom, e.labels[dom.key]);
    });
    const pol: number[] = [];
    selectors.forEach((s, p) => {
      if (idd.member(s, pt)) pol.push(p);
    });
    if (pol.length === 0) continue;
    const key = pol.join(",");
    const point = space.labelPoint(e.labels, "A");
    const cls = byKey.get(key);
    if (cls) {
      cls.set = idd.or(cls.set, point);
      cls.endpoints.push(e.name);
    } else byKey.set(key, { policies: pol, set: point, endpoints: [e.name] });
  }
  return [...byKey.values()].sort((a, b) => cmpLists(a.policies, b.policies));
}

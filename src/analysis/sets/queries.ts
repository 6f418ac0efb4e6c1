// Read-only queries on interval decision diagrams: membership, a witness point, the set as boxes,
// volumes, projections, a debug rendering. They only read nodes (through the Idd's accessors), so they
// live apart from the node store and the operations.

import { FALSE, TRUE, type Idd, type SetId } from "./idd.js";
import { rangesOf, type IntervalSet } from "./interval-set.js";

/** Membership of one point (a segment index per dimension). */
export function member(idd: Idd, a: SetId, pt: readonly number[]): boolean {
  let n = a;
  while (n > TRUE) {
    const x = pt[idd.dimOf(n)]!;
    const m = idd.edgeCount(n);
    let k = 0;
    while (k < m - 1 && idd.edgeHi(n, k) <= x) k++;
    n = idd.edgeKid(n, k);
  }
  return n === TRUE;
}

/**
 * One point of a non-empty set (undefined if empty). `pick(d, lo, hi)` chooses a segment inside the
 * half-open range [lo, hi) the walk allows for dimension d (default: lo); `prefer(d, lo, hi)` ranks
 * candidate edges (higher first; default: the first non-empty edge). Dimensions the walk never tests
 * get pick(d, 0, size).
 */
export function witness(
  idd: Idd,
  a: SetId,
  pick: (d: number, lo: number, hi: number) => number = (_d, lo) => lo,
  prefer?: (d: number, lo: number, hi: number) => number,
): number[] | undefined {
  if (a === FALSE) return undefined;
  const pt: number[] = new Array<number>(idd.dims);
  const chosen: boolean[] = new Array<boolean>(idd.dims).fill(false);
  let n = a;
  while (n > TRUE) {
    const d = idd.dimOf(n);
    let best = -1;
    let bestLo = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    let lo = 0;
    for (let k = 0; k < idd.edgeCount(n); k++) {
      const hi = idd.edgeHi(n, k);
      if (idd.edgeKid(n, k) !== FALSE) {
        const score = prefer ? prefer(d, lo, hi) : 0;
        if (best < 0 || score > bestScore) {
          best = k;
          bestLo = lo;
          bestScore = score;
        }
      }
      lo = hi;
    }
    pt[d] = pick(d, bestLo, idd.edgeHi(n, best));
    chosen[d] = true;
    n = idd.edgeKid(n, best);
  }
  for (let d = 0; d < idd.dims; d++) if (!chosen[d]) pt[d] = pick(d, 0, idd.sizes[d]!);
  return pt;
}

/** The set as disjoint boxes (one per path to TRUE, edges to the same child merged), at most `limit`;
 *  `undefined` in a box = the whole dimension. */
export function cubes(idd: Idd, a: SetId, limit = 16): { boxes: (IntervalSet | undefined)[][]; truncated: boolean } {
  const boxes: (IntervalSet | undefined)[][] = [];
  let truncated = false;
  const cur: (IntervalSet | undefined)[] = new Array(idd.dims).fill(undefined);
  const walk = (n: SetId): void => {
    if (truncated || n === FALSE) return;
    if (n === TRUE) {
      if (boxes.length >= limit) truncated = true;
      else boxes.push([...cur]);
      return;
    }
    const d = idd.dimOf(n);
    const byKid = new Map<SetId, number[]>();
    for (const [lo, hi, k] of idd.edges(n)) {
      if (k === FALSE) continue;
      const s = byKid.get(k) ?? [];
      s.push(lo, hi);
      byKid.set(k, s);
    }
    for (const [k, s] of byKid) {
      cur[d] = s;
      walk(k);
      cur[d] = undefined;
    }
  };
  walk(a);
  return { boxes, truncated };
}

const volumeMemo = new WeakMap<Idd, Map<number, number>>();

/** Number of points (each segment counts one) as a float; a cheap size measure. */
export function volume(idd: Idd, a: SetId): number {
  let memo = volumeMemo.get(idd);
  if (!memo) volumeMemo.set(idd, (memo = new Map()));
  const go = (n: SetId, fromDim: number): number => {
    if (n === FALSE) return 0;
    const d = idd.dimOf(n);
    let skipped = 1;
    for (let k = fromDim; k < d; k++) skipped *= idd.sizes[k]!;
    if (n === TRUE) return skipped;
    let v = memo!.get(n);
    if (v === undefined) {
      v = 0;
      for (const [lo, hi, k] of idd.edges(n)) v += (hi - lo) * go(k, d + 1);
      memo!.set(n, v);
    }
    return skipped * v;
  };
  return go(a, 0);
}

const weightedMemo = new WeakMap<Idd, WeakMap<readonly (readonly number[])[], { memo: Map<number, number>; cum: Float64Array[] }>>();

/** Weighted volume: segment s of dimension d counts weights[d][s] (e.g. how many addresses or ports it
 *  stands for). A float; memoised per weights table. */
export function weightedVolume(idd: Idd, a: SetId, weights: readonly (readonly number[])[]): number {
  let perIdd = weightedMemo.get(idd);
  if (!perIdd) weightedMemo.set(idd, (perIdd = new WeakMap()));
  let entry = perIdd.get(weights);
  if (!entry) {
    // Prefix sums: the weight of segments [lo, hi) is cum[hi] - cum[lo].
    const cum = weights.map((w) => {
      const c = new Float64Array(w.length + 1);
      for (let i = 0; i < w.length; i++) c[i + 1] = c[i]! + w[i]!;
      return c;
    });
    entry = { memo: new Map(), cum };
    perIdd.set(weights, entry);
  }
  const { memo, cum } = entry;
  const go = (n: SetId, fromDim: number): number => {
    if (n === FALSE) return 0;
    const d = idd.dimOf(n);
    let skipped = 1;
    for (let k = fromDim; k < d; k++) skipped *= cum[k]![cum[k]!.length - 1]!;
    if (n === TRUE) return skipped;
    let v = memo.get(n);
    if (v === undefined) {
      v = 0;
      const c = cum[d]!;
      let lo = 0;
      for (let k = 0; k < idd.edgeCount(n); k++) {
        const hi = idd.edgeHi(n, k);
        const kid = idd.edgeKid(n, k);
        if (kid !== FALSE) v += (c[hi]! - c[lo]!) * go(kid, d + 1);
        lo = hi;
      }
      memo.set(n, v);
    }
    return skipped * v;
  };
  return go(a, 0);
}

/** The segments dimension d takes in `a` (its projection). */
export function project(idd: Idd, a: SetId, d: number): IntervalSet {
  const seen = new Set<SetId>();
  const acc: [number, number][] = [];
  const walk = (n: SetId): boolean => {
    if (n === FALSE || seen.has(n)) return false;
    seen.add(n);
    const nd = idd.dimOf(n);
    if (nd > d) {
      acc.push([0, idd.sizes[d]!]);
      return true;
    }
    if (nd === d) {
      for (const [lo, hi, k] of idd.edges(n)) if (k !== FALSE) acc.push([lo, hi]);
      return false;
    }
    for (const [, , k] of idd.edges(n)) if (walk(k)) return true;
    return false;
  };
  walk(a);
  acc.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of acc) {
    const m = out.length;
    if (m > 0 && lo <= out[m - 1]!) out[m - 1] = Math.max(out[m - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Debug rendering: up to 8 boxes. */
export function describe(idd: Idd, a: SetId): string {
  if (a === FALSE) return "∅";
  if (a === TRUE) return "⊤";
  const { boxes, truncated } = cubes(idd, a, 8);
  const range = (s: IntervalSet) =>
    rangesOf(s)
      .map(([l, h]) => (h === l + 1 ? `${l}` : `${l}..${h - 1}`))
      .join(",");
  const parts = boxes.map(
    (b) =>
      b
        .map((s, d) => (s === undefined ? undefined : `d${d}∈${range(s)}`))
        .filter((x) => x !== undefined)
        .join(" × ") || "⊤",
  );
  return parts.join(" ∪ ") + (truncated ? " ∪ …" : "");
}

// Interval sets over segment indices: a normalised, flat list of half-open ranges
// [lo0, hi0, lo1, hi1, …] with lo < hi, sorted, disjoint and never adjacent (adjacent ranges are
// merged), so two sets are equal exactly when their arrays are equal.

export type IntervalSet = readonly number[];

export const EMPTY_SET: IntervalSet = Object.freeze([]) as IntervalSet;

/** The set of all segments of a domain with `size` segments. */
export function fullSet(size: number): IntervalSet {
  return size > 0 ? [0, size] : EMPTY_SET;
}

/** Normalise arbitrary half-open ranges (any order, overlapping, empty ones ignored). */
export function fromRanges(ranges: Iterable<readonly [number, number]>): IntervalSet {
  const rs = [...ranges].filter(([lo, hi]) => lo < hi).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (const [lo, hi] of rs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]!) {
      if (hi > out[n - 1]!) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

export function point(x: number): IntervalSet {
  return [x, x + 1];
}

export function range(lo: number, hi: number): IntervalSet {
  return lo < hi ? [lo, hi] : EMPTY_SET;
}

export function isEmptySet(a: IntervalSet): boolean {
  return a.length === 0;
}

export function has(a: IntervalSet, x: number): boolean {
  // Binary search over range starts.
  let lo = 0;
  let hi = a.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[2 * mid]!) hi = mid - 1;
    else if (x >= a[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Generic sweep: combine two sets with a boolean function of membership. */
function combine(a: IntervalSet, b: IntervalSet, f: (ina: boolean, inb: boolean) => boolean): IntervalSet {
  const cuts = new Set<number>();
  for (const x of a) cuts.add(x);
  for (const x of b) cuts.add(x);
  const pts = [...cuts].sort((x, y) => x - y);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const lo = pts[k]!;
    const hi = pts[k + 1]!;
    while (i < a.length && a[i + 1]! <= lo) i += 2;
    while (j < b.length && b[j + 1]! <= lo) j += 2;
    const ina = i < a.length && a[i]! <= lo;
    const inb = j < b.length && b[j]! <= lo;
    if (!f(ina, inb)) continue;
    const n = out.length;
    if (n > 0 && out[n - 1] === lo) out[n - 1] = hi;
    else out.push(lo, hi);
  }
  return out;
}

export function union(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return combine(a, b, (x, y) => x || y);
}

export function intersect(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0 || b.length === 0) return EMPTY_SET;
  return combine(a, b, (x, y) => x && y);
}

export function subtract(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0 || b.length === 0) return a;
  return combine(a, b, (x, y) => x && !y);
}

export function complement(a: IntervalSet, size: number): IntervalSet {
  return subtract(fullSet(size), a);
}

export function equalSets(a: IntervalSet, b: IntervalSet): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** a ⊇ b */
export function containsSet(a: IntervalSet, b: IntervalSet): boolean {
  return subtract(b, a).length === 0;
}

/** Number of segments in the set. */
export function cardinality(a: IntervalSet): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 2) n += a[i + 1]! - a[i]!;
  return n;
}

/** Ranges as pairs, for printing and iteration. */
export function rangesOf(a: IntervalSet): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < a.length; i += 2) out.push([a[i]!, a[i + 1]!]);
  return out;
}

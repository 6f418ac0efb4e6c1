// Per-dimension domain compression. A dimension is an integer line [min, max] (ports 0..65535,
// protocols 0..255, the IPv4 + IPv6 address line as bigint…). Every interval a rule uses adds two cut
// points; the line is then split into *segments*, the elementary intervals between consecutive cuts,
// and everything inside the engine works on segment indices (small integers). Values only appear at
// the edges: when a rule's interval is mapped to a segment range, and when a witness segment is mapped
// back to a concrete value.

export type Scalar = number | bigint;

/** Builds a domain: collect intervals, then `freeze()`. */
export class DomainBuilder<V extends Scalar> {
  private readonly cuts = new Set<V>();
  constructor(
    readonly min: V,
    readonly max: V,
    private readonly succ: (v: V) => V,
  ) {}

  /** Record the closed interval [lo, hi] (clamped to the domain; empty if lo > hi). */
  add(lo: V, hi: V): void {
    if (lo > hi) return;
    if (lo > this.min && lo <= this.max) this.cuts.add(lo);
    const next = hi < this.max ? this.succ(hi) : undefined;
    if (next !== undefined && next > this.min) this.cuts.add(next);
  }

  freeze(): SegmentDomain<V> {
    const sorted = [...this.cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new SegmentDomain<V>(this.min, this.max, [this.min, ...sorted]);
  }
}

/** A compressed integer line: segment i = [starts[i], starts[i+1] - 1] (the last ends at max). */
export class SegmentDomain<V extends Scalar> {
  constructor(
    readonly min: V,
    readonly max: V,
    /** Start of every segment, ascending; starts[0] === min. */
    readonly starts: readonly V[],
  ) {}

  get size(): number {
    return this.starts.length;
  }

  /** Index of the segment containing v (v clamped into [min, max]). */
  segmentOf(v: V): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Half-open segment range [a, b) covering the closed interval [lo, hi]. The interval must have been
   *  added to the builder, otherwise the result may be wider (callers always add first). */
  rangeOf(lo: V, hi: V): [number, number] {
    if (lo > hi || hi < this.min || lo > this.max) return [0, 0];
    const a = this.segmentOf(lo < this.min ? this.min : lo);
    const b = this.segmentOf(hi > this.max ? this.max : hi) + 1;
    return [a, b];
  }

  /** First value of segment i. */
  first(i: number): V {
    return this.starts[i]!;
  }

  /** Last value of segment i (inclusive). */
  last(i: number, pred: (v: V) => V): V {
    return i + 1 < this.starts.length ? pred(this.starts[i + 1]!) : this.max;
  }
}

export const incNumber = (v: number): number => v + 1;
export const decNumber = (v: number): number => v - 1;
export const incBig = (v: bigint): bigint => v + 1n;
export const decBig = (v: bigint): bigint => v - 1n;

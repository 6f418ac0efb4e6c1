// Address-range arithmetic over canonical CIDRs, for the checks that need more than containment of
// one CIDR in another: "is every address of this net removed by the except list?", "does this net
// contain a catch-all?", and a numeric sort order. Ranges are inclusive [lo, hi] per family.

import { cidrRange as rangeOfText } from "../net/cidr.js";
import type { Cidr, Family } from "./model.js";

export interface AddrRange {
  readonly family: Family;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** The range of a canonical CIDR such as `10.0.0.0/8` or `fd00::/8`. */
export function cidrRange(cidr: Cidr): AddrRange {
  const r = rangeOfText(cidr.text);
  return { family: r.family, lo: r.first, hi: r.last };
}

export function prefixOf(cidr: Cidr): number {
  return Number(cidr.text.slice(cidr.text.lastIndexOf("/") + 1));
}

/** True for `0.0.0.0/0` and `::/0`. */
export function isCatchAll(cidr: Cidr): boolean {
  return prefixOf(cidr) === 0;
}

/** Sort order for canonical CIDRs: IPv4 first, then by address, then by prefix length. */
export function compareCidrs(a: Cidr, b: Cidr): number {
  if (a.family !== b.family) return a.family - b.family;
  const ra = cidrRange(a);
  const rb = cidrRange(b);
  if (ra.lo !== rb.lo) return ra.lo < rb.lo ? -1 : 1;
  return prefixOf(a) - prefixOf(b);
}

/** Sorted, de-duplicated copy. */
export function sortCidrs(cidrs: readonly Cidr[]): Cidr[] {
  const seen = new Set<string>();
  const out: Cidr[] = [];
  for (const c of cidrs) {
    if (seen.has(c.text)) continue;
    seen.add(c.text);
    out.push(c);
  }
  return out.sort(compareCidrs);
}

/** Merge the ranges of one family into disjoint, sorted, non-adjacent ranges. */
function mergeRanges(ranges: AddrRange[]): AddrRange[] {
  const sorted = [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: AddrRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { family: last.family, lo: last.lo, hi: r.hi };
    } else out.push(r);
  }
  return out;
}

/** True when every address of `range` lies in the union of `cover`. */
export function rangeCovered(range: AddrRange, cover: readonly AddrRange[]): boolean {
  let next = range.lo;
  for (const c of mergeRanges(cover.filter((c) => c.family === range.family))) {
    if (c.hi < next) continue;
    if (c.lo > next) return false;
    if (c.hi >= range.hi) return true;
    next = c.hi + 1n;
  }
  return false;
}

/** Families present in a list of CIDRs. */
export function familiesOf(cidrs: readonly Cidr[]): Set<Family> {
  return new Set(cidrs.map((c) => c.family));
}

/** The families of `include` whose addresses are not all removed by `exclude`. */
export function survivingFamilies(include: readonly Cidr[], exclude: readonly Cidr[]): Set<Family> {
  const out = new Set<Family>();
  if (exclude.length === 0) {
    // nothing covers anything: every family of `include` survives
    for (const c of include) out.add(c.family);
    return out;
  }
  const cover = exclude.map(cidrRange);
  for (const c of include) {
    if (!rangeCovered(cidrRange(c), cover)) out.add(c.family);
  }
  return out;
}

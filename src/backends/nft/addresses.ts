// Address intervals for nftables sets: the union of CIDRs and single addresses of one family, merged
// (an nft `flags interval` set rejects overlapping elements) and printed as the fewest CIDRs, in
// ascending order, so the same addresses always give the same bytes.

import { formatAddress } from "../../net/cidr.js";

export type Family = 4 | 6;

export interface Interval {
  readonly first: bigint;
  readonly last: bigint;
}

export function familyBits(f: Family): number {
  return f === 4 ? 32 : 128;
}

/** Sorts and merges touching or overlapping intervals. */
export function mergeIntervals(items: readonly Interval[]): Interval[] {
  const sorted = [...items].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Interval[] = [];
  for (const it of sorted) {
    const last = out[out.length - 1];
    if (last && it.first <= last.last + 1n) {
      if (it.last > last.last) out[out.length - 1] = { first: last.first, last: it.last };
    } else out.push(it);
  }
  return out;
}

/** The largest aligned block starting at `first` that does not pass `last`, as a prefix length. */
function blockPrefix(first: bigint, last: bigint, bits: number): number {
  let prefix = bits;
  while (prefix > 0) {
    const size = 1n << BigInt(bits - prefix + 1);
    if (first % size !== 0n || first + size - 1n > last) break;
    prefix--;
  }
  return prefix;
}

/** One merged interval as CIDR texts (`10.0.0.1`, `10.1.0.0/16`). */
function intervalCidrs(it: Interval, f: Family): string[] {
  const bits = familyBits(f);
  const out: string[] = [];
  let first = it.first;
  while (first <= it.last) {
    const prefix = blockPrefix(first, it.last, bits);
    const text = formatAddress(first, f);
    out.push(prefix === bits ? text : `${text}/${prefix}`);
    first += 1n << BigInt(bits - prefix);
  }
  return out;
}

/** Set elements for the union of `items`: merged, ascending, as CIDRs. */
export function intervalElements(items: readonly Interval[], f: Family): string[] {
  return mergeIntervals(items).flatMap((it) => intervalCidrs(it, f));
}

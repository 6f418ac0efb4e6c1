// Label-atom domains for symbolic analysis (shadow-analysis.md §5.1). For every label key the
// selectors mention, the possible values of that key on an endpoint are split into a finite set of
// classes: `absent`, each value mentioned anywhere, and one or more "other" buckets. A selector built
// from ==, !=, in, not in, has, !has, all(), &&, ||, ! is then an exact union of cubes over these
// per-key enums (any combination of label values is realisable).
//
// String operators (contains / starts with / ends with) break that finiteness. They are handled by
// splitting "other" into one bucket per combination of the key's string predicates (at most
// MAX_STRING_PREDICATES per key). A bucket is kept unless it is provably unsatisfiable; when no concrete
// value could be constructed for a kept bucket, it is marked `approximate`: the analysis then works on a
// slightly larger world than the real one, which keeps every reported shadow/redundancy true but may
// miss some and may produce a witness that cannot exist (findings say so).

import type { Sel } from "../selector/ast.js";

export const MAX_STRING_PREDICATES = 8;

export interface StringPredicate {
  readonly op: "contains" | "startsWith" | "endsWith";
  readonly value: string;
}

export interface OtherBucket {
  /** Truth of each of the key's string predicates (same order as `LabelDomain.predicates`). */
  readonly truth: readonly boolean[];
  /** A concrete value in this bucket, if one was constructed. */
  readonly sample?: string;
  /** True when no concrete value was found (the bucket may be empty in reality). */
  readonly approximate: boolean;
}

export interface LabelDomain {
  readonly key: string;
  /** Mentioned values, sorted (byte order); segment 1 + i is values[i]. Segment 0 is `absent`. */
  readonly values: readonly string[];
  readonly predicates: readonly StringPredicate[];
  /** Segments 1 + values.length + j. */
  readonly others: readonly OtherBucket[];
  /** True when the key has more string predicates than the analysis splits exactly. */
  readonly tooComplex: boolean;
}

export function domainSize(d: LabelDomain): number {
  return 1 + d.values.length + d.others.length;
}

export function testPredicate(p: StringPredicate, v: string): boolean {
  switch (p.op) {
    case "contains":
      return v.includes(p.value);
    case "startsWith":
      return v.startsWith(p.value);
    case "endsWith":
      return v.endsWith(p.value);
  }
}

/** Collects label atoms from selectors, then builds the per-key domains. */
export class LabelAtomCollector {
  private readonly values = new Map<string, Set<string>>();
  private readonly preds = new Map<string, Map<string, StringPredicate>>();

  private key(k: string): void {
    if (!this.values.has(k)) this.values.set(k, new Set());
  }

  addValue(k: string, v: string): void {
    this.key(k);
    this.values.get(k)!.add(v);
  }

  addSelector(sel: Sel): void {
    switch (sel.op) {
      case "all":
      case "global":
        return;
      case "has":
        this.key(sel.key);
        return;
      case "eq":
      case "ne":
        this.addValue(sel.key, sel.value);
        return;
      case "in":
      case "notIn":
        this.key(sel.key);
        for (const v of sel.values) this.addValue(sel.key, v);
        return;
      case "contains":
      case "startsWith":
      case "endsWith": {
        this.key(sel.key);
        let m = this.preds.get(sel.key);
        if (!m) this.preds.set(sel.key, (m = new Map()));
        m.set(`${sel.op}\u0000${sel.value}`, { op: sel.op, value: sel.value });
        return;
      }
      case "not":
        this.addSelector(sel.arg);
        return;
      case "and":
      case "or":
        for (const a of sel.args) this.addSelector(a);
        return;
    }
  }

  /** Make the given keys share one value list (labels that always carry the same value). */
  link(keys: readonly string[]): void {
    const present = keys.filter((k) => this.values.has(k));
    if (present.length < 2) return;
    const all = new Set<string>();
    for (const k of present) for (const v of this.values.get(k)!) all.add(v);
    for (const k of present) for (const v of all) this.values.get(k)!.add(v);
  }

  hasKey(k: string): boolean {
    return this.values.has(k);
  }

  hasStringPredicates(k: string): boolean {
    return (this.preds.get(k)?.size ?? 0) > 0;
  }

  domains(): LabelDomain[] {
    const keys = [...this.values.keys()].sort(byteCompare);
    return keys.map((key) => {
      const values = [...this.values.get(key)!].sort(byteCompare);
      const predicates = [...(this.preds.get(key)?.values() ?? [])].sort((a, b) => byteCompare(`${a.op} ${a.value}`, `${b.op} ${b.value}`));
      if (predicates.length > MAX_STRING_PREDICATES) {
        return { key, values, predicates, others: [{ truth: predicates.map(() => false), approximate: true }], tooComplex: true };
      }
      return { key, values, predicates, others: otherBuckets(values, predicates), tooComplex: false };
    });
  }
}

export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function otherBuckets(values: readonly string[], preds: readonly StringPredicate[]): OtherBucket[] {
  const taken = new Set(values);
  const out: OtherBucket[] = [];
  const m = preds.length;
  for (let mask = 0; mask < 1 << m; mask++) {
    const truth = preds.map((_, i) => (mask & (1 << i)) !== 0);
    const sample = construct(preds, truth, taken);
    if (sample !== undefined) out.push({ truth, sample, approximate: false });
    else if (!provablyEmpty(preds, truth)) out.push({ truth, approximate: true });
  }
  return out;
}

function satisfies(preds: readonly StringPredicate[], truth: readonly boolean[], v: string): boolean {
  return preds.every((p, i) => testPredicate(p, v) === truth[i]);
}

/** Try to build a value (not among the mentioned ones) with exactly this predicate truth vector. */
function construct(preds: readonly StringPredicate[], truth: readonly boolean[], taken: ReadonlySet<string>): string | undefined {
  const pos = preds.filter((_, i) => truth[i]);
  const starts = pos
    .filter((p) => p.op === "startsWith")
    .map((p) => p.value)
    .sort((a, b) => b.length - a.length);
  const ends = pos
    .filter((p) => p.op === "endsWith")
    .map((p) => p.value)
    .sort((a, b) => b.length - a.length);
  const mids = pos.filter((p) => p.op === "contains").map((p) => p.value);
  const pre = starts[0] ?? "";
  const suf = ends[0] ?? "";
  // A readable, non-empty value first: the empty string is a valid label value but not a namespace
  // name, and a witness `team=""` reads worse than `team=other`.
  const fillers = ["other", "x", "z9", "q-q", ""];
  const candidates: string[] = [];
  for (const f of fillers) {
    candidates.push(pre + mids.join("") + f + suf);
    candidates.push(pre + f + mids.join("") + suf);
    candidates.push(pre + f + mids.join(f) + f + suf);
  }
  // Overlapping prefix/suffix (e.g. starts with "ab", ends with "bc" -> "abc").
  for (let k = Math.min(pre.length, suf.length); k > 0; k--) {
    if (pre.endsWith(suf.slice(0, k))) candidates.push(pre + suf.slice(k));
  }
  for (const base of candidates) {
    for (let n = 0; n < 4; n++) {
      const v = n === 0 ? base : `${base}${n}`;
      if (!taken.has(v) && satisfies(preds, truth, v)) return v;
    }
  }
  return undefined;
}

/** Cheap proofs that no string has this truth vector. */
function provablyEmpty(preds: readonly StringPredicate[], truth: readonly boolean[]): boolean {
  const pos = preds.filter((_, i) => truth[i]);
  const neg = preds.filter((_, i) => !truth[i]);
  const starts = pos.filter((p) => p.op === "startsWith").map((p) => p.value);
  const ends = pos.filter((p) => p.op === "endsWith").map((p) => p.value);
  for (const a of starts) for (const b of starts) if (!a.startsWith(b) && !b.startsWith(a)) return true;
  for (const a of ends) for (const b of ends) if (!a.endsWith(b) && !b.endsWith(a)) return true;
  // A positive predicate implies a negated one (e.g. starts with "abc" but not contains "b").
  for (const p of pos) for (const n of neg) if (testPredicate(n, p.value) && n.op === "contains") return true;
  for (const p of pos) {
    for (const n of neg) {
      if (p.op === "startsWith" && n.op === "startsWith" && p.value.startsWith(n.value)) return true;
      if (p.op === "endsWith" && n.op === "endsWith" && p.value.endsWith(n.value)) return true;
    }
  }
  // Empty predicates are true of every present value.
  for (const n of neg) if (n.value === "") return true;
  return false;
}

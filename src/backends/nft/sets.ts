// Named sets of the ruleset: selector results, nets, port lists and named-port tuples. A set is keyed
// by its type and elements, so two rules that need the same addresses share one set (nft loads a
// shared named set once; inline anonymous sets make large rulesets load quadratically slowly).
// Names are given in first-use order, which is deterministic.

import { commentText } from "./text.js";

export type SetType = "inet_proto" | "ipv4_addr" | "ipv6_addr" | "inet_service" | "ipv4_addr . inet_proto . inet_service" | "ipv6_addr . inet_proto . inet_service";

interface NamedSet {
  readonly name: string;
  readonly type: SetType;
  readonly interval: boolean;
  readonly elements: readonly string[];
  readonly comment: string;
}

export class SetRegistry {
  private readonly byKey = new Map<string, NamedSet>();
  private readonly counts = new Map<string, number>();

  /** The name of the set holding `elements` (at least two; a single element is written inline). */
  add(prefix: string, type: SetType, elements: readonly string[], comment: string): string {
    const interval = type === "ipv4_addr" || type === "ipv6_addr" || type === "inet_service";
    const key = `${type}|${elements.join(",")}`;
    const known = this.byKey.get(key);
    if (known) return known.name;
    const n = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, n + 1);
    const set: NamedSet = { name: `${prefix}_${n}`, type, interval, elements, comment };
    this.byKey.set(key, set);
    return set.name;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The set declarations, in first-use order. */
  render(): string[] {
    const out: string[] = [];
    for (const s of this.byKey.values()) {
      out.push(`\tset ${s.name} {`, `\t\ttype ${s.type}`);
      if (s.interval) out.push("\t\tflags interval");
      out.push(`\t\tcomment ${commentText(s.comment)}`);
      out.push(...elementLines(s.elements));
      out.push("\t}");
    }
    return out;
  }
}

/** `elements = { a, b, … }` over several lines of at most 8 elements. */
function elementLines(elements: readonly string[]): string[] {
  const rows: string[] = [];
  for (let i = 0; i < elements.length; i += 8) rows.push(elements.slice(i, i + 8).join(", "));
  if (rows.length === 1) return [`\t\telements = { ${rows[0]} }`];
  return ["\t\telements = {", ...rows.map((r, i) => `\t\t\t${r}${i < rows.length - 1 ? "," : ""}`), "\t\t}"];
}

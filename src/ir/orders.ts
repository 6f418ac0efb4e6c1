// Policy orders: every policy gets a distinct explicit order within its tier. Explicit `order N` is
// kept; the others are numbered 100, 200, 300, … in source order (file path, then offset; a flow
// policy counts at its first flow, the egress half before the ingress half), skipping explicit values.

import type { Span } from "../source.js";
import type { Draft } from "./lower.js";

/** Auto-numbered orders are 100, 200, 300, … in source order, skipping explicit orders. */
export const ORDER_STEP = 100;

function cmpSpan(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start - b.start || a.end - b.end;
}

/** Calico's tie-break for equal orders: `<name>/<namespace>/<kind>` (calico-reference.md §d.3). */
export function calicoKindName(p: { kind: "global" | "namespaced"; staged: boolean }): string {
  const base = p.kind === "global" ? "GlobalNetworkPolicy" : "NetworkPolicy";
  return p.staged ? `Staged${base}` : base;
}

export function policyTieKey(p: { name: string; namespace?: string; kind: "global" | "namespaced"; staged: boolean }): string {
  return `${p.name}/${p.namespace ?? ""}/${calicoKindName(p)}`;
}

/** Distinct orders per tier: explicit ones kept, the rest 100, 200, … in source order. */
export function assignOrders(drafts: readonly Draft[]): Map<Draft, number> {
  const out = new Map<Draft, number>();
  const byTier = new Map<string, Draft[]>();
  for (const d of drafts) {
    const list = byTier.get(d.tier) ?? [];
    list.push(d);
    byTier.set(d.tier, list);
  }
  for (const list of byTier.values()) {
    const explicit = new Set(list.flatMap((d) => (d.explicitOrder !== undefined ? [d.explicitOrder] : [])));
    const sorted = [...list].sort(
      (a, b) =>
        cmpSpan(a.origin, b.origin) ||
        (a.source.kind === "flows" && b.source.kind === "flows" && a.source.direction !== b.source.direction
          ? a.source.direction === "Egress"
            ? -1
            : 1
          : 0) ||
        (policyTieKey(a) < policyTieKey(b) ? -1 : policyTieKey(a) > policyTieKey(b) ? 1 : 0),
    );
    let next = ORDER_STEP;
    for (const d of sorted) {
      if (d.explicitOrder !== undefined) {
        out.set(d, d.explicitOrder);
        continue;
      }
      while (explicit.has(next)) next += ORDER_STEP;
      out.set(d, next);
      next += ORDER_STEP;
    }
  }
  return out;
}


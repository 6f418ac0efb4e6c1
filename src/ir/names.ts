// Calico object names (calico-reference.md §a.7): `<tier>.<name>` outside the `default` tier, `<name>`
// in it; DNS labels joined by at most one dot; at most 253 characters. Flow policies are named after
// their end: `<group>-egress` / `<group>-ingress`, or `sel-<hash>-…` when the end is not one group.

import { createHash } from "node:crypto";

export const DEFAULT_TIER = "default";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDnsLabel(s: string, max = 63): boolean {
  return s.length > 0 && s.length <= max && DNS_LABEL.test(s);
}

export function calicoPolicyName(tier: string, name: string): string {
  return tier === DEFAULT_TIER ? name : `${tier}.${name}`;
}

/** Valid as a (Global)NetworkPolicy name: `L(\.L)?`, ≤ 253. */
export function validPolicyName(name: string): boolean {
  if (name.length > 253) return false;
  const parts = name.split(".");
  return parts.length <= 2 && parts.every((p) => isDnsLabel(p, 253));
}

/** 8 hex digits of SHA-256: short, stable, collision-unlikely within one program. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** The `.pol`-level name of a flow policy (before the tier prefix). */
export function flowPolicyBase(end: { group?: string; selectorText: string }, direction: "Ingress" | "Egress"): string {
  const suffix = direction === "Egress" ? "egress" : "ingress";
  if (end.group !== undefined && isDnsLabel(`${end.group}-${suffix}`, 253)) return `${end.group}-${suffix}`;
  return `sel-${shortHash(end.selectorText)}-${suffix}`;
}

/** Network set object name. */
export function netSetName(net: string): string {
  return `polc-net-${net}`;
}

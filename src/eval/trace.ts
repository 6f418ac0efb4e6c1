// Policy traces shaped like Calico's flow-log PolicyTrace (calico-reference.md §e.2, §e.3), plus the
// `.pol` source span of each hit.

import type { Span } from "../source.js";
import type { PolicyKind } from "../backends/calico/objects.js";

/** Goldmane's PolicyKind names. */
export type HitKind =
  | "CalicoNetworkPolicy"
  | "GlobalNetworkPolicy"
  | "StagedNetworkPolicy"
  | "StagedGlobalNetworkPolicy"
  | "EndOfTier"
  | "Profile";

export interface PolicyRef {
  readonly kind: HitKind;
  readonly name: string;
  readonly namespace: string;
  readonly tier: string;
}

export interface PolicyHit extends PolicyRef {
  readonly action: "Allow" | "Deny" | "Pass";
  /** Position of the hit in its trace. */
  readonly policy_index: number;
  /** Rule position in the policy's list for the direction; -1 = end of tier (or no profile). */
  readonly rule_index: number;
  /** For an EndOfTier hit: the policy recorded as having selected the endpoint in that tier. */
  readonly trigger?: PolicyRef;
  /** The `.pol` rule (or policy, for an end of tier) behind the hit, when known. */
  readonly span?: Span;
}

export function hitKind(k: PolicyKind): HitKind {
  return k === "NetworkPolicy" ? "CalicoNetworkPolicy" : k;
}

/** Calico's short kind names in flow-log policy strings (`gnp:…`, `np:…`, `pro:…`). */
export const HIT_KIND_SHORT: Readonly<Record<HitKind, string>> = {
  CalicoNetworkPolicy: "np",
  GlobalNetworkPolicy: "gnp",
  StagedNetworkPolicy: "snp",
  StagedGlobalNetworkPolicy: "sgnp",
  EndOfTier: "eot",
  Profile: "pro",
};

function refText(r: PolicyRef): string {
  return `${HIT_KIND_SHORT[r.kind]}:${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
}

/** Calico's compact form: `<policy_index>|<tier>|<kind>:[<ns>/]<name>|<action>|<rule_index>`. */
export function hitToString(h: PolicyHit): string {
  if (h.kind === "Profile") return `${h.policy_index}|__PROFILE__|pro:${h.name}|${h.action.toLowerCase()}|${h.rule_index}`;
  const who = h.kind === "EndOfTier" && h.trigger ? refText(h.trigger) : refText(h);
  return `${h.policy_index}|${h.tier}|${who}|${h.action.toLowerCase()}|${h.rule_index}`;
}

// The intermediate representation: the one resolved, normalised, backend-neutral description of what
// the cluster must enforce. Built from the checked Model by `lower.ts`; consumed by the Calico YAML
// emitter, the future nftables emitter, the analysis and the reference evaluator (through the emitted
// Calico objects). Plain JSON-serialisable data (`json.ts` prints it stably).
//
// Meaning, exactly (docs/calico-output.md explains each decision):
// - The endpoint universe is the cluster's *workload endpoints* (pods). A selector here is a predicate
//   over a pod's effective labels (own labels + `projectcalico.org/namespace`, `pcns.*`, …,
//   calico-reference.md §c.7), confined by an explicit `IrScope` to namespaced endpoints. Host
//   endpoints are never selected; network sets are reached only through `IrEntity.netSet`.
// - A policy's rules for a direction are evaluated in list order; every `IrRule` becomes exactly one
//   Calico rule at the same index (Calico's `rule_index`), in every backend.
// - A rule's match is the AND of every present field; absent fields do not constrain.

import type { Span } from "../source.js";
import type { Sel } from "../selector/ast.js";

export type IrFamily = 4 | 6;
export type IrDirection = "Ingress" | "Egress";
export type IrAction = "Allow" | "Deny" | "Pass" | "Log";

/** A canonical masked CIDR (`10.0.0.0/8`, `10.96.0.1/32`, `fd00::/8`). */
export interface IrCidr {
  readonly text: string;
  readonly family: IrFamily;
}

/** Which endpoints a selector may match, besides its labels. */
export type IrScope =
  /** Any workload endpoint, in any namespace (Calico: `namespaceSelector: all()`). */
  | { readonly kind: "all-namespaces" }
  /** Workload endpoints in one of these namespaces, sorted (Calico: `namespaceSelector:
   *  projectcalico.org/name == "x"` / `in {…}`, or nothing in a NetworkPolicy of that namespace). */
  | { readonly kind: "namespaces"; readonly names: readonly string[] };

/** Endpoints that are in `scope` and whose effective labels match `sel`. */
export interface IrSelector {
  readonly sel: Sel;
  readonly scope: IrScope;
}

/**
 * The remote side of a rule (Calico `source` of an ingress rule, `destination` of an egress rule),
 * as an AND of the present fields. An entity with no field is "any peer", including the Internet.
 */
export interface IrEntity {
  /** The peer is a workload endpoint matched by this selector (never an external address). */
  readonly selector?: IrSelector;
  /** The peer is NOT a workload endpoint (of any namespace) whose effective labels match this. Addresses
   *  outside the cluster satisfy it. */
  readonly notSelector?: Sel;
  /** The peer address is in one of these CIDRs (one family, `IrRule.ipVersion`, unless `netSets` is set). */
  readonly nets?: readonly IrCidr[];
  /** `nets` are exactly the addresses of these emitted network sets (family-filtered to the rule's
   *  `ipVersion` when it has one); a backend may match the sets instead of listing the CIDRs. Never
   *  together with `selector`. */
  readonly netSets?: readonly string[];
  /** The peer address is in none of these CIDRs (same family as the rule). */
  readonly notNets?: readonly IrCidr[];
}

export type IrProtocol = "TCP" | "UDP" | "SCTP" | "UDPLite" | "ICMP" | "ICMPv6" | number;

export interface IrPortRange {
  readonly from: number;
  readonly to: number;
}

export interface IrRule {
  readonly action: IrAction;
  /** Set when the rule only applies to one address family (ICMP/ICMPv6, or CIDRs of one family). */
  readonly ipVersion?: IrFamily;
  /** Absent = any protocol. */
  readonly protocol?: IrProtocol;
  /** Destination ports (TCP/UDP/SCTP/UDPLite only), sorted and merged; OR-ed with `namedPorts`. */
  readonly ports?: readonly IrPortRange[];
  /** Destination named ports (Kubernetes container port names), sorted. */
  readonly namedPorts?: readonly string[];
  /** ICMP/ICMPv6 type and optional code (only with protocol ICMP/ICMPv6). */
  readonly icmp?: { readonly type: number; readonly code?: number };
  /** The remote side. */
  readonly peer: IrEntity;
  /** The `.pol` rule, or the flow line, this rule comes from. */
  readonly origin: Span;
  /** Set when the rule comes from a flow (`A -> B : S`). */
  readonly fromFlow?: boolean;
}

export interface IrTier {
  readonly name: string;
  readonly order: number;
  readonly defaultAction: "Deny" | "Pass";
  /** Calico's built-in tier (`default`): referenced, never emitted. */
  readonly builtin: boolean;
  readonly origin: Span;
}

/** Where a policy comes from in the source. */
export type IrPolicySource =
  | { readonly kind: "guardrail" | "policy"; readonly name: string }
  /** Generated from flows: the egress half on the flows' source end, or the ingress half on their
   *  destination end. `end` is the group name, or the canonical selector when the end is not one group. */
  | { readonly kind: "flows"; readonly direction: IrDirection; readonly end: string };

export interface IrPolicy {
  /** The Calico object name: `<tier>.<name>` outside the `default` tier, `<name>` in it. */
  readonly name: string;
  /** `global` → (Staged)GlobalNetworkPolicy; `namespaced` → (Staged)NetworkPolicy in `namespace`. */
  readonly kind: "global" | "namespaced";
  readonly namespace?: string;
  readonly staged: boolean;
  readonly tier: string;
  /** Explicit, distinct within the tier (staged and enforced policies together). */
  readonly order: number;
  /** The endpoints the policy applies to. A namespaced policy's subject scope is its namespace. */
  readonly subject: IrSelector;
  /** Exactly the directions that have rules, Ingress first. */
  readonly types: readonly IrDirection[];
  readonly ingress: readonly IrRule[];
  readonly egress: readonly IrRule[];
  readonly source: IrPolicySource;
  /** The declaration (or the first flow) this policy comes from. */
  readonly origin: Span;
  /** The declared name (or the first flow), where messages about the policy point. */
  readonly nameSpan?: Span;
}

/** A named `net` reached through a GlobalNetworkSet. */
export interface IrNetSet {
  /** The `.pol` net name; the set carries the label `polc.dev/net: <net>`. */
  readonly net: string;
  /** The Calico object name. */
  readonly name: string;
  readonly cidrs: readonly IrCidr[];
  readonly origin: Span;
}

export interface IrProgram {
  readonly version: 1;
  /** Every tier a policy uses (and every declared tier), sorted by (order, name). */
  readonly tiers: readonly IrTier[];
  /** Sorted by name. */
  readonly netSets: readonly IrNetSet[];
  /** Sorted by tier order, then policy order. */
  readonly policies: readonly IrPolicy[];
}

/** The label a network set carries and rules select on. */
export const NET_SET_LABEL = "polc.dev/net";
/** The label every emitted object carries. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "polc";

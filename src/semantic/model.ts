// The checked, resolved program: what the checker hands to lowering (src/ir/). No names are left to
// look up: groups are Calico selectors, nets are canonical CIDRs, services are protocol/port entries.
// Only produced when the checker found no errors; every value here already passed Calico validation.
//
// Selector meaning: a `Sel` here is a predicate over an endpoint's *effective* labels, i.e. its own
// labels plus `projectcalico.org/namespace=<ns>` and `pcns.<k>=<v>` for its namespace's labels
// (calico-reference.md §c.7). `namespace "x"` is `projectcalico.org/namespace == "x"`; it is the
// emitter's job to scope it the way Calico needs (NetworkPolicy rules are namespace-local).

import type { Span } from "../source.js";
import type { Sel } from "../selector/ast.js";
import type { ProtocolName } from "../syntax/ast.js";

export type Family = 4 | 6;

export interface Cidr {
  /** Canonical, masked, with explicit prefix: `10.0.0.0/8`, `10.96.0.1/32`, `fd00::/8`. */
  readonly text: string;
  readonly family: Family;
}

export interface ResolvedNet {
  /** The declared name, when the net came from a `net` declaration (for network sets and messages). */
  readonly name?: string;
  readonly cidrs: readonly Cidr[]; // sorted, de-duplicated
  readonly origin: Span;
}

/** One protocol with its ports or ICMP match. `protocol` is a name or a number 1..255. */
export interface ServiceEntry {
  readonly protocol: ProtocolName | number;
  /** Port ranges (tcp/udp/sctp/udplite only), sorted and merged; empty/undefined = all ports. */
  readonly ports?: readonly { readonly from: number; readonly to: number }[];
  readonly namedPorts?: readonly string[];
  readonly icmp?: { readonly type: number; readonly code?: number };
  readonly origin: Span;
}

export interface ResolvedService {
  readonly name?: string;
  readonly entries: readonly ServiceEntry[];
  readonly origin: Span;
}

export type PeerTarget =
  | { readonly kind: "selector"; readonly sel: Sel; readonly group?: string }
  | { readonly kind: "nets"; readonly net: ResolvedNet };

export interface ResolvedPeerItem {
  readonly negated: boolean;
  readonly target: PeerTarget;
  readonly origin: Span;
}

/** (union of include) minus (union of exclude). */
export interface ResolvedPeer {
  readonly include: readonly ResolvedPeerItem[];
  readonly exclude: readonly ResolvedPeerItem[];
  readonly origin: Span;
}

export interface ModelTier {
  readonly name: string;
  readonly order: number;
  readonly defaultAction: "Deny" | "Pass";
  /** Calico's built-in `default` tier (order 1e6, Deny): referenced, never emitted. */
  readonly builtin: boolean;
  readonly origin: Span;
}

export type ModelAction = "Allow" | "Deny" | "Pass" | "Log";
export type ModelDirection = "Ingress" | "Egress";

export interface ModelRule {
  readonly direction: ModelDirection;
  readonly action: ModelAction;
  /** Empty = any protocol. */
  readonly services: readonly ServiceEntry[];
  /** The remote side (`from` on ingress, `to` on egress); undefined = any peer. */
  readonly peer?: ResolvedPeer;
  readonly origin: Span;
}

export interface ModelPolicy {
  readonly name: string;
  readonly nameSpan: Span;
  readonly flavor: "guardrail" | "policy";
  readonly staged: boolean;
  readonly tier: string;
  /** Set for `policy … namespace "ns"`: becomes a namespaced NetworkPolicy. */
  readonly namespace?: string;
  /** Explicit `order N`, if written. */
  readonly order?: number;
  /** Endpoints the policy applies to (`applies to A except B` is `A && !B`); for a namespaced policy
   *  this does not include the namespace test. */
  readonly subject: Sel;
  readonly rules: readonly ModelRule[];
  readonly origin: Span;
}

export interface ModelFlow {
  readonly staged: boolean;
  readonly tier: string;
  readonly from: ResolvedPeer;
  readonly to: ResolvedPeer;
  /** Empty = any protocol. */
  readonly services: readonly ServiceEntry[];
  readonly origin: Span;
}

export interface ModelGroup {
  readonly name: string;
  readonly sel: Sel;
  readonly origin: Span;
}

export interface Model {
  /** Tiers sorted by (order, name), including the built-in `default` tier when referenced. */
  readonly tiers: readonly ModelTier[];
  readonly groups: readonly ModelGroup[];
  readonly nets: readonly ResolvedNet[];
  readonly services: readonly ResolvedService[];
  readonly namespaces: readonly { readonly name: string; readonly values: readonly string[]; readonly origin: Span }[];
  /** Policies and guardrails in a deterministic order: by tier, then file path, then source offset. */
  readonly policies: readonly ModelPolicy[];
  /** Flows in the same deterministic order. */
  readonly flows: readonly ModelFlow[];
}

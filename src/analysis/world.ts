// The analysis' own view of a policy program: tiers, policies and rules with Calico match semantics,
// nothing more. `from-ir.ts` builds it from the IR (the model the emitters also consume); the property
// tests build it directly. Keeping it this small is what lets the tests generate thousands of worlds
// and compare the analysis with an independent brute-force evaluator.

import type { Span } from "../source.js";
import type { Sel } from "../selector/ast.js";

export type Action = "Allow" | "Deny" | "Pass" | "Log";
export type Direction = "ingress" | "egress";
export const DIRECTIONS: readonly Direction[] = ["ingress", "egress"];

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** An address range on the combined address line: IPv4 a ↦ a, IPv6 a ↦ 2^32 + a. Inclusive. */
export interface IpRange {
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * One Calico rule's match: every present field must hold (AND); within a field alternatives are OR-ed;
 * `not*` fields mean "none of". An absent field is no constraint. `selector` matches known workload
 * endpoints only (never external addresses); `notSelector` excludes them (so it includes the outside).
 */
export interface Match {
  readonly protocol?: number;
  readonly notProtocol?: number;
  /** Destination ports: numeric ranges and named ports, OR-ed; both absent = any port. */
  readonly ports?: readonly PortRange[];
  readonly namedPorts?: readonly string[];
  readonly notPorts?: readonly PortRange[];
  readonly notNamedPorts?: readonly string[];
  readonly icmp?: { readonly type: number; readonly code?: number };
  readonly notIcmp?: { readonly type: number; readonly code?: number };
  readonly selector?: Sel;
  readonly notSelector?: Sel;
  readonly nets?: readonly IpRange[];
  readonly notNets?: readonly IpRange[];
  readonly ipVersion?: 4 | 6;
}

export interface WRule {
  readonly action: Action;
  /** The rule matches the union of these (a .pol rule may lower to several Calico rules). Empty = nothing. */
  readonly matches: readonly Match[];
  readonly origin: Span;
  /** 0-based position in the policy's list for this direction (Calico's rule_index). */
  readonly index: number;
  /** Short human text of the rule for messages, e.g. "egress allow dns to coredns". */
  readonly text?: string;
  /** Set when the rule comes from a `flow` statement: the flow's text, e.g. "web -> api : http". */
  readonly flow?: string;
  /** The rule uses something the analysis models approximately (named ports, string operators…). */
  readonly approximate?: string;
}

export interface WPolicy {
  readonly name: string;
  readonly namespace?: string;
  readonly tier: string;
  /** How messages name it: "guardrail", "policy", "flows". */
  readonly flavor: string;
  /** Flows only: which half this policy is (egress on the flows' source, ingress on their destination)
   *  and that end as written (a group name or a selector). */
  readonly flowHalf?: { readonly dir: Direction; readonly end: string };
  readonly staged: boolean;
  /** Endpoints it applies to (effective labels, namespace test included). */
  readonly subject: Sel;
  /** Rules per direction; `undefined` = the policy does not apply to that direction (not in `types`). */
  readonly ingress?: readonly WRule[];
  readonly egress?: readonly WRule[];
  readonly origin: Span;
  readonly nameSpan: Span;
}

export interface WTier {
  readonly name: string;
  readonly defaultAction: "Deny" | "Pass";
  /** Calico's built-in `default` tier (flows and policies without `in TIER`): it cannot be changed. */
  readonly builtin?: boolean;
  readonly origin?: Span;
}

export interface World {
  /** In evaluation order. */
  readonly tiers: readonly WTier[];
  /** Per tier, in evaluation order (policy order, then name). */
  readonly policies: readonly WPolicy[];
  /** Verdict after the last active tier passes (Kubernetes profiles: allow). Default true. */
  readonly profileAllows?: boolean;
}

export const V6_OFFSET = 1n << 32n;
export const IP_MAX = V6_OFFSET + (1n << 128n) - 1n;

export function rulesOf(p: WPolicy, d: Direction): readonly WRule[] | undefined {
  return d === "ingress" ? p.ingress : p.egress;
}

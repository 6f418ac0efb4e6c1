// An independent, deliberately naive Calico evaluator (calico-reference.md §c.3, §d.4) for checking the
// analysis: concrete labels, concrete packets, first match through the tiers. Shares nothing with the
// set engine except the World input type.

import type { Sel } from "../../../src/selector/ast.js";
import type { Direction, Match, World, WPolicy, WRule } from "../../../src/analysis/world.js";
import { V6_OFFSET } from "../../../src/analysis/world.js";

export type LabelMap = Readonly<Record<string, string>>;

export interface Peer {
  readonly kind: "workload" | "external";
  readonly labels: LabelMap;
  readonly ip: bigint;
}

export interface Packet {
  readonly peer: Peer;
  readonly protocol: number;
  readonly port?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

export function evalSel(sel: Sel, labels: LabelMap): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  switch (sel.op) {
    case "all":
    case "global":
      return true;
    case "has":
      return has(sel.key);
    case "eq":
      return has(sel.key) && labels[sel.key] === sel.value;
    case "ne":
      return !(has(sel.key) && labels[sel.key] === sel.value);
    case "in":
      return has(sel.key) && sel.values.includes(labels[sel.key]!);
    case "notIn":
      return !(has(sel.key) && sel.values.includes(labels[sel.key]!));
    case "contains":
      return has(sel.key) && labels[sel.key]!.includes(sel.value);
    case "startsWith":
      return has(sel.key) && labels[sel.key]!.startsWith(sel.value);
    case "endsWith":
      return has(sel.key) && labels[sel.key]!.endsWith(sel.value);
    case "not":
      return !evalSel(sel.arg, labels);
    case "and":
      return sel.args.every((a) => evalSel(a, labels));
    case "or":
      return sel.args.some((a) => evalSel(a, labels));
  }
}

export function matches(m: Match, p: Packet): boolean {
  if (m.protocol !== undefined && p.protocol !== m.protocol) return false;
  if (m.notProtocol !== undefined && p.protocol === m.notProtocol) return false;
  const inPorts = (rs: readonly { from: number; to: number }[]) =>
    p.port !== undefined && rs.some((r) => p.port! >= r.from && p.port! <= r.to);
  if (m.ports !== undefined || m.namedPorts !== undefined) {
    if (!inPorts(m.ports ?? [])) return false;
  }
  if (m.notPorts !== undefined && inPorts(m.notPorts)) return false;
  const icmpIs = (ic: { type: number; code?: number }) => p.icmpType === ic.type && (ic.code === undefined || p.icmpCode === ic.code);
  if (m.icmp && !icmpIs(m.icmp)) return false;
  if (m.notIcmp && icmpIs(m.notIcmp)) return false;
  const known = (s: Sel) => p.peer.kind === "workload" && evalSel(s, p.peer.labels);
  if (m.selector && !known(m.selector)) return false;
  if (m.notSelector && known(m.notSelector)) return false;
  const inNets = (ns: readonly { lo: bigint; hi: bigint }[]) => ns.some((n) => p.peer.ip >= n.lo && p.peer.ip <= n.hi);
  if (m.nets && !inNets(m.nets)) return false;
  if (m.notNets && inNets(m.notNets)) return false;
  if (m.ipVersion === 4 && p.peer.ip >= V6_OFFSET) return false;
  if (m.ipVersion === 6 && p.peer.ip < V6_OFFSET) return false;
  return true;
}

export function ruleMatches(r: WRule, p: Packet): boolean {
  return r.matches.some((m) => matches(m, p));
}

export interface Trace {
  readonly verdict: "allow" | "deny";
  /** Rules (by `policyIndex/direction/ruleIndex`) that matched when evaluation reached them. */
  readonly reached: readonly string[];
}

/** Policies in evaluation order: tier order, then list order. */
export function evaluationOrder(world: World): number[] {
  const tierPos = new Map(world.tiers.map((t, i) => [t.name, i]));
  return world.policies
    .map((_, i) => i)
    .filter((i) => tierPos.has(world.policies[i]!.tier))
    .sort((a, b) => tierPos.get(world.policies[a]!.tier)! - tierPos.get(world.policies[b]!.tier)! || a - b);
}

export function evaluate(world: World, subject: LabelMap, dir: Direction, p: Packet, opts: { staged?: boolean } = {}): Trace {
  const order = evaluationOrder(world);
  const reached: string[] = [];
  for (const tier of world.tiers) {
    const pols = order.filter((i) => {
      const pol: WPolicy = world.policies[i]!;
      if (pol.tier !== tier.name) return false;
      if (pol.staged && !opts.staged) return false;
      const rules = dir === "ingress" ? pol.ingress : pol.egress;
      return rules !== undefined && evalSel(pol.subject, subject);
    });
    if (pols.length === 0) continue;
    let passed = false;
    outer: for (const i of pols) {
      const pol = world.policies[i]!;
      const rules = (dir === "ingress" ? pol.ingress : pol.egress)!;
      for (let k = 0; k < rules.length; k++) {
        const r = rules[k]!;
        if (!ruleMatches(r, p)) continue;
        reached.push(`${i}/${dir}/${k}`);
        if (r.action === "Allow") return { verdict: "allow", reached };
        if (r.action === "Deny") return { verdict: "deny", reached };
        if (r.action === "Pass") {
          passed = true;
          break outer;
        }
      }
    }
    if (!passed && tier.defaultAction === "Deny") return { verdict: "deny", reached };
  }
  return { verdict: world.profileAllows === false ? "deny" : "allow", reached };
}

/** The world with one rule removed (the policy stays, possibly with no rules). */
export function withoutRule(world: World, policy: number, dir: Direction, index: number): World {
  return {
    ...world,
    policies: world.policies.map((p, i) => {
      if (i !== policy) return p;
      const rules = (dir === "ingress" ? p.ingress : p.egress)!.filter((_, k) => k !== index);
      return dir === "ingress" ? { ...p, ingress: rules } : { ...p, egress: rules };
    }),
  };
}

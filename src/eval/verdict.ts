// The reference evaluator: Calico's verdict for one flow, enforced and pending, with traces
// (calico-reference.md §d.4, §d.7, §e.5). Per direction — egress of the source if it is a workload
// endpoint, ingress of the destination if it is one — tiers in order; only tiers with a policy that
// selects the endpoint for the direction; policies by order; the first matching Allow/Deny decides;
// Pass leaves the tier; the tier's default action applies at its end; Kubernetes profiles allow what
// passes out of the last tier. Staged policies count only for the pending verdict. Both directions
// must allow.

import { parseCidr } from "../net/cidr.js";
import { evaluate } from "../selector/index.js";
import type { Inventory, InvEndpoint } from "../inventory/types.js";
import { comparePolicies, protocolNumberOf, type Direction, type EvalPolicy, type EvalProgram } from "./program.js";
import { ruleMatches, World, type Address, type Packet } from "./match.js";
import { hitKind, type PolicyHit, type PolicyRef } from "./trace.js";

export type FlowEnd = { readonly pod: string } | { readonly ip: string };

export interface FlowSpec {
  readonly source: FlowEnd;
  readonly destination: FlowEnd;
  /** `tcp`, `TCP`, `icmpv6`, or a protocol number. */
  readonly protocol: string | number;
  /** Destination port (TCP, UDP, SCTP, UDPLite). */
  readonly port?: number;
  readonly icmp?: { readonly type: number; readonly code?: number };
  /** Address family when both ends are dual-stack pods (default IPv4). */
  readonly family?: 4 | 6;
}

export type Mode = "enforced" | "pending";

export interface DirectionTrace {
  readonly action: "Allow" | "Deny";
  readonly hits: readonly PolicyHit[];
}

export interface DirectionResult {
  readonly direction: Direction;
  /** `Src` = the source's egress, `Dst` = the destination's ingress (flow-log `reporter`). */
  readonly reporter: "Src" | "Dst";
  /** `namespace/name` of the endpoint. */
  readonly endpoint: string;
  readonly enforced: DirectionTrace;
  readonly pending: DirectionTrace;
}

export interface FlowVerdict {
  readonly ok: true;
  readonly enforced: "Allow" | "Deny";
  readonly pending: "Allow" | "Deny";
  readonly packet: Packet;
  readonly egress?: DirectionResult;
  readonly ingress?: DirectionResult;
}

export type FlowEvaluation = FlowVerdict | { readonly ok: false; readonly error: string };

function ref(p: EvalPolicy): PolicyRef {
  return { kind: hitKind(p.kind), name: p.name, namespace: p.namespace ?? "", tier: p.tier };
}

/** §d.4 for one endpoint and direction. */
export function directionTrace(prog: EvalProgram, world: World, ep: InvEndpoint, dir: Direction, pkt: Packet, mode: Mode): DirectionTrace {
  const hits: PolicyHit[] = [];
  const hit = (h: Omit<PolicyHit, "policy_index">): PolicyHit => {
    const full = { ...h, policy_index: hits.length } as PolicyHit;
    hits.push(full);
    return full;
  };
  for (const tier of prog.tiers) {
    const active = prog.policies
      .filter((p) => p.tier === tier.name && p.types.has(dir) && (mode === "pending" || !p.staged) && evaluate(p.selector, ep.effectiveLabels))
      .sort(comparePolicies);
    if (active.length === 0) continue;
    let passed = false;
    policies: for (const p of active) {
      const rules = dir === "Ingress" ? p.ingress : p.egress;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i]!;
        if (r.action === "Log" || !ruleMatches(r, pkt, world)) continue;
        hit({ ...ref(p), action: r.action, rule_index: i, ...(r.origin ? { span: r.origin } : {}) });
        if (r.action === "Pass") {
          passed = true;
          break policies;
        }
        return { action: r.action, hits };
      }
    }
    if (passed) continue;
    // End of tier: the enforced lookup keeps the last selecting policy, the pending checker the first.
    const trigger = mode === "pending" ? active[0]! : active[active.length - 1]!;
    hit({
      kind: "EndOfTier",
      name: "",
      namespace: "",
      tier: tier.name,
      action: tier.defaultAction,
      rule_index: -1,
      trigger: ref(trigger),
      ...(trigger.origin ? { span: trigger.origin } : {}),
    });
    if (tier.defaultAction === "Deny") return { action: "Deny", hits };
  }
  // Kubernetes pods carry profile kns.<namespace>, which allows everything.
  hit({ kind: "Profile", name: `kns.${ep.namespace}`, namespace: "", tier: "", action: "Allow", rule_index: 0 });
  return { action: "Allow", hits };
}

function address(text: string): Address | undefined {
  const p = parseCidr(text);
  if (!p.ok || text.includes("/")) return undefined;
  return { family: p.family, value: p.address, text: p.masked.slice(0, p.masked.lastIndexOf("/")) };
}

function findPod(inv: Inventory, id: string): InvEndpoint | undefined {
  return inv.endpoints.find((e) => `${e.namespace}/${e.name}` === id);
}

function podAddress(ep: InvEndpoint, family: 4 | 6): Address | undefined {
  const a = ep.addresses.find((x) => x.family === family);
  return a && { family: a.family, value: a.value, text: a.text };
}

/** Evaluates one flow against a program (read from emitted Calico objects) and an inventory. */
export function evaluateFlow(prog: EvalProgram, inv: Inventory, flow: FlowSpec, world: World = new World(prog, inv)): FlowEvaluation {
  const ends: { ep?: InvEndpoint; addr?: Address }[] = [];
  for (const [which, end] of [
    ["source", flow.source],
    ["destination", flow.destination],
  ] as const) {
    if ("pod" in end) {
      const ep = findPod(inv, end.pod);
      if (!ep) return { ok: false, error: `the ${which} pod \`${end.pod}\` is not in the inventory` };
      ends.push({ ep });
    } else {
      const addr = address(end.ip);
      if (!addr) return { ok: false, error: `the ${which} \`${end.ip}\` is not an IP address` };
      ends.push({ addr, ...(world.endpointAt(addr) ? { ep: world.endpointAt(addr)! } : {}) });
    }
  }
  const [s, d] = ends as [{ ep?: InvEndpoint; addr?: Address }, { ep?: InvEndpoint; addr?: Address }];
  const family: 4 | 6 = flow.family ?? s.addr?.family ?? d.addr?.family ?? (s.ep!.addresses.some((a) => a.family === 4) && d.ep!.addresses.some((a) => a.family === 4) ? 4 : 6);
  const src = s.addr ?? podAddress(s.ep!, family);
  const dst = d.addr ?? podAddress(d.ep!, family);
  if (!src || !dst) return { ok: false, error: `the ${src ? "destination" : "source"} has no IPv${family} address` };
  if (src.family !== dst.family) return { ok: false, error: "the two ends have addresses of different families" };
  if (!s.ep && !d.ep) return { ok: false, error: "neither end is a workload endpoint of the inventory: no Calico policy applies" };
  // Flows no Calico policy decides (calico-reference.md §d.1).
  if (s.ep && s.ep === d.ep) return { ok: false, error: `traffic from ${s.ep.namespace}/${s.ep.name} to itself never leaves the pod: Calico does not police it` };
  if (!s.ep && d.ep && d.ep.hostAddresses?.some((h) => h.family === src.family && h.value === src.value)) {
    return { ok: false, error: `${src.text} is the node of ${d.ep.namespace}/${d.ep.name}: traffic from a host to its own local pods is not subject to their ingress policy (Felix lets it through), so no Calico policy decides it` };
  }
  let protocol: number;
  try {
    protocol = protocolNumberOf(flow.protocol);
  } catch {
    return { ok: false, error: `unknown protocol \`${flow.protocol}\`` };
  }
  const pkt: Packet = { src, dst, protocol, ...(flow.port !== undefined ? { port: flow.port } : {}), ...(flow.icmp ? { icmp: flow.icmp } : {}) };
  const side = (ep: InvEndpoint, direction: Direction): DirectionResult => ({
    direction,
    reporter: direction === "Egress" ? "Src" : "Dst",
    endpoint: `${ep.namespace}/${ep.name}`,
    enforced: directionTrace(prog, world, ep, direction, pkt, "enforced"),
    pending: directionTrace(prog, world, ep, direction, pkt, "pending"),
  });
  const egress = s.ep ? side(s.ep, "Egress") : undefined;
  const ingress = d.ep ? side(d.ep, "Ingress") : undefined;
  const both = (m: Mode): "Allow" | "Deny" => ([egress, ingress].every((r) => !r || r[m].action === "Allow") ? "Allow" : "Deny");
  return { ok: true, enforced: both("enforced"), pending: both("pending"), packet: pkt, ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}) };
}

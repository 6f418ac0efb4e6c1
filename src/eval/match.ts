// Does one Calico rule match one packet? Every present field must hold (calico-reference.md §a.3,
// §a.4, §d.5): selectors match the addresses of known objects (workload endpoints and network sets)
// whose labels match; `notSelector` excludes them; nets/notNets test the address; ports are
// destination ports (numbers, ranges, or named ports of the endpoints the destination selector
// matches); `ipVersion`, protocol and ICMP type/code as written.

import type { Labels, Sel } from "../selector/ast.js";
import { evaluate } from "../selector/index.js";
import { NAMESPACE_LABEL, NAMESPACE_LABEL_PREFIX } from "../selector/ast.js";
import type { Inventory, InvEndpoint } from "../inventory/types.js";
import type { EvalCidr, EvalEntity, EvalIcmp, EvalPort, EvalProgram, EvalRule } from "./program.js";

export interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
  readonly text: string;
}

export interface Packet {
  readonly src: Address;
  readonly dst: Address;
  readonly protocol: number;
  readonly port?: number;
  readonly icmp?: { readonly type: number; readonly code?: number };
}

/** Something a selector can match: a pod's workload endpoint or a network set. */
export interface KnownObject {
  readonly labels: Labels;
  readonly endpoint?: InvEndpoint;
  readonly owns: (a: Address) => boolean;
  /** The addresses `owns` accepts, as ranges (the nftables backend builds its sets from them). */
  readonly ranges: readonly { readonly family: 4 | 6; readonly first: bigint; readonly last: bigint }[];
}

function inCidr(c: EvalCidr, a: Address): boolean {
  return c.family === a.family && c.first <= a.value && a.value <= c.last;
}

/** The objects selectors see, built once per (program, inventory). */
export class World {
  readonly objects: KnownObject[] = [];

  constructor(prog: EvalProgram, inv: Inventory) {
    for (const ep of inv.endpoints) {
      this.objects.push({
        labels: ep.effectiveLabels,
        endpoint: ep,
        owns: (a) => ep.addresses.some((x) => x.family === a.family && x.value === a.value),
        ranges: ep.addresses.map((x) => ({ family: x.family, first: x.value, last: x.value })),
      });
    }
    const nsLabels = new Map(inv.namespaces.map((n) => [n.name, n.labels]));
    for (const s of prog.netSets) {
      let labels: Labels = s.labels;
      if (s.namespace !== undefined) {
        const extra: Record<string, string> = { [NAMESPACE_LABEL]: s.namespace, [`${NAMESPACE_LABEL_PREFIX}projectcalico.org/name`]: s.namespace };
        for (const [k, v] of Object.entries(nsLabels.get(s.namespace) ?? {})) extra[NAMESPACE_LABEL_PREFIX + k] = v;
        labels = { ...extra, ...s.labels };
      }
      this.objects.push({ labels, owns: (a) => s.nets.some((c) => inCidr(c, a)), ranges: s.nets });
    }
  }

  /** Whether some known object whose labels match `sel` owns `addr`. */
  selectorMatches(sel: Sel, addr: Address): boolean {
    return this.objects.some((o) => o.owns(addr) && evaluate(sel, o.labels));
  }

  endpointAt(addr: Address): InvEndpoint | undefined {
    return this.objects.find((o) => o.endpoint && o.owns(addr))?.endpoint;
  }
}

function icmpMatches(m: EvalIcmp, pkt: Packet): boolean {
  if (!pkt.icmp) return m.type === undefined;
  if (m.type !== undefined && m.type !== pkt.icmp.type) return false;
  if (m.code !== undefined && m.code !== pkt.icmp.code) return false;
  return true;
}

function portMatches(ports: readonly EvalPort[], pkt: Packet, addr: Address, namedScope: Sel | undefined, world: World): boolean {
  if (pkt.port === undefined) return false;
  const port = pkt.port;
  return ports.some((p) => {
    if ("from" in p) return p.from <= port && port <= p.to;
    // A named port: (IP, protocol, port) of an endpoint matching the rule's positive selector that
    // declares a port of this name.
    return world.objects.some(
      (o) =>
        o.endpoint !== undefined &&
        o.owns(addr) &&
        (namedScope === undefined || evaluate(namedScope, o.labels)) &&
        o.endpoint.namedPorts.some((np) => np.name === p.name && np.port === port && protocolNumber(np.protocol) === pkt.protocol),
    );
  });
}

function protocolNumber(p: "TCP" | "UDP" | "SCTP"): number {
  return p === "TCP" ? 6 : p === "UDP" ? 17 : 132;
}

function entityMatches(e: EvalEntity, addr: Address, pkt: Packet, isDestination: boolean, world: World): boolean {
  if (e.nets && !e.nets.some((c) => inCidr(c, addr))) return false;
  if (e.notNets && e.notNets.some((c) => inCidr(c, addr))) return false;
  if (e.selector && !world.selectorMatches(e.selector, addr)) return false;
  if (e.notSelector && world.selectorMatches(e.notSelector, addr)) return false;
  if (e.ports || e.notPorts) {
    if (!isDestination) throw new Error("the evaluator does not support source ports");
    if (e.ports && !portMatches(e.ports, pkt, addr, e.selector, world)) return false;
    if (e.notPorts && pkt.port !== undefined && portMatches(e.notPorts, pkt, addr, e.selector, world)) return false;
  }
  return true;
}

export function ruleMatches(r: EvalRule, pkt: Packet, world: World): boolean {
  if (r.ipVersion !== undefined && r.ipVersion !== pkt.src.family) return false;
  if (r.protocol !== undefined && r.protocol !== pkt.protocol) return false;
  if (r.notProtocol !== undefined && r.notProtocol === pkt.protocol) return false;
  if (r.icmp && !icmpMatches(r.icmp, pkt)) return false;
  if (r.notIcmp && icmpMatches(r.notIcmp, pkt)) return false;
  if (!entityMatches(r.source, pkt.src, pkt, false, world)) return false;
  if (!entityMatches(r.destination, pkt.dst, pkt, true, world)) return false;
  return true;
}

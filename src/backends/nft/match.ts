// One Calico rule (as the reference evaluator reads it from the emitted objects) → the nft match
// expressions that select the same packets, per address family. Every present field is ANDed; the two
// kinds of destination port (numbers, named ports) are ORed, so a rule with both becomes two nft
// rules. A field that can match nothing in a family (a selector with no endpoint of that family, nets
// of the other family, named ports nobody declares) removes the rule from that family: a rule is never
// widened (nftables.md). `never` lists why each family was left out, for the diagnostic.

import type { Sel } from "../../selector/ast.js";
import { printSelector } from "../../selector/index.js";
import type { EvalCidr, EvalEntity, EvalIcmp, EvalPort, EvalRule } from "../../eval/program.js";
import { intervalElements, mergeIntervals, type Family, type Interval } from "./addresses.js";
import type { Resolver } from "./resolve.js";
import type { SetRegistry } from "./sets.js";
import { PORT_PROTOCOLS, PROTOCOL_NAME } from "../../net/protocols.js";

export interface RuleMatch {
  /** Match expressions, one nft rule each (ORed); empty when the rule can never match. */
  readonly bodies: string[];
  /** Set when a field has no nftables translation (the rule is then left out, with an error). */
  readonly unsupported?: string;
}


function proto(n: number): string {
  return PROTOCOL_NAME[n] ?? String(n);
}

function addrKey(f: Family): "ip" | "ip6" {
  return f === 4 ? "ip" : "ip6";
}

export class RuleTranslator {
  constructor(
    private readonly resolver: Resolver,
    private readonly sets: SetRegistry,
  ) {}

  /** `ip saddr 10.0.0.1`, `ip saddr @sel4_3`, with `!=` when negated. */
  private addressMatch(f: Family, field: "saddr" | "daddr", ranges: readonly Interval[], negate: boolean, prefix: string, comment: string): string {
    const elements = intervalElements(ranges, f);
    const op = negate ? "!= " : "";
    const value = elements.length === 1 ? elements[0]! : `@${this.sets.add(`${prefix}${f}`, f === 4 ? "ipv4_addr" : "ipv6_addr", elements, comment)}`;
    return `${addrKey(f)} ${field} ${op}${value}`;
  }

  /** The address matches of one entity for family `f`; undefined when the entity matches nothing there. */
  private entity(e: EvalEntity, f: Family, field: "saddr" | "daddr"): string[] | undefined {
    const parts: string[] = [];
    const cidrs = (list: readonly EvalCidr[]): Interval[] => list.filter((c) => c.family === f);
    if (e.nets) {
      const own = cidrs(e.nets);
      if (own.length === 0) return undefined;
      parts.push(this.addressMatch(f, field, own, false, "net", `nets ${e.nets.map((c) => c.text).join(" ")}`));
    }
    if (e.selector) {
      const ranges = this.resolver.ranges(e.selector, f);
      if (ranges.length === 0) return undefined;
      parts.push(this.addressMatch(f, field, ranges, false, "sel", `selector ${printSelector(e.selector)}`));
    }
    if (e.notNets) {
      const own = cidrs(e.notNets);
      if (own.length) parts.push(this.addressMatch(f, field, own, true, "net", `nets ${e.notNets.map((c) => c.text).join(" ")}`));
    }
    if (e.notSelector) {
      const ranges = this.resolver.ranges(e.notSelector, f);
      if (ranges.length) parts.push(this.addressMatch(f, field, ranges, true, "sel", `selector ${printSelector(e.notSelector)}`));
    }
    return parts;
  }

  private numericPorts(ports: readonly EvalPort[], ruleProtocol: number | undefined): string | undefined {
    const ranges = ports.filter((p): p is { from: number; to: number } => "from" in p).map((p) => ({ first: BigInt(p.from), last: BigInt(p.to) }));
    if (ranges.length === 0) return undefined;
    const elements = mergeIntervals(ranges).map((r) => (r.first === r.last ? String(r.first) : `${r.first}-${r.last}`));
    const value = elements.length === 1 ? elements[0]! : `@${this.sets.add("ports", "inet_service", elements, `ports ${elements.join(" ")}`)}`;
    // `th dport` reads bytes 2-3 of any transport header: without a rule protocol, keep it to the
    // protocols that have ports, as Calico does.
    const guard = ruleProtocol === undefined ? `meta l4proto @${this.portProtocols()} ` : "";
    return `${guard}th dport ${value}`;
  }

  private portProtocols(): string {
    return this.sets.add("protos", "inet_proto", ["tcp", "udp", "sctp", "udplite"], "protocols with ports");
  }

  private namedPorts(ports: readonly EvalPort[], scope: Sel | undefined, f: Family): string | undefined {
    const names = ports.filter((p): p is { name: string } => "name" in p).map((p) => p.name);
    if (names.length === 0) return undefined;
    const tuples = this.resolver.namedPorts(names, scope, f);
    if (tuples.length === 0) return "";
    const sorted = [...tuples].sort((a, b) => (a.address !== b.address ? (a.address < b.address ? -1 : 1) : a.protocol !== b.protocol ? (a.protocol < b.protocol ? -1 : 1) : a.port - b.port));
    const elements = [...new Set(sorted.map((t) => `${intervalElements([{ first: t.address, last: t.address }], f)[0]} . ${t.protocol} . ${t.port}`))];
    const type = f === 4 ? "ipv4_addr . inet_proto . inet_service" : "ipv6_addr . inet_proto . inet_service";
    const set = this.sets.add(`np${f}`, type, elements, `named ports ${names.join(" ")}${scope ? ` of ${printSelector(scope)}` : ""}`);
    return `${addrKey(f)} daddr . meta l4proto . th dport @${set}`;
  }

  private icmp(m: EvalIcmp, protocol: number | undefined): string | undefined {
    const kw = protocol === 1 ? "icmp" : protocol === 58 ? "icmpv6" : undefined;
    if (!kw) return undefined;
    const parts: string[] = [];
    if (m.type !== undefined) parts.push(`${kw} type ${m.type}`);
    if (m.code !== undefined) parts.push(`${kw} code ${m.code}`);
    return parts.join(" ");
  }

  translate(r: EvalRule): RuleMatch {
    if (r.notIcmp) return { bodies: [], unsupported: "`notICMP`" };
    if (r.source.ports || r.source.notPorts) return { bodies: [], unsupported: "source ports" };
    if (r.destination.notPorts) return { bodies: [], unsupported: "`notPorts`" };
    if (r.icmp && r.protocol !== 1 && r.protocol !== 58) return { bodies: [], unsupported: "`icmp` without protocol ICMP or ICMPv6" };
    const common: string[] = [];
    if (r.protocol !== undefined) common.push(`meta l4proto ${proto(r.protocol)}`);
    if (r.notProtocol !== undefined) common.push(`meta l4proto != ${proto(r.notProtocol)}`);
    if (r.icmp) {
      const m = this.icmp(r.icmp, r.protocol);
      if (m) common.push(m);
    }
    const ports = r.destination.ports;
    // Ports can only match packets of a protocol that has them.
    if (ports && r.protocol !== undefined && !PORT_PROTOCOLS.has(r.protocol)) return { bodies: [] };
    const numeric = ports ? this.numericPorts(ports, r.protocol) : undefined;
    const hasNamed = ports?.some((p) => "name" in p) ?? false;
    const addressFree = [r.source, r.destination].every((e) => !e.nets && !e.notNets && !e.selector && !e.notSelector);
    if (addressFree && !hasNamed && r.ipVersion === undefined) {
      return { bodies: [[...common, ...(numeric ? [numeric] : [])].join(" ")] };
    }
    let families: Family[] = r.ipVersion !== undefined ? [r.ipVersion] : [4, 6];
    if (r.protocol === 1) families = families.filter((f) => f === 4);
    if (r.protocol === 58) families = families.filter((f) => f === 6);
    const bodies: string[] = [];
    for (const f of families) {
      const src = this.entity(r.source, f, "saddr");
      const dst = this.entity(r.destination, f, "daddr");
      if (!src || !dst) continue;
      const alternatives: string[] = [];
      if (ports) {
        if (numeric) alternatives.push(numeric);
        const named = this.namedPorts(ports, r.destination.selector, f);
        if (named) alternatives.push(named);
        if (alternatives.length === 0) continue;
      } else alternatives.push("");
      for (const alt of alternatives) {
        const addr = [...src, ...dst];
        const guard = addr.length === 0 && !alt.includes(" daddr ") ? [`meta nfproto ipv${f}`] : [];
        bodies.push([...guard, ...addr, ...common, ...(alt ? [alt] : [])].join(" "));
      }
    }
    return { bodies };
  }
}

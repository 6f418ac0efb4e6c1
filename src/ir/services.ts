// Services → Calico protocol matches. A `.pol` rule may name several services; Calico's rule has one
// `protocol`, one `ports` list and one `icmp`. Entries of the same protocol are merged (their ports
// united), different protocols and different ICMP types become separate matches, in order of first
// appearance. Each match becomes one Calico rule (per peer item and address family): consecutive
// rules with the same action are exactly the union of their matches.

import type { ServiceEntry } from "../semantic/model.js";
import type { IrFamily, IrPortRange, IrProtocol } from "./types.js";

/** Calico's limit on `ports` entries per rule (CRD `maxItems`). */
export const MAX_PORTS_PER_RULE = 50;

export interface ProtoMatch {
  readonly protocol?: IrProtocol;
  readonly ports?: readonly IrPortRange[];
  readonly namedPorts?: readonly string[];
  readonly icmp?: { readonly type: number; readonly code?: number };
  /** The family the protocol forces (ICMP → 4, ICMPv6 → 6). */
  readonly family?: IrFamily;
}

const BY_NAME: Record<string, IrProtocol> = {
  tcp: "TCP",
  udp: "UDP",
  sctp: "SCTP",
  udplite: "UDPLite",
  icmp: "ICMP",
  icmpv6: "ICMPv6",
};

const BY_NUMBER: Record<number, IrProtocol> = { 6: "TCP", 17: "UDP", 132: "SCTP", 136: "UDPLite", 1: "ICMP", 58: "ICMPv6" };

export const PROTOCOL_NUMBER: Record<string, number> = { TCP: 6, UDP: 17, SCTP: 132, UDPLite: 136, ICMP: 1, ICMPv6: 58 };

/** Calico's canonical spelling: the name when Calico has one, else the number. */
export function canonicalProtocol(p: string | number): IrProtocol {
  if (typeof p === "number") return BY_NUMBER[p] ?? p;
  const named = BY_NAME[p.toLowerCase()];
  if (!named) throw new Error(`unknown protocol ${p}`);
  return named;
}

export function protocolNumber(p: IrProtocol): number {
  return typeof p === "number" ? p : PROTOCOL_NUMBER[p]!;
}

/** Protocols on which Calico accepts `ports`. */
export function hasPorts(p: IrProtocol): boolean {
  return p === "TCP" || p === "UDP" || p === "SCTP";
}

/** Sorted, merged (overlapping or adjacent) inclusive ranges. */
export function mergeRanges(ranges: readonly IrPortRange[]): IrPortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: { from: number; to: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ from: r.from, to: r.to });
  }
  return out;
}

interface Group {
  protocol: IrProtocol;
  anyPort: boolean;
  ranges: IrPortRange[];
  named: Set<string>;
  anyIcmp: boolean;
  icmp: { type: number; code?: number }[];
}

/** The protocol matches of a service list; `[{}]` (any protocol) for an empty list. */
export function protoMatches(entries: readonly ServiceEntry[]): ProtoMatch[] {
  if (entries.length === 0) return [{}];
  const groups = new Map<string, Group>();
  for (const e of entries) {
    const protocol = canonicalProtocol(e.protocol);
    const key = String(protocol);
    let g = groups.get(key);
    if (!g) {
      g = { protocol, anyPort: false, ranges: [], named: new Set(), anyIcmp: false, icmp: [] };
      groups.set(key, g);
    }
    const hasPortList = (e.ports?.length ?? 0) > 0 || (e.namedPorts?.length ?? 0) > 0;
    if (!hasPortList) g.anyPort = true;
    for (const r of e.ports ?? []) g.ranges.push({ from: r.from, to: r.to });
    for (const n of e.namedPorts ?? []) g.named.add(n);
    if (e.icmp) g.icmp.push(e.icmp.code === undefined ? { type: e.icmp.type } : { type: e.icmp.type, code: e.icmp.code });
    else g.anyIcmp = true;
  }
  const out: ProtoMatch[] = [];
  for (const g of groups.values()) {
    const family: IrFamily | undefined = g.protocol === "ICMP" ? 4 : g.protocol === "ICMPv6" ? 6 : undefined;
    const base = { protocol: g.protocol, ...(family ? { family } : {}) };
    if (family) {
      if (g.anyIcmp) {
        out.push(base);
        continue;
      }
      for (const t of icmpMatches(g.icmp)) out.push({ ...base, icmp: t });
      continue;
    }
    if (g.anyPort) {
      out.push(base);
      continue;
    }
    const items: ({ kind: "range"; r: IrPortRange } | { kind: "name"; n: string })[] = [
      ...mergeRanges(g.ranges).map((r) => ({ kind: "range" as const, r })),
      ...[...g.named].sort().map((n) => ({ kind: "name" as const, n })),
    ];
    for (let i = 0; i < items.length; i += MAX_PORTS_PER_RULE) {
      const chunk = items.slice(i, i + MAX_PORTS_PER_RULE);
      const ports = chunk.flatMap((x) => (x.kind === "range" ? [x.r] : []));
      const namedPorts = chunk.flatMap((x) => (x.kind === "name" ? [x.n] : []));
      out.push({ ...base, ...(ports.length ? { ports } : {}), ...(namedPorts.length ? { namedPorts } : {}) });
    }
  }
  return out;
}

/** Distinct ICMP matches in order of appearance; a type without code subsumes that type's codes. */
function icmpMatches(list: readonly { type: number; code?: number }[]): { type: number; code?: number }[] {
  const wholeTypes = new Set(list.filter((t) => t.code === undefined).map((t) => t.type));
  const seen = new Set<string>();
  const out: { type: number; code?: number }[] = [];
  for (const t of list) {
    if (t.code !== undefined && wholeTypes.has(t.type)) continue;
    const key = `${t.type}/${t.code ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

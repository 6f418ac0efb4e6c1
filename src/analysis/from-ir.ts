// IR -> analysis World. The IR already has Calico's shape (one IrRule = one Calico rule, effective
// selectors with explicit scopes), so this is mostly renaming; two things happen on the way:
// - consecutive IR rules of one policy and direction with the same origin span and action (one `.pol`
//   rule lowered to several Calico rules, e.g. `allow dns` = udp/53 + tcp/53) become one analysis rule
//   whose match is their union: first-match semantics are identical, and findings are about `.pol` rules;
// - scopes become label tests on `projectcalico.org/namespace`, CIDRs become ranges on the combined
//   IPv4 + IPv6 address line.

import { cidrRange } from "../net/cidr.js";
import { NAMESPACE_LABEL, type Sel } from "../selector/ast.js";
import { snippet, type SourceMap, type Span } from "../source.js";
import type { IrCidr, IrPolicy, IrProgram, IrProtocol, IrRule, IrSelector } from "../ir/types.js";
import { V6_OFFSET, type IpRange, type Match, type World, type WPolicy, type WRule } from "./world.js";
import { PROTOCOL_NUMBER } from "../ir/services.js";


export function protocolNumber(p: IrProtocol): number {
  return typeof p === "number" ? p : PROTOCOL_NUMBER[p]!;
}

// One Sel object per (selector, scope): the analysis memoises selector sets by object identity, and a
// group used by many rules then costs one translation instead of one per rule.
const scoped = new WeakMap<Sel, Map<string, Sel>>();

/** An IR selector as one effective-label predicate: its labels AND its namespace scope. */
export function scopedSel(s: IrSelector): Sel {
  if (s.scope.kind === "all-namespaces") return s.sel;
  const key = s.scope.names.join("\u0000");
  let bySel = scoped.get(s.sel);
  if (!bySel) scoped.set(s.sel, (bySel = new Map()));
  let out = bySel.get(key);
  if (!out) {
    const ns: Sel = { op: "in", key: NAMESPACE_LABEL, values: [...s.scope.names] };
    out = s.sel.op === "all" ? ns : { op: "and", args: [s.sel, ns] };
    bySel.set(key, out);
  }
  return out;
}

export function ipRanges(cidrs: readonly IrCidr[]): IpRange[] {
  return cidrs.map((c) => {
    const r = cidrRange(c.text);
    const off = r.family === 6 ? V6_OFFSET : 0n;
    return { lo: r.first + off, hi: r.last + off };
  });
}

export function irRuleMatch(r: IrRule): Match {
  const m: { -readonly [K in keyof Match]: Match[K] } = {};
  if (r.protocol !== undefined) m.protocol = protocolNumber(r.protocol);
  if (r.ipVersion !== undefined) m.ipVersion = r.ipVersion;
  if (r.ports) m.ports = r.ports;
  if (r.namedPorts) m.namedPorts = r.namedPorts;
  if (r.icmp) m.icmp = r.icmp;
  if (r.peer.selector) m.selector = scopedSel(r.peer.selector);
  if (r.peer.notSelector) m.notSelector = r.peer.notSelector;
  if (r.peer.nets) m.nets = ipRanges(r.peer.nets);
  if (r.peer.notNets) m.notNets = ipRanges(r.peer.notNets);
  return m;
}

/** The source text of a span on one line, comments left out (for messages). */
function spanText(sources: SourceMap | undefined, span: Span): string | undefined {
  const f = sources?.get(span.file);
  if (!f) return undefined;
  const t = snippet(f, span);
  return t.length > 0 && t.length <= 120 ? t : undefined;
}

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end;
}

function rulesOf(rules: readonly IrRule[], sources: SourceMap | undefined): WRule[] {
  const out: WRule[] = [];
  for (let i = 0; i < rules.length;) {
    const first = rules[i]!;
    let j = i + 1;
    while (j < rules.length && rules[j]!.action === first.action && sameSpan(rules[j]!.origin, first.origin)) j++;
    const group = rules.slice(i, j);
    const text = spanText(sources, first.origin);
    const named = group.some((r) => (r.namedPorts?.length ?? 0) > 0);
    out.push({
      action: first.action,
      matches: group.map(irRuleMatch),
      origin: first.origin,
      index: i,
      ...(text !== undefined ? (first.fromFlow ? { flow: text } : { text }) : {}),
      ...(named
        ? { approximate: "named ports are analysed as distinct from every numeric port (exact when the name maps to a port no rule lists)" }
        : {}),
    });
    i = j;
  }
  return out;
}

function policyOf(p: IrPolicy, sources: SourceMap | undefined): WPolicy {
  const src = p.source;
  const flavor = src.kind;
  const name = src.kind === "flows" ? p.name : src.name;
  return {
    name,
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    tier: p.tier,
    flavor,
    ...(src.kind === "flows" ? { flowHalf: flowHalf(src.direction, src.end, p, sources) } : {}),
    staged: p.staged,
    subject: scopedSel(p.subject),
    ...(p.types.includes("Ingress") ? { ingress: rulesOf(p.ingress, sources) } : {}),
    ...(p.types.includes("Egress") ? { egress: rulesOf(p.egress, sources) } : {}),
    origin: p.origin,
    nameSpan: p.origin,
  };
}

/** A flows policy's half, with its end as the flows write it (`not api`) when they all agree, else the
 *  IR's name for it (a group name or the canonical selector). */
function flowHalf(direction: "Ingress" | "Egress", end: string, p: IrPolicy, sources: SourceMap | undefined): { dir: "ingress" | "egress"; end: string } {
  const dir = direction === "Ingress" ? "ingress" : "egress";
  const texts = new Set<string>();
  for (const r of direction === "Ingress" ? p.ingress : p.egress) {
    const t = spanText(sources, r.origin);
    const arrow = t?.indexOf("->") ?? -1;
    if (t === undefined || arrow < 0) return { dir, end };
    const rest = t.slice(arrow + 2);
    const colon = rest.lastIndexOf(" : ");
    texts.add((dir === "egress" ? t.slice(0, arrow) : colon >= 0 ? rest.slice(0, colon) : rest).trim());
  }
  return texts.size === 1 ? { dir, end: [...texts][0]! } : { dir, end };
}

export function worldFromIr(ir: IrProgram, sources?: SourceMap): World {
  return {
    tiers: ir.tiers.map((t) => ({ name: t.name, defaultAction: t.defaultAction, origin: t.origin, ...(t.builtin ? { builtin: true } : {}) })),
    policies: ir.policies.map((p) => policyOf(p, sources)),
  };
}

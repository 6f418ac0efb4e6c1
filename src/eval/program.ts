// Calico objects → what Felix evaluates. Reads emitted (or any) `projectcalico.org/v3` Tier, policy and
// network-set objects and turns every policy and rule selector into the one selector Felix matches,
// with Calico's own string rewriting (calico-reference.md §c.6):
//
//   NP policy:  (sel) && projectcalico.org/namespace == '<ns>'
//   GNP policy: (sel) && P(namespaceSelector, "pcns."), then every `all()` → has(projectcalico.org/namespace)
//   rule side:  ns-part = P(namespaceSelector, "pcns.") with all()/global() rewritten, or, in an NP, the
//               own-namespace test; ANDed in front of `selector` when a selector, notSelector or
//               namespaceSelector is present; `notSelector` is used raw.
//
// The evaluator therefore checks what the cluster will do with the emitted YAML, not what the model
// meant: a lowering or emitting mistake shows up as a wrong verdict.

import { NAMESPACE_LABEL, NAMESPACE_LABEL_PREFIX, type Labels, type Sel } from "../selector/ast.js";
import { parseCalicoSelector, prefixLabels, printSelector } from "../selector/index.js";
import { parseCidr } from "../net/cidr.js";
import type { Span } from "../source.js";
import type { IrProgram } from "../ir/types.js";
import { isPolicy, type CalicoEntityRule, type CalicoObject, type CalicoPolicy, type CalicoRule, type PolicyKind } from "../backends/calico/objects.js";
import { policyKind } from "../backends/calico/emit.js";
import { PROTOCOL_BY_NAME } from "../net/protocols.js";

export type Direction = "Ingress" | "Egress";

export interface EvalCidr {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly text: string;
}

export type EvalPort = { readonly from: number; readonly to: number } | { readonly name: string };

export interface EvalEntity {
  /** Effective selector (scoping folded in); undefined = no identity constraint. */
  readonly selector?: Sel;
  readonly notSelector?: Sel;
  readonly nets?: readonly EvalCidr[];
  readonly notNets?: readonly EvalCidr[];
  readonly ports?: readonly EvalPort[];
  readonly notPorts?: readonly EvalPort[];
}

export interface EvalIcmp {
  readonly type?: number;
  readonly code?: number;
}

export interface EvalRule {
  readonly action: "Allow" | "Deny" | "Pass" | "Log";
  readonly ipVersion?: 4 | 6;
  readonly protocol?: number;
  readonly notProtocol?: number;
  readonly icmp?: EvalIcmp;
  readonly notIcmp?: EvalIcmp;
  readonly source: EvalEntity;
  readonly destination: EvalEntity;
  readonly origin?: Span;
}

export interface EvalPolicy {
  readonly kind: PolicyKind;
  readonly name: string;
  readonly namespace?: string;
  readonly tier: string;
  /** Undefined = +∞. */
  readonly order?: number;
  readonly staged: boolean;
  readonly selector: Sel;
  readonly types: ReadonlySet<Direction>;
  readonly ingress: readonly EvalRule[];
  readonly egress: readonly EvalRule[];
  readonly origin?: Span;
}

export interface EvalTier {
  readonly name: string;
  /** Undefined = after every ordered tier. */
  readonly order?: number;
  readonly defaultAction: "Deny" | "Pass";
}

export interface EvalNetSet {
  readonly name: string;
  readonly namespace?: string;
  /** Own labels; for a namespaced NetworkSet the inventory adds namespace labels when matching. */
  readonly labels: Labels;
  readonly nets: readonly EvalCidr[];
}

export interface EvalProgram {
  /** In evaluation order (Calico's TierLess). */
  readonly tiers: readonly EvalTier[];
  readonly policies: readonly EvalPolicy[];
  readonly netSets: readonly EvalNetSet[];
}

/** Calico's built-in tiers (calico-reference.md §a.1, v3.32+). */
export const BUILTIN_TIERS: readonly EvalTier[] = [
  { name: "kube-admin", order: 1000, defaultAction: "Pass" },
  { name: "default", order: 1_000_000, defaultAction: "Deny" },
  { name: "kube-baseline", order: 10_000_000, defaultAction: "Pass" },
];

export function protocolNumberOf(p: string | number): number {
  if (typeof p === "number") return p;
  if (/^\d+$/.test(p)) return Number(p);
  const n = PROTOCOL_BY_NAME[p.toLowerCase()];
  if (n === undefined) throw new Error(`unknown protocol ${p}`);
  return n;
}

function parseSel(text: string, where: string): Sel {
  const r = parseCalicoSelector(text);
  if (!r.ok) throw new Error(`${where}: invalid selector ${JSON.stringify(text)}: ${r.error}`);
  return r.sel;
}

function cidr(text: string, where: string): EvalCidr {
  const p = parseCidr(text);
  if (!p.ok) throw new Error(`${where}: invalid CIDR ${text}`);
  const total = p.family === 4 ? 32 : 128;
  const size = 1n << BigInt(total - p.prefix);
  const first = p.address - (p.address % size);
  return { family: p.family, first, last: first + size - 1n, text: p.masked };
}

function port(p: number | string, where: string): EvalPort {
  if (typeof p === "number") return { from: p, to: p };
  if (/^\d+$/.test(p)) return { from: Number(p), to: Number(p) };
  const m = /^(\d+):(\d+)$/.exec(p);
  if (m) return { from: Number(m[1]), to: Number(m[2]) };
  if (!/^[a-z0-9-]+$/.test(p)) throw new Error(`${where}: invalid port ${p}`);
  return { name: p };
}

/** P(s, "pcns.") with `all()` and `global()` rewritten, as Calico builds a rule's namespace part. */
function namespacePart(nsSelector: string, where: string): string {
  const prefixed = printSelector(prefixLabels(parseSel(nsSelector, where), NAMESPACE_LABEL_PREFIX));
  return prefixed.replaceAll("all()", `has(${NAMESPACE_LABEL})`).replaceAll("global()", `!has(${NAMESPACE_LABEL})`);
}

function entity(e: CalicoEntityRule | undefined, ns: string | undefined, where: string): EvalEntity {
  if (!e) return {};
  const unsupported = Object.keys(e).filter((k) => !["selector", "namespaceSelector", "notSelector", "nets", "notNets", "ports", "notPorts"].includes(k));
  if (unsupported.length) throw new Error(`${where}: the evaluator does not support ${unsupported.join(", ")}`);
  let nsPart: string | undefined;
  if (e.namespaceSelector) nsPart = namespacePart(e.namespaceSelector, where);
  else if (ns !== undefined) nsPart = `${NAMESPACE_LABEL} == '${ns}'`;
  const parts: string[] = [];
  if (e.selector) parts.push(e.selector);
  if (nsPart !== undefined && (parts.length > 0 || e.notSelector || e.namespaceSelector)) parts.unshift(nsPart);
  const selector = parts.length ? parseSel(parts.map((p) => `(${p})`).join(" && "), where) : undefined;
  return {
    ...(selector ? { selector } : {}),
    ...(e.notSelector ? { notSelector: parseSel(e.notSelector, where) } : {}),
    ...(e.nets?.length ? { nets: e.nets.map((c) => cidr(c, where)) } : {}),
    ...(e.notNets?.length ? { notNets: e.notNets.map((c) => cidr(c, where)) } : {}),
    ...(e.ports?.length ? { ports: e.ports.map((p) => port(p, where)) } : {}),
    ...(e.notPorts?.length ? { notPorts: e.notPorts.map((p) => port(p, where)) } : {}),
  };
}

function rule(r: CalicoRule, ns: string | undefined, where: string, origin: Span | undefined): EvalRule {
  const known = ["action", "ipVersion", "protocol", "notProtocol", "icmp", "notICMP", "source", "destination", "metadata"];
  const unsupported = Object.keys(r).filter((k) => !known.includes(k));
  if (unsupported.length) throw new Error(`${where}: the evaluator does not support ${unsupported.join(", ")}`);
  return {
    action: r.action,
    ...(r.ipVersion !== undefined ? { ipVersion: r.ipVersion } : {}),
    ...(r.protocol !== undefined ? { protocol: protocolNumberOf(r.protocol) } : {}),
    ...(r.notProtocol !== undefined ? { notProtocol: protocolNumberOf(r.notProtocol) } : {}),
    ...(r.icmp ? { icmp: r.icmp } : {}),
    ...(r.notICMP ? { notIcmp: r.notICMP } : {}),
    source: entity(r.source, ns, `${where}.source`),
    destination: entity(r.destination, ns, `${where}.destination`),
    ...(origin ? { origin } : {}),
  };
}

function policySelector(p: CalicoPolicy, where: string): Sel {
  const sel = p.spec.selector?.trim() ? p.spec.selector : "all()";
  if (p.spec.serviceAccountSelector) throw new Error(`${where}: the evaluator does not support serviceAccountSelector`);
  if (p.kind === "NetworkPolicy" || p.kind === "StagedNetworkPolicy") {
    return parseSel(`(${sel}) && ${NAMESPACE_LABEL} == '${p.metadata.namespace}'`, where);
  }
  if (!p.spec.namespaceSelector) return parseSel(sel, where);
  const prefixed = printSelector(prefixLabels(parseSel(p.spec.namespaceSelector, where), NAMESPACE_LABEL_PREFIX));
  return parseSel(`(${sel}) && ${prefixed}`.replaceAll("all()", `has(${NAMESPACE_LABEL})`), where);
}

function policy(p: CalicoPolicy, spans: SpanIndex | undefined): EvalPolicy {
  const where = `${p.kind} ${p.metadata.namespace ? `${p.metadata.namespace}/` : ""}${p.metadata.name}`;
  const staged = p.kind.startsWith("Staged");
  if (staged && p.spec.stagedAction && p.spec.stagedAction !== "Set") throw new Error(`${where}: stagedAction ${p.spec.stagedAction} is not supported`);
  const namespaced = p.kind === "NetworkPolicy" || p.kind === "StagedNetworkPolicy";
  const ns = namespaced ? p.metadata.namespace : undefined;
  if (namespaced && !ns) throw new Error(`${where}: a namespaced policy needs metadata.namespace`);
  // Felix treats a policy with no types as both directions (calico-reference.md §b.5).
  const types = new Set<Direction>(p.spec.types?.length ? p.spec.types : ["Ingress", "Egress"]);
  const src = spans?.get(`${p.kind}|${ns ?? ""}|${p.metadata.name}`);
  return {
    kind: p.kind,
    name: p.metadata.name,
    ...(ns !== undefined ? { namespace: ns } : {}),
    tier: p.spec.tier || "default",
    ...(p.spec.order !== undefined ? { order: p.spec.order } : {}),
    staged,
    selector: policySelector(p, where),
    types,
    ingress: (p.spec.ingress ?? []).map((r, i) => rule(r, ns, `${where} ingress[${i}]`, src?.ingress[i])),
    egress: (p.spec.egress ?? []).map((r, i) => rule(r, ns, `${where} egress[${i}]`, src?.egress[i])),
    ...(src ? { origin: src.origin } : {}),
  };
}

type SpanIndex = Map<string, { origin: Span; ingress: Span[]; egress: Span[] }>;

function spanIndex(ir: IrProgram): SpanIndex {
  const out: SpanIndex = new Map();
  for (const p of ir.policies) {
    out.set(`${policyKind(p)}|${p.namespace ?? ""}|${p.name}`, {
      origin: p.origin,
      ingress: p.ingress.map((r) => r.origin),
      egress: p.egress.map((r) => r.origin),
    });
  }
  return out;
}

/** Calico's tier order: by order (unset last), then name. */
export function sortTiers(tiers: readonly EvalTier[]): EvalTier[] {
  return [...tiers].sort((a, b) => {
    const oa = a.order ?? Infinity;
    const ob = b.order ?? Infinity;
    if (oa !== ob) return oa < ob ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** Reads Calico objects; `ir` (the program they were emitted from) adds source spans to trace hits. */
export function evalProgram(objects: readonly CalicoObject[], opts: { ir?: IrProgram } = {}): EvalProgram {
  const spans = opts.ir ? spanIndex(opts.ir) : undefined;
  const tiers = new Map<string, EvalTier>(BUILTIN_TIERS.map((t) => [t.name, t]));
  const policies: EvalPolicy[] = [];
  const netSets: EvalNetSet[] = [];
  for (const o of objects) {
    if (o.kind === "Tier") {
      tiers.set(o.metadata.name, {
        name: o.metadata.name,
        ...(o.spec.order !== undefined ? { order: o.spec.order } : {}),
        defaultAction: o.spec.defaultAction ?? "Deny",
      });
    } else if (o.kind === "GlobalNetworkSet" || o.kind === "NetworkSet") {
      const where = `${o.kind} ${o.metadata.name}`;
      netSets.push({
        name: o.metadata.name,
        ...(o.kind === "NetworkSet" && o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        labels: o.metadata.labels ?? {},
        nets: (o.spec.nets ?? []).map((c) => cidr(c, where)),
      });
    } else if (isPolicy(o)) {
      policies.push(policy(o, spans));
    }
  }
  // A tier referenced but not defined sorts after every real tier and defaults to Deny (§d.3).
  const sorted = sortTiers([...tiers.values()]);
  for (const p of policies) {
    if (!tiers.has(p.tier)) {
      tiers.set(p.tier, { name: p.tier, defaultAction: "Deny" });
      sorted.push({ name: p.tier, order: Number.MAX_VALUE, defaultAction: "Deny" });
    }
  }
  return { tiers: sorted, policies, netSets };
}

/** Calico's policy order inside a tier: order (unset = +∞), then `<name>/<namespace>/<kind>`. */
export function comparePolicies(a: EvalPolicy, b: EvalPolicy): number {
  const oa = a.order ?? Infinity;
  const ob = b.order ?? Infinity;
  if (oa !== ob) return oa < ob ? -1 : 1;
  const ka = `${a.name}/${a.namespace ?? ""}/${a.kind}`;
  const kb = `${b.name}/${b.namespace ?? ""}/${b.kind}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

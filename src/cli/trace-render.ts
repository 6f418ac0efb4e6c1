// Renders a `polc trace` result: text (the path through tiers, policies and rules with the `.pol`
// lines that decided each direction) or JSON shaped like Calico's flow logs (calico-reference.md §e:
// one record per reporter, `policies: { enforced_policies, pending_policies }` of PolicyHits), so it
// can be compared with what Goldmane and Whisker show for the same connection.

import { lineColOf, type SourceMap, type Span } from "../source.js";
import type { IrPolicy, IrProgram } from "../ir/types.js";
import type { Inventory, InvEndpoint } from "../inventory/types.js";
import { hitToString, type DirectionResult, type DirectionTrace, type FlowVerdict, type PolicyHit, type PolicyRef, type World, type EvalProgram } from "../eval/index.js";
import type { Address } from "../eval/match.js";

export interface TraceReport {
  readonly evaluation: FlowVerdict;
  readonly inventory: Inventory;
  readonly world: World;
  readonly ir: IrProgram;
  /** The program the evaluator ran (the emitted Calico objects). */
  readonly prog: EvalProgram;
  readonly sources: SourceMap;
  /** The protocol as the user wrote it (`tcp`, `icmpv6`, `47`). */
  readonly protocolText: string;
}

// ---- what each end is ---------------------------------------------------------------------------

/** Flow-log names of an end: a pod, a network set, or an unknown address (`pub` / `pvt`). */
interface EndInfo {
  readonly name: string;
  readonly namespace: string;
  readonly type: "WorkloadEndpoint" | "NetworkSet" | "Network";
  readonly ip: string;
  readonly labels: string[];
  readonly pod?: InvEndpoint;
}

const PRIVATE: readonly [4 | 6, bigint, number][] = [
  [4, 0x0a000000n, 8],
  [4, 0xac100000n, 12],
  [4, 0xc0a80000n, 16],
  [6, 0xfc00n << 112n, 7],
];

function isPrivate(a: Address): boolean {
  return PRIVATE.some(([fam, base, len]) => {
    if (fam !== a.family) return false;
    const bits = BigInt((fam === 4 ? 32 : 128) - len);
    return a.value >> bits === base >> bits;
  });
}

function endInfo(r: TraceReport, addr: Address): EndInfo {
  const pod = r.world.endpointAt(addr);
  if (pod) {
    return {
      name: pod.name,
      namespace: pod.namespace,
      type: "WorkloadEndpoint",
      ip: addr.text,
      labels: Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).sort(),
      pod,
    };
  }
  // Calico names a peer inside a network set after the set with the longest matching prefix.
  let best: { name: string; namespace: string; size: bigint } | undefined;
  for (const s of r.prog.netSets) {
    for (const c of s.nets) {
      if (c.family !== addr.family || addr.value < c.first || addr.value > c.last) continue;
      const size = c.last - c.first;
      if (!best || size < best.size) best = { name: s.name, namespace: s.namespace ?? "", size };
    }
  }
  if (best) return { name: best.name, namespace: best.namespace, type: "NetworkSet", ip: addr.text, labels: [] };
  return { name: isPrivate(addr) ? "pvt" : "pub", namespace: "", type: "Network", ip: addr.text, labels: [] };
}

function endText(e: EndInfo): string {
  if (e.pod) return `${e.namespace}/${e.name} (${e.ip})`;
  if (e.type === "NetworkSet") return `${e.ip} (network set ${e.name})`;
  return `${e.ip} (external, ${e.name === "pvt" ? "private" : "public"} address)`;
}

function serviceText(r: TraceReport): string {
  const p = r.evaluation.packet;
  if (p.port !== undefined) return `${r.protocolText}/${p.port}`;
  if (p.icmp) return `${r.protocolText} type ${p.icmp.type}${p.icmp.code !== undefined ? ` code ${p.icmp.code}` : ""}`;
  return r.protocolText;
}

// ---- who a hit is in .pol terms -----------------------------------------------------------------

function irPolicy(r: TraceReport, ref: PolicyRef): IrPolicy | undefined {
  return r.ir.policies.find((p) => p.name === ref.name && (p.namespace ?? "") === ref.namespace);
}

/** The `.pol` declaration behind a Calico policy: guardrail `dns`, flows in tier `app` (egress of `web`). */
function polName(r: TraceReport, ref: PolicyRef): string {
  const p = irPolicy(r, ref);
  if (!p) return `${ref.kind === "CalicoNetworkPolicy" ? "NetworkPolicy" : ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
  const staged = p.staged ? "staged " : "";
  if (p.source.kind === "flows") return `${staged}flows in tier \`${p.tier}\` (${p.source.direction === "Egress" ? "egress of" : "ingress to"} \`${p.source.end}\`)`;
  return `${staged}${p.source.kind} \`${p.source.name}\``;
}

interface Quote {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

function quote(sources: SourceMap, span: Span | undefined): Quote | undefined {
  if (!span) return undefined;
  const f = sources.get(span.file);
  if (!f) return undefined;
  const lc = lineColOf(f, span.start);
  const start = f.lineStarts[lc.line - 1] ?? 0;
  const end = f.lineStarts[lc.line] ?? f.text.length;
  return { file: f.path, line: lc.line, column: lc.column, text: f.text.slice(start, end).trim() };
}

// ---- text ---------------------------------------------------------------------------------------

const ACTION: Record<PolicyHit["action"], string> = { Allow: "allow", Deny: "deny", Pass: "pass" };

function hitLines(r: TraceReport, h: PolicyHit, dir: "ingress" | "egress", ep: string): string[] {
  let what: string;
  if (h.kind === "Profile") {
    const why = h.policy_index === 0 ? `no tier has a policy selecting ${ep} for ${dir}` : "every tier that selects it passed";
    what = `${ACTION[h.action]} by profile \`${h.name}\`: ${why} (Calico's profiles allow Kubernetes pods by default)`;
  } else if (h.kind === "EndOfTier") {
    const by = h.trigger ? `; ${polName(r, h.trigger)} selects ${ep} in this tier` : "";
    what = `${ACTION[h.action]} at the end of the tier (its default action)${by}`;
  } else {
    // Rules are numbered from 1 as in the analysis' messages; Calico's rule_index (from 0) is in the trace line.
    what = `${ACTION[h.action]} by ${polName(r, h)}, ${dir} rule ${h.rule_index + 1}`;
  }
  const lines = [`  ${h.policy_index}. ${h.kind === "Profile" ? "profiles" : `tier ${h.tier}`} — ${what}`];
  const q = quote(r.sources, h.span);
  if (q) lines.push(`     ${q.file}:${q.line} | ${q.text}`);
  lines.push(`     calico: ${hitToString(h)}`);
  return lines;
}

function paint(s: string, color: boolean): string {
  if (!color) return s;
  return s === "Allow" ? `\x1b[1;32m${s}\x1b[0m` : `\x1b[1;31m${s}\x1b[0m`;
}

function sameTrace(a: DirectionTrace, b: DirectionTrace): boolean {
  return a.action === b.action && a.hits.length === b.hits.length && a.hits.every((h, i) => hitToString(h) === hitToString(b.hits[i]!));
}

function directionText(r: TraceReport, d: DirectionResult, color: boolean): string[] {
  const dir = d.direction === "Egress" ? "egress" : "ingress";
  const side = d.direction === "Egress" ? "source" : "destination";
  const out = [`${dir} of ${d.endpoint} (${side} side, reporter ${d.reporter}): ${paint(d.enforced.action, color)}`];
  for (const h of d.enforced.hits) out.push(...hitLines(r, h, dir, d.endpoint));
  if (sameTrace(d.enforced, d.pending)) {
    out.push(`  pending (staged policies enforced): the same path`);
  } else {
    out.push(`  pending (staged policies enforced): ${paint(d.pending.action, color)}`);
    for (const h of d.pending.hits) out.push(...hitLines(r, h, dir, d.endpoint).map((l) => `  ${l}`));
  }
  return out;
}

function notPolicedText(which: "egress" | "ingress", e: EndInfo): string {
  const side = which === "egress" ? "source" : "destination";
  return `${which}: the ${side} ${e.ip} is not a pod of the inventory: no Calico policy applies on that side`;
}

export function renderTraceText(r: TraceReport, opts: { color?: boolean } = {}): string {
  const color = opts.color ?? false;
  const v = r.evaluation;
  const src = endInfo(r, v.packet.src);
  const dst = endInfo(r, v.packet.dst);
  const out: string[] = [];
  out.push(`flow ${endText(src)} -> ${endText(dst)} : ${serviceText(r)} (IPv${v.packet.src.family})`);
  out.push("");
  out.push(`enforced: ${paint(v.enforced, color)}`);
  out.push(`pending:  ${paint(v.pending, color)}${v.pending === v.enforced ? "" : " (once the staged policies are enforced)"}`);
  out.push("");
  out.push(...(v.egress ? directionText(r, v.egress, color) : [notPolicedText("egress", src)]));
  out.push("");
  out.push(...(v.ingress ? directionText(r, v.ingress, color) : [notPolicedText("ingress", dst)]));
  return out.join("\n") + "\n";
}

// ---- JSON (flow-log shaped) ---------------------------------------------------------------------

const PROTO_NAMES: Record<number, string> = { 6: "tcp", 17: "udp", 1: "icmp", 58: "icmp6", 132: "sctp", 4: "ipip", 50: "esp" };

function refJson(ref: PolicyRef): Record<string, unknown> {
  return { kind: ref.kind, namespace: ref.namespace, name: ref.name, tier: ref.tier };
}

function hitJson(r: TraceReport, h: PolicyHit): Record<string, unknown> {
  const q = quote(r.sources, h.span);
  return {
    ...refJson(h),
    action: h.action,
    policy_index: h.policy_index,
    rule_index: h.rule_index,
    trigger: h.trigger ? refJson(h.trigger) : null,
    // Not in Calico's PolicyHit: where the hit comes from in the .pol sources.
    ...(q ? { location: q } : {}),
  };
}

function flowRecord(r: TraceReport, d: DirectionResult, src: EndInfo, dst: EndInfo): Record<string, unknown> {
  const p = r.evaluation.packet;
  return {
    source_name: src.name,
    source_namespace: src.namespace,
    source_type: src.type,
    source_labels: src.labels,
    dest_name: dst.name,
    dest_namespace: dst.namespace,
    dest_type: dst.type,
    dest_labels: dst.labels,
    proto: PROTO_NAMES[p.protocol] ?? String(p.protocol),
    dest_port: p.port ?? 0,
    reporter: d.reporter,
    action: d.enforced.action,
    pending_action: d.pending.action,
    policies: {
      enforced_policies: d.enforced.hits.map((h) => hitJson(r, h)),
      pending_policies: d.pending.hits.map((h) => hitJson(r, h)),
    },
    // Felix's compact form of the same traces (§e.3), as in `calicoctl`/Goldmane debug output.
    policy_strings: {
      enforced: d.enforced.hits.map(hitToString),
      pending: d.pending.hits.map(hitToString),
    },
  };
}

export function renderTraceJson(r: TraceReport): string {
  const v = r.evaluation;
  const src = endInfo(r, v.packet.src);
  const dst = endInfo(r, v.packet.dst);
  const flows = [v.egress, v.ingress].filter((d): d is DirectionResult => d !== undefined).map((d) => flowRecord(r, d, src, dst));
  const doc = {
    flow: {
      source: { name: src.name, namespace: src.namespace, type: src.type, ip: src.ip },
      destination: { name: dst.name, namespace: dst.namespace, type: dst.type, ip: dst.ip },
      proto: PROTO_NAMES[v.packet.protocol] ?? String(v.packet.protocol),
      dest_port: v.packet.port ?? 0,
      ...(v.packet.icmp ? { icmp: v.packet.icmp } : {}),
      ip_version: v.packet.src.family,
    },
    action: v.enforced,
    pending_action: v.pending,
    flows,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

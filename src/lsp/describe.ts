// What a name means, in words an editor can show: the resolved value of a declaration (canonical
// selector, CIDRs, ports, tier order) from the checked model, and the Calico objects it becomes from
// the IR. Both exist only while the project has no errors; then only the declaration is shown.

import type { ServiceEntry } from "../semantic/model.js";
import type { PolSymbol, PolicySymbol } from "../semantic/symbols.js";
import type { CalicoSummary } from "./check.js";
import { printSelector } from "../selector/index.js";
import { policyKind } from "../backends/calico/emit.js";
import type { ProjectCheck } from "./check.js";

/** A service entry in `.pol` notation, one item per port range or named port: `tcp/80`, `tcp/8000-8080`,
 *  `tcp/http`, `icmp/3/4`, `proto/47`, `udp (any port)`. */
export function serviceEntryTexts(e: ServiceEntry): string[] {
  const proto = typeof e.protocol === "number" ? `proto/${e.protocol}` : e.protocol;
  if (e.icmp) return [`${proto}/${e.icmp.type}${e.icmp.code !== undefined ? `/${e.icmp.code}` : ""}`];
  const ports = [...(e.ports ?? []).map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)), ...(e.namedPorts ?? [])];
  if (ports.length === 0) return [typeof e.protocol === "number" ? proto : `${proto} (any port)`];
  return ports.map((p) => `${proto}/${p}`);
}

function objectText(p: CalicoSummary["policies"][number]): string {
  return `${policyKind(p)} \`${p.namespace !== undefined ? `${p.namespace}/` : ""}${p.name}\``;
}

/** Facts about a declared name, as markdown lines. */
export function symbolFacts(sym: PolSymbol, check: ProjectCheck): string[] {
  const out: string[] = [];
  const { model } = check;
  const ir = check.late?.summary;
  if (sym.origin === "builtin") {
    out.push(`predeclared service: protocol ${sym.name.toUpperCase()}, any port`);
    return out;
  }
  if (!model) {
    out.push("_resolved values are shown when the project has no errors_");
    return out;
  }
  switch (sym.kind) {
    case "group": {
      const g = model.groups.find((x) => x.name === sym.name);
      if (g) out.push(`selector: \`${printSelector(g.sel)}\``);
      const objs = (ir?.policies ?? []).filter((p) => p.source.kind === "flows" && p.source.end === sym.name);
      if (objs.length) out.push(`flows make it: ${objs.map(objectText).join(", ")}`);
      break;
    }
    case "net": {
      const n = model.nets.find((x) => x.name === sym.name);
      if (n) out.push(`CIDRs: ${n.cidrs.map((c) => `\`${c.text}\``).join(", ") || "none"}`);
      const sets = (ir?.netSets ?? []).filter((s) => s.net === sym.name);
      if (sets.length) out.push(`Calico: ${sets.map((s) => `GlobalNetworkSet \`${s.name}\``).join(", ")}`);
      break;
    }
    case "service": {
      const s = model.services.find((x) => x.name === sym.name);
      if (s) out.push(`ports: ${s.entries.flatMap(serviceEntryTexts).map((t) => `\`${t}\``).join(", ")}`);
      break;
    }
    case "namespaces": {
      const n = model.namespaces.find((x) => x.name === sym.name);
      if (n) out.push(`namespaces: ${n.values.map((v) => `\`${v}\``).join(", ")}`);
      break;
    }
    case "tier": {
      const t = model.tiers.find((x) => x.name === sym.name);
      if (t) out.push(`order ${t.order}, default action ${t.defaultAction}`);
      const it = ir?.tiers.find((x) => x.name === sym.name && !x.builtin);
      if (it) out.push(`Calico: Tier \`${it.name}\``);
      break;
    }
  }
  return out;
}

/** Facts about a policy or guardrail: its tier and the Calico object(s) it becomes. */
export function policyFacts(p: PolicySymbol, check: ProjectCheck): string[] {
  const out = [`${p.staged ? "staged " : ""}${p.flavor} in tier \`${p.tier}\`${p.namespace !== undefined ? `, namespace \`${p.namespace}\`` : ""}`];
  const ir = check.late?.summary;
  if (!ir) {
    out.push("_the Calico objects are shown when the project has no errors_");
    return out;
  }
  const objs = ir.policies.filter((x) => x.source.kind === p.flavor && x.source.name === p.name);
  if (objs.length) out.push(`Calico: ${objs.map((o) => `${objectText(o)} (order ${o.order})`).join(", ")}`);
  return out;
}

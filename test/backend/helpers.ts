// Helpers for the backend tests: compile `.pol` text held in memory (the standard library is the
// real one), and build Models by hand for cases the checker would reject before lowering.

import { join } from "node:path";
import { compile, type CompileResult } from "../../src/compile.js";
import { renderText } from "../../src/diag/render.js";
import type { Model, ModelFlow, ModelPolicy, ModelRule, ModelTier, ResolvedPeer, ResolvedPeerItem, ServiceEntry, Cidr } from "../../src/semantic/model.js";
import { parseCalicoSelector } from "../../src/selector/index.js";
import type { Sel } from "../../src/selector/ast.js";
import type { Span } from "../../src/source.js";

export const ROOT = "/virtual/project";

export function compileSources(files: Record<string, string>, entries = Object.keys(files)): CompileResult {
  const bytes = new Map(Object.entries(files).map(([p, t]) => [join(ROOT, p), new TextEncoder().encode(t)]));
  return compile(
    entries.map((p) => join(ROOT, p)),
    { projectRoot: ROOT, readFile: (abs) => bytes.get(abs) },
  );
}

/** Compiles `main.pol`. */
export function compileText(text: string): CompileResult {
  return compileSources({ "main.pol": text });
}

export function rendered(r: CompileResult): string {
  return renderText(r.diagnostics, r.sources);
}

export function codes(r: { diagnostics: readonly { code: string }[] }): string[] {
  return r.diagnostics.map((d) => d.code);
}

// ---- hand-built models -------------------------------------------------------------------------

let offset = 0;
/** A fresh span in `main.pol` (increasing offsets, so source order is creation order). */
export function sp(): Span {
  offset += 10;
  return { file: "main.pol", start: offset, end: offset + 5 };
}

export function sel(text: string): Sel {
  const r = parseCalicoSelector(text);
  if (!r.ok) throw new Error(`bad selector ${text}: ${r.error}`);
  return r.sel;
}

export function cidr(text: string): Cidr {
  return { text, family: text.includes(":") ? 6 : 4 };
}

export type ItemSpec = { sel: string; group?: string; not?: boolean } | { nets: string[]; name?: string; not?: boolean };

export function item(spec: ItemSpec): ResolvedPeerItem {
  const origin = sp();
  if ("sel" in spec) {
    return { negated: spec.not ?? false, target: { kind: "selector", sel: sel(spec.sel), ...(spec.group ? { group: spec.group } : {}) }, origin };
  }
  return {
    negated: spec.not ?? false,
    target: { kind: "nets", net: { ...(spec.name ? { name: spec.name } : {}), cidrs: spec.nets.map(cidr), origin } },
    origin,
  };
}

export function peer(include: ItemSpec[], exclude: ItemSpec[] = []): ResolvedPeer {
  return { include: include.map(item), exclude: exclude.map(item), origin: sp() };
}

export function svc(protocol: ServiceEntry["protocol"], extra: Partial<Omit<ServiceEntry, "protocol" | "origin">> = {}): ServiceEntry {
  return { protocol, ...extra, origin: sp() };
}

export function rule(direction: ModelRule["direction"], action: ModelRule["action"], services: ServiceEntry[] = [], p?: ResolvedPeer): ModelRule {
  return { direction, action, services, ...(p ? { peer: p } : {}), origin: sp() };
}

export function tier(name: string, order: number, defaultAction: "Deny" | "Pass" = "Pass"): ModelTier {
  return { name, order, defaultAction, builtin: name === "default", origin: sp() };
}

export function policy(name: string, tierName: string, subject: string, rules: ModelRule[], extra: Partial<ModelPolicy> = {}): ModelPolicy {
  const origin = sp();
  return { name, nameSpan: origin, flavor: "guardrail", staged: false, tier: tierName, subject: sel(subject), rules, origin, ...extra };
}

export function flow(tierName: string, from: ResolvedPeer, to: ResolvedPeer, services: ServiceEntry[], staged = false): ModelFlow {
  return { staged, tier: tierName, from, to, services, origin: sp() };
}

export function model(parts: { tiers: ModelTier[]; policies?: ModelPolicy[]; flows?: ModelFlow[] }): Model {
  return { tiers: parts.tiers, groups: [], nets: [], services: [], namespaces: [], policies: parts.policies ?? [], flows: parts.flows ?? [] };
}

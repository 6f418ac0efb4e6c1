// Model → IR. Policies and guardrails map one to one; flows are grouped into generated policies
// (one egress policy per source end, one ingress policy per destination end, per tier and
// staged-ness); every policy gets a distinct explicit order; names follow Calico's rules.
// docs/calico-output.md describes each decision.

import type { Diagnostic } from "../diag/diagnostic.js";
import { sortDiagnostics } from "../diag/diagnostic.js";
import type { Model, ModelFlow, ModelPolicy, ResolvedPeer, ResolvedNet } from "../semantic/model.js";
import type { Sel } from "../selector/ast.js";
import { printSelector } from "../selector/index.js";
import type { Span } from "../source.js";
import type { IrDirection, IrNetSet, IrPolicy, IrPolicySource, IrProgram, IrRule, IrSelector, IrTier } from "./types.js";
import { lowerRule, namespacedExpressible } from "./rules.js";
import { namespacedSubject, scopeSelector, singleNamespace } from "./scope.js";
import { calicoPolicyName, flowPolicyBase, netSetName, validPolicyName } from "./names.js";
import { sortCidrs, uniqueCidrs } from "./peers.js";
import { makeDiag } from "./diag.js";
import { selectorHazards } from "./hazards.js";
import { assignOrders, policyTieKey } from "./orders.js";

export interface LowerResult {
  /** Present when lowering found no error. */
  readonly ir?: IrProgram;
  readonly diagnostics: Diagnostic[];
}

export interface Draft {
  name: string;
  kind: "global" | "namespaced";
  namespace?: string;
  staged: boolean;
  tier: string;
  explicitOrder?: number;
  subject: IrSelector;
  ingress: IrRule[];
  egress: IrRule[];
  source: IrPolicySource;
  origin: Span;
  /** Where a clash is reported. */
  nameSpan: Span;
}

function typesOf(d: Draft): IrDirection[] {
  return [...(d.ingress.length ? (["Ingress"] as const) : []), ...(d.egress.length ? (["Egress"] as const) : [])];
}

class Lowering {
  readonly diagnostics: Diagnostic[] = [];
  readonly drafts: Draft[] = [];
  readonly netSets = new Map<string, IrNetSet>();
  private readonly netsByName = new Map<string, ResolvedNet>();

  constructor(model: Model) {
    for (const n of model.nets) if (n.name !== undefined) this.netsByName.set(n.name, n);
  }

  /** Registers the network sets the kept rules use. */
  private useNetSets(rules: readonly IrRule[], peer: ResolvedPeer | undefined): void {
    for (const r of rules) {
      for (const name of r.peer.netSets ?? []) {
        if (this.netSets.has(name)) continue;
        const fromPeer = peer?.include.find((i) => i.target.kind === "nets" && i.target.net.name === name);
        const net = fromPeer?.target.kind === "nets" ? fromPeer.target.net : this.netsByName.get(name);
        if (!net) throw new Error(`network set ${name} has no net`);
        this.netSets.set(name, {
          net: name,
          name: netSetName(name),
          cidrs: sortCidrs(uniqueCidrs(net.cidrs)),
          origin: net.origin,
        });
      }
    }
  }

  private rules(input: Parameters<typeof lowerRule>[0]): IrRule[] {
    const r = lowerRule(input);
    this.diagnostics.push(...r.diagnostics);
    this.useNetSets(r.rules, input.peer);
    return r.rules;
  }

  policy(p: ModelPolicy): void {
    const subject = p.namespace !== undefined ? namespacedSubject(p.subject, p.namespace) : scopeSelector(p.subject);
    const ingress: IrRule[] = [];
    const egress: IrRule[] = [];
    for (const rule of p.rules) {
      const lowered = this.rules({ action: rule.action, services: rule.services, ...(rule.peer ? { peer: rule.peer } : {}), origin: rule.origin });
      if (p.namespace !== undefined) {
        const bad = lowered.find((r) => !namespacedExpressible(r.peer));
        if (bad) {
          this.diagnostics.push(
            makeDiag("POL4003", rule.peer?.origin ?? rule.origin, `a namespaced policy cannot ${notWhat(rule.peer)}`, {
              label: "Calico would confine this to endpoints of a namespace",
              notes: [
                "in a NetworkPolicy, Calico adds a namespace test to every rule that has a `notSelector`, so this peer would lose every address outside the namespace",
              ],
              help: `make \`${p.name}\` a guardrail, or name the remote side positively (\`not NET\` and \`except NET\` are fine: they compile to \`notNets\`)`,
            }),
          );
          continue;
        }
      }
      (rule.direction === "Ingress" ? ingress : egress).push(...lowered);
    }
    const draft: Draft = {
      name: calicoPolicyName(p.tier, p.name),
      kind: p.namespace !== undefined ? "namespaced" : "global",
      ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
      staged: p.staged,
      tier: p.tier,
      ...(p.order !== undefined ? { explicitOrder: p.order } : {}),
      subject,
      ingress,
      egress,
      source: { kind: p.flavor, name: p.name },
      origin: p.origin,
      nameSpan: p.nameSpan,
    };
    if (p.rules.length === 0) {
      this.diagnostics.push(
        makeDiag("POL4008", p.nameSpan, `${p.flavor} \`${p.name}\` has no rules; nothing is emitted for it`, {
          help: "add rules (`ingress deny` for a default deny), or remove it",
        }),
      );
      return;
    }
    this.drafts.push(draft);
  }

  flows(flows: readonly ModelFlow[]): void {
    const byKey = new Map<string, { draft: Draft; group?: string; sel: Sel; direction: IrDirection }>();
    const add = (f: ModelFlow, direction: IrDirection, end: FlowEnd, rules: IrRule[]): void => {
      const selectorText = printSelector(end.sel);
      const key = `${f.tier}|${f.staged}|${direction}|${selectorText}`;
      let entry = byKey.get(key);
      if (!entry) {
        const base = flowPolicyBase({ ...(end.group !== undefined ? { group: end.group } : {}), selectorText }, direction);
        entry = {
          draft: {
            name: calicoPolicyName(f.tier, base),
            kind: "global",
            staged: f.staged,
            tier: f.tier,
            subject: scopeSelector(end.sel),
            ingress: [],
            egress: [],
            source: { kind: "flows", direction, end: end.group ?? selectorText },
            origin: f.origin,
            nameSpan: f.origin,
          },
          ...(end.group !== undefined ? { group: end.group } : {}),
          sel: end.sel,
          direction,
        };
        byKey.set(key, entry);
      }
      (direction === "Ingress" ? entry.draft.ingress : entry.draft.egress).push(...rules);
    };
    for (const f of flows) {
      const src = this.flowEnd(f.from);
      const dst = this.flowEnd(f.to);
      if (src === null || dst === null) continue;
      if (src) add(f, "Egress", src, this.rules({ action: "Allow", services: f.services, peer: f.to, origin: f.origin, fromFlow: true }));
      if (dst) add(f, "Ingress", dst, this.rules({ action: "Allow", services: f.services, peer: f.from, origin: f.origin, fromFlow: true }));
    }
    for (const { draft, sel } of byKey.values()) {
      if (draft.ingress.length === 0 && draft.egress.length === 0) continue; // every rule failed
      const ns = singleNamespace(draft.subject.scope);
      const rules = [...draft.ingress, ...draft.egress];
      if (ns !== undefined && rules.every((r) => namespacedExpressible(r.peer))) {
        draft.kind = "namespaced";
        draft.namespace = ns;
        draft.subject = namespacedSubject(sel, ns);
      }
      this.drafts.push(draft);
    }
  }

  /** The endpoints of a flow end: undefined for an end of nets only, null after an error. */
  private flowEnd(peer: ResolvedPeer): FlowEnd | undefined | null {
    const items = peer.include.filter((i) => i.target.kind === "selector");
    if (items.length === 0) return undefined;
    const exceptNets = peer.exclude.filter((x) => x.target.kind === "nets");
    if (exceptNets.length > 0) {
      this.diagnostics.push(
        makeDiag("POL4005", exceptNets[0]!.origin, "a flow end cannot exclude addresses from a set of endpoints", {
          label: "Calico selects the endpoints a policy applies to by labels, not addresses",
          help: "exclude the endpoints by label instead (`except GROUP`), or write the egress half as a policy rule",
        }),
      );
      return null;
    }
    const parts = items.map((i) => {
      const sel = (i.target as { sel: Sel }).sel;
      return i.negated ? notOf(sel) : sel;
    });
    const excepts = peer.exclude.flatMap((x) => (x.target.kind === "selector" ? [notOf(x.target.sel)] : []));
    const union: Sel = parts.length === 1 ? parts[0]! : { op: "or", args: parts };
    const sel: Sel = excepts.length ? { op: "and", args: [union, ...excepts] } : union;
    const only = items.length === 1 && !items[0]!.negated && excepts.length === 0 ? items[0]!.target : undefined;
    const group = only?.kind === "selector" ? only.group : undefined;
    return { sel, ...(group !== undefined ? { group } : {}) };
  }
}

/** What POL4003 calls the peer that needs an unscoped `notSelector`. */
function notWhat(peer: ResolvedPeer | undefined): string {
  if (peer?.include.some((i) => i.negated && i.target.kind === "selector")) return "match addresses outside the cluster with `not SELECTOR`";
  return "exclude endpoints (`except SELECTOR`) from addresses";
}

interface FlowEnd {
  sel: Sel;
  group?: string;
}

function notOf(s: Sel): Sel {
  return s.op === "not" ? s.arg : { op: "not", arg: s };
}

function objectKey(d: { kind: string; staged: boolean; namespace?: string; name: string }): string {
  return `${d.staged}|${d.kind}|${d.namespace ?? ""}|${d.name}`;
}

export function lower(model: Model): LowerResult {
  const l = new Lowering(model);
  for (const p of model.policies) l.policy(p);
  const userKeys = new Map(l.drafts.map((d) => [objectKey(d), d]));
  l.flows(model.flows);

  // Names of generated policies: valid and not clashing with anything else.
  const seen = new Map<string, Draft>(userKeys);
  const drafts: Draft[] = [];
  for (const d of l.drafts) {
    if (d.source.kind !== "flows") {
      drafts.push(d);
      continue;
    }
    if (!validPolicyName(d.name)) {
      l.diagnostics.push(
        makeDiag("POL4009", d.origin, `the generated policy name \`${d.name.slice(0, 60)}\` is not a valid Calico name`, {
          help: "shorten the tier or group name",
        }),
      );
      continue;
    }
    const clash = seen.get(objectKey(d));
    if (clash) {
      l.diagnostics.push(
        makeDiag("POL4004", d.origin, `the policy generated for this flow would be named \`${d.name}\`, like another policy`, {
          secondary: [{ span: clash.nameSpan, message: `\`${clash.name}\` is declared here` }],
          help: "rename the declared policy",
        }),
      );
      continue;
    }
    seen.set(objectKey(d), d);
    drafts.push(d);
  }

  const tiers: IrTier[] = model.tiers.map((t) => ({ name: t.name, order: t.order, defaultAction: t.defaultAction, builtin: t.builtin, origin: t.origin }));
  const tierIndex = new Map(tiers.map((t, i) => [t.name, i]));
  const orders = assignOrders(drafts);
  const policies: IrPolicy[] = drafts.map((d) => ({
    name: d.name,
    kind: d.kind,
    ...(d.namespace !== undefined ? { namespace: d.namespace } : {}),
    staged: d.staged,
    tier: d.tier,
    order: orders.get(d)!,
    subject: d.subject,
    types: typesOf(d),
    ingress: d.ingress,
    egress: d.egress,
    source: d.source,
    origin: d.origin,
    nameSpan: d.nameSpan,
  }));
  policies.sort((a, b) => {
    const ta = tierIndex.get(a.tier) ?? Number.MAX_SAFE_INTEGER;
    const tb = tierIndex.get(b.tier) ?? Number.MAX_SAFE_INTEGER;
    if (ta !== tb) return ta - tb;
    if (a.order !== b.order) return a.order - b.order;
    const ka = policyTieKey(a);
    const kb = policyTieKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const p of policies) l.diagnostics.push(...selectorHazards(p));
  const netSets = [...l.netSets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const diagnostics = sortDiagnostics(l.diagnostics);
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { ir: { version: 1, tiers, netSets, policies }, diagnostics };
}

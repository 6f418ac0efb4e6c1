// Checks over the whole program once every declaration is resolved: policy names and orders unique
// per tier, staged twins, selectors that match nothing, unused tiers, and deny-default tiers that
// hide later tiers' allows.

import type { Span } from "../source.js";
import { NAMESPACE_LABEL, ORCHESTRATOR_LABEL, type Sel } from "../selector/ast.js";
import type { ModelFlow, ModelPolicy, ModelTier, ResolvedPeer } from "./model.js";
import type { Ctx } from "./context.js";
import { calicoPolicyName } from "./policies.js";
import { SpanSet } from "./span-set.js";
import { labelRestrictions, satisfiable, selAnd, type Restrictions } from "./deps.js";

function cmpSpan(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start - b.start;
}

function kindOf(p: ModelPolicy): string {
  return `${p.staged ? "staged " : ""}${p.flavor}`;
}

/** Two policies Calico would store under one name; two explicit orders that tie in one tier. */
export function checkPolicySet(ctx: Ctx, policies: readonly ModelPolicy[]): void {
  const sorted = [...policies].sort((a, b) => cmpSpan(a.nameSpan, b.nameSpan));
  const byName = new Map<string, ModelPolicy>();
  const byOrder = new Map<string, ModelPolicy>();
  for (const p of sorted) {
    const nameKey = `${p.staged}|${p.tier}|${p.namespace ?? ""}|${p.name}`;
    const first = byName.get(nameKey);
    if (first) {
      const where = p.namespace !== undefined ? ` in namespace \`${p.namespace}\`` : "";
      ctx.report.emit("POL2013", p.nameSpan, `two ${p.staged ? "staged " : ""}policies named \`${p.name}\` in tier \`${p.tier}\`${where}`, {
        label: `second ${kindOf(p)} \`${p.name}\``,
        secondary: [{ span: first.nameSpan, message: `first ${kindOf(first)} \`${first.name}\`` }],
        notes: [`both would be the Calico object \`${calicoPolicyName(p.tier, p.name)}\`; the second would overwrite the first`],
        help: "rename one of them",
      });
    } else byName.set(nameKey, p);
    if (p.order === undefined) continue;
    const orderKey = `${p.staged}|${p.tier}|${p.order}`;
    const clash = byOrder.get(orderKey);
    if (clash) {
      ctx.report.emit("POL2014", p.nameSpan, `\`${clash.name}\` and \`${p.name}\` have the same order ${p.order} in tier \`${p.tier}\``, {
        label: "same order",
        secondary: [{ span: clash.nameSpan, message: `\`${clash.name}\` has order ${clash.order}` }],
        notes: ["Calico breaks order ties by name, which decides which rule wins for endpoints both select"],
        help: "give each policy of a tier a distinct order, or leave `order` out and let polc number them in source order",
      });
    } else byOrder.set(orderKey, p);
  }
  const enforced = new Map(sorted.filter((p) => !p.staged).map((p) => [`${p.tier}|${p.namespace ?? ""}|${p.name}`, p]));
  for (const p of sorted) {
    if (!p.staged) continue;
    const twin = enforced.get(`${p.tier}|${p.namespace ?? ""}|${p.name}`);
    if (!twin) continue;
    ctx.report.emit("POL3009", p.nameSpan, `staged ${p.flavor} \`${p.name}\` does not replace the enforced \`${twin.name}\``, {
      label: "evaluated alongside the enforced one",
      secondary: [{ span: twin.nameSpan, message: "the enforced policy of the same name" }],
      notes: ["Calico evaluates a staged policy in addition to an enforced policy of the same name (the enforced one first on an order tie); the pending verdict is what both together would do"],
      help: "to preview a change, give the staged policy its own name and remove the enforced one when you enforce it",
    });
  }
}

/** The values a conjunction requires of each label key (`key == v`, `key in {…}`), through nested `&&`. */
function requiredValues(sel: Sel, out = new Map<string, string[][]>()): Map<string, string[][]> {
  if (sel.op === "and") for (const a of sel.args) requiredValues(a, out);
  else if (sel.op === "eq" || sel.op === "in") {
    const list = out.get(sel.key) ?? [];
    list.push("values" in sel ? sel.values : [sel.value]);
    out.set(sel.key, list);
  }
  return out;
}

/** Why a selector matches nothing, when two of its `&&` terms ask one label for different values. */
function contradiction(sel: Sel): string | undefined {
  for (const [key, sets] of requiredValues(sel)) {
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        if (sets[i]!.some((v) => sets[j]!.includes(v))) continue;
        const show = (vs: string[]) => vs.map((v) => `"${v}"`).join(" or ");
        if (key === NAMESPACE_LABEL) return `an endpoint is in one namespace: it cannot be in ${show(sets[i]!)} and in ${show(sets[j]!)} (a namespaced policy adds its own namespace to every selector)`;
        return `label \`${key}\` has one value: it cannot be ${show(sets[i]!)} and ${show(sets[j]!)} at once`;
      }
    }
  }
  return undefined;
}

/** Selectors that provably match no endpoint. */
export function checkSatisfiable(ctx: Ctx): void {
  const seen = new SpanSet();
  for (const u of ctx.selUses) {
    if (!seen.add(u.span)) continue;
    if (satisfiable(u.sel) !== "no") continue;
    ctx.report.emit("POL3001", u.span, `${u.what} can match nothing`, {
      label: "no combination of labels satisfies this selector",
      notes: [contradiction(u.sel) ?? "its tests contradict each other (e.g. `app == \"a\" && app == \"b\"`, or `has(x) && !has(x)`)"],
      help: "check for an `&&` that should be `||`, or for contradicting tests on the same label",
    });
  }
}

/** Keys every workload endpoint has: a negative test on them cannot match an endpoint without them. */
const ALWAYS_PRESENT = new Set([NAMESPACE_LABEL, ORCHESTRATOR_LABEL, "pcns.projectcalico.org/name", "pcns.kubernetes.io/metadata.name", "pcsa.projectcalico.org/name"]);

/** The first `!=` / `not in` test whose key the enclosing `&&` does not also require with `has(key)`. */
function unguardedNegative(sel: Sel, guarded: ReadonlySet<string> = new Set()): { key: string; op: "!=" | "not in" } | undefined {
  switch (sel.op) {
    case "ne":
    case "notIn":
      return guarded.has(sel.key) || ALWAYS_PRESENT.has(sel.key) ? undefined : { key: sel.key, op: sel.op === "ne" ? "!=" : "not in" };
    case "and": {
      const has = new Set(guarded);
      for (const a of sel.args) if (a.op === "has") has.add(a.key);
      for (const a of sel.args) {
        const found = unguardedNegative(a, has);
        if (found) return found;
      }
      return undefined;
    }
    case "or":
      for (const a of sel.args) {
        const found = unguardedNegative(a, guarded);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined; // under `!`, a negative test is a positive one
  }
}

/** `key != v` and `key not in {…}` also match endpoints without `key` (users are often surprised). */
export function checkMissingLabelMatches(ctx: Ctx): void {
  const seen = new SpanSet();
  for (const u of ctx.selUses) {
    if (!seen.add(u.span)) continue;
    const t = unguardedNegative(u.sel);
    if (!t) continue;
    ctx.report.emit("POL3010", u.span, `${u.what} also matches every endpoint without label \`${t.key}\``, {
      label: `\`${t.key} ${t.op} …\` is true where \`${t.key}\` is missing`,
      notes: ["Calico's `!=` and `not in` match endpoints that do not have the label at all"],
      help: `nothing to do if those endpoints are meant; otherwise add \`has(${t.key}) &&\``,
    });
  }
}

/** Tiers nothing refers to (a policy or flow that failed other checks still counts as a use). */
export function checkUnusedTiers(ctx: Ctx, tiers: readonly ModelTier[]): void {
  if (ctx.unknownTier) return;
  const used = new Set(ctx.symbols.references.filter((r) => r.symbol.kind === "tier").map((r) => r.symbol.name));
  for (const t of tiers) {
    if (t.builtin || used.has(t.name) || ctx.originOf(t.origin.file) !== "project") continue;
    ctx.report.emit("POL3006", t.origin, `tier \`${t.name}\` has no policies or flows`, {
      label: "unused tier",
      notes: ["an empty tier selects no endpoint, so Calico skips it (its default action never applies)"],
      help: `put guardrails, policies or flows in it (\`… in ${t.name}\`), or remove it`,
    });
  }
}

type Dir = "Ingress" | "Egress";

/** Sound, cheap disjointness: the label facts the two selectors imply contradict each other (then
 *  their conjunction is unsatisfiable, without running the exact test). */
function restrictionsDisjoint(a: Restrictions, b: Restrictions): boolean {
  for (const [key, x] of a) {
    const y = b.get(key);
    if (!y) continue;
    if ((x.mustBePresent && y.mustBeAbsent) || (x.mustBeAbsent && y.mustBePresent)) return true;
    if (x.mustHaveOneOfValues && y.mustHaveOneOfValues && !x.mustHaveOneOfValues.some((v) => y.mustHaveOneOfValues!.includes(v))) return true;
  }
  return false;
}

/** A selector with its label facts, computed on first use (most selections are never compared). */
interface WithFacts {
  readonly sel: Sel;
  facts?: Restrictions;
}

function factsOf(x: WithFacts): Restrictions {
  return (x.facts ??= labelRestrictions(x.sel));
}

function overlaps(a: WithFacts, b: WithFacts): boolean {
  if (restrictionsDisjoint(factsOf(a), factsOf(b))) return false;
  return satisfiable(selAnd(a.sel, b.sel)) !== "no";
}

interface Selection {
  /** Endpoints the tier selects for `dir` because of this policy or flow. */
  readonly sel: Sel;
  readonly dir: Dir;
  readonly span: Span;
  readonly who: string;
}

interface LaterAllow extends WithFacts {
  readonly sel: Sel;
  /** The policy's subject, whose facts all its allow rules share. */
  readonly subject?: WithFacts;
  readonly dir: Dir;
  readonly span: Span;
  readonly tier: ModelTier;
}

/** How a flow end is named in messages. */
function endName(peer: ResolvedPeer, role: string): string {
  const sels = peer.include.filter((i) => !i.negated && i.target.kind === "selector");
  const group = sels.length === 1 && sels[0]!.target.kind === "selector" ? sels[0]!.target.group : undefined;
  return group ? `\`${group}\` (${role})` : role;
}

/** The endpoints of one flow end that get a rule: the union of its selector items. */
function endpoints(peer: ResolvedPeer): Sel | undefined {
  const sels = peer.include.filter((i) => !i.negated && i.target.kind === "selector").map((i) => (i.target as { sel: Sel }).sel);
  if (sels.length === 0) return undefined;
  return sels.length === 1 ? sels[0] : { op: "or", args: sels };
}

/**
 * A tier that ends in `deny` cuts its endpoints off from every later tier: an endpoint a policy (or
 * flow) of the tier selects for a direction loses every flow of that direction the tier does not
 * allow itself. Reported when a later tier really has an allow for such endpoints (which then never
 * applies to them); a policy whose own last rule already decides everything is left to the shadow
 * analysis.
 */
export function checkDenyTiers(ctx: Ctx, tiers: readonly ModelTier[], policies: readonly ModelPolicy[], flows: readonly ModelFlow[]): void {
  const tierOf = new Map(tiers.map((t) => [t.name, t]));
  const later: LaterAllow[] = [];
  for (const p of policies) {
    const tier = tierOf.get(p.tier);
    if (!tier || p.staged) continue;
    const subject: WithFacts = { sel: p.subject }; // one facts computation per policy, shared by its rules
    for (const r of p.rules) if (r.action === "Allow") later.push({ sel: p.subject, subject, dir: r.direction, span: r.origin, tier });
  }
  for (const f of flows) {
    const tier = tierOf.get(f.tier);
    if (!tier || f.staged) continue;
    const src = endpoints(f.from);
    const dst = endpoints(f.to);
    if (src) later.push({ sel: src, dir: "Egress", span: f.origin, tier });
    if (dst) later.push({ sel: dst, dir: "Ingress", span: f.origin, tier });
  }

  for (const tier of tiers) {
    if (tier.defaultAction !== "Deny") continue;
    const selections: Selection[] = [];
    for (const p of policies) {
      if (p.tier !== tier.name || p.staged) continue;
      const dirs = new Set<Dir>(p.rules.map((r) => r.direction));
      if (dirs.size === 0) {
        dirs.add("Ingress");
        dirs.add("Egress");
      }
      for (const dir of dirs) {
        const rules = p.rules.filter((r) => r.direction === dir);
        const last = rules[rules.length - 1];
        if (last && (last.action === "Allow" || last.action === "Deny") && !last.peer && last.services.length === 0) continue;
        selections.push({ sel: p.subject, dir, span: p.nameSpan, who: `${p.flavor} \`${p.name}\`` });
      }
    }
    for (const f of flows) {
      if (f.tier !== tier.name || f.staged) continue;
      const src = endpoints(f.from);
      const dst = endpoints(f.to);
      if (src) selections.push({ sel: src, dir: "Egress", span: f.origin, who: endName(f.from, "the source of this flow") });
      if (dst) selections.push({ sel: dst, dir: "Ingress", span: f.origin, who: endName(f.to, "the destination of this flow") });
    }
    const reported = new Set<string>();
    for (const s of selections) {
      const id = `${s.span.file}:${s.span.start}:${s.dir}`;
      if (reported.has(id)) continue;
      const mine: WithFacts = { sel: s.sel };
      const hidden: LaterAllow[] = [];
      for (const l of later) {
        if (l.dir !== s.dir || l.tier.order <= tier.order || !overlaps(mine, l.subject ?? l)) continue;
        hidden.push(l);
        if (hidden.length === 3) break; // enough to show
      }
      if (hidden.length === 0) continue;
      reported.add(id);
      const dir = s.dir.toLowerCase();
      ctx.report.emit("POL3008", s.span, `endpoints selected by ${s.who} lose every ${dir} flow not allowed in tier \`${tier.name}\`; later tiers never see it`, {
        label: `selects endpoints for ${dir} in a tier that ends in deny`,
        secondary: hidden.map((h) => ({ span: h.span, message: `this ${dir} allow in tier \`${h.tier.name}\` never applies to them` })),
        notes: [
          `tier \`${tier.name}\` ends in \`deny\`: once a policy of the tier selects an endpoint for ${dir}, traffic the tier does not allow is dropped at its end`,
        ],
        // Calico's built-in `default` tier (flows written without `in TIER`) cannot be changed.
        help: tier.builtin
          ? "put the flows written without `in TIER` in a declared tier that ends in `pass` (`flows in TIER { … }`), or allow that traffic in them as well"
          : `end the tier with \`default pass\`, allow that traffic in tier \`${tier.name}\` as well, or move the later rules before it`,
      });
    }
  }
}

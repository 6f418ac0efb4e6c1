// Shared by the finding modules: the context, emitting with severity overrides, and how rules, tiers
// and blockers are named in messages.

import type { Diagnostic, Label, Severity } from "../../diag/diagnostic.js";
import { lineColOf, type SourceMap, type Span } from "../../source.js";
import type { Elem, EngineResult, RuleInfo } from "../engine.js";
import { ANALYSIS_CODES } from "../codes.js";
import type { World, WPolicy } from "../world.js";

export type SeverityOverrides = Readonly<Record<string, Severity | "off">>;

export interface FindingOptions {
  readonly severities?: SeverityOverrides;
  /** Results with staged policies enforced (the pending verdict), for findings about staged rules. */
  readonly pending?: EngineResult;
  /** Inventory mode: an unselecting policy is a warning, not an error. */
  readonly inventory?: boolean;
  /** Lets messages say "line 12" when they refer to another rule. */
  readonly sources?: SourceMap;
}

export interface Ctx {
  readonly world: World;
  readonly res: EngineResult;
  readonly out: Diagnostic[];
  readonly opts: FindingOptions;
  /** Findings about a pending (staged) evaluation. */
  readonly pending: boolean;
  /** The rule each finding is about (to treat the two halves of a flow together). */
  readonly about: Map<Diagnostic, RuleInfo>;
}

const DEFAULT_SEVERITY = new Map(ANALYSIS_CODES.map((c) => [c.code, c.severity]));

/** `severity` replaces the code's default (not a user's override), e.g. for inventory-only findings. */
export function emit(ctx: Ctx, code: string, d: Omit<Diagnostic, "code" | "severity">, about?: RuleInfo, severityDefault?: Severity): void {
  const override = ctx.opts.severities?.[code];
  if (override === "off") return;
  let severity: Severity = override ?? severityDefault ?? DEFAULT_SEVERITY.get(code) ?? "warning";
  if (code === "POL3202" && ctx.opts.inventory && override === undefined) severity = "warning";
  if (ctx.pending && severity === "error") severity = "warning";
  const notes = ctx.pending
    ? [...(d.notes ?? []), "staged policies are not enforced yet: this is what Calico reports as the pending verdict"]
    : d.notes;
  const message = ctx.pending ? `once the staged policies are enforced, ${d.message}` : d.message;
  const diag: Diagnostic = {
    code,
    severity,
    ...d,
    message,
    ...(notes && notes.length > 0 ? { notes } : {}),
  };
  ctx.out.push(diag);
  if (about) ctx.about.set(diag, about);
}

// ---- naming ------------------------------------------------------------------------------------

export function policyName(p: WPolicy): string {
  return p.flavor === "flows" ? `flows in tier \`${p.tier}\`` : `${p.flavor} \`${p.name}\``;
}

export function ruleName(world: World, info: RuleInfo): string {
  const p = world.policies[info.policy]!;
  if (info.rule.flow) return `flow \`${info.rule.flow}\``;
  if (info.rule.text) return `\`${info.rule.text}\` in ${policyName(p)}`;
  return `${info.dir} rule ${info.index + 1} of ${policyName(p)}`;
}

const VERB: Record<string, string> = {
  Allow: "allows it",
  Deny: "denies it",
  Pass: "passes it to the next tier",
  Log: "logs it",
};

/** What an element does to the traffic, e.g. "guardrail `x` in tier `security` denies it (egress rule 1)".
 *  `self` is the rule being reported: an identical rule is called "an identical rule". */
export function elemPhrase(ctx: Ctx, el: Elem, ownTier: number, self?: RuleInfo): string {
  const world = ctx.world;
  if (el.t === "rule") {
    const p = world.policies[el.info.policy]!;
    const where = el.info.tier === ownTier ? "" : ` in tier \`${p.tier}\``;
    if (self && identical(el.info, self)) {
      return `an identical ${el.info.rule.flow ? "flow" : "rule"}${where} ${VERB[el.info.rule.action]} first (${lineRef(ctx, el.info, self)})`;
    }
    if (el.info.rule.flow) return `flow \`${el.info.rule.flow}\`${where} ${VERB[el.info.rule.action]}`;
    return `${policyName(p)}${where} ${VERB[el.info.rule.action]} (${el.info.dir} rule ${el.info.index + 1}${el.info.rule.text ? `: \`${el.info.rule.text}\`` : ""})`;
  }
  if (el.t === "end") return `tier \`${world.tiers[el.tier]!.name}\` ends in deny for these endpoints (its default action)`;
  return "the Kubernetes profile allows it";
}

/** What decides the traffic instead, for "redundant ... given X". */
export function givenPhrase(ctx: Ctx, el: Elem, self: RuleInfo): string {
  if (el.t === "rule") {
    const p = ctx.world.policies[el.info.policy]!;
    if (identical(el.info, self)) return `an identical ${el.info.rule.flow ? "flow" : "rule"} (${lineRef(ctx, el.info, self)})`;
    return el.info.rule.flow
      ? `flow \`${el.info.rule.flow}\``
      : `${el.info.dir} rule ${el.info.index + 1} of ${policyName(p)} (tier \`${p.tier}\`)`;
  }
  if (el.t === "end") return `the end of tier \`${ctx.world.tiers[el.tier]!.name}\` (default deny)`;
  return "the Kubernetes default allow";
}

function identical(a: RuleInfo, b: RuleInfo): boolean {
  if (a.key === b.key || a.rule.action !== b.rule.action) return false;
  return (a.rule.flow !== undefined && a.rule.flow === b.rule.flow) || (a.rule.text !== undefined && a.rule.text === b.rule.text);
}

/** "line 12" (or "other.pol:12"); without sources, the secondary span shows where. */
function lineRef(ctx: Ctx, info: RuleInfo, from: RuleInfo): string {
  const f = ctx.opts.sources?.get(info.rule.origin.file);
  if (!f) return "marked below";
  const line = lineColOf(f, info.rule.origin.start).line;
  return info.rule.origin.file === from.rule.origin.file ? `line ${line}` : `${info.rule.origin.file}:${line}`;
}

/** "allows", "denies", "passes", "logs". */
export function verb3(action: string): string {
  return (
    (
      {
        Allow: "allows",
        Deny: "denies",
        Pass: "passes",
        Log: "logs",
      } as Record<string, string>
    )[action] ?? action.toLowerCase()
  );
}

/** Allow / Deny / Pass: what an element does with the packets it takes. */
export function elemAction(el: Elem): string {
  return el.t === "rule" ? el.info.rule.action : el.t === "end" ? el.action : "Allow";
}

export function tierOfElem(el: Elem): number {
  return el.t === "rule" ? el.info.tier : el.t === "end" ? el.tier : -1;
}

export function elemKey(el: Elem): string {
  return el.t === "rule" ? el.info.key : el.t === "end" ? `end:${el.tier}` : "profile";
}

/** Secondary labels pointing at an element (the rule; or the tier and the policy that activates it). */
export function elemLabels(world: World, el: Elem, message?: string): Label[] {
  if (el.t === "rule") {
    const p = world.policies[el.info.policy]!;
    return [
      {
        span: el.info.rule.origin,
        message: message ?? `${verb3(el.info.rule.action)} it first (${policyName(p)}, tier \`${p.tier}\`)`,
      },
    ];
  }
  if (el.t === "end") {
    const t = world.tiers[el.tier]!;
    const labels: Label[] = [];
    if (t.origin)
      labels.push({
        span: t.origin,
        message: `tier \`${t.name}\` ends in deny`,
      });
    const trig = world.policies[el.trigger];
    if (trig)
      labels.push({
        span: trig.nameSpan,
        message: `selects these endpoints in tier \`${t.name}\`, so its end applies`,
      });
    return labels;
  }
  return [];
}

export function dedupeLabels(labels: Label[], primary: Span, max = 4): Label[] {
  const seen = new Set<string>([`${primary.file}:${primary.start}:${primary.end}`]);
  const out: Label[] = [];
  for (const l of labels) {
    const k = `${l.span.file}:${l.span.start}:${l.span.end}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(l);
    if (out.length >= max) break;
  }
  return out;
}

export function approxNotes(info: RuleInfo, res: EngineResult): string[] {
  const notes: string[] = [];
  if (info.rule.approximate) notes.push(info.rule.approximate);
  else if (info.rule.matches.some((m) => (m.namedPorts?.length ?? 0) > 0)) {
    notes.push("named ports are analysed as distinct from every numeric port (exact when the name maps to a port no rule lists)");
  }
  if (res.space.labels.some((d) => d.others.some((o) => o.approximate))) {
    notes.push("label string operators (contains / starts with / ends with) are analysed approximately: findings hold, some may be missed");
  }
  return notes;
}

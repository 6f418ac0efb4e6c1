// Turns engine results into diagnostics: what is wrong, where (the rule's span), who is responsible
// (blocking rules and tier ends as secondary spans), and one concrete packet as a witness.

import type { Diagnostic, Label, Severity } from "../diag/diagnostic.js";
import { lineColOf, type SourceMap, type Span } from "../source.js";
import { BudgetExceeded, FALSE, type SetId } from "./sets/idd.js";
import { allowedOf, type ClassChain, type DirectionAnalysis, type Elem, type EngineResult, type RuleInfo } from "./engine.js";
import { blockersOf, summarizeRule, type RuleSummary } from "./summary.js";
import { oneSidedRules } from "./e2e.js";
import { concreteWitness, formatIp as ipText, formatLabels, formatPacket } from "./witness.js";
import { ANALYSIS_CODES } from "./codes.js";
import { DIRECTIONS, type Direction, type Match, type World, type WPolicy } from "./world.js";

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

const DEFAULT_SEVERITY = new Map(ANALYSIS_CODES.map((c) => [c.code, c.severity]));
const MAX_CHAINS_EXPLAINED = 8;

interface Ctx {
  readonly world: World;
  readonly res: EngineResult;
  readonly out: Diagnostic[];
  readonly opts: FindingOptions;
  /** Findings about a pending (staged) evaluation. */
  readonly pending: boolean;
}

export function findings(res: EngineResult, opts: FindingOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx: Ctx = { world: res.world, res, out, opts, pending: false };
  const unselected = new Set<number>();
  const unknown = new Set<number>();
  for (const dir of DIRECTIONS) {
    const da = res.dirs[dir];
    const reached: RuleInfo[] = [];
    for (const info of da.rules.values()) {
      try {
        const s = summarizeRule(res, da, info);
        if (s.status === "unknown") unknown.add(info.policy);
        else if (s.status === "unselected") unselected.add(info.policy);
        else ruleFindings(ctx, da, s);
        if (s.status === "reached") reached.push(info);
      } catch (e) {
        if (!(e instanceof BudgetExceeded)) throw e;
        res.stats.budgetExceeded = true;
        unknown.add(info.policy);
      }
    }
    correlated(ctx, da);
    try {
      for (const o of oneSidedRules(res, reached)) oneSided(ctx, o.info, o.flow);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      ctx.res.stats.budgetExceeded = true;
    }
  }
  for (const pi of [...unselected].sort((a, b) => a - b)) policySelectsNothing(ctx, pi);
  for (const pi of [...unknown].sort((a, b) => a - b)) notAnalysed(ctx, pi);
  if (opts.pending) pendingFindings(ctx, opts.pending);
  return out;
}

/** Findings that only exist once staged policies are enforced: about staged rules themselves, and
 *  enforced rules that the staged policies would shadow. */
function pendingFindings(ctx: Ctx, pres: EngineResult): void {
  const pctx: Ctx = { ...ctx, res: pres, pending: true };
  for (const dir of DIRECTIONS) {
    const da = pres.dirs[dir];
    const enforced = ctx.res.dirs[dir];
    for (const info of da.rules.values()) {
      const p = pres.world.policies[info.policy]!;
      try {
        const s = summarizeRule(pres, da, info);
        if (s.status === "unknown" || s.status === "unselected") continue;
        if (p.staged) {
          ruleFindings(pctx, da, s);
          continue;
        }
        // Enforced rule: report only the shadowing that the staged policies introduce.
        const e = enforced.rules.get(info.key);
        if (!e || s.status !== "shadowed") continue;
        const es = summarizeRule(ctx.res, enforced, e);
        if (es.status === "reached") ruleFindings(pctx, da, s);
      } catch (err) {
        if (!(err instanceof BudgetExceeded)) throw err;
        pres.stats.budgetExceeded = true;
      }
    }
  }
  // Staged policies that select nothing.
  pres.world.policies.forEach((p, pi) => {
    if (!p.staged) return;
    const sums = DIRECTIONS.flatMap((d) => [...pres.dirs[d].rules.values()].filter((r) => r.policy === pi).map((r) => summarizeRule(pres, pres.dirs[d], r)));
    if (sums.length > 0 && sums.every((s) => s.status === "unselected")) policySelectsNothing(pctx, pi);
  });
}

// ---- emitting ---------------------------------------------------------------------------------------

function emit(ctx: Ctx, code: string, d: Omit<Diagnostic, "code" | "severity">): void {
  const override = ctx.opts.severities?.[code];
  if (override === "off") return;
  let severity: Severity = override ?? DEFAULT_SEVERITY.get(code) ?? "warning";
  if (code === "POL3202" && ctx.opts.inventory && override === undefined) severity = "warning";
  if (ctx.pending && severity === "error") severity = "warning";
  const notes = ctx.pending ? [...(d.notes ?? []), "this is the pending verdict: it applies once the staged policies are enforced"] : d.notes;
  const message = ctx.pending ? `staged: ${d.message}` : d.message;
  ctx.out.push({ code, severity, ...d, message, ...(notes ? { notes } : {}) });
}

// ---- naming things ------------------------------------------------------------------------------

function policyName(p: WPolicy): string {
  return p.flavor === "flows" ? `flows in tier \`${p.tier}\`` : `${p.flavor} \`${p.name}\``;
}

function ruleName(world: World, info: RuleInfo): string {
  const p = world.policies[info.policy]!;
  if (info.rule.flow) return `flow \`${info.rule.flow}\``;
  if (info.rule.text) return `\`${info.rule.text}\` in ${policyName(p)}`;
  return `${info.dir} rule ${info.index + 1} of ${policyName(p)}`;
}

const VERB: Record<string, string> = { Allow: "allows it", Deny: "denies it", Pass: "passes it to the next tier", Log: "logs it" };

/** `self`: the rule being reported, to say "an identical rule" instead of repeating its own text. */
function elemPhrase(ctx: Ctx, el: Elem, ownTier: number, self?: RuleInfo): string {
  const world = ctx.world;
  if (el.t === "rule") {
    const p = world.policies[el.info.policy]!;
    if (self && identical(el.info, self)) {
      return `an identical ${el.info.rule.flow ? "flow" : "rule"}${el.info.tier === ownTier ? "" : ` in tier \`${p.tier}\``} ${VERB[el.info.rule.action]} first (${lineRef(ctx, el.info, self)})`;
    }
    const where = el.info.tier === ownTier ? "" : ` in tier \`${p.tier}\``;
    const which = el.info.rule.flow
      ? `flow \`${el.info.rule.flow}\`${where} ${VERB[el.info.rule.action]}`
      : `${policyName(p)}${where} ${VERB[el.info.rule.action]} (${el.info.dir} rule ${el.info.index + 1}${el.info.rule.text ? `: \`${el.info.rule.text}\`` : ""})`;
    return which;
  }
  if (el.t === "end") return `tier \`${world.tiers[el.tier]!.name}\` ends in deny for these endpoints (its default action)`;
  return "the Kubernetes profile allows it";
}

function identical(a: RuleInfo, b: RuleInfo): boolean {
  return a.key !== b.key && a.rule.action === b.rule.action && ((a.rule.flow !== undefined && a.rule.flow === b.rule.flow) || (a.rule.text !== undefined && a.rule.text === b.rule.text));
}

/** "line 12" (or "other.pol:12"); without sources, the secondary span shows where. */
function lineRef(ctx: Ctx, info: RuleInfo, from: RuleInfo): string {
  const f = ctx.opts.sources?.get(info.rule.origin.file);
  if (!f) return "marked below";
  const line = lineColOf(f, info.rule.origin.start).line;
  return info.rule.origin.file === from.rule.origin.file ? `line ${line}` : `${info.rule.origin.file}:${line}`;
}

function elemAction(el: Elem): string {
  return el.t === "rule" ? el.info.rule.action : el.t === "end" ? el.action : "Allow";
}

function elemLabels(world: World, el: Elem): Label[] {
  if (el.t === "rule") {
    const p = world.policies[el.info.policy]!;
    return [{ span: el.info.rule.origin, message: `${el.info.rule.action.toLowerCase()}s it first (${policyName(p)}, tier \`${p.tier}\`)` }];
  }
  if (el.t === "end") {
    const t = world.tiers[el.tier]!;
    const labels: Label[] = [];
    if (t.origin) labels.push({ span: t.origin, message: `tier \`${t.name}\` ends in deny` });
    const trig = world.policies[el.trigger];
    if (trig) labels.push({ span: trig.nameSpan, message: `selects these endpoints in tier \`${t.name}\`, so its end applies` });
    return labels;
  }
  return [];
}

function dedupeLabels(labels: Label[], primary: Span, max = 4): Label[] {
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

function approxNotes(info: RuleInfo, res: EngineResult): string[] {
  const notes: string[] = [];
  if (info.rule.matches.some((m) => (m.namedPorts?.length ?? 0) > 0 || (m.notNamedPorts?.length ?? 0) > 0)) {
    notes.push("named ports are analysed as distinct from every numeric port (exact when the name maps to a port no rule lists)");
  }
  if (info.rule.approximate) notes.push(info.rule.approximate);
  if (res.space.labels.some((d) => d.others.some((o) => o.approximate))) {
    notes.push("label string operators (contains / starts with / ends with) are analysed approximately: findings hold, some may be missed");
  }
  return notes;
}

// ---- per-rule findings ------------------------------------------------------------------------------

interface Blocking {
  chain: ClassChain;
  pos: number;
  blockers: { el: Elem; overlap: SetId; volume: number }[];
}

function blockingIn(res: EngineResult, da: DirectionAnalysis, info: RuleInfo, chains: readonly number[], target: SetId): Blocking[] {
  const out: Blocking[] = [];
  // Explain with the most ordinary endpoints first: classes selected by the fewest policies.
  const sorted = [...chains].sort((a, b) => da.chains[a]!.cls.policies.length - da.chains[b]!.cls.policies.length || a - b);
  for (const ci of sorted.slice(0, MAX_CHAINS_EXPLAINED)) {
    const occ = da.occurrences.get(info.key)!.find((o) => o.chain === ci)!;
    const ch = da.chains[ci]!;
    const bs = blockersOf(res, ch, occ.pos, target, 16).map((b) => ({ el: ch.elems[b.pos]!, overlap: b.overlap, volume: b.volume }));
    out.push({ chain: ch, pos: occ.pos, blockers: bs });
  }
  return out;
}

function ruleFindings(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const primary = info.rule.origin;
  if (s.status === "empty") {
    const name = ruleName(world, info);
    emit(ctx, "POL3201", {
      message: `${name} matches no packet: its conditions contradict each other`,
      primary: { span: primary, message: "matches nothing" },
      help: "fix the conditions (a wrong `except` or contradictory selector), or delete the rule",
    });
    return;
  }
  if (s.status === "shadowed") {
    shadowed(ctx, da, s);
    return;
  }
  if (s.status !== "reached") return;
  if (s.blockedChains.length > 0) partlyBlockedSubjects(ctx, da, s);
  if (s.blockedItems.length > 0) partlyBlockedItems(ctx, da, s);
  if (s.redundant) redundant(ctx, da, s);
  if (info.rule.action === "Pass") passNowhere(ctx, da, s);
}

/** Packets of `target` (in chain ch) whose real verdict differs from what the rule itself would give:
 *  for an allow rule the denied ones, for a deny rule the allowed ones; nothing for pass and log. */
function overriddenPart(res: EngineResult, da: DirectionAnalysis, ch: ClassChain, info: RuleInfo, target: SetId): SetId {
  const idd = res.space.idd;
  if (info.rule.action === "Allow") return idd.diff(target, allowedOf(res, da, ch));
  if (info.rule.action === "Deny") return idd.and(target, allowedOf(res, da, ch));
  return FALSE;
}

interface Override {
  chain: ClassChain;
  part: SetId;
  blockers: { el: Elem; overlap: SetId; volume: number }[];
}

/** Per blocking chain: the overridden part of `target` and the blockers that take it. */
function overrides(res: EngineResult, da: DirectionAnalysis, bl: Blocking[], info: RuleInfo, target: SetId): Override[] {
  const idd = res.space.idd;
  const out: Override[] = [];
  for (const b of bl) {
    const part = overriddenPart(res, da, b.chain, info, target);
    if (part === FALSE) continue;
    const blockers = b.blockers
      .map((x) => ({ el: x.el, overlap: idd.and(x.overlap, part) }))
      .filter((x) => x.overlap !== FALSE)
      .map((x) => ({ ...x, volume: res.space.volume(x.overlap) }))
      .sort((x, y) => y.volume - x.volume);
    if (blockers.length > 0) out.push({ chain: b.chain, part, blockers });
  }
  return out;
}

function shadowed(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const bl = blockingIn(res, da, info, s.blockedChains, info.M);
  const all = bl.flatMap((b) => b.blockers);
  if (all.length === 0) return;
  const ov = overrides(res, da, bl, info, info.M);
  const name = ruleName(world, info);
  const notes: string[] = [];
  // Some of its traffic gets the verdict the rule wants (an earlier rule with the same effect took it):
  // the rule is dead first of all; an override of the rest is a note, not the headline.
  // The headline follows the most ordinary endpoints (the class selected by the fewest policies, first
  // in `bl`) and, among what takes their traffic, the rule that takes most of it: if that one gives
  // the verdict this rule wants, the rule is dead (overrides of the rest are a note); else it conflicts.
  const refMain = bl[0]!.blockers[0];
  const ref = refMain && elemAction(refMain.el) !== info.rule.action ? ov.find((o) => o.chain === bl[0]!.chain) : undefined;
  const mixed = ov.length > 0 && ref === undefined;
  if (ov.length === 0 || mixed) {
    if (mixed) {
      const ob = ov[0]!.blockers[0]!;
      const ow = concreteWitness(res.space, ov[0]!.chain.cls.set, ob.overlap);
      if (ow) notes.push(`also, for \`${formatPacket(ow, info.dir)}\` ${elemPhrase(ctx, ob.el, info.tier)}`);
    }
    // Dead: whatever takes its traffic gives the same verdict.
    const sameAction = all.filter((b) => elemAction(b.el) === info.rule.action);
    const main = [...(sameAction.length ? sameAction : all)].sort((a, b) => b.volume - a.volume)[0]!;
    const distinct = new Set(all.map((b) => elemKey(b.el)));
    const more = distinct.size > 1 ? ` (and ${distinct.size - 1} more)` : "";
    const ex = bl.find((b) => b.blockers.some((x) => x.el === main.el)) ?? bl[0]!;
    const exb = ex.blockers.find((x) => x.el === main.el) ?? ex.blockers[0]!;
    const w = concreteWitness(res.space, ex.chain.cls.set, exb.overlap);
    if (w) notes.unshift(`for example \`${formatPacket(w, info.dir)}\` matches this rule, but ${elemPhrase(ctx, exb.el, info.tier, info)}`);
    emit(ctx, "POL3211", {
      message: `${name} is dead: ${elemPhrase(ctx, main.el, info.tier, info)}${more}, so it never ${info.rule.action === "Log" ? "logs anything" : "matches anything"}`,
      primary: { span: info.rule.origin, message: "never reached" },
      secondary: dedupeLabels([...all].sort((a, b) => b.volume - a.volume).flatMap((b) => elemLabels(world, b.el)), info.rule.origin),
      notes: [...notes, ...approxNotes(info, res)],
      help: "delete the rule; the earlier rules already have the same effect",
    });
    return;
  }
  const blockers = ov.flatMap((o) => o.blockers).sort((a, b) => b.volume - a.volume);
  const main = ref!.blockers[0]!;
  const distinct = new Set(blockers.map((b) => elemKey(b.el)));
  const more = distinct.size > 1 ? ` (and ${distinct.size - 1} more)` : "";
  const earlierOnly = blockers.every((b) => tierOfElem(b.el) !== info.tier);
  const ex = ref!;
  const w = concreteWitness(res.space, ex.chain.cls.set, ex.blockers[0]!.overlap);
  if (w) notes.push(`for example \`${formatPacket(w, info.dir)}\` matches this rule, but ${elemPhrase(ctx, ex.blockers[0]!.el, info.tier)}`);
  notes.push(...approxNotes(info, res));
  const secondary = dedupeLabels(blockers.flatMap((b) => elemLabels(world, b.el)), info.rule.origin);
  const phrase = elemPhrase(ctx, main.el, info.tier);
  if (earlierOnly) {
    emit(ctx, "POL3212", {
      message: `${name} can never take effect: ${phrase}${more}`,
      primary: { span: info.rule.origin, message: "overridden by an earlier tier" },
      secondary,
      notes,
      help: "if this traffic must be allowed or denied here, change the earlier tier (let it `pass` this traffic or exempt these endpoints); otherwise delete the rule",
    });
  } else {
    emit(ctx, "POL3210", {
      message: `${name} is shadowed: ${phrase}${more}, so it never matches anything`,
      primary: { span: info.rule.origin, message: "never reached" },
      secondary,
      notes,
      help: "move this rule (or its policy) before the rule that shadows it, narrow that rule, or delete this one",
    });
  }
}

function tierOfElem(el: Elem): number {
  return el.t === "rule" ? el.info.tier : el.t === "end" ? el.tier : -1;
}

function elemKey(el: Elem): string {
  return el.t === "rule" ? el.info.key : el.t === "end" ? `end:${el.tier}` : "profile";
}

/**
 * Which partial overrides are worth a diagnostic: an allow whose traffic ends up denied (something
 * breaks), or a deny whose traffic ends up allowed by an earlier rule of its own tier. A deny
 * pre-empted by an earlier tier's allow is how tiers are meant to work and is not reported.
 */
function reportable(info: RuleInfo, ov: Override[], classLevel: boolean): { ov: Override[]; earlierOnly: boolean } | undefined {
  if (ov.length === 0) return undefined;
  const blockers = ov.flatMap((o) => o.blockers);
  const earlierOnly = blockers.every((b) => tierOfElem(b.el) !== info.tier);
  if (info.rule.action === "Deny" && earlierOnly) return undefined;
  if (classLevel && earlierOnly) {
    // For some endpoints an earlier tier decides differently. When a guardrail rule does it, that is
    // what the guardrail is for (and in symbolic mode it would fire for every endpoint that *could*
    // carry the guardrail's labels). When the earlier tier's *end* does it, nobody wrote that deny:
    // it is the implicit default of a tier that happens to select these endpoints. Report that.
    const implicit = ov.filter((o) => o.blockers.some((b) => b.el.t === "end"));
    if (implicit.length === 0) return undefined;
    return { ov: implicit.map((o) => ({ ...o, blockers: [...o.blockers].sort((a, b) => (a.el.t === "end" ? 0 : 1) - (b.el.t === "end" ? 0 : 1) || b.volume - a.volume) })), earlierOnly };
  }
  return { ov, earlierOnly };
}

/** The rule never takes effect for some subject classes (while it does for others). */
function partlyBlockedSubjects(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const bl = blockingIn(res, da, info, s.blockedChains, info.M);
  const r = reportable(info, overrides(res, da, bl, info, info.M), true);
  if (!r) return;
  const ex = r.ov[0]!;
  const main = ex.blockers[0]!;
  const subj = concreteWitness(res.space, ex.chain.cls.set, main.overlap);
  if (!subj) return;
  const who = subj.subjectEndpoint ?? `endpoints like ${formatLabels(subj.subject)}`;
  const n = s.blockedChains.length - 1;
  const others = n > 0 ? ` (and ${n} more group${n > 1 ? "s" : ""} of endpoints)` : "";
  const name = ruleName(world, info);
  const secondary = dedupeLabels(r.ov.flatMap((o) => o.blockers.flatMap((x) => elemLabels(world, x.el))), info.rule.origin);
  const notes = [`for example \`${formatPacket(subj, info.dir)}\` matches this rule, but ${elemPhrase(ctx, main.el, info.tier)}`, ...approxNotes(info, res)];
  emit(ctx, r.earlierOnly ? "POL3213" : "POL3214", {
    message: `for ${who}${others}, ${name} never takes effect: ${elemPhrase(ctx, main.el, info.tier)}`,
    primary: { span: info.rule.origin, message: r.earlierOnly ? "partly overridden by an earlier tier" : "partly shadowed" },
    secondary,
    notes,
    help: r.earlierOnly
      ? "allow this traffic in the earlier tier too, move the rule to an earlier tier, or make the earlier tier's default `pass`"
      : "if the rule should also act for these endpoints, move it (or its policy) before the rules that take their traffic",
  });
}

/** Some listed ports / CIDRs of the rule are never reached (while the rest is). */
function partlyBlockedItems(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const idd = res.space.idd;
  let lost = FALSE;
  for (const k of s.blockedItems) lost = idd.or(lost, info.items[k]!.set);
  const chains = (da.occurrences.get(info.key) ?? []).map((o) => o.chain);
  const bl = blockingIn(res, da, info, chains, lost).filter((b) => b.blockers.length > 0);
  const r = reportable(info, overrides(res, da, bl, info, lost), false);
  if (!r) return;
  const ex = r.ov[0]!;
  const main = ex.blockers[0]!;
  const w = concreteWitness(res.space, ex.chain.cls.set, main.overlap);
  const parts = s.blockedItems.map((k) => describeItem(info.items[k]!.match)).join(", ");
  const name = ruleName(world, info);
  emit(ctx, r.earlierOnly ? "POL3213" : "POL3214", {
    message: `part of ${name} never takes effect (${parts}): ${elemPhrase(ctx, main.el, info.tier)}`,
    primary: { span: info.rule.origin, message: r.earlierOnly ? "partly overridden by an earlier tier" : "partly shadowed" },
    secondary: dedupeLabels(r.ov.flatMap((o) => o.blockers.flatMap((x) => elemLabels(world, x.el))), info.rule.origin),
    notes: [...(w ? [`for example \`${formatPacket(w, info.dir)}\` matches this rule, but ${elemPhrase(ctx, main.el, info.tier)}`] : []), ...approxNotes(info, res)],
    help: "remove the part that never applies, or move the rule before the rules that take it",
  });
}

function describeItem(m: Match): string {
  const proto = m.protocol === 6 ? "tcp" : m.protocol === 17 ? "udp" : m.protocol === 132 ? "sctp" : m.protocol === 136 ? "udplite" : m.protocol === 1 ? "icmp" : m.protocol === 58 ? "icmpv6" : m.protocol !== undefined ? `proto/${m.protocol}` : "";
  const bits: string[] = [];
  if (m.ports?.length === 1) bits.push(`${proto}/${m.ports[0]!.from === m.ports[0]!.to ? m.ports[0]!.from : `${m.ports[0]!.from}-${m.ports[0]!.to}`}`);
  else if (m.namedPorts?.length === 1) bits.push(`${proto}/${m.namedPorts[0]}`);
  if (m.nets?.length === 1) bits.push(cidrText(m.nets[0]!));
  return bits.join(" ") || "one alternative";
}

function cidrText(r: { lo: bigint; hi: bigint }): string {
  const size = r.hi - r.lo + 1n;
  let bits = 0;
  while (1n << BigInt(bits) < size) bits++;
  const v6 = r.lo >= 1n << 32n;
  const len = (v6 ? 128 : 32) - bits;
  return `${ipText(r.lo)}/${len}`;
}


/** What the rest of the chain does with `X` (packets that would skip the rule): deciding elements. */
function routeAfter(res: EngineResult, ch: ClassChain, pos: number, X: SetId): Elem[] {
  const idd = res.space.idd;
  const out: Elem[] = [];
  let R = X;
  let passed = FALSE;
  let tier = ch.tierOf[pos]!;
  for (let i = pos + 1; i < ch.elems.length && (R !== FALSE || passed !== FALSE); i++) {
    const el = ch.elems[i]!;
    if (ch.tierOf[i] !== tier) {
      R = idd.or(R, passed);
      passed = FALSE;
      tier = ch.tierOf[i]!;
    }
    if (el.t === "rule") {
      if (el.info.rule.action === "Log") continue;
      const hit = idd.and(R, el.info.M);
      if (hit === FALSE) continue;
      R = idd.diff(R, el.info.M);
      if (el.info.rule.action === "Pass") passed = idd.or(passed, hit);
      else out.push(el);
    } else if (el.t === "end") {
      if (R !== FALSE && el.action === "Deny") out.push(el);
      if (el.action === "Deny") R = FALSE;
    } else if (R !== FALSE) out.push(el);
  }
  return out;
}

function redundant(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const occ = da.occurrences.get(info.key)!.find((o) => o.chain === s.reachedChains[0])!;
  const ch = da.chains[occ.chain]!;
  const decided = routeAfter(res, ch, occ.pos, ch.E[occ.pos]!);
  const seen = new Set<string>();
  const given = decided.filter((e) => !seen.has(elemKey(e)) && seen.add(elemKey(e)));
  // Redundant only because of rules that are themselves never reached (e.g. the later copy of a
  // duplicate, reported as dead): deleting those makes this one necessary, so say nothing here.
  if (given.length > 0 && given.every((e) => e.t === "rule" && summarizeRule(res, res.dirs[e.info.dir], e.info).status === "shadowed")) return;
  const phrase = given.length === 0 ? "nothing" : given.slice(0, 2).map((e) => givenPhrase(world, e)).join(" and ") + (given.length > 2 ? ` (and ${given.length - 2} more)` : "");
  const name = ruleName(world, info);
  const vacuous = info.rule.action === "Pass";
  const w = summarizeRule(res, da, info, { witness: true }).witness?.packet;
  if (info.rule.action === "Allow" && given.length > 0 && given.every((e) => e.t === "profile")) {
    emit(ctx, "POL3221", {
      message: `${name} changes nothing: no later rule or tier denies this traffic, so it is allowed anyway`,
      primary: { span: info.rule.origin, message: "allowed anyway" },
      notes: [
        ...(w ? [`for example \`${formatPacket(w, info.dir)}\` is allowed with or without this rule (Kubernetes default allow)`] : []),
        "after the last tier that selects an endpoint, Calico's profiles allow everything",
        ...approxNotes(info, res),
      ],
      help: "nothing to do if the rule documents intent; to make it matter, add a default deny (e.g. a baseline tier) for these endpoints",
    });
    return;
  }
  emit(ctx, "POL3220", {
    message: vacuous
      ? `${name} is a vacuous pass: removing it changes no verdict, given ${phrase}`
      : `${name} is redundant: removing it changes no verdict, given ${phrase}`,
    primary: { span: info.rule.origin, message: "redundant" },
    secondary: dedupeLabels(given.flatMap((e) => elemLabels(world, e).map((l) => ({ ...l, message: l.message?.replace(/s it first.*/, "s the same traffic") ?? "" }))), info.rule.origin),
    notes: [
      ...(w ? [`for example \`${formatPacket(w, info.dir)}\` gets the same verdict without this rule`] : []),
      "redundancy is not compositional: re-check after deleting any other rule",
      ...approxNotes(info, res),
    ],
    help: "delete the rule, or keep it deliberately as documentation",
  });
}

function givenPhrase(world: World, el: Elem): string {
  if (el.t === "rule") {
    const p = world.policies[el.info.policy]!;
    return el.info.rule.flow ? `flow \`${el.info.rule.flow}\`` : `${el.info.dir} rule ${el.info.index + 1} of ${policyName(p)} (tier \`${p.tier}\`)`;
  }
  if (el.t === "end") return `the end of tier \`${world.tiers[el.tier]!.name}\` (default deny)`;
  return "the Kubernetes default allow";
}

function passNowhere(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  for (const ci of s.reachedChains) {
    const occ = da.occurrences.get(info.key)!.find((o) => o.chain === ci)!;
    const ch = da.chains[ci]!;
    const laterTier = ch.elems.some((el, i) => i > occ.pos && el.t !== "profile" && ch.tierOf[i] !== info.tier);
    if (laterTier) continue;
    const w = concreteWitness(res.space, ch.cls.set, ch.E[occ.pos]!);
    if (!w) continue;
    const who = w.subjectEndpoint ?? `endpoints like ${formatLabels(w.subject)}`;
    emit(ctx, "POL3240", {
      message: `${ruleName(world, info)} leads nowhere for ${who}: no later tier selects them for ${info.dir}, so the traffic it passes is allowed`,
      primary: { span: info.rule.origin, message: "pass to the Kubernetes default allow" },
      notes: [`for example \`${formatPacket(w, info.dir)}\` is passed and then allowed by the profile`],
      help: "write `allow` if allowing is intended, or add a later policy (such as a default-deny baseline) selecting these endpoints",
    });
    return;
  }
}

function correlated(ctx: Ctx, da: DirectionAnalysis): void {
  const { world, res } = ctx;
  const seen = new Set<string>();
  for (const [ki, kj, ci] of da.correlated) {
    const k = `${ki}|${kj}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const ri = da.rules.get(ki)!;
    const rj = da.rules.get(kj)!;
    const ch = da.chains[ci]!;
    const occ = da.occurrences.get(ki)!.find((o) => o.chain === ci)!;
    const overlap = res.space.idd.and(ch.E[occ.pos]!, rj.M);
    const w = concreteWitness(res.space, ch.cls.set, overlap);
    emit(ctx, "POL3230", {
      message: `${ruleName(world, rj)} overlaps ${ruleName(world, ri)} with the opposite action: their order decides the shared traffic`,
      primary: { span: rj.rule.origin, message: `${rj.rule.action.toLowerCase()}` },
      secondary: dedupeLabels([{ span: ri.rule.origin, message: `${ri.rule.action.toLowerCase()}s the overlap first` }], rj.rule.origin),
      notes: w ? [`for example \`${formatPacket(w, rj.dir)}\` matches both and is ${ri.rule.action === "Allow" ? "allowed" : "denied"} by the earlier rule`] : [],
      help: "nothing to do if the order is intended; otherwise make the two rules disjoint",
    });
  }
}

function oneSided(ctx: Ctx, info: RuleInfo, flow: SetId): void {
  const { world, res } = ctx;
  const space = res.space;
  const other: Direction = info.dir === "egress" ? "ingress" : "egress";
  const pt = space.idd.witness(flow);
  let example = "";
  if (pt) {
    // `flow` is oriented for the other side: A = the other side's endpoint, B = this rule's subject.
    const there = labelsAt(res, pt, 0);
    const here = labelsAt(res, pt, space.K + 1);
    const w = concreteWitness(space, space.labelPoint(here, "A"), space.idd.and(space.labelPoint(there, "B"), flowL4(res, pt)));
    if (w) {
      example = `for example \`${formatPacket({ ...w, subject: here, peer: { ...w.peer, labels: there } }, info.dir)}\` is allowed here but denied by the ${other} policy of ${other === "ingress" ? "the destination" : "the source"}`;
    }
  }
  const name = ruleName(world, info);
  emit(ctx, "POL3250", {
    message: `${name} is one-sided: every connection its ${info.dir} rule allows is denied by the ${other === "ingress" ? "destination's ingress" : "source's egress"} policy`,
    primary: { span: info.rule.origin, message: `${info.dir} allowed, ${other} denied` },
    notes: example ? [example] : [],
    help: `allow the traffic on the ${other} side too (a \`flow\` statement writes both halves), or delete this rule`,
  });
}

function labelsAt(res: EngineResult, pt: number[], offset: number): Record<string, string> {
  const out: Record<string, string> = {};
  res.space.labels.forEach((d, i) => {
    const seg = pt[offset + i]!;
    if (seg === 0) return;
    if (seg <= d.values.length) out[d.key] = d.values[seg - 1]!;
    else out[d.key] = d.others[seg - 1 - d.values.length]?.sample ?? "other";
  });
  return out;
}

function flowL4(res: EngineResult, pt: number[]): SetId {
  const s = res.space;
  const box: (readonly number[] | undefined)[] = new Array(s.idd.dims).fill(undefined);
  for (const d of [s.PROTO, s.PORT, s.ITYPE, s.ICODE]) box[d] = [pt[d]!, pt[d]! + 1];
  return s.idd.box(box);
}

function policySelectsNothing(ctx: Ctx, pi: number): void {
  const p = ctx.world.policies[pi]!;
  emit(ctx, "POL3202", {
    message: `${policyName(p)} applies to no endpoint: ${ctx.opts.inventory ? "no workload of the inventory matches its selector" : "no combination of labels satisfies its selector"}`,
    primary: { span: p.nameSpan, message: "selects nothing" },
    help: ctx.opts.inventory ? "check the selector against the workloads' labels" : "correct the `applies to` selector or the namespace",
  });
}

function notAnalysed(ctx: Ctx, pi: number): void {
  const p = ctx.world.policies[pi]!;
  emit(ctx, "POL3290", {
    message: `${policyName(p)} was not fully analysed: the analysis stopped at its work budget`,
    primary: { span: p.nameSpan, message: "not fully analysed" },
    notes: ["no shadowing or redundancy finding is reported for its rules; their absence means nothing"],
    help: "raise the analysis budget, or split the policy into smaller ones",
  });
}

// Findings about one rule: empty, shadowed (conflicting / dead / overridden by an earlier tier),
// partly shadowed or overridden (some endpoints, some listed ports or CIDRs), redundant, pass leading
// nowhere. Every finding names the rules that take the traffic and shows one concrete packet.

import { FALSE, type SetId } from "../sets/idd.js";
import { allowedOfClass, matchSet, ruleItems, type DirectionAnalysis, type Elem, type RuleInfo } from "../engine.js";
import { Space } from "../space.js";
import { blockersOf, classOfNode, summarizeRule, type Blocker, type RuleSummary } from "../summary.js";
import { concreteWitness, formatIp, formatLabels, formatPacket } from "../witness.js";
import type { Match } from "../world.js";
import { PROTOCOL_NAME } from "../../net/protocols.js";
import {
  approxNotes,
  dedupeLabels,
  elemAction,
  elemKey,
  elemLabels,
  elemPhrase,
  emit,
  givenPhrase,
  policyName,
  ruleName,
  tierOfElem,
  type Ctx,
  verb3,
} from "./context.js";

const MAX_NODES_EXPLAINED = 8;

export function ruleFindings(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const info = s.info;
  if (s.status === "empty") {
    emptyRule(ctx, info);
    return;
  }
  if (s.status === "shadowed") {
    shadowed(ctx, da, s);
    return;
  }
  if (s.status !== "reached") return;
  // Where a rule is partly overridden and changes nothing where it is reached, it has no effect at
  // all: one finding (the override, which is what breaks something), with the rest said in a note;
  // never "never takes effect" and "changes nothing" side by side.
  const redundantToo = s.redundant && !lastRuleSelects(ctx, info);
  let partial = false;
  if (s.blockedNodes.length > 0) partial = partlyBlockedSubjects(ctx, da, s, redundantToo) || partial;
  if (s.blockedItems.length > 0) partial = partlyBlockedItems(ctx, da, s, redundantToo) || partial;
  if (redundantToo && !partial) redundant(ctx, da, s);
  if (info.rule.action === "Pass") passNowhere(ctx, da, s);
}

/** Symbolic spaces for the inventory-mode question "empty in itself, or only for this cluster?". */
const symbolicSpaces = new WeakMap<Ctx["world"], Space>();

/** Whether the rule matches nothing for any possible workloads (not only for the inventory's pods). */
function emptyInItself(ctx: Ctx, info: RuleInfo): boolean {
  if (!ctx.opts.inventory) return true;
  let space = symbolicSpaces.get(ctx.world);
  if (!space) {
    space = new Space(ctx.world);
    symbolicSpaces.set(ctx.world, space);
  }
  return matchSet(space, info.rule.matches) === FALSE;
}

function emptyRule(ctx: Ctx, info: RuleInfo): void {
  if (emptyInItself(ctx, info)) {
    emit(
      ctx,
      "POL3201",
      {
        message: `${ruleName(ctx.world, info)} matches no packet: its conditions contradict each other`,
        primary: { span: info.rule.origin, message: "matches nothing" },
        help: "fix the conditions (a wrong `except` or contradictory selector), or delete the rule",
      },
      info,
    );
    return;
  }
  // Inventory mode: the rule is fine in itself, but its peers select no workload of this cluster. For a
  // flow, say which half (its subject end does match pods: the half is selected) and which end does not.
  const peerEnd = info.rule.flow ? flowEnd(info.rule.flow, info.dir === "egress" ? "ingress" : "egress") : undefined;
  const peerRole = info.dir === "egress" ? "destination" : "source";
  emit(
    ctx,
    "POL3201",
    {
      message: info.rule.flow
        ? `${ruleName(ctx.world, info)} matches no packet in this cluster${halfOf(info)}: no workload of the inventory matches ${peerEnd ? `\`${peerEnd}\`, its ${peerRole}` : `its ${peerRole}`}`
        : `${ruleName(ctx.world, info)} matches no packet in this cluster: no workload of the inventory matches its peers`,
      primary: { span: info.rule.origin, message: "matches nothing here" },
      notes: ["the rule can match other workloads (it is not contradictory in itself); it is dead only for the pods of the inventory"],
      help: "check the peer selectors against the workloads' labels, or delete the rule if those workloads are gone",
    },
    info,
    "warning",
  );
}

interface Blocking {
  readonly node: number;
  readonly cls: number;
  readonly blockers: Blocker[];
}

/** Blockers of `target` at up to MAX_NODES_EXPLAINED of the rule's nodes, the most ordinary endpoints
 *  first (classes selected by the fewest policies). */
function blockingAt(
  ctx: Ctx,
  da: DirectionAnalysis,
  nodes: readonly number[],
  target: SetId,
  only?: (el: Elem, sameTier: boolean) => boolean,
  earlier: "all" | "ends" | "none" = "all",
): Blocking[] {
  const ranked = nodes
    .map((n) => ({ n, cls: classOfNode(da, n) }))
    .sort((a, b) => da.classes[a.cls]!.policies.length - da.classes[b.cls]!.policies.length || a.n - b.n);
  return ranked.slice(0, MAX_NODES_EXPLAINED).map(({ n, cls }) => ({
    node: n,
    cls,
    blockers: blockersOf(ctx.res, da, n, target, {
      limit: 16,
      earlier,
      ...(only ? { only } : {}),
    }),
  }));
}

/** Elements that could make a partial override reportable (see `reportable`): for an allow, another
 *  action in its own tier or an earlier tier's end; for a deny, another action in its own tier. */
function candidateFor(info: RuleInfo, classLevel: boolean): (el: Elem, sameTier: boolean) => boolean {
  return (el, sameTier) => {
    if (elemAction(el) === info.rule.action) return false;
    if (sameTier) return true;
    if (info.rule.action !== "Allow") return false;
    return !classLevel || el.t === "end";
  };
}

/** Which earlier-tier elements `candidateFor(info, classLevel)` can accept (lets the walk skip the rest). */
function earlierFor(info: RuleInfo, classLevel: boolean): "all" | "ends" | "none" {
  if (info.rule.action !== "Allow") return "none";
  return classLevel ? "ends" : "all";
}

/** A blocker as far as the rule's intent goes: the part of its overlap that ends with another verdict
 *  than the rule's action (`overlap`), in class `cls` (for the witness). */
interface Conflict extends Blocker {
  readonly cls: number;
}

const MAX_CLASSES_FOR_PASS = 256;

/** The classes whose chains pass through trie node n (at most `max`; undefined beyond). */
function classesBelow(da: DirectionAnalysis, n: number, max: number): number[] | undefined {
  const nodes = da.trie.nodes;
  if (nodes[n]!.leaves > max) return undefined;
  const out: number[] = [];
  const stack = [n];
  while (stack.length) {
    const m = stack.pop()!;
    const node = nodes[m]!;
    if (node.children.length === 0) out.push(...node.classes);
    else stack.push(...node.children);
  }
  return out.sort((a, b) => da.classes[a]!.policies.length - da.classes[b]!.policies.length || a - b);
}

/**
 * The part of blocker b's overlap (at the rule's trie node n, class `cls` standing for it) that gets
 * another verdict than the rule's action. An Allow, Deny or tier end decides its overlap itself. A Pass
 * does not: the passed traffic gets the verdict of the rest of the chain (later tiers, the profile), so
 * for an allow or deny rule it conflicts only where that final verdict differs, class by class.
 */
function conflictOf(ctx: Ctx, da: DirectionAnalysis, info: RuleInfo, n: number, cls: number, b: Blocker): Conflict | undefined {
  const a = info.rule.action;
  if (a === "Log") return undefined;
  const act = elemAction(b.el);
  if (act !== "Pass" || (a !== "Allow" && a !== "Deny")) return act === a ? undefined : { ...b, cls };
  const idd = ctx.res.space.idd;
  const classes = classesBelow(da, n, MAX_CLASSES_FOR_PASS);
  if (!classes) return { ...b, cls }; // too many chains to follow: keep the conservative answer
  // The first class (the most ordinary endpoints) where part of the passed traffic ends otherwise.
  for (const c of classes) {
    const allowed = allowedOfClass(ctx.res, da, c);
    const x = a === "Allow" ? idd.diff(b.overlap, allowed) : idd.and(b.overlap, allowed);
    if (x !== FALSE) return { ...b, overlap: x, cls: c };
  }
  return undefined;
}

/** Blockers that give (part of) the traffic another verdict than the rule wants. */
function conflicting(ctx: Ctx, da: DirectionAnalysis, info: RuleInfo, b: Blocking): Conflict[] {
  return b.blockers.flatMap((x) => conflictOf(ctx, da, info, b.node, b.cls, x) ?? []);
}

/** What the rest of the chain does with traffic a Pass took, for the headline of a dead rule. */
function passOutcome(info: RuleInfo, el: Elem): string {
  if (elemAction(el) !== "Pass" || (info.rule.action !== "Allow" && info.rule.action !== "Deny")) return "";
  return info.rule.action === "Allow" ? ", where it is allowed" : ", where it is denied";
}

function example(ctx: Ctx, da: DirectionAnalysis, info: RuleInfo, cls: number, b: Blocker): string[] {
  const w = concreteWitness(ctx.res.space, da.classes[cls]!.set, b.overlap);
  return w ? [`for example \`${formatPacket(w, info.dir)}\` matches this rule, but ${elemPhrase(ctx, b.el, info.tier, info)}${passConflictOutcome(info, b.el)}`] : [];
}

/** For a flow, which half a finding is about: " on its ingress half (ingress of `api`)". */
export function halfOf(info: RuleInfo): string {
  const f = info.rule.flow;
  if (!f) return "";
  const end = flowEnd(f, info.dir);
  return ` on its ${info.dir} half (${info.dir} of ${end ? `\`${end}\`` : info.dir === "egress" ? "the source" : "the destination"})`;
}

/** The source (egress) or destination (ingress) of a flow's text `SRC -> DST : SERVICE`. */
export function flowEnd(flow: string, dir: "ingress" | "egress"): string | undefined {
  const arrow = flow.indexOf("->");
  if (arrow < 0) return undefined;
  if (dir === "egress") return flow.slice(0, arrow).trim() || undefined;
  const rest = flow.slice(arrow + 2);
  const colon = rest.lastIndexOf(" : ");
  return (colon >= 0 ? rest.slice(0, colon) : rest).trim() || undefined;
}

/**
 * Deleting the only rule of a policy in one direction does more than delete a rule: the policy loses
 * that direction from its `types`, so it stops selecting its endpoints for that direction; where it was
 * the only policy of a default-deny tier selecting them, the tier's end no longer applies to them. Then
 * the rule must not be called deletable.
 */
export function lastRuleSelects(ctx: Ctx, info: RuleInfo): boolean {
  const world = ctx.world;
  const p = world.policies[info.policy]!;
  const tier = world.tiers[info.tier]!;
  if (tier.defaultAction !== "Deny") return false;
  const rules = info.dir === "ingress" ? p.ingress : p.egress;
  if ((rules?.length ?? 0) !== 1) return false;
  const da = ctx.res.dirs[info.dir];
  const idd = ctx.res.space.idd;
  const mine = da.subjectSets.get(info.policy);
  if (mine === undefined) return true;
  let others = FALSE;
  for (const [pi, set] of da.subjectSets) if (pi !== info.policy && world.policies[pi]!.tier === p.tier) others = idd.or(others, set);
  return idd.diff(mine, others) !== FALSE;
}

function deleteHelp(ctx: Ctx, info: RuleInfo): { keep?: string; notes: string[] } {
  if (!lastRuleSelects(ctx, info)) return { notes: [] };
  const p = ctx.world.policies[info.policy]!;
  const tier = ctx.world.tiers[info.tier]!.name;
  return {
    keep: `keep the rule (or replace it with another ${info.dir} rule): it is what makes tier \`${tier}\` select these endpoints for ${info.dir}`,
    notes: [
      `this is the only ${info.dir} rule of ${policyName(p)}: deleting it removes ${info.dir} from the policy's types, so tier \`${tier}\` would stop selecting these endpoints for ${info.dir} and its default deny would no longer apply to them`,
    ],
  };
}

/** How a rule that nothing reaches is classified (POL3210 / POL3211 / POL3212), with the element the
 *  headline names and the witness (class and packets) the first note shows. */
export interface ShadowVerdict {
  readonly code: "POL3210" | "POL3211" | "POL3212";
  readonly main: Blocker;
  /** The headline's witness: packets of `cls` that `main` takes (for POL3210/3212, the part that ends
   *  with another verdict than the rule's). */
  readonly cls: number;
  readonly overlap: SetId;
  readonly blocking: readonly Blocking[];
  readonly conflicts: readonly Conflict[];
}

export function classifyShadowed(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): ShadowVerdict | undefined {
  const info = s.info;
  const bl = blockingAt(ctx, da, s.blockedNodes, info.M).filter((b) => b.blockers.length > 0);
  if (bl.length === 0) return undefined;
  const conflicts = bl.flatMap((b) => conflicting(ctx, da, info, b));
  // The headline follows the most ordinary endpoints and the element taking most of their traffic: if
  // the verdict it gives (for a Pass: the verdict the passed traffic ends with) is the one this rule
  // wants, the rule is dead (an override of other traffic is a note).
  const ref = bl[0]!;
  const main = ref.blockers[0]!;
  const mainConflict = conflictOf(ctx, da, info, ref.node, ref.cls, main);
  if (info.rule.action === "Log" || !mainConflict) {
    return { code: "POL3211", main, cls: ref.cls, overlap: main.overlap, blocking: bl, conflicts };
  }
  const earlierOnly = conflicts.every((b) => tierOfElem(b.el) !== info.tier);
  return { code: earlierOnly ? "POL3212" : "POL3210", main, cls: mainConflict.cls, overlap: mainConflict.overlap, blocking: bl, conflicts };
}

function shadowed(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const v = classifyShadowed(ctx, da, s);
  if (!v) return;
  const all = v.blocking.flatMap((b) => b.blockers);
  const name = ruleName(world, info);
  const main = v.main;
  const distinct = new Set(all.map((b) => elemKey(b.el)));
  const more = distinct.size > 1 ? ` (and ${distinct.size - 1} more)` : "";
  const w = concreteWitness(res.space, da.classes[v.cls]!.set, v.overlap);
  const outcome = v.code === "POL3211" ? passOutcome(info, main.el) : passConflictOutcome(info, main.el);
  const notes = w ? [`for example \`${formatPacket(w, info.dir)}\` matches this rule, but ${elemPhrase(ctx, main.el, info.tier, info)}${outcome}`] : [];
  const help = deleteHelp(ctx, info);
  if (v.code === "POL3211") {
    const other = v.conflicts[0];
    if (other && info.rule.action !== "Log") {
      const ow = concreteWitness(res.space, da.classes[other.cls]!.set, other.overlap);
      if (ow) notes.push(`also, for \`${formatPacket(ow, info.dir)}\` ${elemPhrase(ctx, other.el, info.tier, info)}${passConflictOutcome(info, other.el)}`);
    }
    emit(
      ctx,
      "POL3211",
      {
        message: `${name} is dead: ${elemPhrase(ctx, main.el, info.tier, info)}${passOutcome(info, main.el)}${more}, so it never ${info.rule.action === "Log" ? "logs anything" : "matches anything"}`,
        primary: { span: info.rule.origin, message: "never reached" },
        secondary: dedupeLabels(
          all.flatMap((b) => elemLabels(world, b.el)),
          info.rule.origin,
        ),
        notes: [...notes, ...help.notes, ...approxNotes(info, res)],
        help: help.keep ?? "delete the rule; the earlier rules already have the same effect",
      },
      info,
    );
    return;
  }
  const secondary = dedupeLabels(
    v.conflicts.flatMap((b) => elemLabels(world, b.el)),
    info.rule.origin,
  );
  const phrase = `${elemPhrase(ctx, main.el, info.tier, info)}${passConflictOutcome(info, main.el)}`;
  if (v.code === "POL3212") {
    emit(
      ctx,
      "POL3212",
      {
        message: `${name} can never take effect${halfOf(info)}: ${phrase}${more}`,
        primary: {
          span: info.rule.origin,
          message: "overridden by an earlier tier",
        },
        secondary,
        notes: [...notes, ...help.notes, ...approxNotes(info, res)],
        help:
          builtinEndHelp(ctx, main.el) ??
          `if this traffic must be allowed or denied here, change the earlier tier (let it \`pass\` this traffic or exempt these endpoints)${help.keep ? `; otherwise ${help.keep}` : "; otherwise delete the rule"}`,
      },
      info,
    );
  } else {
    emit(
      ctx,
      "POL3210",
      {
        message: `${name} is shadowed: ${phrase}${more}, so it never matches anything`,
        primary: { span: info.rule.origin, message: "never reached" },
        secondary,
        notes: [...notes, ...help.notes, ...approxNotes(info, res)],
        help: `move this rule (or its policy) before the rule that shadows it, narrow that rule${help.keep ? `; ${help.keep}` : ", or delete this one"}`,
      },
      info,
    );
  }
}

/** When the end of Calico's built-in `default` tier takes the traffic: that tier cannot be changed (it
 *  always ends in deny); what selects the endpoints there is a flow or policy written without `in TIER`. */
function builtinEndHelp(ctx: Ctx, el: Elem): string | undefined {
  if (el.t !== "end" || !ctx.world.tiers[el.tier]?.builtin) return undefined;
  const trig = ctx.world.policies[el.trigger];
  const [what, how] = trig?.flavor === "flows" ? ["the flows", "`flows in TIER { ... }`"] : ["the policies", "`policy NAME in TIER`"];
  return `the built-in \`default\` tier always ends in deny and cannot be changed: put ${what} written without \`in TIER\` that select these endpoints in a declared tier that ends in \`pass\` (${how}), or allow this traffic there too`;
}

/** For a Pass that takes traffic which then ends with another verdict than the rule's. */
function passConflictOutcome(info: RuleInfo, el: Elem): string {
  if (elemAction(el) !== "Pass" || (info.rule.action !== "Allow" && info.rule.action !== "Deny")) return "";
  return info.rule.action === "Allow" ? ", where it is denied" : ", where it is allowed";
}

/**
 * Which partial overrides deserve a diagnostic: an allow whose traffic ends up denied (something
 * breaks), or a deny whose traffic ends up allowed by an earlier rule of its own tier. A deny pre-empted
 * by an earlier tier's allow is how tiers are meant to work. And for *some endpoints* (classLevel), an
 * earlier tier's guardrail rule overriding a later rule is what guardrails are for (in symbolic mode it
 * would fire for every endpoint that could carry the guardrail's labels); what nobody wrote is the
 * *end* of an earlier tier denying it, because that tier happens to select these endpoints. Report that.
 */
function reportable(
  ctx: Ctx,
  da: DirectionAnalysis,
  info: RuleInfo,
  bl: Blocking[],
  classLevel: boolean,
): { b: Blocking; x: Conflict; earlierOnly: boolean } | undefined {
  if (info.rule.action === "Log" || info.rule.action === "Pass") return undefined;
  const conf = bl.map((b) => ({ b, xs: conflicting(ctx, da, info, b) })).filter((c) => c.xs.length > 0);
  if (conf.length === 0) return undefined;
  const earlierOnly = conf.every((c) => c.xs.every((x) => tierOfElem(x.el) !== info.tier));
  if (info.rule.action === "Deny" && earlierOnly) return undefined;
  if (classLevel && earlierOnly) {
    for (const c of conf) {
      const end = c.xs.find((x) => x.el.t === "end");
      if (end) return { b: c.b, x: end, earlierOnly };
    }
    return undefined;
  }
  return { b: conf[0]!.b, x: conf[0]!.xs[0]!, earlierOnly };
}

/** "What remains": one packet that still reaches a partly shadowed or overridden rule. */
function stillReached(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary, changesNothing = false): string[] {
  if (s.reachedNodes.length === 0) return [];
  const n = s.reachedNodes.reduce(
    (b, x) => (da.classes[classOfNode(da, x)]!.policies.length < da.classes[classOfNode(da, b)]!.policies.length ? x : b),
    s.reachedNodes[0]!,
  );
  const w = concreteWitness(ctx.res.space, da.classes[classOfNode(da, n)]!.set, da.trie.nodes[n]!.E);
  if (!w) return [];
  if (!changesNothing) return [`the rest still takes effect: for example \`${formatPacket(w, s.info.dir)}\` reaches this rule`];
  return [
    `where the rule is reached it changes nothing: for example \`${formatPacket(w, s.info.dir)}\` reaches it but gets the same verdict without it, so the rule has no effect at all`,
  ];
}

/** The rule never takes effect for some endpoints (while it does for others). */
function partlyBlockedSubjects(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary, redundantElsewhere: boolean): boolean {
  const { world, res } = ctx;
  const info = s.info;
  if (info.rule.action !== "Allow" && info.rule.action !== "Deny") return false;
  const bl = blockingAt(ctx, da, s.blockedNodes, info.M, candidateFor(info, true), earlierFor(info, true));
  const r = reportable(ctx, da, info, bl, true);
  if (!r) return false;
  const subj = concreteWitness(res.space, da.classes[r.x.cls]!.set, r.x.overlap);
  if (!subj) return false;
  const who = subj.subjectEndpoint ?? `endpoints like ${formatLabels(subj.subject)}`;
  const groups = s.blockedNodes.reduce((n, b) => n + da.trie.nodes[b]!.leaves, 0) - 1;
  const others = groups > 0 ? ` (and ${groups} more group${groups > 1 ? "s" : ""} of endpoints)` : "";
  emit(
    ctx,
    r.earlierOnly ? "POL3213" : "POL3214",
    {
      message: `for ${who}${others}, ${ruleName(world, info)} never takes effect: ${elemPhrase(ctx, r.x.el, info.tier, info)}${passConflictOutcome(info, r.x.el)}`,
      primary: {
        span: info.rule.origin,
        message: r.earlierOnly ? "partly overridden by an earlier tier" : "partly shadowed",
      },
      secondary: dedupeLabels(elemLabels(world, r.x.el), info.rule.origin),
      notes: [
        `for example \`${formatPacket(subj, info.dir)}\` matches this rule, but ${elemPhrase(ctx, r.x.el, info.tier, info)}${passConflictOutcome(info, r.x.el)}`,
        ...stillReached(ctx, da, s, redundantElsewhere),
        ...approxNotes(info, res),
      ],
      help: r.earlierOnly
        ? builtinEndHelp(ctx, r.x.el) ??
          "allow this traffic in the earlier tier too, move the rule to an earlier tier, or make the earlier tier's default `pass`"
        : "if the rule should also act for these endpoints, move it (or its policy) before the rules that take their traffic",
    },
    info,
  );
  return true;
}

/** Some listed ports / CIDRs of the rule are never reached (while the rest is). */
function partlyBlockedItems(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary, redundantElsewhere: boolean): boolean {
  const { world, res } = ctx;
  const info = s.info;
  const idd = res.space.idd;
  let lost = FALSE;
  const items = ruleItems(res.space, info);
  for (const k of s.blockedItems) lost = idd.or(lost, items[k]!.set);
  if (info.rule.action !== "Allow" && info.rule.action !== "Deny") return false;
  const bl = blockingAt(ctx, da, [...s.reachedNodes, ...s.blockedNodes], lost, candidateFor(info, false), earlierFor(info, false)).filter(
    (b) => b.blockers.length > 0,
  );
  const r = reportable(ctx, da, info, bl, false);
  if (!r) return false;
  const parts = s.blockedItems.map((k) => describeItem(items[k]!.match)).join(", ");
  emit(
    ctx,
    r.earlierOnly ? "POL3213" : "POL3214",
    {
      message: `part of ${ruleName(world, info)} never takes effect (${parts}): ${elemPhrase(ctx, r.x.el, info.tier, info)}${passConflictOutcome(info, r.x.el)}`,
      primary: {
        span: info.rule.origin,
        message: r.earlierOnly ? "partly overridden by an earlier tier" : "partly shadowed",
      },
      secondary: dedupeLabels(
        bl.flatMap((b) => conflicting(ctx, da, info, b).flatMap((x) => elemLabels(world, x.el))),
        info.rule.origin,
      ),
      notes: [...example(ctx, da, info, r.x.cls, r.x), ...stillReached(ctx, da, s, redundantElsewhere), ...approxNotes(info, res)],
      help: "remove the part that never applies, or move the rule before the rules that take it",
    },
    info,
  );
  return true;
}

function describeItem(m: Match): string {
  const proto = m.protocol === undefined ? "" : (PROTOCOL_NAME[m.protocol] ?? `proto/${m.protocol}`);
  const bits: string[] = [];
  if (m.ports?.length === 1) {
    const p = m.ports[0]!;
    bits.push(`${proto}/${p.from === p.to ? p.from : `${p.from}-${p.to}`}`);
  } else if (m.namedPorts?.length === 1) bits.push(`${proto}/${m.namedPorts[0]}`);
  if (m.nets?.length === 1) bits.push(cidrText(m.nets[0]!));
  return bits.join(" ") || "one alternative";
}

function cidrText(r: { lo: bigint; hi: bigint }): string {
  const size = r.hi - r.lo + 1n;
  let bits = 0;
  while (1n << BigInt(bits) < size) bits++;
  const v6 = r.lo >= 1n << 32n;
  return `${formatIp(r.lo)}/${(v6 ? 128 : 32) - bits}`;
}

/** What the rest of a class's chain does with X (packets that would skip the rule at node n): the
 *  elements that decide them, in order. */
function routeAfter(ctx: Ctx, da: DirectionAnalysis, n: number, X: SetId): Elem[] {
  const idd = ctx.res.space.idd;
  const nodes = da.trie.nodes;
  const path = da.trie.path(nodes[n]!.rep);
  const out: Elem[] = [];
  let R = X;
  let passed = FALSE;
  let tier = nodes[n]!.tier;
  for (let i = path.indexOf(n) + 1; i < path.length && (R !== FALSE || passed !== FALSE); i++) {
    const node = nodes[path[i]!]!;
    const el = node.el;
    if (node.tier !== tier) {
      R = idd.or(R, passed);
      passed = FALSE;
      tier = node.tier;
    }
    if (el.t === "rule") {
      if (el.info.rule.action === "Log") continue;
      const hit = idd.and(R, el.info.M);
      if (hit === FALSE) continue;
      R = idd.diff(R, el.info.M);
      if (el.info.rule.action === "Pass") passed = idd.or(passed, hit);
      else out.push(el);
    } else if (el.t === "end") {
      if (el.action === "Deny") {
        if (R !== FALSE) out.push(el);
        R = FALSE;
      }
    } else if (R !== FALSE) out.push(el);
  }
  return out;
}

function redundant(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const n = s.reachedNodes[0]!;
  const decided = routeAfter(ctx, da, n, da.trie.nodes[n]!.E);
  const seen = new Set<string>();
  const given = decided.filter((e) => !seen.has(elemKey(e)) && seen.add(elemKey(e)));
  // Redundant only thanks to rules that are themselves never reached (the later copy of a duplicate,
  // reported as dead): deleting those makes this one necessary, so this finding would mislead.
  if (given.length > 0 && given.every((e) => e.t === "rule" && summarizeRule(res, res.dirs[e.info.dir], e.info).status === "shadowed"))
    return;
  const w = summarizeRule(res, da, info, { witness: true }).witness?.packet;
  const name = ruleName(world, info);
  if (info.rule.action === "Allow" && given.length > 0 && given.every((e) => e.t === "profile")) {
    emit(
      ctx,
      "POL3221",
      {
        message: `${name} changes nothing: no later rule or tier denies this traffic, so it is allowed anyway`,
        primary: { span: info.rule.origin, message: "allowed anyway" },
        notes: [
          ...(w ? [`for example \`${formatPacket(w, info.dir)}\` is allowed with or without this rule (Kubernetes default allow)`] : []),
          "after the last tier that selects an endpoint, Calico's profiles allow everything",
          ...approxNotes(info, res),
        ],
        help: "nothing to do if the rule documents intent; to make it matter, add a default deny (e.g. a baseline tier) for these endpoints",
      },
      info,
    );
    return;
  }
  if (info.rule.action === "Deny" && given.length > 0 && given.every((e) => e.t === "end" && e.tier === info.tier)) {
    const tier = world.tiers[info.tier]!;
    emit(
      ctx,
      "POL3222",
      {
        message: `${name} repeats the default of tier \`${tier.name}\`: the tier already ends in deny for this traffic`,
        primary: { span: info.rule.origin, message: "same as the tier's default" },
        ...(tier.origin ? { secondary: [{ span: tier.origin, message: `tier \`${tier.name}\` ends in deny` }] } : {}),
        notes: ["an explicit catch-all deny documents the intent; Calico gives the same verdicts without it"],
        help: "nothing to do if the rule is there to be explicit; otherwise delete it",
      },
      info,
    );
    return;
  }
  const phrase =
    given.length === 0
      ? "nothing"
      : given
          .slice(0, 2)
          .map((e) => givenPhrase(ctx, e, info))
          .join(" and ") + (given.length > 2 ? ` (and ${given.length - 2} more)` : "");
  const vacuous = info.rule.action === "Pass";
  emit(
    ctx,
    "POL3220",
    {
      message: `${name} is ${vacuous ? "a vacuous pass" : "redundant"}: removing it changes no verdict, given ${phrase}`,
      primary: { span: info.rule.origin, message: "redundant" },
      secondary: dedupeLabels(
        given.flatMap((e) => elemLabels(world, e, e.t === "rule" ? `${verb3(e.info.rule.action)} the same traffic` : undefined)),
        info.rule.origin,
      ),
      notes: [
        ...(w ? [`for example \`${formatPacket(w, info.dir)}\` gets the same verdict without this rule`] : []),
        "redundancy is not compositional: re-check after deleting any other rule",
        ...approxNotes(info, res),
      ],
      help: "delete the rule, or keep it deliberately as documentation",
    },
    info,
  );
}

/** A pass whose traffic, for some endpoints, reaches no later tier (so the profile allows it). */
function passNowhere(ctx: Ctx, da: DirectionAnalysis, s: RuleSummary): void {
  const { world, res } = ctx;
  const info = s.info;
  const nodes = da.trie.nodes;
  for (const n of s.reachedNodes) {
    // Walk n's tier below n; a tier end with the profile as a child means: no later tier for that class.
    const stack = [n];
    let leaf = -1;
    while (stack.length && leaf < 0) {
      const m = stack.pop()!;
      for (const c of nodes[m]!.children) {
        const cn = nodes[c]!;
        if (cn.el.t === "profile" && nodes[m]!.el.t === "end") leaf = c;
        else if (cn.tier === info.tier) stack.push(c);
      }
    }
    if (leaf < 0) continue;
    const w = concreteWitness(res.space, da.classes[nodes[leaf]!.classes[0]!]!.set, nodes[n]!.E);
    if (!w) continue;
    const who = w.subjectEndpoint ?? `endpoints like ${formatLabels(w.subject)}`;
    emit(
      ctx,
      "POL3240",
      {
        message: `${ruleName(world, info)} leads nowhere for ${who}: no later tier selects them for ${info.dir}, so the traffic it passes is allowed`,
        primary: {
          span: info.rule.origin,
          message: "pass to the Kubernetes default allow",
        },
        notes: [`for example \`${formatPacket(w, info.dir)}\` is passed and then allowed by the profile`],
        help: "write `allow` if allowing is intended, or add a later policy (such as a default-deny baseline) selecting these endpoints",
      },
      info,
    );
    return;
  }
}

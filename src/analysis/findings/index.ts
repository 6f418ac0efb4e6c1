// Turns engine results into diagnostics: what is wrong, where (the rule's span), who is responsible
// (blocking rules and tier ends as secondary spans), and one concrete packet as a witness.

import type { Diagnostic } from "../../diag/diagnostic.js";
import { BudgetExceeded } from "../sets/idd.js";
import type { EngineResult, RuleInfo } from "../engine.js";
import { summarizeRule } from "../summary.js";
import { oneSidedRules } from "../e2e.js";
import { DIRECTIONS } from "../world.js";
import { emit, policyName, type Ctx, type FindingOptions } from "./context.js";
import { ruleFindings } from "./rules.js";
import { correlated, oneSided } from "./flows.js";
import { dnsLost, systemIsolated } from "./infra.js";

export type { FindingOptions, SeverityOverrides } from "./context.js";

export function findings(res: EngineResult, opts: FindingOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx: Ctx = {
    world: res.world,
    res,
    out,
    opts,
    pending: false,
    about: new Map(),
  };
  const unselected = new Set<number>();
  const unknown = new Set<number>();
  for (const dir of DIRECTIONS) {
    const da = res.dirs[dir];
    const reached: RuleInfo[] = [];
    if (da.failed === "forward") {
      // Stopped before its rules were analysed (possibly before they were even compiled).
      for (const pi of da.active) unknown.add(pi);
      continue;
    }
    for (const info of da.rules.values()) {
      try {
        const s = summarizeRule(res, da, info);
        if (s.status === "unknown") unknown.add(info.policy);
        else if (s.status === "unselected") unselected.add(info.policy);
        else ruleFindings(ctx, da, s);
        if (s.status === "reached") reached.push(info);
        if (da.failed === "backward") unknown.add(info.policy);
      } catch (e) {
        if (!(e instanceof BudgetExceeded)) throw e;
        res.stats.budgetExceeded = true;
        unknown.add(info.policy);
      }
    }
    try {
      correlated(ctx, da);
      for (const o of oneSidedRules(res, reached)) oneSided(ctx, o.info, o.flow);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      res.stats.budgetExceeded = true;
    }
  }
  try {
    dnsLost(ctx);
    systemIsolated(ctx);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    res.stats.budgetExceeded = true;
  }
  for (const pi of [...unselected].sort((a, b) => a - b)) policySelectsNothing(ctx, pi);
  for (const pi of [...unknown].sort((a, b) => a - b)) notAnalysed(ctx, pi);
  if (opts.pending) pendingFindings(ctx, opts.pending);
  return flowHalves(ctx);
}

/**
 * A `flow` line is one statement with two halves (egress on the source, ingress on the destination);
 * it cannot be half-deleted. So "redundant" / "changes nothing" is only said of a flow when both halves
 * are; other findings about both halves with the same text collapse into one.
 */
const OVERRIDES = new Set(["POL3210", "POL3212", "POL3213"]);

function flowHalves(ctx: Ctx): Diagnostic[] {
  const byLine = new Map<string, { d: Diagnostic; info: RuleInfo }[]>();
  for (const d of ctx.out) {
    const info = ctx.about.get(d);
    if (!info?.rule.flow) continue;
    const k = `${d.code}|${d.primary.span.file}|${d.primary.span.start}`;
    const l = byLine.get(k) ?? [];
    l.push({ d, info });
    byLine.set(k, l);
  }
  const drop = new Set<Diagnostic>();
  // One half overridden (by an earlier tier or its own tier) makes the other half one-sided as a
  // consequence: the override, which names the half and what takes it, is the one finding.
  const overridden = new Set<string>();
  for (const d of ctx.out) {
    const info = ctx.about.get(d);
    if (info?.rule.flow && OVERRIDES.has(d.code)) overridden.add(`${d.primary.span.file}|${d.primary.span.start}|${info.dir}`);
  }
  for (const d of ctx.out) {
    const info = ctx.about.get(d);
    if (d.code !== "POL3250" || !info?.rule.flow) continue;
    const other = info.dir === "egress" ? "ingress" : "egress";
    if (overridden.has(`${d.primary.span.file}|${d.primary.span.start}|${other}`)) drop.add(d);
  }
  for (const l of byLine.values()) {
    const code = l[0]!.d.code;
    if (code === "POL3220" || code === "POL3221") {
      const dirs = new Set(l.map((x) => x.info.dir));
      if (dirs.size < 2) for (const x of l) drop.add(x.d);
    }
    const seen = new Set<string>();
    for (const x of l) {
      if (seen.has(x.d.message)) drop.add(x.d);
      seen.add(x.d.message);
    }
  }
  return ctx.out.filter((d) => !drop.has(d));
}

/** Findings that only exist once staged policies are enforced: about staged rules themselves, and about
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
        const e = enforced.rules.get(info.key);
        if (!e || s.status !== "shadowed") continue;
        if (summarizeRule(ctx.res, enforced, e).status === "reached") ruleFindings(pctx, da, s);
      } catch (err) {
        if (!(err instanceof BudgetExceeded)) throw err;
        pres.stats.budgetExceeded = true;
      }
    }
  }
  pres.world.policies.forEach((p, pi) => {
    if (!p.staged) return;
    const sums = DIRECTIONS.flatMap((d) =>
      [...pres.dirs[d].rules.values()].filter((r) => r.policy === pi).map((r) => summarizeRule(pres, pres.dirs[d], r)),
    );
    if (sums.length > 0 && sums.every((s) => s.status === "unselected")) policySelectsNothing(pctx, pi);
  });
}

function policySelectsNothing(ctx: Ctx, pi: number): void {
  const p = ctx.world.policies[pi]!;
  if (p.flowHalf) {
    // A flows policy is one half of some flows: say which, and which end of them matches nothing.
    const { dir, end } = p.flowHalf;
    const role = dir === "egress" ? "source" : "destination";
    emit(ctx, "POL3202", {
      message: `the ${dir} half of the flows in tier \`${p.tier}\` applies to no endpoint: ${ctx.opts.inventory ? "no workload of the inventory matches" : "no combination of labels satisfies"} \`${end}\`, their ${role}`,
      primary: { span: p.nameSpan, message: `${dir} of \`${end}\`: selects nothing` },
      help: ctx.opts.inventory ? `check \`${end}\` against the workloads' labels` : `correct the selector of \`${end}\``,
    });
    return;
  }
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
    notes: ["findings reported for its rules are exact, but some of its rules were not (fully) analysed: the absence of a finding means nothing"],
    help: "raise the analysis budget, or split the policy into smaller ones",
  });
}

// The FORWARD and BACKWARD passes of shadow-analysis.md §5.3, per direction and per subject class.
//
// For a class c the chain is: for each tier (ascending) that has a policy selecting c for this
// direction, the rules of those policies (in policy order), then the tier's end (its default action);
// after the last tier, the profiles (allow for Kubernetes pods). Tiers that select nothing in c are
// skipped entirely, end included. FORWARD computes E_c[x], the packets that reach element x; BACKWARD
// computes After_c[x], the packets the rest of the chain would allow if evaluation continued right
// after x. A rule is redundant in c iff E_c[r] ∩ (out(r) ⊕ After_c[r]) = ∅.

import { BudgetExceeded, FALSE, type SetId } from "./sets/idd.js";
import { subjectClasses, type SubjectClass } from "./classes.js";
import { Space, type SpaceEndpoint } from "./space.js";
import { ChainTrie, type ChainToken } from "./trie.js";
import { rulesOf, type Direction, type Match, type World, type WRule } from "./world.js";

export interface EngineOptions {
  readonly endpoints?: readonly SpaceEndpoint[];
  /** Maximum set-engine steps for the whole run (default DEFAULT_BUDGET). */
  readonly budget?: number;
  /** Evaluate staged policies as if enforced (the "pending" verdict). */
  readonly includeStaged?: boolean;
  /** Tiers (per class) with more reachable rules than this are not searched for correlated pairs. */
  readonly maxCorrelationRules?: number;
  /** Reuse a space (it must have been built from a world containing every policy of this one). */
  readonly space?: Space;
}

export const DEFAULT_BUDGET = 40_000_000;

/** A rule of one direction of one policy. `policy` indexes World.policies. */
export interface RuleInfo {
  readonly key: string;
  readonly policy: number;
  readonly dir: Direction;
  readonly index: number;
  readonly rule: WRule;
  readonly tier: number;
  /** Match set over packet dims (the subject side is handled by classes). */
  readonly M: SetId;
}

export interface RuleItem {
  readonly set: SetId;
  readonly match: Match;
}

const itemMemo = new WeakMap<RuleInfo, readonly RuleItem[]>();

/** The rule's alternatives split finely (one port / one CIDR each), for "part of this rule never takes
 *  effect (tcp/80)"; empty when the rule has one alternative or too many. Computed on demand. */
export function ruleItems(space: Space, info: RuleInfo): readonly RuleItem[] {
  let items = itemMemo.get(info);
  if (!items) {
    items = itemsOf(space, info.rule.matches);
    itemMemo.set(info, items);
  }
  return items;
}

export type Elem =
  | { readonly t: "rule"; readonly info: RuleInfo }
  | { readonly t: "end"; readonly tier: number; readonly action: "Deny" | "Pass"; readonly trigger: number }
  | { readonly t: "profile" };

export interface DirectionAnalysis {
  readonly dir: Direction;
  /** Subject classes (their policies are World indices, in evaluation order). */
  readonly classes: SubjectClass[];
  /** The chains of all classes, merged into a trie; both passes run on it. */
  readonly trie: ChainTrie;
  /** Trie leaf of each class. */
  readonly leaves: number[];
  /** Rule key -> the trie nodes where the rule occurs. */
  readonly occurrences: Map<string, number[]>;
  readonly rules: Map<string, RuleInfo>;
  /** Policies (World indices) active in this direction, in evaluation order. */
  readonly active: number[];
  /** Subject set (A dims) of each active policy, by World index. */
  readonly subjectSets: Map<number, SetId>;
  /** Correlated pairs: [earlier rule key, later rule key, trie node of the later rule]. */
  readonly correlated: [string, string, number][];
  correlationSkipped: number;
  /** Budget exceeded: "forward" = nothing is known; "backward" = reachability is known, redundancy not. */
  failed: false | "forward" | "backward";
}

/** Packets allowed for a class (on demand, memoised in the trie). */
export function allowedOfClass(res: EngineResult, da: DirectionAnalysis, cls: number): SetId {
  return da.trie.allowedAt(res.space.idd, da.leaves[cls]!, res.world.profileAllows ?? true);
}

/** Union of the subject sets of the classes whose chains pass through trie node n. */
export function subjectsBelow(res: EngineResult, da: DirectionAnalysis, n: number): SetId {
  return da.trie.classSetBelow(res.space.idd, n, (c) => da.classes[c]!.set);
}

export interface EngineStats {
  classes: number;
  trieNodes: number;
  steps: number;
  nodes: number;
  budgetExceeded: boolean;
  millis: number;
}

export interface EngineResult {
  readonly space: Space;
  readonly world: World;
  readonly dirs: Record<Direction, DirectionAnalysis>;
  readonly stats: EngineStats;
}

export function ruleKey(policy: number, dir: Direction, index: number): string {
  return `${policy}/${dir}/${index}`;
}

export function runEngine(world: World, opts: EngineOptions = {}): EngineResult {
  const t0 = performance.now();
  const space = opts.space ?? new Space(world, opts.endpoints ? { endpoints: opts.endpoints } : {});
  const idd = space.idd;
  const startSteps = idd.steps;
  idd.stepLimit = startSteps + (opts.budget ?? DEFAULT_BUDGET);
  const tierIndex = new Map(world.tiers.map((t, i) => [t.name, i]));
  const stats: EngineStats = { classes: 0, trieNodes: 0, steps: 0, nodes: 0, budgetExceeded: false, millis: 0 };
  const dirs = {} as Record<Direction, DirectionAnalysis>;
  try {
    for (const dir of ["ingress", "egress"] as const) dirs[dir] = analyseDirection(world, space, dir, tierIndex, opts, stats);
  } finally {
    idd.stepLimit = Number.POSITIVE_INFINITY;
  }
  stats.steps = idd.steps - startSteps;
  stats.nodes = idd.nodeCount;
  stats.millis = performance.now() - t0;
  return { space, world, dirs, stats };
}

/** The union of a rule's matches (its alternatives) in `space`. */
export function matchSet(space: Space, matches: readonly Match[]): SetId {
  let s = FALSE;
  for (const m of matches) s = space.idd.or(s, space.match(m));
  return s;
}

/** Split a rule's matches into fine items (one port range / named port / CIDR at a time). */
function itemsOf(space: Space, matches: readonly Match[]): RuleItem[] {
  const items = matches.reduce(
    (n, m) => n + Math.max(1, (m.ports?.length ?? 0) + (m.namedPorts?.length ?? 0)) * Math.max(1, m.nets?.length ?? 0),
    0,
  );
  if (items < 2 || items > 16) return [];
  const out: RuleItem[] = [];
  for (const m of matches) {
    const byPort: Match[] =
      (m.ports?.length ?? 0) + (m.namedPorts?.length ?? 0) > 1
        ? [
            ...(m.ports ?? []).map((p): Match => ({ ...m, ports: [p], namedPorts: undefined })),
            ...(m.namedPorts ?? []).map((n): Match => ({ ...m, ports: undefined, namedPorts: [n] })),
          ]
        : [m];
    for (const pm of byPort) {
      const byNet: Match[] = (pm.nets?.length ?? 0) > 1 ? pm.nets!.map((n): Match => ({ ...pm, nets: [n] })) : [pm];
      for (const nm of byNet) out.push({ set: space.match(nm), match: nm });
    }
  }
  return out.length > 16 || out.length < 2 ? [] : out;
}

function fail(stats: EngineStats, e: unknown): void {
  if (!(e instanceof BudgetExceeded)) throw e;
  stats.budgetExceeded = true;
}

function analyseDirection(
  world: World,
  space: Space,
  dir: Direction,
  tierIndex: Map<string, number>,
  opts: EngineOptions,
  stats: EngineStats,
): DirectionAnalysis {
  const res: DirectionAnalysis = {
    dir,
    classes: [],
    trie: new ChainTrie((el, n) => {
      if (el.t !== "rule") return;
      let occ = res.occurrences.get(el.info.key);
      if (!occ) res.occurrences.set(el.info.key, (occ = []));
      occ.push(n);
    }),
    leaves: [],
    occurrences: new Map(),
    rules: new Map(),
    active: [],
    subjectSets: new Map(),
    correlated: [],
    correlationSkipped: 0,
    failed: false,
  };
  world.policies.forEach((p, i) => {
    if (rulesOf(p, dir) === undefined) return;
    if (p.staged && !opts.includeStaged) return;
    if (!tierIndex.has(p.tier)) return;
    res.active.push(i);
  });
  // Evaluation order: tier order, then the world's policy order.
  res.active.sort((a, b) => tierIndex.get(world.policies[a]!.tier)! - tierIndex.get(world.policies[b]!.tier)! || a - b);

  const tokens = new Map<number, ChainToken>();
  try {
    const selectors = res.active.map((pi) => space.selector(world.policies[pi]!.subject, "A"));
    res.active.forEach((pi, k) => res.subjectSets.set(pi, selectors[k]!));
    for (const pi of res.active) {
      const p = world.policies[pi]!;
      const elems: Elem[] = [];
      rulesOf(p, dir)!.forEach((r, idx) => {
        const key = ruleKey(pi, dir, idx);
        const info: RuleInfo = { key, policy: pi, dir, index: idx, rule: r, tier: tierIndex.get(p.tier)!, M: matchSet(space, r.matches) };
        res.rules.set(key, info);
        elems.push({ t: "rule", info });
      });
      tokens.set(pi, { t: "policy", key: `p:${pi}`, rules: elems });
    }
    res.classes.push(...subjectClasses(space, selectors).map((c) => ({ ...c, policies: c.policies.map((k) => res.active[k]!) })));
  } catch (e) {
    fail(stats, e);
    res.failed = "forward";
    return res;
  }
  stats.classes += res.classes.length;

  const endTokens = new Map<string, ChainToken>();
  res.classes.forEach((cls, ci) => {
    res.leaves.push(res.trie.insert(chainTokens(world, cls, tokens, tierIndex, endTokens), ci));
  });
  stats.trieNodes += res.trie.nodes.length;

  const profileAllows = world.profileAllows ?? true;
  const idd = space.idd;
  try {
    res.trie.forward(idd, space.packets, (c) => res.classes[c]!.policies.length);
  } catch (e) {
    fail(stats, e);
    res.failed = "forward";
    return res;
  }
  try {
    res.trie.backward(idd, space.packets, profileAllows);
  } catch (e) {
    fail(stats, e);
    res.failed = "backward";
  }
  try {
    correlate(space, res, opts.maxCorrelationRules ?? 64);
  } catch (e) {
    fail(stats, e);
    res.correlationSkipped++;
  }
  return res;
}

/** The chain of a class as tokens: per active tier its selecting policies, then the tier's end; then
 *  the profile. */
function chainTokens(
  world: World,
  cls: SubjectClass,
  tokens: Map<number, ChainToken>,
  tierIndex: Map<string, number>,
  endTokens: Map<string, ChainToken>,
): { token: ChainToken; tier: number }[] {
  const out: { token: ChainToken; tier: number }[] = [];
  let cur = -1;
  let trigger = -1;
  const close = () => {
    if (cur < 0) return;
    // One token per (tier, trigger policy), shared by every chain that ends the tier the same way.
    const key = `${cur}:${trigger}`;
    let token = endTokens.get(key);
    if (!token) endTokens.set(key, (token = { t: "end", el: { t: "end", tier: cur, action: world.tiers[cur]!.defaultAction, trigger } }));
    out.push({ token, tier: cur });
  };
  for (const pi of cls.policies) {
    const t = tierIndex.get(world.policies[pi]!.tier)!;
    if (t !== cur) {
      close();
      cur = t;
      trigger = pi;
    }
    out.push({ token: tokens.get(pi)!, tier: t });
  }
  close();
  out.push({ token: PROFILE_TOKEN, tier: -1 });
  return out;
}

const PROFILE_TOKEN: ChainToken = { t: "profile", el: { t: "profile" } };

/** Correlated pairs: same tier and path, Allow vs Deny, the earlier rule's effective match overlaps the
 *  later rule's match, neither match contains the other, both reachable. Checked once per trie node,
 *  looking back at most `maxRules` nodes within the tier. */
function correlate(space: Space, res: DirectionAnalysis, maxRules: number): void {
  const idd = space.idd;
  const nodes = res.trie.nodes;
  nodes.forEach((node, j) => {
    const el = node.el;
    if (el.t !== "rule" || node.E === FALSE) return;
    const a = el.info.rule.action;
    if (a !== "Allow" && a !== "Deny") return;
    let steps = 0;
    for (let i = node.parent; i >= 0 && nodes[i]!.tier === node.tier; i = nodes[i]!.parent) {
      if (++steps > maxRules) {
        res.correlationSkipped++;
        return;
      }
      const prev = nodes[i]!;
      const pe = prev.el;
      if (pe.t !== "rule" || prev.E === FALSE) continue;
      const pa = pe.info.rule.action;
      if ((pa !== "Allow" && pa !== "Deny") || pa === a) continue;
      if (!idd.intersects(prev.E, el.info.M)) continue;
      if (idd.subset(pe.info.M, el.info.M) || idd.subset(el.info.M, pe.info.M)) continue;
      res.correlated.push([pe.info.key, el.info.key, j]);
    }
  });
}

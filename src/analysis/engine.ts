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
import { ChainTrie } from "./trie.js";
import { rulesOf, type Direction, type Match, type World, type WPolicy, type WRule } from "./world.js";

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
  /** The rule's alternatives split finely (one port / one CIDR each); empty when there are too many. */
  readonly items: readonly { readonly set: SetId; readonly match: Match }[];
}

export type Elem =
  | { readonly t: "rule"; readonly info: RuleInfo }
  | { readonly t: "end"; readonly tier: number; readonly action: "Deny" | "Pass"; readonly trigger: number }
  | { readonly t: "profile" };

export interface ClassChain {
  readonly cls: SubjectClass;
  readonly elems: Elem[];
  /** Trie node of each element. */
  readonly nodes: number[];
  /** Packets reaching each element (FORWARD). */
  readonly E: SetId[];
  /** Tier index of each element (-1 for the profile). */
  readonly tierOf: number[];
  failed: boolean;
}

/** Packets allowed for the class of a chain (computed on demand, memoised). */
export function allowedOf(res: EngineResult, da: DirectionAnalysis, ch: ClassChain): SetId {
  let a = allowedMemo.get(ch);
  if (a === undefined) {
    a = da.trie.allowedOn(res.space.idd, ch.nodes, res.world.profileAllows ?? true);
    allowedMemo.set(ch, a);
  }
  return a;
}
const allowedMemo = new WeakMap<ClassChain, SetId>();

export interface Occurrence {
  readonly chain: number;
  readonly pos: number;
}

export interface DirectionAnalysis {
  readonly dir: Direction;
  readonly chains: ClassChain[];
  /** Rule key -> its occurrences in class chains. */
  readonly occurrences: Map<string, Occurrence[]>;
  readonly rules: Map<string, RuleInfo>;
  /** Policies (World indices) active in this direction, in evaluation order. */
  readonly active: number[];
  /** Subject set (A dims) of each active policy, by World index. */
  readonly subjectSets: Map<number, SetId>;
  /** Correlated pairs: [earlier rule key, later rule key, chain index]. */
  readonly correlated: [string, string, number][];
  correlationSkipped: number;
  /** The shared-prefix trie of the chains (both passes run on it). */
  readonly trie: ChainTrie;
  /** Budget exceeded: "forward" = nothing is known; "backward" = reachability is known, redundancy not. */
  failed: false | "forward" | "backward";
}

export interface EngineStats {
  classes: number;
  chainElements: number;
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
  const stats: EngineStats = { classes: 0, chainElements: 0, trieNodes: 0, steps: 0, nodes: 0, budgetExceeded: false, millis: 0 };
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

function matchSet(space: Space, matches: readonly Match[]): SetId {
  let s = FALSE;
  for (const m of matches) s = space.idd.or(s, space.match(m));
  return s;
}

/** Split a rule's matches into fine items (one port range / named port / CIDR at a time). */
function itemsOf(space: Space, matches: readonly Match[]): { set: SetId; match: Match }[] {
  const out: { set: SetId; match: Match }[] = [];
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
    chains: [],
    occurrences: new Map(),
    rules: new Map(),
    active: [],
    subjectSets: new Map(),
    correlated: [],
    correlationSkipped: 0,
    trie: new ChainTrie(elemKey),
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

  let classes: SubjectClass[];
  try {
    const selectors = res.active.map((pi) => space.selector(world.policies[pi]!.subject, "A"));
    res.active.forEach((pi, k) => res.subjectSets.set(pi, selectors[k]!));
    for (const pi of res.active) {
      const p = world.policies[pi]!;
      rulesOf(p, dir)!.forEach((r, idx) => {
        const key = ruleKey(pi, dir, idx);
        res.rules.set(key, { key, policy: pi, dir, index: idx, rule: r, tier: tierIndex.get(p.tier)!, M: matchSet(space, r.matches), items: itemsOf(space, r.matches) });
      });
    }
    classes = subjectClasses(space, selectors).map((c) => ({ ...c, policies: c.policies.map((k) => res.active[k]!) }));
  } catch (e) {
    fail(stats, e);
    res.failed = "forward";
    return res;
  }
  stats.classes += classes.length;

  for (const cls of classes) {
    const chain = buildChain(world, dir, cls, res.rules, tierIndex);
    chain.nodes.push(...res.trie.insert(chain.elems, chain.tierOf));
    const ci = res.chains.length;
    res.chains.push(chain);
    chain.elems.forEach((el, pos) => {
      if (el.t !== "rule") return;
      let occ = res.occurrences.get(el.info.key);
      if (!occ) res.occurrences.set(el.info.key, (occ = []));
      occ.push({ chain: ci, pos });
    });
    stats.chainElements += chain.elems.length;
  }
  stats.trieNodes += res.trie.nodes.length;

  const profileAllows = world.profileAllows ?? true;
  const idd = space.idd;
  try {
    res.trie.forward(idd, space.packets);
  } catch (e) {
    fail(stats, e);
    res.failed = "forward";
    for (const ch of res.chains) ch.failed = true;
    return res;
  }
  for (const ch of res.chains) {
    ch.nodes.forEach((n, i) => {
      ch.E[i] = res.trie.nodes[n]!.E;
    });
  }
  try {
    res.trie.backward(idd, space.packets, profileAllows);
  } catch (e) {
    fail(stats, e);
    res.failed = "backward";
  }
  // Correlated pairs, once per distinct tier segment of the trie.
  const done = new Set<number>();
  res.chains.forEach((ch, ci) => {
    try {
      correlate(space, ch, ci, res, opts.maxCorrelationRules ?? 64, done);
    } catch (e) {
      fail(stats, e);
      res.correlationSkipped++;
    }
  });
  return res;
}

function elemKey(el: Elem): string {
  return el.t === "rule" ? el.info.key : el.t === "end" ? `end:${el.tier}` : "profile";
}

function buildChain(world: World, dir: Direction, cls: SubjectClass, rules: Map<string, RuleInfo>, tierIndex: Map<string, number>): ClassChain {
  const elems: Elem[] = [];
  const tierOf: number[] = [];
  let curTier = -1;
  let trigger = -1;
  const closeTier = () => {
    if (curTier < 0) return;
    elems.push({ t: "end", tier: curTier, action: world.tiers[curTier]!.defaultAction, trigger });
    tierOf.push(curTier);
  };
  for (const pi of cls.policies) {
    const p: WPolicy = world.policies[pi]!;
    const t = tierIndex.get(p.tier)!;
    if (t !== curTier) {
      closeTier();
      curTier = t;
      trigger = pi;
    }
    rulesOf(p, dir)!.forEach((_r, idx) => {
      elems.push({ t: "rule", info: rules.get(ruleKey(pi, dir, idx))! });
      tierOf.push(t);
    });
  }
  closeTier();
  elems.push({ t: "profile" });
  tierOf.push(-1);
  const n = elems.length;
  return { cls, elems, tierOf, nodes: [], E: new Array(n).fill(FALSE), failed: false };
}

/** Correlated pairs in one class: same tier, Allow vs Deny, the earlier rule's effective match overlaps
 *  the later rule's match, neither match contains the other, and the later rule is reachable. */
function correlate(space: Space, ch: ClassChain, ci: number, res: DirectionAnalysis, maxRules: number, done: Set<number>): void {
  const idd = space.idd;
  let start = 0;
  while (start < ch.elems.length) {
    let end = start;
    while (end < ch.elems.length && ch.tierOf[end] === ch.tierOf[start]) end++;
    const last = ch.nodes[end - 1]!;
    if (done.has(last)) {
      start = end;
      continue;
    }
    done.add(last);
    const idx: number[] = [];
    for (let i = start; i < end; i++) {
      const el = ch.elems[i]!;
      if (el.t === "rule" && (el.info.rule.action === "Allow" || el.info.rule.action === "Deny") && ch.E[i] !== FALSE) idx.push(i);
    }
    if (idx.length > maxRules) res.correlationSkipped++;
    else {
      for (let b = 0; b < idx.length; b++) {
        const j = idx[b]!;
        const rj = (ch.elems[j] as { info: RuleInfo }).info;
        for (let a = 0; a < b; a++) {
          const i = idx[a]!;
          const ri = (ch.elems[i] as { info: RuleInfo }).info;
          if (ri.rule.action === rj.rule.action) continue;
          if (!idd.intersects(ch.E[i]!, rj.M)) continue;
          if (idd.subset(ri.M, rj.M) || idd.subset(rj.M, ri.M)) continue;
          res.correlated.push([ri.key, rj.key, ci]);
        }
      }
    }
    start = end;
  }
}

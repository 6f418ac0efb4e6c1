// Rule-level results: is the rule reachable at all, where is it blocked, is it redundant, one witness
// that reaches it. A rule occurs at one or more trie nodes (one per distinct chain prefix leading to
// it); each node stands for the classes below it. Findings (findings.ts) and the property tests read
// these.

import { FALSE, type SetId } from "./sets/idd.js";
import { ruleItems, type DirectionAnalysis, type Elem, type EngineResult, type RuleInfo } from "./engine.js";
import { concreteWitness, type ConcretePacket } from "./witness.js";
import type { Direction } from "./world.js";

export type RuleStatus =
  /** The rule's match is empty by itself. */
  | "empty"
  /** Its policy applies to no possible endpoint. */
  | "unselected"
  /** No packet ever reaches it. */
  | "shadowed"
  /** Some packet reaches it. */
  | "reached"
  /** Not analysed (work budget exceeded). */
  | "unknown";

export interface RuleSummary {
  readonly info: RuleInfo;
  readonly status: RuleStatus;
  /** Deleting it changes no verdict (reached rules only; never Log rules). */
  readonly redundant: boolean;
  /** A packet that reaches the rule (reached rules, when asked for). */
  readonly witness?: { readonly node: number; readonly packet: ConcretePacket };
  /** Trie nodes of the rule that nothing reaches / that something reaches. */
  readonly blockedNodes: readonly number[];
  readonly reachedNodes: readonly number[];
  /** Indices into ruleItems(info) of the items no packet reaches (while others are reached). */
  readonly blockedItems: readonly number[];
}

export function summarizeDirection(res: EngineResult, dir: Direction, opts: { witness?: boolean } = { witness: true }): RuleSummary[] {
  const da = res.dirs[dir];
  const out: RuleSummary[] = [];
  for (const info of da.rules.values()) out.push(summarizeRule(res, da, info, opts));
  return out;
}

/** The class standing for trie node n (the class of a leaf below it). */
export function classOfNode(da: DirectionAnalysis, n: number): number {
  return da.trie.nodes[da.trie.nodes[n]!.rep]!.classes[0]!;
}

/** `witness: true` also picks a packet that reaches the rule (a walk; findings ask only when needed). */
export function summarizeRule(res: EngineResult, da: DirectionAnalysis, info: RuleInfo, opts: { witness?: boolean } = {}): RuleSummary {
  const idd = res.space.idd;
  const occ = da.occurrences.get(info.key) ?? [];
  const base = { info, redundant: false, blockedNodes: [] as number[], reachedNodes: [] as number[], blockedItems: [] as number[] };
  if (da.failed === "forward") return { ...base, status: "unknown" };
  if (info.M === FALSE) return { ...base, status: "empty" };
  if (occ.length === 0) return { ...base, status: "unselected" };
  const nodes = da.trie.nodes;
  const blocked: number[] = [];
  const reached: number[] = [];
  // Redundant iff every node of the rule that is reached is redundant for the classes below it.
  let redundant = info.rule.action !== "Log" && da.failed !== "backward";
  for (const n of occ) {
    if (nodes[n]!.E === FALSE) blocked.push(n);
    else {
      reached.push(n);
      if (!nodes[n]!.redundant) redundant = false;
    }
  }
  if (reached.length === 0) return { ...base, blockedNodes: blocked, status: "shadowed" };
  // Witness from the most ordinary endpoints reaching it (the class selected by the fewest policies).
  const score = (n: number) => da.classes[classOfNode(da, n)]!.policies.length;
  const first = reached.reduce((b, n) => (score(n) < score(b) ? n : b), reached[0]!);
  const packet = opts.witness ? concreteWitness(res.space, da.classes[classOfNode(da, first)]!.set, nodes[first]!.E) : undefined;
  const blockedItems: number[] = [];
  ruleItems(res.space, info).forEach((item, k) => {
    if (item.set === FALSE) return;
    if (!reached.some((n) => idd.intersects(nodes[n]!.E, item.set))) blockedItems.push(k);
  });
  return {
    info,
    status: "reached",
    redundant,
    ...(packet ? { witness: { node: first, packet } } : {}),
    blockedNodes: blocked,
    reachedNodes: reached,
    blockedItems,
  };
}

const nearestEnds = new WeakMap<DirectionAnalysis, Int32Array>();

/** The nearest tier end at or above trie node m (-1 if none), memoised with path compression. */
function nearestEnd(da: DirectionAnalysis, m: number): number {
  const nodes = da.trie.nodes;
  let memo = nearestEnds.get(da);
  if (!memo || memo.length !== nodes.length) {
    memo = new Int32Array(nodes.length).fill(-2);
    nearestEnds.set(da, memo);
  }
  const path: number[] = [];
  let x = m;
  while (x >= 0 && memo[x] === -2 && nodes[x]!.el.t !== "end") {
    path.push(x);
    x = nodes[x]!.parent;
  }
  const found = x < 0 ? -1 : memo[x] !== -2 ? memo[x]! : x;
  if (x >= 0) memo[x] = found;
  for (const y of path) memo[y] = found;
  return found;
}

/** An element that took packets of a rule before it. */
export interface Blocker {
  readonly node: number;
  readonly el: Elem;
  readonly overlap: SetId;
  /** Real traffic it takes (addresses and ports by width), for ranking. */
  readonly volume: number;
}

/**
 * The elements on the path to trie node n that decided (or diverted) packets of `target` before n:
 * earlier rules of n's tier (Allow, Deny, Pass), Allow/Deny rules and Deny tier ends of earlier tiers.
 * Their overlaps partition target ∖ E(n). Sorted by volume, largest first (volumes are only computed
 * when `volumes` is not false; then the order is nearest first). `only` skips elements before any set
 * operation (cheap pre-checks).
 */
export function blockersOf(
  res: EngineResult,
  da: DirectionAnalysis,
  n: number,
  target: SetId,
  opts: {
    limit?: number;
    volumes?: boolean;
    only?: (el: Elem, sameTier: boolean) => boolean;
    /** Which elements of earlier tiers `only` can accept at all: every one (default), only tier ends,
     *  or none. A promise that lets the walk skip the rules of earlier tiers without visiting them. */
    earlier?: "all" | "ends" | "none";
  } = {},
): Blocker[] {
  const idd = res.space.idd;
  const nodes = da.trie.nodes;
  const tier = nodes[n]!.tier;
  const limit = opts.limit ?? 64;
  const earlier = opts.earlier ?? "all";
  const out: Blocker[] = [];
  // The overlaps partition target ∖ E(n): once they cover it, no element further up can overlap, so the
  // walk stops there instead of climbing the whole shared stem (hundreds of guardrail rules) every time.
  let uncovered = idd.diff(target, nodes[n]!.E);
  for (let m = nodes[n]!.parent; m >= 0 && out.length < limit && uncovered !== FALSE; m = nodes[m]!.parent) {
    let node = nodes[m]!;
    if (node.tier !== tier && earlier !== "all") {
      if (earlier === "none") break;
      m = nearestEnd(da, m);
      if (m < 0) break;
      node = nodes[m]!;
    }
    const el = node.el;
    const sameTier = node.tier === tier;
    if (el.t === "rule") {
      const a = el.info.rule.action;
      if (a === "Log") continue;
      if (a === "Pass" && !sameTier) continue;
    } else if (el.t === "end") {
      if (el.action === "Pass") continue;
    } else continue;
    if (opts.only && !opts.only(el, sameTier)) continue;
    const overlap = idd.and(node.E, target);
    if (overlap === FALSE) continue;
    uncovered = idd.diff(uncovered, overlap);
    out.push({ node: m, el, overlap, volume: opts.volumes === false ? 0 : res.space.volume(overlap) });
  }
  return opts.volumes === false ? out : out.sort((a, b) => b.volume - a.volume || b.node - a.node);
}

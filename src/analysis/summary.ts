// Rule-level results across subject classes: is the rule reachable at all, for which classes is it
// blocked, is it redundant, one witness that reaches it. Findings (findings.ts) and the property tests
// both read these.

import { FALSE, type SetId } from "./sets/idd.js";
import type { ClassChain, DirectionAnalysis, EngineResult, RuleInfo } from "./engine.js";
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
  /** Not fully analysed (work budget exceeded). */
  | "unknown";

export interface RuleSummary {
  readonly info: RuleInfo;
  readonly status: RuleStatus;
  /** Deleting it changes no verdict (only for reached rules; never for Log rules). */
  readonly redundant: boolean;
  /** A packet that reaches the rule (reached rules). */
  readonly witness?: { readonly chain: number; readonly packet: ConcretePacket };
  /** Chains (subject classes) where the rule occurs but nothing reaches it. */
  readonly blockedChains: readonly number[];
  readonly reachedChains: readonly number[];
  /** Indices into info.items of items no packet reaches (while others are reached). */
  readonly blockedItems: readonly number[];
}

export function summarizeDirection(res: EngineResult, dir: Direction, opts: { witness?: boolean } = { witness: true }): RuleSummary[] {
  const da = res.dirs[dir];
  const out: RuleSummary[] = [];
  for (const info of da.rules.values()) out.push(summarizeRule(res, da, info, opts));
  return out;
}

/** `witness: true` also picks a packet that reaches the rule (costs a walk; findings ask lazily). */
export function summarizeRule(res: EngineResult, da: DirectionAnalysis, info: RuleInfo, opts: { witness?: boolean } = {}): RuleSummary {
  const idd = res.space.idd;
  const occ = da.occurrences.get(info.key) ?? [];
  const base = { info, redundant: false, blockedChains: [] as number[], reachedChains: [] as number[], blockedItems: [] as number[] };
  if (da.failed === "forward" || occ.some((o) => da.chains[o.chain]!.failed)) return { ...base, status: "unknown" };
  if (info.M === FALSE) return { ...base, status: "empty" };
  if (occ.length === 0) return { ...base, status: "unselected" };
  const blocked: number[] = [];
  const reached: number[] = [];
  // Redundant iff every trie node of the rule that is reached is redundant for the classes below it.
  let redundant = info.rule.action !== "Log" && da.failed !== "backward";
  for (const o of occ) {
    const ch = da.chains[o.chain]!;
    const E = ch.E[o.pos]!;
    if (E === FALSE) blocked.push(o.chain);
    else {
      reached.push(o.chain);
      if (redundant && !da.trie.nodes[ch.nodes[o.pos]!]!.redundant) redundant = false;
    }
  }
  if (reached.length === 0) return { ...base, blockedChains: blocked, status: "shadowed" };
  const first = reached[0]!;
  const ch = da.chains[first]!;
  const pos = occ.find((o) => o.chain === first)!.pos;
  const packet = opts.witness ? concreteWitness(res.space, ch.cls.set, ch.E[pos]!) : undefined;
  const blockedItems: number[] = [];
  info.items.forEach((item, k) => {
    if (item.set === FALSE) return;
    const hit = occ.some((o) => idd.intersects(da.chains[o.chain]!.E[o.pos]!, item.set));
    if (!hit) blockedItems.push(k);
  });
  return {
    info,
    status: "reached",
    redundant,
    ...(packet ? { witness: { chain: first, packet } } : {}),
    blockedChains: blocked,
    reachedChains: reached,
    blockedItems,
  };
}

/** An element that took packets of `target` before position `pos` of a chain. */
export interface Blocker {
  readonly pos: number;
  readonly overlap: SetId;
  readonly volume: number;
}

/**
 * The chain elements before `pos` that decided (or diverted) packets of `target`: earlier rules of the
 * same tier (Allow, Deny, Pass), Allow/Deny rules and Deny tier ends of earlier tiers. Their overlaps
 * partition target ∖ E[pos]. Sorted by overlap volume, largest first.
 */
export function blockersOf(res: EngineResult, ch: ClassChain, pos: number, target: SetId, limit = 64): Blocker[] {
  const idd = res.space.idd;
  const tier = ch.tierOf[pos]!;
  const out: Blocker[] = [];
  for (let i = 0; i < pos && out.length < limit; i++) {
    const el = ch.elems[i]!;
    const sameTier = ch.tierOf[i] === tier;
    if (el.t === "rule") {
      const a = el.info.rule.action;
      if (a === "Log") continue;
      if (a === "Pass" && !sameTier) continue;
    } else if (el.t === "end") {
      if (el.action === "Pass") continue;
    } else continue;
    const overlap = idd.and(ch.E[i]!, target);
    if (overlap === FALSE) continue;
    out.push({ pos: i, overlap, volume: res.space.volume(overlap) });
  }
  return out.sort((a, b) => b.volume - a.volume || a.pos - b.pos);
}

// The class chains of one direction share prefixes (every class starts with the same guardrails), so
// they are merged into a trie and both passes run on trie nodes instead of per class:
//
// FORWARD: the state after a node (undecided R, passed, allowed-so-far) depends only on the path from
// the root, so E (packets reaching the node) is computed once per trie node.
//
// BACKWARD (redundancy): for a leaf (class) c, S_c(n) = packets allowed if evaluation starts at n. The
// per-rule transformers A ↦ (M ∩ out) ∪ (A ∖ M) distribute over ∪ and ∩, so each node keeps
// U(n) = ∪_c S_c(n) and I(n) = ∩_c S_c(n) over the classes below it (and the same for the start of the
// next tier, for Pass). A rule is redundant for all its classes iff (Allow) E ⊆ ∩ After, (Deny)
// E ∩ ∪ After = ∅; for Pass the test used is sufficient (and exact when one class is below).
// Nodes of the root stem (the shared prefix above the first branching) are not given U/I — those
// would be unions over all classes, rebuilt by every guardrail rule; instead each of their rules
// routes its own (small) effective set down the stem and compares with U/I at the branching node.

import { FALSE, type Idd, type SetId } from "./sets/idd.js";
import type { Elem } from "./engine.js";

export interface TrieNode {
  readonly el: Elem;
  readonly parent: number;
  readonly children: number[];
  readonly tier: number;
  /** Packets reaching this node. */
  E: SetId;
  /** Undecided packets inside the tier after this node. */
  R: SetId;
  /** Packets passed (to the next tier) so far in this tier, after this node. */
  passed: SetId;
  /** Packets entering the next tier (set on tier ends). */
  next: SetId;
  /** Number of classes (leaves) below. */
  leaves: number;
  /** A leaf below (its class stands for the node in explanations). */
  rep: number;
  /** Leaves only: the classes whose chain ends here (several when they differ only by policies that
   *  have no rules in this direction). */
  readonly classes: number[];
  redundant: boolean;
  U: SetId;
  I: SetId;
  NTU: SetId;
  NTI: SetId;
}

/** A chain, as tokens: a policy (its rules for the direction), a tier end, the profile. */
export type ChainToken =
  { readonly t: "policy"; readonly key: string; readonly rules: readonly Elem[] } | { readonly t: "end" | "profile"; readonly el: Elem };

const ROOT_ROUTE_LIMIT = 1500;

export class ChainTrie {
  readonly nodes: TrieNode[] = [];
  readonly roots: number[] = [];
  /** Children by key, for nodes with more than one child (most nodes have one: see `onlyChild`). */
  private readonly childIndex = new Map<number, Map<string, number>>();
  private readonly onlyChildKey: (string | undefined)[] = [];
  private readonly rootIndex = new Map<string, number>();
  /** For a policy expansion starting at a node: its last node. */
  private readonly lastOfRun = new Map<number, number>();
  private readonly allowedMemo: SetId[] = [];
  private readonly classSetMemo: SetId[] = [];

  constructor(private readonly onRuleNode: (el: Elem, node: number) => void) {}

  private add(el: Elem, parent: number, tier: number, key: string): number {
    const n = this.nodes.length;
    this.nodes.push({
      el,
      parent,
      children: [],
      tier,
      E: FALSE,
      R: FALSE,
      passed: FALSE,
      next: FALSE,
      leaves: 0,
      rep: -1,
      classes: [],
      redundant: false,
      U: FALSE,
      I: FALSE,
      NTU: FALSE,
      NTI: FALSE,
    });
    this.onlyChildKey.push(undefined);
    if (parent >= 0) {
      const p = this.nodes[parent]!;
      if (p.children.length === 0) this.onlyChildKey[parent] = key;
      else {
        let index = this.childIndex.get(parent);
        if (!index) {
          index = new Map([[this.onlyChildKey[parent]!, p.children[0]!]]);
          this.childIndex.set(parent, index);
        }
        index.set(key, n);
      }
      p.children.push(n);
    } else {
      this.roots.push(n);
      this.rootIndex.set(key, n);
    }
    if (el.t === "rule") this.onRuleNode(el, n);
    return n;
  }

  private child(parent: number, key: string): number | undefined {
    if (parent < 0) return this.rootIndex.get(key);
    const p = this.nodes[parent]!;
    if (p.children.length === 1) return this.onlyChildKey[parent] === key ? p.children[0] : undefined;
    return this.childIndex.get(parent)?.get(key);
  }

  /** Insert the chain of class `cls` (tokens with their tier); returns its leaf. A policy shared with an
   *  earlier chain at the same position is not expanded again: the cost is per token, not per rule. */
  insert(tokens: readonly { readonly token: ChainToken; readonly tier: number }[], cls: number): number {
    let cur = -1;
    for (const { token, tier } of tokens) {
      if (token.t === "policy") {
        if (token.rules.length === 0) continue;
        const first = this.child(cur, token.key);
        if (first !== undefined) {
          cur = this.lastOfRun.get(first)!;
          continue;
        }
        const start = this.add(token.rules[0]!, cur, tier, token.key);
        let n = start;
        for (let i = 1; i < token.rules.length; i++) n = this.add(token.rules[i]!, n, tier, `#${i}`);
        this.lastOfRun.set(start, n);
        cur = n;
      } else {
        const key = token.t === "end" ? `end:${tier}` : "profile";
        cur = this.child(cur, key) ?? this.add(token.el, cur, tier, key);
      }
    }
    this.nodes[cur]!.classes.push(cls);
    return cur;
  }

  /** Root-to-node path (node ids). */
  path(n: number): number[] {
    const out: number[] = [];
    for (let m = n; m >= 0; m = this.nodes[m]!.parent) out.push(m);
    return out.reverse();
  }

  /** Packets allowed on the path to `n` so far (at a leaf: everything its class allows): its Allow rules'
   *  E plus the profile's. Memoised along the path, so shared prefixes are computed once. */
  allowedAt(idd: Idd, n: number, profileAllows: boolean): SetId {
    const memo = this.allowedMemo;
    if (memo[n] !== undefined) return memo[n]!;
    const stack: number[] = [];
    for (let m = n; m >= 0 && memo[m] === undefined; m = this.nodes[m]!.parent) stack.push(m);
    while (stack.length) {
      const m = stack.pop()!;
      const node = this.nodes[m]!;
      const above = node.parent >= 0 ? memo[node.parent]! : FALSE;
      const el = node.el;
      const own = el.t === "rule" ? el.info.rule.action === "Allow" : el.t === "profile" && profileAllows;
      memo[m] = own && node.E !== FALSE ? idd.or(above, node.E) : above;
    }
    return memo[n]!;
  }

  /** Union of the subject sets of the classes below `n` (memoised). */
  classSetBelow(idd: Idd, n: number, classSet: (cls: number) => SetId): SetId {
    const leafSet = (node: TrieNode) => idd.orAll(node.classes.map(classSet));
    const memo = this.classSetMemo;
    if (memo[n] !== undefined) return memo[n]!;
    const stack: [number, boolean][] = [[n, false]];
    while (stack.length) {
      const [m, done] = stack.pop()!;
      if (memo[m] !== undefined) continue;
      const node = this.nodes[m]!;
      if (node.children.length === 0) memo[m] = leafSet(node);
      else if (done) memo[m] = idd.orAll(node.children.map((c) => memo[c]!));
      else {
        stack.push([m, true]);
        for (const c of node.children) if (memo[c] === undefined) stack.push([c, false]);
      }
    }
    return memo[n]!;
  }

  /** Leaf counts, and for every node the representative leaf: the one whose class scores lowest (the
   *  most ordinary endpoints: selected by the fewest policies), ties to the first. */
  private countLeaves(order: number[], score: (cls: number) => number): void {
    const best: number[] = [];
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k]!;
      const node = this.nodes[n]!;
      if (node.children.length === 0) {
        node.leaves = 1;
        node.rep = n;
        best[n] = Math.min(...node.classes.map(score));
      } else {
        node.leaves = 0;
        best[n] = Number.POSITIVE_INFINITY;
        for (const c of node.children) {
          node.leaves += this.nodes[c]!.leaves;
          if (best[c]! < best[n]!) {
            best[n] = best[c]!;
            node.rep = this.nodes[c]!.rep;
          }
        }
      }
    }
  }

  /** Nodes in an order where parents come before children. */
  private preorder(): number[] {
    const out: number[] = [];
    const stack = [...this.roots].reverse();
    while (stack.length) {
      const n = stack.pop()!;
      out.push(n);
      const ch = this.nodes[n]!.children;
      for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]!);
    }
    return out;
  }

  forward(idd: Idd, packets: SetId, score: (cls: number) => number = () => 0): void {
    const order = this.preorder();
    this.countLeaves(order, score);
    for (const n of order) {
      const node = this.nodes[n]!;
      const p = node.parent >= 0 ? this.nodes[node.parent]! : undefined;
      const newTier = !p || p.tier !== node.tier;
      const R0 = !p ? packets : newTier ? p.next : p.R;
      const passed0 = newTier ? FALSE : p!.passed;
      const el = node.el;
      if (el.t === "rule") {
        const a = el.info.rule.action;
        const [E, R] = a === "Log" ? [idd.and(R0, el.info.M), R0] : idd.split(R0, el.info.M);
        node.E = E;
        node.R = R;
        node.passed = a === "Pass" && E !== FALSE ? idd.or(passed0, E) : passed0;
      } else if (el.t === "end") {
        node.E = R0;
        node.R = FALSE;
        node.passed = FALSE;
        node.next = el.action === "Pass" ? idd.or(passed0, R0) : passed0;
      } else {
        node.E = R0;
        node.R = FALSE;
      }
    }
  }

  backward(idd: Idd, packets: SetId, profileAllows: boolean): void {
    const order = this.preorder();
    // The root stem: single-child nodes from the root down to the first branching node.
    const stem: number[] = [];
    if (this.roots.length === 1) {
      let n = this.roots[0]!;
      while (this.nodes[n]!.children.length === 1 && this.nodes[n]!.leaves > 1) {
        stem.push(n);
        n = this.nodes[n]!.children[0]!;
      }
    }
    const routed = stem.length <= ROOT_ROUTE_LIMIT ? new Set(stem) : new Set<number>();
    const ALL = packets;
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k]!;
      if (routed.has(n)) continue;
      const node = this.nodes[n]!;
      const el = node.el;
      if (el.t === "profile") {
        node.U = node.I = profileAllows ? ALL : FALSE;
        continue;
      }
      const kids = node.children.map((c) => this.nodes[c]!);
      const one = kids.length === 1 && kids[0]!.U === kids[0]!.I && kids[0]!.NTU === kids[0]!.NTI;
      const AU = kids.length === 1 ? kids[0]!.U : idd.orAll(kids.map((c) => c.U));
      const AI = one
        ? AU
        : andAll(
            idd,
            kids.map((c) => c.I),
          );
      if (el.t === "end") {
        node.NTU = AU;
        node.NTI = AI;
        node.U = el.action === "Deny" ? FALSE : AU;
        node.I = el.action === "Deny" ? FALSE : AI;
        continue;
      }
      node.NTU = kids.length === 1 ? kids[0]!.NTU : idd.orAll(kids.map((c) => c.NTU));
      node.NTI = one
        ? node.NTU
        : andAll(
            idd,
            kids.map((c) => c.NTI),
          );
      const M = el.info.M;
      const E = node.E;
      // With one class below (U = I), the I side is the same computation: skip it.
      const same = AU === AI && node.NTU === node.NTI;
      switch (el.info.rule.action) {
        case "Allow":
          node.U = idd.or(AU, M);
          node.I = same ? node.U : idd.or(AI, M);
          node.redundant = E !== FALSE && idd.subset(E, AI);
          break;
        case "Deny":
          node.U = idd.diff(AU, M);
          node.I = same ? node.U : idd.diff(AI, M);
          node.redundant = E !== FALSE && !idd.intersects(E, AU);
          break;
        case "Pass":
          node.U = idd.or(idd.and(M, node.NTU), idd.diff(AU, M));
          node.I = same ? node.U : idd.or(idd.and(M, node.NTI), idd.diff(AI, M));
          node.redundant = E !== FALSE && idd.subset(idd.and(E, node.NTU), AI) && idd.subset(idd.and(E, AU), node.NTI);
          break;
        case "Log":
          node.U = AU;
          node.I = AI;
          break;
      }
    }
    if (routed.size > 0) this.routeStem(idd, stem);
  }

  /** Redundancy of the root stem's rules by routing each rule's effective set down the stem. */
  private routeStem(idd: Idd, stem: number[]): void {
    const b = this.nodes[stem[stem.length - 1]!]!.children[0]!; // the branching node
    const bn = this.nodes[b]!;
    const tierEndIn = (from: number): number => {
      // Index in the stem of the end node of the tier of stem[from], or -1 if beyond the stem.
      const t = this.nodes[stem[from]!]!.tier;
      for (let j = from; j < stem.length; j++) if (this.nodes[stem[j]!]!.el.t === "end" && this.nodes[stem[j]!]!.tier === t) return j;
      return -1;
    };
    interface Routed {
      allowed: SetId; // decided allow in the stem
      cur: SetId; // continuing at b
      passed: SetId; // passed, continuing at the next tier start below b
    }
    const route = (X: SetId, from: number): Routed => {
      let allowed = FALSE;
      let cur = X;
      let passed = FALSE;
      for (let j = from; j < stem.length && (cur !== FALSE || passed !== FALSE); j++) {
        const el = this.nodes[stem[j]!]!.el;
        if (el.t === "rule") {
          const a = el.info.rule.action;
          if (a === "Log") continue;
          const hit = idd.and(cur, el.info.M);
          if (hit === FALSE) continue;
          cur = idd.diff(cur, hit);
          if (a === "Allow") allowed = idd.or(allowed, hit);
          else if (a === "Pass") passed = idd.or(passed, hit);
        } else if (el.t === "end") {
          cur = el.action === "Deny" ? passed : idd.or(cur, passed);
          passed = FALSE;
        }
      }
      return { allowed, cur, passed };
    };
    const bounds = (r: Routed): { min: SetId; max: SetId } => ({
      min: idd.orAll([r.allowed, idd.and(r.cur, bn.I), idd.and(r.passed, bn.NTI)]),
      max: idd.orAll([r.allowed, idd.and(r.cur, bn.U), idd.and(r.passed, bn.NTU)]),
    });
    stem.forEach((n, i) => {
      const node = this.nodes[n]!;
      const el = node.el;
      if (el.t !== "rule" || node.E === FALSE) return;
      const a = el.info.rule.action;
      if (a === "Log") return;
      const without = bounds(route(node.E, i + 1));
      if (a === "Allow") node.redundant = idd.subset(node.E, without.min);
      else if (a === "Deny") node.redundant = !idd.intersects(node.E, without.max);
      else {
        const end = tierEndIn(i);
        const with_ = bounds(end >= 0 ? route(node.E, end + 1) : { allowed: FALSE, cur: FALSE, passed: node.E });
        node.redundant = with_.min === with_.max && without.min === without.max && with_.min === without.min;
      }
    });
  }
}

function andAll(idd: Idd, xs: SetId[]): SetId {
  let level = xs;
  if (level.length === 0) return FALSE;
  while (level.length > 1) {
    const next: SetId[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(idd.and(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

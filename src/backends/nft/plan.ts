// Which tiers and policies apply to one endpoint in one direction (calico-reference.md §d.2-§d.4), in
// evaluation order: tiers as the evaluated program orders them, policies of a tier by Calico's policy
// order, staged and enforced together (staged ones only ever count). A tier with no enforced policy
// for the endpoint has no end of tier (§d.7).

import { evaluate } from "../../selector/index.js";
import type { InvEndpoint } from "../../inventory/types.js";
import { comparePolicies, type Direction, type EvalPolicy, type EvalProgram, type EvalTier } from "../../eval/program.js";

export interface TierStep {
  readonly tier: EvalTier;
  /** Active policies of the tier, in order. */
  readonly policies: readonly EvalPolicy[];
  /** Whether an enforced policy selected the endpoint (then the end of tier applies). */
  readonly enforced: boolean;
}

export class Planner {
  private readonly byTier = new Map<string, EvalPolicy[]>();
  /** Per tier and namespace: the global policies and that namespace's, in order. A namespaced
   *  policy's selector includes its namespace (program.ts), so others' never apply. */
  private readonly candidates = new Map<string, readonly EvalPolicy[]>();

  constructor(private readonly prog: EvalProgram) {
    for (const p of [...prog.policies].sort(comparePolicies)) {
      const list = this.byTier.get(p.tier) ?? [];
      list.push(p);
      this.byTier.set(p.tier, list);
    }
  }

  private candidatesFor(tier: string, namespace: string): readonly EvalPolicy[] {
    const key = `${tier}\u0000${namespace}`;
    let list = this.candidates.get(key);
    if (!list) {
      if (this.candidates.size === 0) this.index();
      list = this.candidates.get(key) ?? this.candidates.get(`${tier}\u0000`) ?? [];
    }
    return list;
  }

  /** Builds every (tier, namespace) list in one pass over the policies. */
  private index(): void {
    for (const [tier, policies] of this.byTier) {
      const global = policies.filter((p) => p.namespace === undefined);
      this.candidates.set(`${tier}\u0000`, global);
      const byNs = new Map<string, EvalPolicy[]>();
      for (const p of policies) if (p.namespace !== undefined) byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), p]);
      for (const [ns, own] of byNs) this.candidates.set(`${tier}\u0000${ns}`, [...global, ...own].sort(comparePolicies));
    }
  }

  plan(ep: InvEndpoint, dir: Direction): TierStep[] {
    const steps: TierStep[] = [];
    for (const tier of this.prog.tiers) {
      const policies = this.candidatesFor(tier.name, ep.namespace).filter((p) => p.types.has(dir) && evaluate(p.selector, ep.effectiveLabels));
      if (policies.length === 0) continue;
      steps.push({ tier, policies, enforced: policies.some((p) => !p.staged) });
    }
    return steps;
  }
}

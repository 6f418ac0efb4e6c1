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

  constructor(private readonly prog: EvalProgram) {
    for (const p of [...prog.policies].sort(comparePolicies)) {
      const list = this.byTier.get(p.tier) ?? [];
      list.push(p);
      this.byTier.set(p.tier, list);
    }
  }

  plan(ep: InvEndpoint, dir: Direction): TierStep[] {
    const steps: TierStep[] = [];
    for (const tier of this.prog.tiers) {
      // A namespaced policy's selector includes its namespace (program.ts): skip others' cheaply.
      const policies = (this.byTier.get(tier.name) ?? []).filter(
        (p) => (p.namespace === undefined || p.namespace === ep.namespace) && p.types.has(dir) && evaluate(p.selector, ep.effectiveLabels),
      );
      if (policies.length === 0) continue;
      steps.push({ tier, policies, enforced: policies.some((p) => !p.staged) });
    }
    return steps;
  }
}

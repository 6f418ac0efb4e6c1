// Runs the whole analysis on an analysis World: the enforced pass, the pending pass when staged
// policies exist, and the findings. `index.ts` wraps this for the IR.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { SourceMap } from "../source.js";
import { DEFAULT_BUDGET, runEngine, type EngineResult } from "./engine.js";
import { findings, type SeverityOverrides } from "./findings/index.js";
import { Space, type SpaceEndpoint } from "./space.js";
import type { World } from "./world.js";

export interface WorldAnalysisOptions {
  /** Inventory mode: subjects and workload peers are exactly these endpoints. */
  readonly endpoints?: readonly SpaceEndpoint[];
  readonly severities?: SeverityOverrides;
  /** Work budget in set-engine steps for each pass (default 40 million). */
  readonly budget?: number;
  /** For messages that point at another line. */
  readonly sources?: SourceMap;
}

export interface AnalysisStats {
  readonly mode: "symbolic" | "inventory";
  readonly policies: number;
  readonly rules: number;
  readonly labelKeys: number;
  readonly classes: { readonly ingress: number; readonly egress: number };
  readonly trieNodes: number;
  readonly steps: number;
  readonly nodes: number;
  readonly budgetExceeded: boolean;
  readonly pendingPass: boolean;
  readonly millis: number;
  readonly findings: Readonly<Record<string, number>>;
}

export interface WorldAnalysis {
  readonly diagnostics: Diagnostic[];
  readonly stats: AnalysisStats;
  readonly enforced: EngineResult;
  readonly pending?: EngineResult;
}

export function analyzeWorld(world: World, opts: WorldAnalysisOptions = {}): WorldAnalysis {
  const t0 = performance.now();
  const space = new Space(world, opts.endpoints ? { endpoints: opts.endpoints } : {});
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const enforced = runEngine(world, { space, budget });
  const pending = world.policies.some((p) => p.staged) ? runEngine(world, { space, budget, includeStaged: true }) : undefined;
  space.idd.stepLimit = space.idd.steps + budget; // the findings phase (joins, explanations) has a budget too
  let diagnostics: Diagnostic[];
  try {
    diagnostics = findings(enforced, {
      ...(opts.severities ? { severities: opts.severities } : {}),
      ...(pending ? { pending } : {}),
      ...(opts.sources ? { sources: opts.sources } : {}),
      inventory: opts.endpoints !== undefined,
    });
  } finally {
    space.idd.stepLimit = Number.POSITIVE_INFINITY;
  }
  const counts: Record<string, number> = {};
  for (const d of diagnostics) counts[d.code] = (counts[d.code] ?? 0) + 1;
  const rules = world.policies.reduce((n, p) => n + (p.ingress?.length ?? 0) + (p.egress?.length ?? 0), 0);
  const stats: AnalysisStats = {
    mode: opts.endpoints ? "inventory" : "symbolic",
    policies: world.policies.length,
    rules,
    labelKeys: space.K,
    classes: { ingress: enforced.dirs.ingress.classes.length, egress: enforced.dirs.egress.classes.length },
    trieNodes: enforced.stats.trieNodes + (pending?.stats.trieNodes ?? 0),
    steps: space.idd.steps,
    nodes: space.idd.nodeCount,
    budgetExceeded: enforced.stats.budgetExceeded || (pending?.stats.budgetExceeded ?? false),
    pendingPass: pending !== undefined,
    millis: performance.now() - t0,
    findings: counts,
  };
  return { diagnostics, stats, enforced, ...(pending ? { pending } : {}) };
}

// The analysis stage: shadowed, redundant and dead rules across Calico tiers, with witnesses
// (docs/analysis.md; the algorithm is shadow-analysis.md §5). Runs after the checker, on the IR.
//
//   const { diagnostics, stats } = analyze(ir, { sources });

import type { Diagnostic, Severity } from "../diag/diagnostic.js";
import type { IrProgram } from "../ir/types.js";
import type { SourceMap } from "../source.js";
import type { Inventory } from "../inventory/types.js";
import { worldFromIr } from "./from-ir.js";
import { analyzeWorld, type AnalysisStats } from "./run.js";
import type { SpaceEndpoint } from "./space.js";
import { V6_OFFSET } from "./world.js";

export { ANALYSIS_CODES } from "./codes.js";
export type { AnalysisStats } from "./run.js";

export interface AnalyzeOptions {
  /** Inventory mode: subjects and workload peers are exactly the inventory's pods (with their effective
   *  labels and addresses) instead of "every possible workload" (symbolic mode, the default). */
  readonly inventory?: Inventory;
  /** Per-code severity overrides; "off" drops the finding. */
  readonly severities?: Readonly<Record<string, Severity | "off">>;
  /** Work budget in set-engine steps per pass (default 40 million); beyond it the affected rules are
   *  reported as not fully analysed instead of the analysis running on. */
  readonly budget?: number;
  /** The loaded sources, so messages can quote rules and flows (`flow \`web -> api : http\``). */
  readonly sources?: SourceMap;
}

export interface AnalyzeResult {
  readonly diagnostics: Diagnostic[];
  readonly stats: AnalysisStats;
}

export function analyze(ir: IrProgram, opts: AnalyzeOptions = {}): AnalyzeResult {
  const world = worldFromIr(ir, opts.sources);
  const endpoints = opts.inventory?.endpoints.map((e): SpaceEndpoint => ({
    name: `${e.namespace}/${e.name}`,
    labels: e.effectiveLabels,
    ips: e.addresses.map((a) => a.value + (a.family === 6 ? V6_OFFSET : 0n)),
  }));
  const r = analyzeWorld(world, {
    ...(endpoints ? { endpoints } : {}),
    ...(opts.severities ? { severities: opts.severities } : {}),
    ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
    ...(opts.sources ? { sources: opts.sources } : {}),
  });
  return { diagnostics: r.diagnostics, stats: r.stats };
}

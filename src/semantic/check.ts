// The checker: declarations are collected into one global scope, every declaration is resolved (used
// or not), then tiers, policies and flows; whole-program checks and warnings follow. The Model is
// produced only when nothing (including the front end) reported an error.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { File, TierDecl } from "../syntax/ast.js";
import type { SourceMap, Span } from "../source.js";
import type { Model, ModelFlow, ModelPolicy, ModelTier, ResolvedNet, ResolvedService } from "./model.js";
import type { Sel } from "../selector/ast.js";
import { Ctx, type CheckOptions } from "./context.js";
import { SymbolTable, type PolSymbol } from "./symbols.js";
import { declareAll } from "./scope.js";
import { resolveGroup, resolveNamespaces } from "./selectors.js";
import { resolveNet } from "./nets.js";
import { resolveService } from "./services.js";
import { BUILTIN_DEFAULT_TIER, DEFAULT_TIER, checkTiers, tierRef } from "./tiers.js";
import { checkPolicy } from "./policies.js";
import { checkFlow } from "./flows.js";
import { checkDenyTiers, checkMissingLabelMatches, checkPolicySet, checkSatisfiable, checkUnusedTiers } from "./program-checks.js";
import { checkAgainstInventory, checkLabelSpelling } from "./label-checks.js";

export type { CheckOptions } from "./context.js";

export interface LoadedInput {
  sources: SourceMap;
  files: readonly { ast: File; origin: "project" | "stdlib" }[];
  diagnostics: readonly Diagnostic[];
  stdlibIndex?: ReadonlyMap<string, string>;
}

export interface CheckResult {
  model?: Model;
  /** The checker's own diagnostics (the loader's are not repeated here). */
  diagnostics: Diagnostic[];
  symbols: SymbolTable;
}

function cmpSpan(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start - b.start;
}

const byName = <T extends { name?: string }>(a: T, b: T) => ((a.name ?? "") < (b.name ?? "") ? -1 : (a.name ?? "") > (b.name ?? "") ? 1 : 0);

export function checkProgram(loaded: LoadedInput, opts: CheckOptions = {}): CheckResult {
  const origins = new Map(loaded.files.map((f) => [f.ast.path, f.origin] as const));
  const ctx = new Ctx(loaded.sources, origins, loaded.stdlibIndex ?? new Map(), opts);
  const files = [...loaded.files].sort((a, b) => (a.ast.path < b.ast.path ? -1 : a.ast.path > b.ast.path ? 1 : 0));
  declareAll(ctx, files);

  // Every declaration, used or not, in source order.
  const declared = ctx.symbols
    .all()
    .filter((s): s is PolSymbol & { nameSpan: Span } => s.decl !== undefined && s.nameSpan !== undefined)
    .sort((a, b) => cmpSpan(a.nameSpan, b.nameSpan));
  const groups: { name: string; sel: Sel; origin: Span }[] = [];
  const nets: ResolvedNet[] = [];
  const services: ResolvedService[] = [];
  const namespaces: { name: string; values: string[]; origin: Span }[] = [];
  const tierDecls: { sym: PolSymbol; decl: TierDecl }[] = [];
  for (const sym of declared) {
    const decl = sym.decl!;
    switch (decl.kind) {
      case "Group": {
        const sel = resolveGroup(ctx, sym, undefined);
        if (sel) groups.push({ name: sym.name, sel, origin: decl.span });
        break;
      }
      case "Namespaces": {
        const values = resolveNamespaces(ctx, sym, undefined);
        if (values) namespaces.push({ name: sym.name, values, origin: decl.span });
        break;
      }
      case "Net": {
        const net = resolveNet(ctx, sym, undefined);
        if (net) nets.push(net);
        break;
      }
      case "Service": {
        const svc = resolveService(ctx, sym, undefined);
        if (svc) services.push(svc);
        break;
      }
      case "Tier":
        tierDecls.push({ sym, decl });
        break;
    }
  }
  const tiers = checkTiers(ctx, tierDecls);

  const policies: ModelPolicy[] = [];
  const flows: ModelFlow[] = [];
  for (const { ast } of files) {
    for (const item of ast.items) {
      if (item.kind === "Policy") {
        const p = checkPolicy(ctx, item);
        if (!item.name.recovered) {
          ctx.symbols.policies.push({
            name: item.name.name,
            flavor: item.flavor,
            tier: item.tier.name,
            ...(item.namespace ? { namespace: item.namespace.value } : {}),
            staged: item.staged !== undefined,
            decl: item,
            nameSpan: item.name.span,
            file: ast.path,
          });
        }
        if (p) policies.push(p);
      } else if (item.kind === "Flows") {
        const tier = tierRef(ctx, item.tier) ?? null;
        for (const line of item.flows) {
          const f = checkFlow(ctx, line, item.tier, item.staged !== undefined, tier);
          if (f) flows.push(f);
        }
      } else if (item.kind === "FlowDecl") {
        const f = checkFlow(ctx, item.flow, item.tier, item.staged !== undefined);
        if (f) flows.push(f);
      }
    }
  }

  // The built-in `default` tier joins the model when something is in it.
  const origin = (name: string): Span | undefined => {
    const p = policies.find((x) => x.tier === name);
    if (p) return p.origin;
    return flows.find((x) => x.tier === name)?.origin;
  };
  const defaultOrigin = origin(DEFAULT_TIER);
  if (defaultOrigin) tiers.set(DEFAULT_TIER, BUILTIN_DEFAULT_TIER(defaultOrigin));
  const tierList: ModelTier[] = [...tiers.values()].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tierOrder = new Map(tierList.map((t, i) => [t.name, i]));
  const byTierThenSource = <T extends { tier: string; origin: Span }>(a: T, b: T) =>
    (tierOrder.get(a.tier) ?? Infinity) - (tierOrder.get(b.tier) ?? Infinity) || cmpSpan(a.origin, b.origin);
  policies.sort(byTierThenSource);
  flows.sort(byTierThenSource);

  checkPolicySet(ctx, policies);
  checkSatisfiable(ctx);
  checkMissingLabelMatches(ctx);
  checkUnusedTiers(ctx, tierList);
  checkDenyTiers(ctx, tierList, policies, flows);
  checkLabelSpelling(ctx);
  if (opts.inventoryLabels) checkAgainstInventory(ctx, opts.inventoryLabels);

  const diagnostics = ctx.report.diagnostics;
  const failed = [...loaded.diagnostics, ...diagnostics].some((d) => d.severity === "error");
  if (failed) return { diagnostics, symbols: ctx.symbols };
  const model: Model = {
    tiers: tierList,
    groups: groups.sort(byName),
    nets: nets.sort(byName),
    services: services.sort(byName),
    namespaces: namespaces.sort(byName),
    policies,
    flows,
  };
  return { model, diagnostics, symbols: ctx.symbols };
}

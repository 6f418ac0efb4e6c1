// Checking one project for the editor, in two phases:
//   1. load (open documents read from the editor; unchanged files not parsed again, edited ones
//      re-parsed around the edit) and check: fast, the errors a user makes while typing;
//   2. when phase 1 found no error: lowering and the tier-chain analysis (shadowed, redundant and
//      dead rules), the expensive whole-program part. The server runs it in a child process at a
//      lower priority (late.ts, late-worker.ts), so typing is never blocked by it.
// Together they are `polc check`. Keeps what hover and navigation need: the symbol table, the loaded
// files, the model and a summary of the Calico objects.

import { sortDiagnostics, hasErrors, type Diagnostic } from "../diag/diagnostic.js";
import { checkPaths } from "../semantic/index.js";
import type { LoadedFile } from "../semantic/load.js";
import type { Model } from "../semantic/model.js";
import type { SymbolTable } from "../semantic/symbols.js";
import type { IrPolicy, IrProgram } from "../ir/types.js";
import { lower } from "../ir/lower.js";
import { analyze } from "../analysis/index.js";
import type { SourceMap } from "../source.js";
import { join, resolve } from "node:path";
import type { ParseCache } from "./parse-cache.js";

/** The Calico objects the program becomes, as much as hover shows (small enough to pass between
 *  processes, unlike the IR). */
export interface CalicoSummary {
  readonly tiers: readonly { readonly name: string; readonly builtin: boolean }[];
  readonly netSets: readonly { readonly net: string; readonly name: string }[];
  readonly policies: readonly Pick<IrPolicy, "name" | "kind" | "namespace" | "staged" | "order" | "source">[];
}

/** Phase 2's outcome. */
export interface LateResult {
  readonly summary?: CalicoSummary;
  /** Lowering and analysis diagnostics. */
  readonly diagnostics: Diagnostic[];
  readonly millis: number;
}

export function summarize(ir: IrProgram): CalicoSummary {
  return {
    tiers: ir.tiers.map((t) => ({ name: t.name, builtin: t.builtin })),
    netSets: ir.netSets.map((s) => ({ net: s.net, name: s.name })),
    policies: ir.policies.map((p) => ({ name: p.name, kind: p.kind, ...(p.namespace !== undefined ? { namespace: p.namespace } : {}), staged: p.staged, order: p.order, source: p.source })),
  };
}

export interface ProjectCheck {
  /** Loader and checker diagnostics (phase 1). */
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceMap;
  readonly symbols: SymbolTable;
  readonly files: readonly LoadedFile[];
  readonly model?: Model;
  /** Whether phase 2 applies (phase 1 found no error and produced a model). */
  readonly needsLate: boolean;
  /** Phase 2's outcome once it ran. */
  late?: LateResult;
  /** Absolute path of a display path (`std/k8s.pol` or a path relative to the project root). */
  absOf(display: string): string;
  /** Display path of an absolute path, when the file was loaded. */
  displayOf(abs: string): string | undefined;
  /** Milliseconds phase 1 took. */
  readonly millis: number;
}

export interface CheckInput {
  /** The project: a directory (every `.pol` file below it) plus open files not yet on disk. */
  readonly entries: readonly string[];
  readonly projectRoot: string;
  readonly stdlibRoot: string;
  /** Text of an open document by absolute path. */
  readonly openText: (abs: string) => string | undefined;
  readonly cache?: ParseCache;
  /** Run the tier-chain analysis in phase 2 (default true; lowering runs regardless). */
  readonly analysis?: boolean;
  /** Keep info-level findings (default false, like `polc check` without `--info`). */
  readonly info?: boolean;
}

const encoder = new TextEncoder();

const keep = (input: Pick<CheckInput, "info">) => (d: Diagnostic) => input.info === true || d.severity !== "info";

/** Phase 1: load and check. */
export function checkProject(input: CheckInput): ProjectCheck {
  const t0 = performance.now();
  const projectRoot = resolve(input.projectRoot);
  const readFile = (abs: string): Uint8Array | undefined => {
    const text = input.openText(abs);
    return text === undefined ? undefined : encoder.encode(text);
  };
  const checked = checkPaths(input.entries, { projectRoot, stdlibRoot: input.stdlibRoot, readFile, ...(input.cache ? { parse: input.cache.parse } : {}) });
  const byDisplay = new Map(checked.files.map((f) => [f.ast.path, f.absPath] as const));
  const byAbs = new Map(checked.files.map((f) => [f.absPath, f.ast.path] as const));
  return {
    diagnostics: checked.diagnostics.filter(keep(input)),
    sources: checked.sources,
    symbols: checked.symbols,
    files: checked.files,
    ...(checked.model ? { model: checked.model } : {}),
    needsLate: checked.model !== undefined && !hasErrors(checked.diagnostics),
    absOf: (display) => byDisplay.get(display) ?? (display.startsWith("std/") ? join(input.stdlibRoot, display) : join(projectRoot, display)),
    displayOf: (abs) => byAbs.get(abs),
    millis: performance.now() - t0,
  };
}

/** Phase 2: lowering and the analysis; stored on the check and returned. */
export function completeProject(check: ProjectCheck, input: Pick<CheckInput, "analysis" | "info">): LateResult {
  if (check.late) return check.late;
  const t0 = performance.now();
  let late: LateResult = { diagnostics: [], millis: 0 };
  if (check.needsLate && check.model) {
    const lowered = lower(check.model);
    let diagnostics = lowered.diagnostics;
    if (lowered.ir && input.analysis !== false && !hasErrors(diagnostics)) {
      diagnostics = [...diagnostics, ...analyze(lowered.ir, { sources: check.sources }).diagnostics];
    }
    late = { ...(lowered.ir ? { summary: summarize(lowered.ir) } : {}), diagnostics: sortDiagnostics(diagnostics).filter(keep(input)), millis: 0 };
  }
  check.late = { ...late, millis: performance.now() - t0 };
  return check.late;
}

/** Every diagnostic of a complete check, sorted. */
export function allDiagnostics(check: ProjectCheck): Diagnostic[] {
  return sortDiagnostics([...check.diagnostics, ...(check.late?.diagnostics ?? [])]);
}

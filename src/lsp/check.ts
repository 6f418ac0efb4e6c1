// Checking one project for the editor: the same pipeline as `polc check` (load, check, lower, the
// tier-chain analysis), with open documents read from the editor instead of the disk. Keeps what
// hover and navigation need: the symbol table, the loaded files, the model and the IR.

import { sortDiagnostics, hasErrors, type Diagnostic } from "../diag/diagnostic.js";
import { checkPaths } from "../semantic/index.js";
import type { LoadedFile } from "../semantic/load.js";
import type { Model } from "../semantic/model.js";
import type { SymbolTable } from "../semantic/symbols.js";
import type { IrProgram } from "../ir/types.js";
import { lower } from "../ir/lower.js";
import { analyze } from "../analysis/index.js";
import type { SourceMap } from "../source.js";
import { join, resolve } from "node:path";

export interface ProjectCheck {
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceMap;
  readonly symbols: SymbolTable;
  readonly files: readonly LoadedFile[];
  readonly model?: Model;
  readonly ir?: IrProgram;
  /** Absolute path of a display path (`std/k8s.pol` or a path relative to the project root). */
  absOf(display: string): string;
  /** Display path of an absolute path, when the file was loaded. */
  displayOf(abs: string): string | undefined;
  /** Milliseconds the check took. */
  readonly millis: number;
}

export interface CheckInput {
  /** The project: a directory (every `.pol` file below it) plus open files not yet on disk. */
  readonly entries: readonly string[];
  readonly projectRoot: string;
  readonly stdlibRoot: string;
  /** Text of an open document by absolute path. */
  readonly openText: (abs: string) => string | undefined;
  /** Run the tier-chain analysis when the program is free of errors (default true). */
  readonly analysis?: boolean;
  /** Keep info-level findings (default false, like `polc check` without `--info`). */
  readonly info?: boolean;
}

const encoder = new TextEncoder();

export function checkProject(input: CheckInput): ProjectCheck {
  const t0 = performance.now();
  const projectRoot = resolve(input.projectRoot);
  const readFile = (abs: string): Uint8Array | undefined => {
    const text = input.openText(abs);
    return text === undefined ? undefined : encoder.encode(text);
  };
  const checked = checkPaths(input.entries, { projectRoot, stdlibRoot: input.stdlibRoot, readFile });
  let diagnostics = checked.diagnostics;
  let ir: IrProgram | undefined;
  if (checked.model && !hasErrors(diagnostics)) {
    const lowered = lower(checked.model);
    ir = lowered.ir;
    diagnostics = [...diagnostics, ...lowered.diagnostics];
    if (ir && input.analysis !== false && !hasErrors(lowered.diagnostics)) {
      diagnostics = [...diagnostics, ...analyze(ir, { sources: checked.sources }).diagnostics];
    }
  }
  const byDisplay = new Map(checked.files.map((f) => [f.ast.path, f.absPath] as const));
  const byAbs = new Map(checked.files.map((f) => [f.absPath, f.ast.path] as const));
  return {
    diagnostics: sortDiagnostics(diagnostics).filter((d) => input.info === true || d.severity !== "info"),
    sources: checked.sources,
    symbols: checked.symbols,
    files: checked.files,
    ...(checked.model ? { model: checked.model } : {}),
    ...(ir ? { ir } : {}),
    absOf: (display) => byDisplay.get(display) ?? (display.startsWith("std/") ? join(input.stdlibRoot, display) : join(projectRoot, display)),
    displayOf: (abs) => byAbs.get(abs),
    millis: performance.now() - t0,
  };
}

// The checker's entry point: load the entries and their imports, check them, and return the model
// (when there are no errors), every diagnostic sorted, the sources and the symbol table.

import { sortDiagnostics, type Diagnostic } from "../diag/diagnostic.js";
import type { SourceMap } from "../source.js";
import type { Model } from "./model.js";
import type { SymbolTable } from "./symbols.js";
import { loadProgram, type LoadOptions, type LoadedFile } from "./load.js";
import { checkProgram, type CheckOptions } from "./check.js";

export type CheckPathsOptions = LoadOptions & CheckOptions;

export interface CheckPathsResult {
  model?: Model;
  diagnostics: Diagnostic[];
  sources: SourceMap;
  symbols: SymbolTable;
  files: LoadedFile[];
}

export function checkPaths(entries: readonly string[], opts: CheckPathsOptions): CheckPathsResult {
  const loaded = loadProgram(entries, opts);
  const checked = checkProgram(loaded, opts.inventoryLabels ? { inventoryLabels: opts.inventoryLabels } : {});
  return {
    ...(checked.model ? { model: checked.model } : {}),
    diagnostics: sortDiagnostics([...loaded.diagnostics, ...checked.diagnostics]),
    sources: loaded.sources,
    symbols: checked.symbols,
    files: loaded.files,
  };
}

export { loadProgram, checkProgram };
export type { LoadOptions, LoadedFile, CheckOptions };

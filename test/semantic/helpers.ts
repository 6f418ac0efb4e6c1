// In-memory projects for the checker's unit tests: files live under a virtual root and are served
// through `readFile`; the standard library is the real one.

import { join } from "node:path";
import { checkPaths, type CheckPathsResult } from "../../src/semantic/index.js";
import type { Labels } from "../../src/selector/ast.js";
import { renderText } from "../../src/diag/render.js";

export const ROOT = "/virtual/project";

export function checkSources(files: Record<string, string>, opts: { entries?: string[]; inventoryLabels?: Labels[] } = {}): CheckPathsResult {
  const bytes = new Map(Object.entries(files).map(([p, t]) => [join(ROOT, p), new TextEncoder().encode(t)]));
  const entries = (opts.entries ?? Object.keys(files)).map((p) => join(ROOT, p));
  return checkPaths(entries, {
    projectRoot: ROOT,
    readFile: (abs) => bytes.get(abs),
    ...(opts.inventoryLabels ? { inventoryLabels: opts.inventoryLabels } : {}),
  });
}

/** Check one file `main.pol`. */
export function check(text: string, opts: { inventoryLabels?: Labels[] } = {}): CheckPathsResult {
  return checkSources({ "main.pol": text }, opts);
}

export function codes(r: CheckPathsResult): string[] {
  return r.diagnostics.map((d) => d.code);
}

export function rendered(r: CheckPathsResult): string {
  return renderText(r.diagnostics, r.sources);
}

// `--inventory FILE` for the commands that take one (`check`, `trace`, and the nftables backend's
// `compile --target nft`): reads a cluster inventory (`kubectl get namespaces,pods -A -o yaml`) with the
// loader of src/inventory and says whether it can be used.
//
//   const inv = loadCliInventory(opts.inventory, io.cwd);
//   if ("usage" in inv) { io.err(inv.usage); return 2; }
//   sources.add(inv.file);                 // so the inventory's diagnostics render with their lines
//   all.push(...inv.diagnostics);
//   if (inv.inventory) analyze(ir, { inventory: inv.inventory, ... });

import { existsSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { hasErrors, type Diagnostic } from "../diag/diagnostic.js";
import { loadInventoryFile } from "../inventory/load.js";
import type { Inventory } from "../inventory/types.js";
import type { SourceFile } from "../source.js";

export interface CliInventory {
  /** The inventory, or undefined when it has errors (unreadable file, malformed objects): a partial
   *  cluster would make every "dead for this cluster" answer wrong. */
  readonly inventory?: Inventory;
  /** The loader's findings (POL5xxx), errors and warnings; render them like any other diagnostic. */
  readonly diagnostics: Diagnostic[];
  /** The inventory text, to add to the SourceMap used for rendering. */
  readonly file: SourceFile;
}

/** How the inventory is named in messages: the path as typed, relative to the working directory. */
function displayPath(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : abs;
}

/** Loads `--inventory PATH`. A path that does not exist or is a directory is a usage error (exit 2). */
export function loadCliInventory(path: string, cwd: string): CliInventory | { readonly usage: string } {
  const abs = resolve(cwd, path);
  if (!existsSync(abs)) return { usage: `error: no such inventory file: ${path}\n` };
  if (statSync(abs).isDirectory()) return { usage: `error: --inventory expects a file (kubectl get namespaces,pods -A -o yaml), not a directory: ${path}\n` };
  const loaded = loadInventoryFile(abs, displayPath(path, cwd));
  return {
    ...(hasErrors(loaded.diagnostics) ? {} : { inventory: loaded.inventory }),
    diagnostics: loaded.diagnostics,
    file: loaded.file,
  };
}

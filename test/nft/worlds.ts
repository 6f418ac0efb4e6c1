// Compiles a policy world through the real pipeline (`compile`, the inventory loader, the nftables
// emitter) and returns what the kernel tests need: the evaluated program, the inventory and the
// ruleset.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../../src/compile.js";
import { renderText } from "../../src/diag/render.js";
import { loadInventoryFile, loadInventoryText } from "../../src/inventory/load.js";
import type { Inventory } from "../../src/inventory/types.js";
import { evalProgramFromIr, type EvalProgram } from "../../src/eval/index.js";
import { emitNft, type NftOutput } from "../../src/backends/nft/emit.js";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import type { IrProgram } from "../../src/ir/types.js";
import type { SourceMap } from "../../src/source.js";

export const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

export interface CompiledWorld {
  readonly ir: IrProgram;
  readonly prog: EvalProgram;
  readonly inv: Inventory;
  readonly nft: NftOutput;
  readonly sources: SourceMap;
}

function finish(r: ReturnType<typeof compile>, inv: Inventory, invDiags: Diagnostic[], invName: string): CompiledWorld {
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !r.ir) throw new Error(`does not compile:\n${renderText(errors, r.sources)}`);
  if (invDiags.some((d) => d.severity === "error")) throw new Error(`inventory: ${invDiags.map((d) => d.message).join("; ")}`);
  const nft = emitNft(r.ir, inv, { sources: r.sources, inventoryName: invName });
  return { ir: r.ir, prog: evalProgramFromIr(r.ir), inv, nft, sources: r.sources };
}

export function compileExample(name: string): CompiledWorld {
  const r = compile([join(REPO, "examples", name, "policy.pol")], { projectRoot: REPO });
  const invName = `examples/${name}/cluster.yaml`;
  const inv = loadInventoryFile(join(REPO, invName), invName);
  return finish(r, inv.inventory, inv.diagnostics, invName);
}

/** Compiles `.pol` text (in a temporary project) against an inventory text. */
export function compileText(pol: string, inventory: string): CompiledWorld {
  const dir = mkdtempSync(join(tmpdir(), "polc-world-"));
  try {
    writeFileSync(join(dir, "policy.pol"), pol);
    const r = compile([join(dir, "policy.pol")], { projectRoot: dir });
    const inv = loadInventoryText("cluster.json", inventory);
    return finish(r, inv.inventory, inv.diagnostics, "cluster.json");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

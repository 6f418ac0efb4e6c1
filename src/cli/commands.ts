// The actions behind each `polc` sub-command. They write through `Io` (so tests run them in-process)
// and return the exit code.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { sortDiagnostics, hasErrors, type Diagnostic, type Severity } from "../diag/diagnostic.js";
import type { Model } from "../semantic/model.js";
import { renderText, summaryLine, toJson } from "../diag/render.js";
import { isCiFormat, renderCi } from "../diag/render-ci.js";
import { codeInfo } from "../diag/codes.js";
import { SourceMap } from "../source.js";
import { projectsOf } from "./projects.js";
import { loadCliInventory } from "./inventory.js";
import type { Inventory } from "../inventory/types.js";

export interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
  isTTY: boolean;
}

export interface DiagOptions {
  format?: "text" | "json" | "sarif" | "github";
  color?: "auto" | "always" | "never";
  root?: string;
  denyWarnings?: boolean;
  /** `--no-analysis`: skip the tier-chain analysis. */
  analysis?: boolean;
  /** `--severity CODE=error|warning|info|off`, repeatable. */
  severity?: string[];
  /** `--info`: also print info-level findings (hidden by default). */
  info?: boolean;
  /** `--inventory FILE` (check): analyse for this cluster's pods (inventory mode). */
  inventory?: string;
}

/** The analysis stage (shadowed, redundant, dead rules) on a checked model. */
async function analysisFindings(model: Model, sources: SourceMap, opts: DiagOptions, inventory?: Inventory): Promise<Diagnostic[]> {
  const { lower } = await import("../ir/lower.js");
  const { analyze } = await import("../analysis/index.js");
  const lowered = lower(model);
  if (!lowered.ir) return lowered.diagnostics;
  const severities: Record<string, Severity | "off"> = {};
  for (const s of opts.severity ?? []) {
    const [code, level] = s.split("=");
    if (code && (level === "error" || level === "warning" || level === "info" || level === "off")) severities[code.toUpperCase()] = level;
  }
  return [...lowered.diagnostics, ...analyze(lowered.ir, { sources, severities, ...(inventory ? { inventory } : {}) }).diagnostics];
}

/** Paths that do not exist are a usage error (exit 2), reported before anything runs. */
function missingPaths(paths: string[], io: Io): boolean {
  const missing = paths.filter((p) => !existsSync(resolve(io.cwd, p)));
  for (const p of missing) io.err(`error: no such file or directory: ${p}\n`);
  return missing.length > 0;
}

function useColor(opts: DiagOptions, io: Io): boolean {
  if (opts.color === "always") return true;
  if (opts.color === "never") return false;
  return io.isTTY && !process.env.NO_COLOR;
}

/** Print diagnostics in the requested format; `write` is where text goes (stdout for check, stderr for compile). */
function report(diags: Diagnostic[], sources: SourceMap, opts: DiagOptions, io: Io, write: (s: string) => void): void {
  if (opts.format === "json") {
    io.out(JSON.stringify({ diagnostics: toJson(diags, sources), summary: counts(diags) }, null, 2) + "\n");
    return;
  }
  if (isCiFormat(opts.format)) {
    // SARIF and workflow commands go to stdout (a file to upload, or lines the runner reads).
    const text = renderCi(opts.format, diags, sources, resolve(io.cwd, opts.root ?? "."));
    if (text) io.out(text + "\n");
    if (opts.format === "github") write(summaryLine(diags) + "\n");
    return;
  }
  if (diags.length) write(renderText(diags, sources, { color: useColor(opts, io) }) + "\n\n");
  write(summaryLine(diags) + "\n");
}

function counts(diags: Diagnostic[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: diags.filter((d) => d.severity === "error").length,
    warnings: diags.filter((d) => d.severity === "warning").length,
    infos: diags.filter((d) => d.severity === "info").length,
  };
}

function failed(diags: Diagnostic[], opts: DiagOptions): boolean {
  return hasErrors(diags) || (Boolean(opts.denyWarnings) && diags.some((d) => d.severity === "warning"));
}

export async function runCheck(paths: string[], opts: DiagOptions, io: Io): Promise<number> {
  if (missingPaths(paths, io)) return 2;
  const { checkPaths } = await import("../semantic/index.js");
  const projectRoot = resolve(io.cwd, opts.root ?? ".");
  const all: Diagnostic[] = [];
  const sources = new SourceMap();
  let inventory: Inventory | undefined;
  if (opts.inventory !== undefined) {
    const inv = loadCliInventory(opts.inventory, io.cwd);
    if ("usage" in inv) {
      io.err(inv.usage);
      return 2;
    }
    sources.add(inv.file);
    all.push(...inv.diagnostics);
    inventory = inv.inventory;
  }
  for (const project of projectsOf(paths.map((p) => resolve(io.cwd, p)))) {
    const result = checkPaths(project, { projectRoot });
    all.push(...result.diagnostics);
    for (const f of result.sources.all()) sources.add(f);
    // An inventory with errors is not analysed against (its diagnostics say why).
    const analyse = opts.analysis !== false && (opts.inventory === undefined || inventory !== undefined);
    if (result.model && !hasErrors(result.diagnostics) && analyse) {
      all.push(...(await analysisFindings(result.model, result.sources, opts, inventory)));
    }
  }
  const sorted = sortDiagnostics(all).filter((d) => opts.info || d.severity !== "info");
  report(sorted, sources, opts, io, io.out);
  return failed(sorted, opts) ? 1 : 0;
}

export interface CompileOptions extends DiagOptions {
  /** `nft` and `all` need `--inventory` (the nftables ruleset is for one cluster's pods). */
  target?: "calico" | "nft" | "all";
  out?: string;
  split?: string;
  /** `--out-dir DIR` (target `all`): DIR/calico.yaml and DIR/ruleset.nft. */
  outDir?: string;
}

/** Which output options each target takes; a usage message when they do not fit. */
function compileUsage(target: "calico" | "nft" | "all", opts: CompileOptions): string | undefined {
  if (target === "calico") {
    if (opts.inventory !== undefined || opts.outDir) return "error: --inventory and --out-dir go with --target nft or all\n";
    if (!opts.out && !opts.split) return "error: say where the output goes: --out FILE (`-` for stdout) or --split DIR\n";
    if (opts.out && opts.split) return "error: --out and --split cannot be used together\n";
    return undefined;
  }
  if (opts.inventory === undefined) return `error: --target ${target} needs --inventory FILE (kubectl get namespaces,pods -A -o yaml)\n`;
  if (opts.split) return "error: --split goes with --target calico\n";
  if (target === "nft" && (!opts.out || opts.outDir)) return "error: --target nft writes the ruleset to --out FILE (`-` for stdout)\n";
  if (target === "all" && (!opts.outDir || opts.out)) return "error: --target all writes calico.yaml and ruleset.nft into --out-dir DIR\n";
  return undefined;
}

export async function runCompile(paths: string[], opts: CompileOptions, io: Io): Promise<number> {
  if (missingPaths(paths, io)) return 2;
  const target = opts.target ?? "calico";
  const usage = compileUsage(target, opts);
  if (usage) {
    io.err(usage);
    return 2;
  }
  const { compile, writeOutputs } = await import("../compile.js");
  const projectRoot = resolve(io.cwd, opts.root ?? ".");
  let inv: Exclude<ReturnType<typeof loadCliInventory>, { usage: string }> | undefined;
  if (target !== "calico") {
    const loaded = loadCliInventory(opts.inventory!, io.cwd);
    if ("usage" in loaded) {
      io.err(loaded.usage);
      return 2;
    }
    inv = loaded;
    if (!inv.inventory) {
      const sources = new SourceMap();
      sources.add(inv.file);
      report(sortDiagnostics(inv.diagnostics), sources, opts, io, io.err);
      io.err("nothing was written\n");
      return 1;
    }
  }
  const inventory = inv?.inventory ? { inventory: inv.inventory, name: inv.file.path } : undefined;
  const result = compile(paths.map((p) => resolve(io.cwd, p)), { projectRoot, target, ...(inventory ? { inventory } : {}) });
  if (inv) result.sources.add(inv.file);
  const diags = inv ? sortDiagnostics([...inv.diagnostics, ...result.diagnostics]) : result.diagnostics;
  if (failed(diags, opts) || !result.outputs) {
    report(diags, result.sources, opts, io, io.err);
    io.err("nothing was written\n");
    return 1;
  }
  if (target === "nft" && opts.out === "-") {
    io.out(result.outputs.nft!);
  } else if (target !== "calico") {
    const w = writeOutputs(result.outputs, target === "nft" ? { nft: resolve(io.cwd, opts.out!) } : { outDir: resolve(io.cwd, opts.outDir!) });
    if (w.diagnostics.length) {
      report(w.diagnostics, result.sources, opts, io, io.err);
      return 1;
    }
  } else if (opts.out === "-") {
    io.out(result.outputs.yaml);
  } else {
    const w = writeOutputs(result.outputs, opts.out ? { out: resolve(io.cwd, opts.out) } : { split: resolve(io.cwd, opts.split!) });
    if (w.diagnostics.length) {
      report(w.diagnostics, result.sources, opts, io, io.err);
      return 1;
    }
  }
  if (diags.length || opts.format === "json" || opts.format === "sarif") report(diags, result.sources, opts, io, io.err);
  return 0;
}

export function runExplain(code: string, io: Io): number {
  const info = codeInfo(code);
  if (!info) {
    io.err(`error: unknown diagnostic code \`${code}\` (codes look like POL1001)\n`);
    return 2;
  }
  io.out(`${info.code}: ${info.title} (${info.severity})\n\n${info.explanation.trimEnd()}\n`);
  return 0;
}

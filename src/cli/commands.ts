// The actions behind each `polc` sub-command. They write through `Io` (so tests run them in-process)
// and return the exit code.

import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { sortDiagnostics, hasErrors, type Diagnostic, type Severity } from "../diag/diagnostic.js";
import type { IrProgram } from "../ir/types.js";
import { renderText, summaryLine, toJson } from "../diag/render.js";
import { isCiFormat, renderCi } from "../diag/render-ci.js";
import { codeInfo } from "../diag/codes.js";
import { ANALYSIS_CODES } from "../analysis/codes.js";
import { SourceMap } from "../source.js";
import { isEmptyDir, projectsOf } from "./projects.js";
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

/** The analysis stage (shadowed, redundant, dead rules) on a lowered program. */
async function analysisFindings(ir: IrProgram, sources: SourceMap, severities: Severities, inventory?: Inventory): Promise<Diagnostic[]> {
  const { analyze } = await import("../analysis/index.js");
  return analyze(ir, { sources, severities, ...(inventory ? { inventory } : {}) }).diagnostics;
}

type Severities = Record<string, Severity | "off">;

/** The analysis' findings: the only errors whose severity a user may change (they judge intent). */
const ANALYSIS_CODE_SET = new Set(ANALYSIS_CODES.map((c) => c.code));

/** `--severity CODE=LEVEL`, repeatable: the overrides, or a usage message. Warnings, infos and analysis
 *  findings can be changed; the checker's and backends' errors cannot (they stand for objects Calico
 *  would reject or silently ignore). */
export function parseSeverities(list: readonly string[] | undefined): Severities | { usage: string } {
  const out: Severities = {};
  for (const item of list ?? []) {
    const m = /^([A-Za-z]+\d+)=(error|warning|info|off)$/.exec(item.trim());
    if (!m) return { usage: `error: --severity takes CODE=error|warning|info|off, not \`${item}\`\n` };
    const code = m[1]!.toUpperCase();
    const info = codeInfo(code);
    if (!info) return { usage: `error: --severity: unknown diagnostic code \`${m[1]}\` (codes look like POL3210)\n` };
    if (info.severity === "error" && !ANALYSIS_CODE_SET.has(code)) {
      return { usage: `error: --severity: ${code} (${info.title}) is an error polc must report; only warnings, infos and analysis findings can be changed\n` };
    }
    out[code] = m[2] as Severity | "off";
  }
  return out;
}

function applySeverities(diags: Diagnostic[], severities: Severities): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const level = severities[d.code];
    if (level === "off") continue;
    out.push(level === undefined || level === d.severity ? d : { ...d, severity: level });
  }
  return out;
}

/** Paths that do not exist are a usage error (exit 2), reported before anything runs. */
function missingPaths(paths: string[], io: Io): boolean {
  const missing = paths.filter((p) => !existsSync(resolve(io.cwd, p)));
  for (const p of missing) io.err(`error: no such file or directory: ${p}\n`);
  return missing.length > 0;
}

export function useColor(opts: Pick<DiagOptions, "color">, io: Io): boolean {
  if (opts.color === "always") return true;
  if (opts.color === "never") return false;
  return io.isTTY && !process.env.NO_COLOR;
}

/** Print diagnostics in the requested format; `write` is where text goes (stdout for check, stderr for
 *  compile). JSON, SARIF and workflow commands go to stdout (a file to upload, lines the runner reads),
 *  unless the compiled output itself goes there (`--out -`): then `machine` is stderr. */
function report(diags: Diagnostic[], sources: SourceMap, opts: DiagOptions, io: Io, write: (s: string) => void, machine: (s: string) => void = io.out): void {
  if (opts.format === "json") {
    machine(JSON.stringify({ diagnostics: toJson(diags, sources), summary: counts(diags) }, null, 2) + "\n");
    return;
  }
  if (isCiFormat(opts.format)) {
    const text = renderCi(opts.format, diags, sources, resolve(io.cwd, opts.root ?? "."));
    if (text) machine(text + "\n");
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

/** Usage errors every command that reads sources shares (exit 2): missing paths, a `--root` that is
 *  no directory, and directories without a single `.pol` file. */
export function sourceUsage(paths: string[], opts: Pick<DiagOptions, "root">, io: Io): boolean {
  if (missingPaths(paths, io)) return true;
  const root = resolve(io.cwd, opts.root ?? ".");
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    io.err(`error: --root ${opts.root}: no such directory\n`);
    return true;
  }
  const empty = paths.filter((p) => isEmptyDir(resolve(io.cwd, p)));
  for (const d of empty) io.err(`error: no .pol files in ${d}\n`);
  return empty.length > 0;
}

export async function runCheck(paths: string[], opts: DiagOptions, io: Io): Promise<number> {
  if (sourceUsage(paths, opts, io)) return 2;
  const severities = parseSeverities(opts.severity);
  if ("usage" in severities) {
    io.err(severities.usage);
    return 2;
  }
  const { checkPaths } = await import("../semantic/index.js");
  const { lower } = await import("../ir/lower.js");
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
    const result = checkPaths(project, { projectRoot, ...(inventory ? { inventoryLabels: inventory.endpoints.map((e) => e.effectiveLabels) } : {}) });
    all.push(...result.diagnostics);
    for (const f of result.sources.all()) sources.add(f);
    // An inventory with errors is not analysed against (its diagnostics say why).
    const analyse = opts.analysis !== false && (opts.inventory === undefined || inventory !== undefined);
    if (result.model && !hasErrors(result.diagnostics) && analyse) {
      const lowered = lower(result.model);
      all.push(...lowered.diagnostics);
      if (lowered.ir) all.push(...(await analysisFindings(lowered.ir, result.sources, severities, inventory)));
    }
  }
  const sorted = applySeverities(sortDiagnostics(all), severities).filter((d) => opts.info || d.severity !== "info");
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
  if (sourceUsage(paths, opts, io)) return 2;
  const target = opts.target ?? "calico";
  const usage = compileUsage(target, opts);
  if (usage) {
    io.err(usage);
    return 2;
  }
  const projects = projectsOf(paths.map((p) => resolve(io.cwd, p)));
  if (projects.length > 1) {
    const names = projects.map((p) => p.map((e) => relative(io.cwd, e) || ".").join(" ")).join(", ");
    io.err(`error: these paths hold ${projects.length} separate projects (${names}); compile one at a time\n`);
    return 2;
  }
  const severities = parseSeverities(opts.severity);
  if ("usage" in severities) {
    io.err(severities.usage);
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
  // The project's own files (not the standard library), which no output may replace.
  const inputs = result.sources
    .all()
    .filter((f) => !f.path.startsWith("std/"))
    .map((f) => resolve(projectRoot, f.path));
  if (inv) result.sources.add(inv.file);
  const all = inv ? [...inv.diagnostics, ...result.diagnostics] : [...result.diagnostics];
  // The same (symbolic) analysis as `check`: what `check` calls an error keeps `compile` from writing.
  if (result.outputs && result.ir && opts.analysis !== false) all.push(...(await analysisFindings(result.ir, result.sources, severities)));
  const diags = applySeverities(sortDiagnostics(all), severities).filter((d) => opts.info || d.severity !== "info");
  if (failed(diags, opts) || !result.outputs) {
    report(diags, result.sources, opts, io, io.err);
    io.err("nothing was written\n");
    return 1;
  }
  if (target === "nft" && opts.out === "-") {
    io.out(result.outputs.nft!);
  } else if (target !== "calico") {
    const w = writeOutputs(result.outputs, target === "nft" ? { nft: resolve(io.cwd, opts.out!) } : { outDir: resolve(io.cwd, opts.outDir!) }, inputs);
    if (w.diagnostics.length) {
      report(w.diagnostics, result.sources, opts, io, io.err);
      return 1;
    }
  } else if (opts.out === "-") {
    io.out(result.outputs.yaml);
  } else {
    const w = writeOutputs(result.outputs, opts.out ? { out: resolve(io.cwd, opts.out) } : { split: resolve(io.cwd, opts.split!) }, inputs);
    if (w.diagnostics.length) {
      report(w.diagnostics, result.sources, opts, io, io.err);
      return 1;
    }
  }
  const toStdout = opts.out === "-";
  if (diags.length || opts.format === "json" || opts.format === "sarif") report(diags, result.sources, opts, io, io.err, toStdout ? io.err : io.out);
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

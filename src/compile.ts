// `polc compile`: load + check + lower + emit, and the atomic writers for its outputs.
//
//   compile(entries, { projectRoot, target: "calico" }) → { ok, diagnostics, sources, ir?, outputs? }
//   compile(entries, { projectRoot, target: "nft" | "all", inventory: { inventory, name } })  (+ outputs.nft)
//   writeOutputsAtomically(outputs, { out: FILE | "-" } | { split: DIR } | { nft: FILE | "-" } | { outDir: DIR }) → { diagnostics }
//
// `outputs` is present only when there is no error diagnostic: on error nothing is ever written.

import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diag/diagnostic.js";
import { checkPaths, type CheckPathsOptions } from "./semantic/index.js";
import type { SourceMap } from "./source.js";
import type { IrProgram } from "./ir/types.js";
import { lower } from "./ir/lower.js";
import { emitCalico } from "./backends/calico/emit.js";
import type { CalicoObject } from "./backends/calico/objects.js";
import { STREAM_HEADER } from "./backends/calico/yaml.js";
import { makeDiag } from "./ir/diag.js";
import type { Inventory } from "./inventory/types.js";
import { emitNft } from "./backends/nft/emit.js";

/** `nft` also needs an inventory; `all` emits the Calico YAML and the nftables ruleset in one run. */
export type CompileTarget = "calico" | "nft" | "all";

export type CompileOptions = CheckPathsOptions & {
  target?: CompileTarget;
  /** The cluster the nftables ruleset is for (targets `nft` and `all`); `name` is how it is cited. */
  inventory?: { readonly inventory: Inventory; readonly name: string };
};

/** File names inside `--out-dir` (target `all`). */
export const OUT_DIR_FILES = { calico: "calico.yaml", nft: "ruleset.nft" } as const;

export interface OutputFile {
  /** File name inside a `--split` directory: `<nn>-<kind>-[<namespace>.]<name>.yaml`. */
  readonly name: string;
  readonly text: string;
}

export interface CompileOutputs {
  /** The whole multi-document YAML stream (what `--out` writes). */
  readonly yaml: string;
  readonly objects: CalicoObject[];
  /** One file per object, in stream order (what `--split` writes). */
  readonly files: OutputFile[];
  /** The nftables ruleset (targets `nft` and `all`). */
  readonly nft?: string;
}

export interface CompileResult {
  readonly ok: boolean;
  readonly diagnostics: Diagnostic[];
  readonly sources: SourceMap;
  readonly ir?: IrProgram;
  readonly outputs?: CompileOutputs;
}

export function splitFileNames(objects: readonly CalicoObject[]): string[] {
  const width = Math.max(2, String(objects.length).length);
  return objects.map((o, i) => {
    const ns = o.metadata.namespace !== undefined ? `${o.metadata.namespace}.` : "";
    return `${String(i + 1).padStart(width, "0")}-${o.kind.toLowerCase()}-${ns}${o.metadata.name}.yaml`;
  });
}

export function compile(entries: readonly string[], opts: CompileOptions): CompileResult {
  const { target = "calico", inventory, ...checkOpts } = opts;
  if (target !== "calico" && !inventory) throw new Error(`target ${target} needs an inventory`);
  const checked = checkPaths(entries, checkOpts);
  if (!checked.model || hasErrors(checked.diagnostics)) {
    return { ok: false, diagnostics: checked.diagnostics, sources: checked.sources };
  }
  const lowered = lower(checked.model);
  let diagnostics = sortDiagnostics([...checked.diagnostics, ...lowered.diagnostics]);
  if (!lowered.ir || hasErrors(diagnostics)) return { ok: false, diagnostics, sources: checked.sources };
  const emitted = emitCalico(lowered.ir, { sources: checked.sources });
  diagnostics = sortDiagnostics([...diagnostics, ...emitted.diagnostics]);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics, sources: checked.sources, ir: lowered.ir };
  const names = splitFileNames(emitted.objects);
  const files = emitted.documents.map((d, i) => ({ name: names[i]!, text: STREAM_HEADER + d }));
  let nft: string | undefined;
  if (target !== "calico" && inventory) {
    const out = emitNft(lowered.ir, inventory.inventory, { sources: checked.sources, inventoryName: inventory.name, objects: emitted.objects });
    diagnostics = sortDiagnostics([...diagnostics, ...out.diagnostics]);
    if (hasErrors(diagnostics)) return { ok: false, diagnostics, sources: checked.sources, ir: lowered.ir };
    nft = out.text;
  }
  return {
    ok: true,
    diagnostics,
    sources: checked.sources,
    ir: lowered.ir,
    outputs: { yaml: emitted.yaml, objects: emitted.objects, files, ...(nft !== undefined ? { nft } : {}) },
  };
}

export type OutputTarget = { readonly out: string } | { readonly split: string } | { readonly nft: string } | { readonly outDir: string };

function ioError(path: string, err: unknown): Diagnostic {
  const reason = err instanceof Error ? err.message : String(err);
  return makeDiag("POL4090", { file: path, start: 0, end: 0 }, `cannot write \`${path}\`: ${reason}`, {
    help: "check the path and its permissions; nothing was changed",
  });
}

function tempName(target: string, what: string): string {
  return join(dirname(target), `.${basename(target)}.${what}-${process.pid}-${Date.now().toString(36)}`);
}

/** Files and directories a split directory may hold: what polc itself wrote there. */
const SPLIT_FILE = /^\d+-[a-z]+-[a-z0-9.-]+\.yaml$/;

function wroteBySplit(dir: string, name: string): boolean {
  if (!SPLIT_FILE.test(name)) return false;
  const path = join(dir, name);
  if (!lstatSync(path).isFile()) return false;
  return readFileSync(path, "utf8").startsWith(STREAM_HEADER);
}

/**
 * Why writing `target` could destroy something polc did not write, or undefined when it cannot.
 * Outputs never replace a source of the compilation, nor a directory; `--split DIR` replaces the
 * whole directory, so DIR must be missing, empty, or hold only files an earlier `--split` wrote.
 */
export function clobberReason(target: OutputTarget, inputs: readonly string[]): string | undefined {
  const sources = new Set(inputs.map((p) => resolve(p)));
  const files =
    "split" in target
      ? []
      : "outDir" in target
        ? [join(target.outDir, OUT_DIR_FILES.calico), join(target.outDir, OUT_DIR_FILES.nft)]
        : ["out" in target ? target.out : target.nft].filter((f) => f !== "-");
  for (const f of files) {
    if (sources.has(resolve(f))) return "it is a source of this compilation, which the output would destroy";
    if (existsSync(f) && lstatSync(f).isDirectory()) return "it is a directory";
  }
  if ("split" in target && existsSync(target.split)) {
    const dir = target.split;
    if (!lstatSync(dir).isDirectory()) return "it exists and is not a directory";
    const foreign = readdirSync(dir).sort().find((name) => !wroteBySplit(dir, name));
    if (foreign !== undefined) {
      return `it holds \`${foreign}\`, which polc did not write, and --split replaces the whole directory`;
    }
  }
  return undefined;
}

/** Writes `--out FILE` (or stdout for `-`) or `--split DIR` through a temporary file or directory
 *  renamed into place; on failure the previous output is left as it was. `inputs` are the sources of
 *  the compilation (absolute paths), which no output may replace (see `clobberReason`). */
export function writeOutputsAtomically(outputs: CompileOutputs, target: OutputTarget, inputs: readonly string[] = []): { diagnostics: Diagnostic[] } {
  const refused = clobberReason(target, inputs);
  if (refused !== undefined) {
    const path = "out" in target ? target.out : "split" in target ? target.split : "nft" in target ? target.nft : target.outDir;
    return {
      diagnostics: [
        makeDiag("POL4091", { file: path, start: 0, end: 0 }, `refusing to write \`${path}\`: ${refused}`, {
          help: "write the output to another path (for --split: a new or empty directory, or one an earlier --split wrote); nothing was changed",
        }),
      ],
    };
  }
  if ("nft" in target || "outDir" in target) return writeNftTargets(outputs, target);
  if ("out" in target) {
    if (target.out === "-") {
      process.stdout.write(outputs.yaml);
      return { diagnostics: [] };
    }
    const tmp = tempName(target.out, "tmp");
    try {
      writeFileSync(tmp, outputs.yaml, { flag: "wx" });
      renameSync(tmp, target.out);
      return { diagnostics: [] };
    } catch (err) {
      rmSync(tmp, { force: true });
      return { diagnostics: [ioError(target.out, err)] };
    }
  }
  const dir = target.split;
  let tmpDir: string | undefined;
  let backup: string | undefined;
  try {
    if (!existsSync(dirname(dir))) throw new Error(`directory \`${dirname(dir)}\` does not exist`);
    tmpDir = tempName(dir, "tmp");
    mkdirSync(tmpDir); // the process umask applies, as for any directory the user creates
    for (const f of outputs.files) writeFileSync(join(tmpDir, f.name), f.text, { flag: "wx" });
    if (existsSync(dir)) {
      backup = tempName(dir, "old");
      renameSync(dir, backup);
    }
    try {
      renameSync(tmpDir, dir);
    } catch (err) {
      if (backup) renameSync(backup, dir);
      backup = undefined;
      throw err;
    }
    tmpDir = undefined;
    if (backup) rmSync(backup, { recursive: true, force: true });
    return { diagnostics: [] };
  } catch (err) {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    return { diagnostics: [ioError(dir, err)] };
  }
}

/** The name the CLI imports. */
export const writeOutputs = writeOutputsAtomically;

/** `{ nft: FILE | "-" }` writes the ruleset; `{ outDir: DIR }` writes DIR/calico.yaml and
 *  DIR/ruleset.nft (DIR is created if missing). Every file is written to a temporary name first and
 *  renamed into place only once all of them are written. */
function writeNftTargets(outputs: CompileOutputs, target: { readonly nft: string } | { readonly outDir: string }): { diagnostics: Diagnostic[] } {
  if (outputs.nft === undefined) throw new Error("no nftables ruleset was compiled");
  if ("nft" in target && target.nft === "-") {
    process.stdout.write(outputs.nft);
    return { diagnostics: [] };
  }
  const files: [string, string][] =
    "nft" in target
      ? [[target.nft, outputs.nft]]
      : [
          [join(target.outDir, OUT_DIR_FILES.calico), outputs.yaml],
          [join(target.outDir, OUT_DIR_FILES.nft), outputs.nft],
        ];
  const temps: string[] = [];
  let current = "nft" in target ? target.nft : target.outDir;
  try {
    if ("outDir" in target) mkdirSync(target.outDir, { recursive: true });
    for (const [path, text] of files) {
      current = path;
      const tmp = tempName(path, "tmp");
      temps.push(tmp);
      writeFileSync(tmp, text, { flag: "wx" });
    }
    files.forEach(([path], i) => {
      current = path;
      renameSync(temps[i]!, path);
    });
    return { diagnostics: [] };
  } catch (err) {
    for (const t of temps) rmSync(t, { force: true });
    return { diagnostics: [ioError(current, err)] };
  }
}

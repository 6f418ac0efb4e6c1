// `polc fmt`: formats .pol files with the prettier plugin (src/format/plugin.ts) through prettier's
// API, honouring a .prettierrc (printWidth, tabWidth, polAlign, endOfLine, …). Directories expand to every .pol
// file below them, sorted. Without flags the formatted text goes to stdout; `--check` lists the files
// that are not formatted (exit 1); `--write` rewrites them atomically (temp file + rename) and lists
// them. Inside directories, files that the working directory's .gitignore or .prettierignore names
// are skipped. Files with syntax errors are never formatted: their diagnostics are rendered as `polc check`
// renders them (exit 1). A missing path is a usage error (exit 2).

import { existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import * as prettier from "prettier";
import plugin from "../format/plugin.js";
import { PolSyntaxError } from "../format/parse.js";
import { renderText } from "../diag/render.js";
import { makeSourceFile, SourceMap } from "../source.js";
import { decodeSource } from "../syntax/read.js";

export interface FmtOptions {
  check?: boolean;
  write?: boolean;
  cwd: string;
}

export interface FmtResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const SKIP_DIRS = new Set(["node_modules", ".git"]);

function polFilesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...polFilesBelow(p));
    } else if (e.isFile() && e.name.endsWith(".pol")) out.push(p);
  }
  return out;
}

/** Every file to format, absolute, sorted, each once. Files found in directories are skipped when
 *  the working directory's `.gitignore` or `.prettierignore` ignores them; files named explicitly
 *  never are. */
async function expand(paths: readonly string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  const ignorePath = [join(cwd, ".gitignore"), join(cwd, ".prettierignore")]; // as the prettier CLI
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (!statSync(abs).isDirectory()) {
      files.add(abs);
      continue;
    }
    for (const f of polFilesBelow(abs)) {
      if (!(await prettier.getFileInfo(f, { ignorePath })).ignored) files.add(f);
    }
  }
  return [...files].sort();
}

function display(abs: string, cwd: string): string {
  const r = relative(cwd, abs);
  return (r.startsWith("..") ? abs : r).split(sep).join("/");
}

/** Write via a temporary file in the same directory and a rename, so a file is never half written. */
function writeAtomically(abs: string, text: string): void {
  const tmp = join(dirname(abs), `.polc-tmp-${process.pid}-${basename(abs)}`);
  try {
    writeFileSync(tmp, text, "utf8");
    renameSync(tmp, abs);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
}

export async function formatText(text: string, absPath: string): Promise<string> {
  const config = (await prettier.resolveConfig(absPath)) ?? {};
  return prettier.format(text, { ...config, filepath: absPath, parser: "pol", plugins: [plugin] });
}

export async function runFmt(paths: string[], opts: FmtOptions): Promise<FmtResult> {
  const out: string[] = [];
  const err: string[] = [];
  const missing = paths.filter((p) => !existsSync(resolve(opts.cwd, p)));
  if (missing.length) {
    return { stdout: "", stderr: missing.map((p) => `error: no such file or directory: ${p}\n`).join(""), exitCode: 2 };
  }
  const files = await expand(paths, opts.cwd);
  await prettier.clearConfigCache(); // a long-lived process (tests, editors) must see edited configs
  const sources = new SourceMap();
  let failed = false;
  const changed: string[] = [];
  for (const abs of files) {
    const shown = display(abs, opts.cwd);
    const decoded = decodeSource(shown, readFileSync(abs));
    if (decoded.file) sources.add(decoded.file);
    if (!decoded.file || decoded.diagnostics.some((d) => d.severity === "error")) {
      err.push(renderText(decoded.diagnostics, sources) + "\n");
      failed = true;
      continue;
    }
    let formatted: string;
    try {
      formatted = await formatText(decoded.file.text, abs);
    } catch (e) {
      if (!(e instanceof PolSyntaxError)) throw e;
      // Prettier parsed the text with line endings normalised: show that text under the user's name.
      const parsed = new SourceMap();
      parsed.add(makeSourceFile(shown, e.file.text));
      err.push(renderText(e.diagnostics.map((d) => retarget(d, shown)), parsed) + "\n");
      failed = true;
      continue;
    }
    const differs = formatted !== decoded.file.text;
    if (opts.write) {
      if (differs) {
        writeAtomically(abs, formatted);
        changed.push(shown);
      }
    } else if (opts.check) {
      if (differs) changed.push(shown);
    } else out.push(formatted);
  }
  if (opts.write) out.push(...changed.map((f) => `${f}\n`));
  if (opts.check && !opts.write) {
    out.push(...changed.map((f) => `${f}\n`));
    if (changed.length) err.push(`${changed.length} file${changed.length === 1 ? " is" : "s are"} not formatted; run \`polc fmt --write\` on ${changed.length === 1 ? "it" : "them"}\n`);
  }
  const exitCode = failed || (opts.check && !opts.write && changed.length > 0) ? 1 : 0;
  return { stdout: out.join(""), stderr: err.join(""), exitCode };
}

/** Diagnostics from the plugin name the file by prettier's path; show it as the user named it. */
function retarget<D extends { primary: { span: { file: string } } }>(d: D, file: string): D {
  const fix = <L extends { span: { file: string } }>(l: L): L => ({ ...l, span: { ...l.span, file } });
  const x = d as D & { secondary?: { span: { file: string } }[] };
  return { ...d, primary: fix(d.primary), ...(x.secondary ? { secondary: x.secondary.map(fix) } : {}) };
}

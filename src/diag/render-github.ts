// GitHub Actions workflow commands (`--format github`): one `::error|warning|notice` line per
// diagnostic, which the runner turns into an annotation on the file and lines it names.
//
//   ::error file=app/policy.pol,line=3,col=5,endLine=3,endColumn=8,title=POL1020::unknown name `wbe`
//
// Escaping follows the runner's rules: in the message `%`, `\r` and `\n` are percent-encoded; in
// property values `:` and `,` are too. Paths are relative to the project root, which in CI is the
// repository checkout. Standard-library files are not in the repository, so their diagnostics are
// annotated without a file and name the place in the message instead.

import type { Diagnostic, Severity } from "./diagnostic.js";
import { lineColOf, type SourceMap } from "../source.js";

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = { error: "error", warning: "warning", info: "notice" };

/** Escape the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a property value of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface GithubOptions {
  /** Whether a display path names a standard-library file (annotated without `file=`). */
  isStdlib?: (path: string) => boolean;
}

/** One workflow command for one diagnostic. */
export function githubAnnotation(d: Diagnostic, sources: SourceMap, opts: GithubOptions = {}): string {
  const props: [string, string][] = [];
  const file = d.primary.span.file;
  const src = sources.get(file);
  const stdlib = opts.isStdlib?.(file) ?? false;
  let where = "";
  if (src) {
    const s = lineColOf(src, Math.min(d.primary.span.start, src.text.length));
    const e = lineColOf(src, Math.min(Math.max(d.primary.span.end, d.primary.span.start), src.text.length));
    if (stdlib) where = ` (in ${file}:${s.line}:${s.column})`;
    else props.push(["file", file], ["line", String(s.line)], ["col", String(s.column)], ["endLine", String(e.line)], ["endColumn", String(e.column)]);
  } else if (stdlib) where = ` (in ${file})`;
  else props.push(["file", file]);
  props.push(["title", d.code]);
  const lines = [d.message + where];
  for (const n of d.notes ?? []) lines.push(`note: ${n}`);
  if (d.help) lines.push(`help: ${d.help}`);
  const propText = props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(",");
  return `::${COMMAND[d.severity]} ${propText}::${escapeData(lines.join("\n"))}`;
}

/** Every diagnostic as a workflow command, one per line. */
export function renderGithub(diags: readonly Diagnostic[], sources: SourceMap, opts: GithubOptions = {}): string {
  return diags.map((d) => githubAnnotation(d, sources, opts)).join("\n");
}

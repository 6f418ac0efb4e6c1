// polc diagnostics as LSP diagnostics, published per file: every file of a checked project gets its
// list (an empty one clears what was fixed), and files that had diagnostics and left the project are
// cleared too.

import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type PublishDiagnosticsParams } from "vscode-languageserver/node";
import type { Diagnostic, Severity } from "../diag/diagnostic.js";
import type { ProjectCheck } from "./check.js";
import { pathToUri, spanToRange } from "./positions.js";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The fix of a diagnostic, carried in `data` for the quick-fix code action. */
export interface FixData {
  title: string;
  edits: { uri: string; range: LspDiagnostic["range"]; newText: string }[];
}

export function toLspDiagnostic(d: Diagnostic, check: ProjectCheck): LspDiagnostic {
  const file = check.sources.get(d.primary.span.file);
  const lines = [d.message];
  if (d.primary.message) lines[0] += ` (${d.primary.message})`;
  for (const n of d.notes ?? []) lines.push(`note: ${n}`);
  if (d.help) lines.push(`help: ${d.help}`);
  const related = (d.secondary ?? []).map((l) => ({
    location: { uri: pathToUri(check.absOf(l.span.file)), range: spanToRange(check.sources.get(l.span.file), l.span) },
    message: l.message ?? "related",
  }));
  const data: FixData | undefined = d.fix
    ? {
        title: d.fix.title,
        edits: d.fix.edits.map((e) => ({ uri: pathToUri(check.absOf(e.span.file)), range: spanToRange(check.sources.get(e.span.file), e.span), newText: e.newText })),
      }
    : undefined;
  return {
    range: spanToRange(file, d.primary.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "polc",
    message: lines.join("\n"),
    ...(related.length ? { relatedInformation: related } : {}),
    ...(data ? { data } : {}),
  };
}

/** What to publish after a check: one entry per file of the project, plus clears for files that
 *  were published before and are no longer part of it; open documents first. */
export function publications(
  check: ProjectCheck,
  diagnostics: readonly Diagnostic[],
  previously: ReadonlySet<string>,
  version: (uri: string) => number | undefined,
): PublishDiagnosticsParams[] {
  const byUri = new Map<string, LspDiagnostic[]>();
  for (const f of check.files) if (f.origin === "project") byUri.set(pathToUri(f.absPath), []);
  for (const d of diagnostics) {
    const uri = pathToUri(check.absOf(d.primary.span.file));
    const list = byUri.get(uri) ?? [];
    list.push(toLspDiagnostic(d, check));
    byUri.set(uri, list);
  }
  for (const uri of previously) if (!byUri.has(uri)) byUri.set(uri, []);
  const out = [...byUri].map(([uri, diagnostics]) => {
    const v = version(uri);
    return { uri, ...(v !== undefined ? { version: v } : {}), diagnostics };
  });
  // Open documents first: the one being edited is what the user is waiting for.
  return [...out.filter((p) => p.version !== undefined), ...out.filter((p) => p.version === undefined)];
}

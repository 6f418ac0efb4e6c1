// The diagnostic model: every problem polc reports, from a lexer error to a shadowed rule, is one of
// these. Renderers (text, JSON, later SARIF/LSP) only read this shape.

import type { Span } from "../source.js";

export type Severity = "error" | "warning" | "info";

export interface Label {
  span: Span;
  message?: string;
}

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  /** Stable code, e.g. `POL0101`. Registered in `codes.ts`; never reused for another meaning. */
  code: string;
  severity: Severity;
  /** One line, lower-case start, no trailing period; names in `backticks`. */
  message: string;
  /** Where the caret goes. */
  primary: Label;
  /** Related places: "first declared here", "tier declared here", the blocking rule… */
  secondary?: Label[];
  /** `note:` lines (facts about Calico semantics, consequences). */
  notes?: string[];
  /** `help:` line: what to do about it. Every error carries one. */
  help?: string;
  /** A machine-applicable fix (LSP code action / future `polc fix`). */
  fix?: Fix;
}

/** Diagnostics sorted by file, offset, code, message; exact duplicates (code + span + message) removed. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const key = `${d.code}\u0000${d.primary.span.file}\u0000${d.primary.span.start}\u0000${d.primary.span.end}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort((a, b) => {
    const fa = a.primary.span.file;
    const fb = b.primary.span.file;
    if (fa !== fb) return fa < fb ? -1 : 1;
    if (a.primary.span.start !== b.primary.span.start) return a.primary.span.start - b.primary.span.start;
    if (a.code !== b.code) return a.code < b.code ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

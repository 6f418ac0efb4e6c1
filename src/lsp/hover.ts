// Hover: the kind and name under the cursor, its declaration (with the comment above it), what it
// resolves to, and the Calico objects it becomes.

import { MarkupKind, type Hover } from "vscode-languageserver/node";
import type { SourceFile, Span } from "../source.js";
import type { ProjectCheck } from "./check.js";
import { policyFacts, symbolFacts } from "./describe.js";
import { spanToRange } from "./positions.js";

/** The `//` comment lines directly above offset `start`, without the slashes. */
export function leadingComment(file: SourceFile, start: number): string[] {
  const lines = file.text.slice(0, start).split(/\r\n|\r|\n/);
  lines.pop(); // the declaration's own line, up to the declaration
  const out: string[] = [];
  while (lines.length) {
    const l = lines.pop()!.trim();
    if (!l.startsWith("//")) break;
    out.unshift(l.replace(/^\/\/ ?/, ""));
  }
  return out;
}

function declText(file: SourceFile | undefined, span: Span): string {
  if (!file) return "";
  const text = file.text.slice(span.start, span.end);
  const lines = text.split(/\r\n|\r|\n/);
  return lines.length > 6 ? [...lines.slice(0, 5), "  …"].join("\n") : text;
}

export function hoverAt(check: ProjectCheck, display: string, offset: number): Hover | undefined {
  const file = check.sources.get(display);
  if (!file) return undefined;
  const covers = (s: Span) => s.file === display && s.start <= offset && offset <= s.end;
  const policy = check.symbols.policies.find((p) => covers(p.nameSpan));
  if (policy) {
    const declFile = check.sources.get(policy.file);
    const lines = ["```pol", declText(declFile, { ...policy.decl.span, end: policy.decl.bodySpan.start }).trimEnd(), "```", "", ...policyFacts(policy, check).map((l) => `- ${l}`)];
    return { contents: { kind: MarkupKind.Markdown, value: lines.join("\n") }, range: spanToRange(file, policy.nameSpan) };
  }
  const sym = check.symbols.at(display, offset);
  if (!sym) return undefined;
  const ref = check.symbols.references.find((r) => r.symbol === sym && covers(r.span));
  const range = spanToRange(file, ref?.span ?? sym.nameSpan ?? { start: offset, end: offset });
  const lines: string[] = [];
  if (sym.decl && sym.file) {
    const declFile = check.sources.get(sym.file);
    lines.push("```pol", declText(declFile, sym.decl.span), "```");
    const doc = declFile ? leadingComment(declFile, sym.decl.span.start) : [];
    if (doc.length) lines.push("", doc.join("\n"));
    lines.push("", `(${sym.kind}) \`${sym.name}\`, declared in \`${sym.file}\``);
  } else {
    lines.push(`(${sym.kind}) \`${sym.name}\``);
  }
  const facts = symbolFacts(sym, check);
  if (facts.length) lines.push("", ...facts.map((l) => `- ${l}`));
  return { contents: { kind: MarkupKind.Markdown, value: lines.join("\n") }, range };
}

// Go to definition and find references, across the project's files and into the standard library:
// names resolve through the checker's symbol table; an import path leads to the file it loads.

import type { Location } from "vscode-languageserver/node";
import type { Span } from "../source.js";
import type { ProjectCheck } from "./check.js";
import { pathToUri, spanToRange } from "./positions.js";

function location(check: ProjectCheck, span: Span): Location {
  return { uri: pathToUri(check.absOf(span.file)), range: spanToRange(check.sources.get(span.file), span) };
}

export function definitionAt(check: ProjectCheck, display: string, offset: number): Location[] {
  const covers = (s: Span) => s.file === display && s.start <= offset && offset <= s.end;
  const file = check.files.find((f) => f.ast.path === display);
  const imp = file?.imports.find((i) => covers(i.node.path.span));
  if (imp) {
    const target = check.files.find((f) => f.ast.path === imp.target);
    if (target) return [{ uri: pathToUri(target.absPath), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
  }
  const policy = check.symbols.policies.find((p) => covers(p.nameSpan));
  if (policy) return [location(check, policy.nameSpan)];
  const sym = check.symbols.at(display, offset);
  if (!sym?.nameSpan) return [];
  return [location(check, sym.nameSpan)];
}

export function referencesAt(check: ProjectCheck, display: string, offset: number, includeDeclaration: boolean): Location[] {
  const sym = check.symbols.at(display, offset);
  if (!sym) return [];
  const spans = check.symbols.referencesTo(sym).map((r) => r.span);
  if (includeDeclaration && sym.nameSpan) spans.unshift(sym.nameSpan);
  const seen = new Set<string>();
  const out: Location[] = [];
  for (const s of spans) {
    const key = `${s.file}:${s.start}:${s.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(location(check, s));
  }
  return out;
}

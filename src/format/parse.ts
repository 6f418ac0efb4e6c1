// The prettier parser for `.pol`: polc's own front end (src/syntax/parse.ts). Source with any
// front-end error is never formatted: the parser throws a PolSyntaxError that prettier reports with a
// code frame (from `loc`) and that `polc fmt` renders as polc renders diagnostics (from `diagnostics`).

import type { Diagnostic } from "../diag/diagnostic.js";
import { parseSource } from "../syntax/parse.js";
import { lineColOf, makeSourceFile, type SourceFile } from "../source.js";
import type * as A from "../syntax/ast.js";
import { annotateComments, type FmtComment } from "./comment-flags.js";

/** The root handed to prettier: the polc AST plus prettier's `comments` array. */
export interface FmtRoot extends A.File {
  comments: FmtComment[];
}

export class PolSyntaxError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly file: SourceFile;
  /** 1-based position of the first error, read by prettier to print a code frame. */
  readonly loc: { start: { line: number; column: number } };
  constructor(file: SourceFile, diagnostics: Diagnostic[]) {
    const first = diagnostics[0]!;
    const at = lineColOf(file, first.primary.span.start);
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
    super(`${first.code}: ${first.message}${more}`);
    this.name = "PolSyntaxError";
    this.diagnostics = diagnostics;
    this.file = file;
    this.loc = { start: { line: at.line, column: at.column } };
  }
}

export function parsePol(text: string, options?: { filepath?: string }): FmtRoot {
  const path = options?.filepath ?? "<input>.pol";
  const file = makeSourceFile(path, text);
  const { ast, diagnostics } = parseSource(file);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new PolSyntaxError(file, errors);
  return { ...ast, comments: annotateComments(ast.comments, text) };
}

export const locStart = (node: { span: { start: number } }): number => node.span.start;
export const locEnd = (node: { span: { end: number } }): number => node.span.end;

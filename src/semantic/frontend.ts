// The loader's view of the front end: bytes to source text, source text to AST.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { File } from "../syntax/ast.js";
import type { SourceFile } from "../source.js";
import { decodeSource } from "../syntax/read.js";
import { parseSource } from "../syntax/parse.js";

/** Bytes to a source file; `file` is undefined for input that is not text (reported). */
export function readSource(displayPath: string, bytes: Uint8Array): { file?: SourceFile; diagnostics: Diagnostic[] } {
  const r = decodeSource(displayPath, bytes);
  return { ...(r.file ? { file: r.file } : {}), diagnostics: [...r.diagnostics] };
}

export function parseFile(file: SourceFile): { ast: File; diagnostics: Diagnostic[] } {
  const r = parseSource(file);
  return { ast: r.ast, diagnostics: [...r.diagnostics] };
}


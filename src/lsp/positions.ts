// Conversions between polc's positions (UTF-16 offsets into a SourceFile, display paths) and LSP's
// (0-based line/character in UTF-16 code units, file URIs). Both count UTF-16 code units, so a
// character is an offset minus its line start.

import { fileURLToPath, pathToFileURL } from "node:url";
import type { Position, Range } from "vscode-languageserver/node";
import { lineColOf, type SourceFile, type Span } from "../source.js";

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(abs: string): string {
  return pathToFileURL(abs).href;
}

export function offsetToPosition(file: SourceFile, offset: number): Position {
  // LSP positions are 0-based line and UTF-16 column: polc's 1-based ones, less one.
  const { line, column } = lineColOf(file, Math.max(0, Math.min(offset, file.text.length)));
  return { line: line - 1, character: column - 1 };
}

export function positionToOffset(file: SourceFile, pos: Position): number {
  const start = file.lineStarts[Math.max(0, pos.line)];
  if (start === undefined) return file.text.length;
  const next = file.lineStarts[pos.line + 1] ?? file.text.length;
  return Math.min(start + Math.max(0, pos.character), next);
}

export function spanToRange(file: SourceFile | undefined, span: Pick<Span, "start" | "end">): Range {
  if (!file) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: offsetToPosition(file, span.start), end: offsetToPosition(file, Math.max(span.start, span.end)) };
}

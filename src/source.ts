// Source files and spans: the one position model shared by every stage.
//
// Offsets are UTF-16 code-unit offsets into `SourceFile.text` (what JavaScript strings index and what
// LSP uses). A span is half-open: [start, end). Lines and columns are 1-based for people, computed on
// demand from the line-start table.

export interface SourceFile {
  /** Path as shown to the user: relative to the project root, `/`-separated (e.g. `examples/a.pol`),
   *  or `std/k8s.pol` for standard-library files. */
  readonly path: string;
  readonly text: string;
  /** Offsets of the first character of every line (lineStarts[0] === 0). */
  readonly lineStarts: readonly number[];
}

export interface Span {
  readonly file: string; // SourceFile.path
  readonly start: number; // inclusive offset
  readonly end: number; // exclusive offset
}

export interface LineCol {
  line: number; // 1-based
  column: number; // 1-based, in UTF-16 code units
}

export function makeSourceFile(path: string, text: string): SourceFile {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) lineStarts.push(i + 1);
    else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      lineStarts.push(i + 1);
    }
  }
  return { path, text, lineStarts };
}

export function lineColOf(file: SourceFile, offset: number): LineCol {
  const starts = file.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** The text of 1-based line `line`, without its line terminator. */
export function lineText(file: SourceFile, line: number): string {
  const start = file.lineStarts[line - 1];
  if (start === undefined) return "";
  const next = file.lineStarts[line];
  let end = next === undefined ? file.text.length : next;
  while (end > start && (file.text[end - 1] === "\n" || file.text[end - 1] === "\r")) end--;
  return file.text.slice(start, end);
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end };
}

/** Smallest span covering both (same file assumed). */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** A registry of loaded files, so renderers can find the text behind a span. */
export class SourceMap {
  private readonly files = new Map<string, SourceFile>();
  add(file: SourceFile): void {
    this.files.set(file.path, file);
  }
  get(path: string): SourceFile | undefined {
    return this.files.get(path);
  }
  all(): SourceFile[] {
    return [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

// The source text of a span as one line, for messages and annotations: comments (line and block
// comments outside string literals) removed and whitespace collapsed.
export function snippet(file: SourceFile, span: Pick<Span, "start" | "end">): string {
  const text = file.text.slice(span.start, span.end);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1; // `\"` and `\\` escapes
      const stop = Math.min(text.length, j + 1);
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      i = (nl < 0 ? text.length : nl) - 1;
      out += " ";
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = (close < 0 ? text.length : close + 2) - 1;
      out += " ";
    } else out += c;
  }
  return out.replace(/\s+/g, " ").trim();
}

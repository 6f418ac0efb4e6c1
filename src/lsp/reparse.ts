// Incremental parsing for the editor: after an edit, only the top-level items around it are parsed
// again; the items before it are kept as they are and the items after it are kept with their spans
// shifted by the edit's change in length. The result is the AST a full parse gives (the tests check
// this on random edits), and whenever that cannot be guaranteed the caller parses the whole file:
//   - the previous parse had diagnostics (error recovery makes item boundaries unreliable);
//   - the re-parsed region has diagnostics (e.g. an unterminated comment or string, which may reach
//     into the kept items).
// Top-level items start with a keyword that cannot continue the item before them, so an item's extent
// depends only on its own tokens and the first token after it. One extra item is re-parsed on each
// side of the edit as a margin.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { Comment, File, Item } from "../syntax/ast.js";
import { makeSourceFile, type SourceFile } from "../source.js";
import { parseFile } from "../semantic/frontend.js";

export type Parsed = { ast: File; diagnostics: Diagnostic[] };

function isSpan(o: object): o is { file: string; start: number; end: number } {
  const r = o as Record<string, unknown>;
  return typeof r.file === "string" && typeof r.start === "number" && typeof r.end === "number" && Object.keys(r).length === 3;
}

/** A copy of an AST value with every span moved by `delta`. */
export function shiftSpans<T>(value: T, delta: number): T {
  if (delta === 0 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => shiftSpans(v, delta)) as T;
  if (isSpan(value)) return { file: value.file, start: value.start + delta, end: value.end + delta } as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = shiftSpans(v, delta);
  return out as T;
}

/** The parse of `file` from the previous parse of the same path, or undefined when only a full
 *  parse will do. */
export function reparse(prevText: string, prev: Parsed, file: SourceFile): Parsed | undefined {
  if (prev.diagnostics.length > 0) return undefined;
  const old = prevText;
  const neu = file.text;
  const items = prev.ast.items;
  if (items.length < 4) return undefined;
  const max = Math.min(old.length, neu.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === neu.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && old.charCodeAt(old.length - 1 - q) === neu.charCodeAt(neu.length - 1 - q)) q++;
  const oldEditEnd = old.length - q;
  const delta = neu.length - old.length;

  // Kept before: items that end before the edit, less one (the margin).
  let touched = items.findIndex((it) => it.span.end >= p);
  if (touched < 0) touched = items.length;
  const keptBefore = Math.max(0, touched - 1);
  const from = keptBefore > 0 ? items[keptBefore - 1]!.span.end : 0;
  // Kept after: items that start after the edit, less one (the margin).
  let after = items.findIndex((it) => it.span.start >= oldEditEnd);
  if (after < 0) after = items.length;
  const keptAfter = Math.min(items.length, after + 1);
  const toOld = keptAfter < items.length ? items[keptAfter]!.span.start : old.length;
  const toNew = toOld + delta;
  if (from > p || toNew < neu.length - q || toNew < from) return undefined;
  // The kept items after the edit start on a new line: a `//` typed before them on the same line
  // would turn them into a comment, which the re-parsed region alone cannot see.
  if (toNew < neu.length && neu[toNew - 1] !== "\n" && neu[toNew - 1] !== "\r") return undefined;

  const middle = parseFile(makeSourceFile(file.path, neu.slice(from, toNew)));
  if (middle.diagnostics.length > 0) return undefined;

  const before: Item[] = items.slice(0, keptBefore);
  const later: Item[] = items.slice(keptAfter).map((it) => shiftSpans(it, delta));
  const comments: Comment[] = [
    ...prev.ast.comments.filter((c) => c.span.end <= from),
    ...middle.ast.comments.map((c) => shiftSpans(c, from)),
    ...prev.ast.comments.filter((c) => c.span.start >= toOld).map((c) => shiftSpans(c, delta)),
  ];
  const ast: File = {
    kind: "File",
    path: file.path,
    items: [...before, ...middle.ast.items.map((it) => shiftSpans(it, from)), ...later],
    comments,
    span: { file: file.path, start: 0, end: neu.length },
  };
  return { ast, diagnostics: [] };
}

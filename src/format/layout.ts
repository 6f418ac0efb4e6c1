// Layout helpers shared by the printers: statement lists with kept blank lines, flat widths of docs,
// and column alignment over runs of similar statements.

import { doc, util, type Doc } from "prettier";
import { commentsOf, isIgnoreComment, isIgnored } from "./comments.js";
import { blankLineBefore } from "./comment-flags.js";
import { hasOwnLineTrailing, ownLineTrailing, printStatementLeading, printStatementTrailing } from "./print-comments.js";

const { hardline } = doc.builders;

export interface Spanned {
  span: { start: number; end: number };
}

export interface Entry {
  node: Spanned;
  doc: Doc;
}

/** Whether the source had a blank line before this statement (or before its first leading comment). */
export function blankBefore(node: Spanned, text: string): boolean {
  const first = commentsOf(node).find((c) => c.stmt && c.leading);
  return first && !first.hoisted ? first.blankBefore : blankLineBefore(text, node.span.start);
}

/** Statements one per line, with their comments; at most one blank line where the source had any. */
export function printStatements(entries: readonly Entry[], text: string): Doc {
  return entries.map((e, i) => [
    i === 0 ? "" : blankBefore(e.node, text) ? [hardline, hardline] : hardline,
    printStatementLeading(e.node),
    e.doc,
    printStatementTrailing(e.node),
  ]);
}

/** Width of a doc printed flat, or undefined if it contains a forced line break (line suffixes,
 *  which go to the end of the line, do not count). */
export function flatWidth(d: Doc): number | undefined {
  if (typeof d === "string") return d.includes("\n") ? undefined : util.getStringWidth(d);
  if (Array.isArray(d)) {
    let w = 0;
    for (const x of d) {
      const v = flatWidth(x);
      if (v === undefined) return undefined;
      w += v;
    }
    return w;
  }
  switch (d.type) {
    case "group":
    case "indent":
    case "align":
    case "label":
    case "indent-if-break":
      return flatWidth((d as { contents: Doc }).contents);
    case "fill":
      return flatWidth(d.parts as Doc[]);
    case "if-break":
      return flatWidth(d.flatContents as Doc);
    case "line":
      return d.hard || d.literal ? undefined : d.soft ? 0 : 1;
    default:
      return 0; // line-suffix, break-parent, trim, cursor, line-suffix-boundary
  }
}

/** A column wider than this does not align: padding every neighbour to it would spread them out. */
export const MAX_COLUMN = 32;

export const spaces = (n: number): string => (n > 0 ? " ".repeat(n) : "");

/** Runs of consecutive statements that align: same `key`, no blank line or leading comment between
 *  them, none prettier-ignored, and every measured column flat. Returns, per statement, the padding
 *  to add after each column (empty when it does not align). */
export function alignColumns<N extends Spanned>(
  nodes: readonly N[],
  text: string,
  key: (n: N) => string | undefined,
  measure: (n: N, index: number) => (number | undefined)[] | undefined,
): Map<N, number[]> {
  const pads = new Map<N, number[]>();
  let run: { node: N; widths: number[] }[] = [];
  let runKey: string | undefined;
  const flush = () => {
    if (run.length > 1) {
      const cols = Math.max(...run.map((r) => r.widths.length));
      const max = Array.from({ length: cols }, (_, i) => Math.max(...run.map((r) => r.widths[i] ?? 0)));
      for (const r of run) pads.set(r.node, r.widths.map((w, i) => max[i]! - w));
    }
    run = [];
    runKey = undefined;
  };
  nodes.forEach((n, i) => {
    // A prettier-ignore printed on a line after the previous statement ignores this one next time.
    const ignored = isIgnored(n as never) || (i > 0 && ownLineTrailing(nodes[i - 1]).some(isIgnoreComment));
    const k = ignored ? undefined : key(n);
    const m = k === undefined ? undefined : measure(n, i);
    const widths = m && m.every((w) => w !== undefined && w <= MAX_COLUMN) ? (m as number[]) : undefined;
    if (!widths || k === undefined) {
      flush();
      return;
    }
    const prev = run[run.length - 1]?.node;
    const joins =
      prev !== undefined && k === runKey && !blankBefore(n, text) && !commentsOf(n).some((c) => c.stmt && c.leading) && !hasOwnLineTrailing(prev);
    if (!joins) flush();
    run.push({ node: n, widths });
    runKey = k;
  });
  flush();
  return pads;
}

// Printing comments. The plugin prints every comment itself (`willPrintOwnComments`), from the flags
// recorded at parse time, never from the surrounding layout, which is what makes output stable.

import { doc, type Doc } from "prettier";
import { commentsOf, isIgnored } from "./comments.js";
import type { FmtComment } from "./comment-flags.js";

const { hardline } = doc.builders;

function text(c: FmtComment): string {
  c.printed = true;
  return c.block ? c.text : c.text.trimEnd();
}

/** A statement's own comments, leaving out those inside a prettier-ignored statement (its source
 *  text, printed as is, already contains them). */
function statementComments(node: unknown): FmtComment[] {
  const cs = commentsOf(node).filter((c) => c.stmt);
  if (!isIgnored(node as never)) return cs;
  const { start, end } = (node as { span: { start: number; end: number } }).span;
  return cs.filter((c) => {
    const inside = c.span.start >= start && c.span.end <= end;
    if (inside) c.printed = true;
    return !inside;
  });
}

/** Line break(s) before a comment that starts a line: one, or two to keep a blank line. */
function breakBefore(c: FmtComment): Doc {
  return c.blankBefore ? [hardline, hardline] : hardline;
}

/** Comments in sequence, separated as they were (same line, next line, or after a blank line). */
export function printCommentRun(cs: readonly FmtComment[]): Doc[] {
  return cs.map((c, i) => (i === 0 ? text(c) : [c.breakBefore ? breakBefore(c) : " ", text(c)]));
}

/** A statement's leading comments, each on its own line or on the statement's line as they were.
 *  Line comments moved up from a header get lines of their own. */
export function printStatementLeading(node: unknown): Doc {
  const cs = statementComments(node).filter((c) => c.leading);
  if (cs.length === 0) return "";
  const parts = cs.map((c, i) => (i === 0 ? text(c) : [c.hoisted || cs[i - 1]!.hoisted ? hardline : c.breakBefore ? breakBefore(c) : " ", text(c)]));
  const last = cs[cs.length - 1]!;
  const after: Doc = last.hoisted ? hardline : last.breakAfter ? (last.blankAfter ? [hardline, hardline] : hardline) : " ";
  return [parts, after];
}

/** Whether the i-th trailing comment of a statement starts a line of its own. */
function trailingOnOwnLine(cs: readonly FmtComment[], i: number): boolean {
  const c = cs[i]!;
  const prev = cs[i - 1];
  if (prev && !prev.block) return true;
  return !c.hoisted && c.breakBefore;
}

/** A statement's trailing comments: on its last line, or on lines of their own after it. After a line
 *  comment the next one starts a new line. */
export function printStatementTrailing(node: unknown): Doc {
  const cs = statementComments(node).filter((c) => c.trailing);
  return cs.map((c, i) => [!trailingOnOwnLine(cs, i) ? " " : c.hoisted ? hardline : breakBefore(c), text(c)]);
}

/** The trailing comments printed on lines after the statement (and any after them): formatted
 *  again, they lead the next statement. */
export function ownLineTrailing(node: unknown): FmtComment[] {
  const cs = statementComments(node).filter((c) => c.trailing);
  const first = cs.findIndex((_, i) => trailingOnOwnLine(cs, i));
  return first < 0 ? [] : cs.slice(first);
}

/** Whether some trailing comment of the statement is printed on a line after it. */
export function hasOwnLineTrailing(node: unknown): boolean {
  return ownLineTrailing(node).length > 0;
}

/** Comments of an empty file or body, or those on a body's `{` line. */
export function statementDangling(node: unknown): { brace: FmtComment[]; inside: FmtComment[] } {
  const cs = commentsOf(node).filter((c) => c.stmt && !c.leading && !c.trailing);
  return { brace: cs.filter((c) => c.brace), inside: cs.filter((c) => !c.brace) };
}

export function printBrace(cs: readonly FmtComment[]): Doc {
  return cs.map((c) => [" ", text(c)]);
}

/** Block comments attached inside a statement, around the node they stick to. (Line comments
 *  inside a statement are moved to the statement, see comments.ts.) */
export function printInner(node: unknown, printed: Doc): Doc {
  const inside = (node as { kind?: string }).kind === "SelAll"; // `all(/* c */)`: printed by its printer
  const cs = commentsOf(node).filter((c) => !c.stmt && (c.leading || c.trailing || !inside));
  if (cs.length === 0) return printed;
  const before: Doc[] = [];
  const after: Doc[] = [];
  for (const c of cs) {
    if (c.leading) before.push(text(c), " ");
    else after.push(" ", text(c));
  }
  return [before, printed, after];
}

/** Block comments between the parentheses of `all( )`. */
export function printInside(node: unknown): Doc {
  const cs = commentsOf(node).filter((c) => !c.stmt && !c.leading && !c.trailing);
  return cs.map((c, i) => [i ? " " : "", text(c)]);
}

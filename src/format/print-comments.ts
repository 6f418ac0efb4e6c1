// Printing comments. The plugin prints every comment itself (`willPrintOwnComments`), from the flags
// recorded at parse time, never from the surrounding layout, which is what makes output stable.

import { doc, type Doc } from "prettier";
import { commentsOf } from "./comments.js";
import type { FmtComment } from "./comment-flags.js";

const { hardline, lineSuffix } = doc.builders;

function text(c: FmtComment): string {
  c.printed = true;
  return c.block ? c.text : c.text.trimEnd();
}

/** Line break(s) before a comment that starts a line: one, or two to keep a blank line. */
function breakBefore(c: FmtComment): Doc {
  return c.blankBefore ? [hardline, hardline] : hardline;
}

/** Comments in sequence, separated as they were (same line, next line, or after a blank line). */
export function printCommentRun(cs: readonly FmtComment[]): Doc[] {
  return cs.map((c, i) => (i === 0 ? text(c) : [c.breakBefore ? breakBefore(c) : " ", text(c)]));
}

/** A statement's leading comments, each on its own line or on the statement's line as they were. */
export function printStatementLeading(node: unknown): Doc {
  const cs = commentsOf(node).filter((c) => c.stmt && c.leading);
  if (cs.length === 0) return "";
  const last = cs[cs.length - 1]!;
  const after: Doc = last.breakAfter ? (last.blankAfter ? [hardline, hardline] : hardline) : " ";
  return [printCommentRun(cs), after];
}

/** A statement's trailing comments: on its last line, or on lines of their own after it. */
export function printStatementTrailing(node: unknown): Doc {
  const cs = commentsOf(node).filter((c) => c.stmt && c.trailing);
  return cs.map((c) => [c.breakBefore ? breakBefore(c) : " ", text(c)]);
}

/** Comments of an empty file or body, or those on a body's `{` line. */
export function statementDangling(node: unknown): { brace: FmtComment[]; inside: FmtComment[] } {
  const cs = commentsOf(node).filter((c) => c.stmt && !c.leading && !c.trailing);
  return { brace: cs.filter((c) => c.brace), inside: cs.filter((c) => !c.brace) };
}

export function printBrace(cs: readonly FmtComment[]): Doc {
  return cs.map((c) => [" ", text(c)]);
}

/** Comments attached inside a statement, around the node they belong to. A line comment after a node
 *  goes to the end of the output line (`lineSuffix`) and never forces a break. */
export function printInner(node: unknown, printed: Doc): Doc {
  const cs = commentsOf(node).filter((c) => !c.stmt);
  if (cs.length === 0) return printed;
  const before: Doc[] = [];
  const after: Doc[] = [];
  for (const c of cs) {
    if (c.leading) before.push(text(c), c.block ? " " : hardline);
    else after.push(c.block ? [" ", text(c)] : lineSuffix([" ", text(c)]));
  }
  return [before, printed, after];
}

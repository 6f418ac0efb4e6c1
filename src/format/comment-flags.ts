// What the formatter needs to know about each comment's surroundings in the original text, computed
// once at parse time: line breaks and blank lines on either side, and the comment directly before it
// (separated by whitespace only). Printing decisions use only these flags, so a formatted file, which
// keeps every flag, formats to itself.

import type * as A from "../syntax/ast.js";

export interface FmtComment extends A.Comment {
  /** The text prettier shows in "Comment was not printed" errors. */
  value: string;
  /** A newline separates this comment from the token or comment before it (true at file start). */
  breakBefore: boolean;
  blankBefore: boolean;
  /** A newline separates this comment from the token or comment after it (true at end of file). */
  breakAfter: boolean;
  blankAfter: boolean;
  /** The comment right before this one with only whitespace between, if any. */
  prevAdjacent?: FmtComment;
  /** Offset of the last non-whitespace character before the comment, plus one (0 at file start). */
  prevEnd: number;
  /** Where the attachment step put it: a statement's own comment or one inside an expression. */
  stmt?: boolean;
  /** A line comment from inside a statement, moved to the end of the statement (or above it). */
  hoisted?: boolean;
  /** Statement-level dangling comment on the `{` line of a body. */
  brace?: boolean;
  // Set by prettier's attachment.
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
}

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";

function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

export function annotateComments(comments: readonly A.Comment[], text: string): FmtComment[] {
  const out: FmtComment[] = [];
  const byEnd = new Map<number, FmtComment>();
  for (const c of comments) {
    let before = c.span.start;
    while (before > 0 && isSpace(text[before - 1])) before--;
    let after = c.span.end;
    while (after < text.length && isSpace(text[after])) after++;
    const nb = before === 0 ? 1 : newlines(text, before, c.span.start);
    const na = after === text.length ? 1 : newlines(text, c.span.end, after);
    const fc: FmtComment = {
      ...c,
      value: c.text,
      breakBefore: nb > 0,
      blankBefore: before > 0 && nb > 1,
      breakAfter: na > 0,
      blankAfter: after < text.length && na > 1,
      prevEnd: before,
    };
    const prev = byEnd.get(before);
    if (prev) fc.prevAdjacent = prev;
    byEnd.set(c.span.end, fc);
    out.push(fc);
  }
  return out;
}

/** Blank line in the whitespace right before `offset` (the previous token or comment ends before it). */
export function blankLineBefore(text: string, offset: number): boolean {
  let i = offset;
  while (i > 0 && isSpace(text[i - 1])) i--;
  return i > 0 && newlines(text, i, offset) > 1;
}

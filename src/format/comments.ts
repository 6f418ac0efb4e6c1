// Comment attachment. Prettier finds each comment's enclosing, preceding and following nodes; this
// module decides where it belongs, by rules that depend only on the comment's own flags
// (comment-flags.ts), so that formatting the output again attaches every comment the same way:
//
// * between statements (top-level items; `applies to` and rules in a body; lines of a flows block):
//   a comment on the line where a statement ends trails it; one on the `{` line of a body with nothing
//   before it in the body stays there ("brace"); any other comment leads the next statement, or trails
//   the last one, or dangles in an empty body or file;
// * inside a statement (in a selector, a peer list, a header): a block comment stays inline, stuck to
//   the next node (else the previous one); a line comment, which must end its line, moves to the end
//   of the statement (in a policy or flows header: to the line above it).

import { util, type AstPath } from "prettier";
import type * as A from "../syntax/ast.js";
import { forEachChild } from "../syntax/walk.js";
import type { FmtComment } from "./comment-flags.js";

type Node = A.AnyNode;

interface Decorated extends FmtComment {
  enclosingNode?: Node;
  precedingNode?: Node;
  followingNode?: Node;
}

const BODY_KINDS = new Set(["Policy", "Flows"]);

export function canAttachComment(node: Node): boolean {
  return typeof node === "object" && node !== null && typeof node.kind === "string" && node.kind !== "Comment" && node.kind !== "File";
}

export function getCommentChildNodes(node: Node): Node[] {
  const kids: Node[] = [];
  forEachChild(node, (c) => kids.push(c));
  return kids.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
}

export function isBlockComment(c: FmtComment): boolean {
  return c.block;
}

export function printComment(path: AstPath<FmtComment>): string {
  const c = path.node;
  return c.block ? c.text : c.text.trimEnd();
}

/** Only whitespace and comments (no line break) between `offset` and the comment. */
function sameLineAfter(c: FmtComment, offset: number): boolean {
  for (let x: FmtComment | undefined = c; x; x = x.prevAdjacent) {
    if (x.breakBefore) return false;
    if (x.prevEnd === offset) return true;
  }
  return false;
}

function placeStatementComment(c: Decorated, container: Node, prevStmt: Node | undefined, next: Node | undefined): void {
  c.stmt = true;
  const body = BODY_KINDS.has(container.kind) ? (container as A.PolicyDecl | A.FlowsBlock).bodySpan : undefined;
  if (prevStmt && sameLineAfter(c, prevStmt.span.end)) util.addTrailingComment(prevStmt, c);
  else if (body && !prevStmt && sameLineAfter(c, body.start + 1)) {
    c.brace = true;
    util.addDanglingComment(container, c, undefined);
  } else if (next) util.addLeadingComment(next, c);
  else if (prevStmt) util.addTrailingComment(prevStmt, c);
  else util.addDanglingComment(container, c, undefined);
}

/** The statement whose span holds `offset`: a top-level item, or a statement in its body. */
function statementAt(root: A.File, offset: number): Node | undefined {
  const inside = (n: Node) => n.span.start < offset && offset < n.span.end;
  const item = root.items.find(inside);
  if (item?.kind === "Policy" && offset > item.bodySpan.start) return [item.appliesTo, ...item.rules].find((n) => n && inside(n)) ?? item;
  if (item?.kind === "Flows" && offset > item.bodySpan.start) return item.flows.find(inside) ?? item;
  return item;
}

function placeInnerComment(c: Decorated, enclosing: Node, prev: Node | undefined, next: Node | undefined, root: A.File): void {
  if (c.block) {
    if (next) util.addLeadingComment(next, c);
    else if (prev) util.addTrailingComment(prev, c);
    else util.addDanglingComment(enclosing, c, undefined);
    return;
  }
  const stmt = statementAt(root, c.span.start) ?? enclosing;
  c.stmt = true;
  c.hoisted = true;
  const header = (stmt.kind === "Policy" || stmt.kind === "Flows") && c.span.start < stmt.bodySpan.start;
  if (header) util.addLeadingComment(stmt, c);
  else util.addTrailingComment(stmt, c);
}

function attach(comment: FmtComment, _text: string, _options: unknown, ast: Node): boolean {
  const c = comment as Decorated;
  const enc = c.enclosingNode;
  const prev = c.precedingNode;
  const next = c.followingNode;
  if (!enc || enc.kind === "File") {
    placeStatementComment(c, enc ?? ast, prev, next);
    return true;
  }
  if (BODY_KINDS.has(enc.kind)) {
    const body = (enc as A.PolicyDecl | A.FlowsBlock).bodySpan;
    const inBody = (n: Node | undefined) => (n && n.span.start > body.start ? n : undefined);
    if (c.span.start > body.start) {
      placeStatementComment(c, enc, inBody(prev), inBody(next));
      return true;
    }
    // In the header: never move into the body.
    placeInnerComment(c, enc, prev, inBody(next) ? undefined : next, ast as A.File);
    return true;
  }
  placeInnerComment(c, enc, prev, next, ast as A.File);
  return true;
}

export const handleComments = { ownLine: attach, endOfLine: attach, remaining: attach };

const IGNORE = /^(?:\/\/\s*prettier-ignore|\/\*\s*prettier-ignore\s*\*\/)$/;

/** `// prettier-ignore` (or `/* prettier-ignore *\/`) right before a statement keeps its source text. */
export function hasPrettierIgnore(path: AstPath<Node>): boolean {
  return isIgnored(path.node);
}

export function isIgnored(node: Node): boolean {
  const cs = (node as { comments?: FmtComment[] }).comments;
  return Boolean(cs?.some((c) => c.stmt && c.leading && isIgnoreComment(c)));
}

export function isIgnoreComment(c: FmtComment): boolean {
  return IGNORE.test(c.text.trim());
}

export function commentsOf(node: unknown): FmtComment[] {
  return ((node as { comments?: FmtComment[] } | undefined)?.comments ?? []) as FmtComment[];
}

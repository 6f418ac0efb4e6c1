// `{ … }` bodies of policies and flows blocks: statements indented one level, comments on the `{`
// line kept there, comments of an empty body inside it, `{}` when there is nothing at all.

import { doc, type Doc } from "prettier";
import type * as A from "../syntax/ast.js";
import { printStatements, type Entry } from "./layout.js";
import { printBrace, printCommentRun, statementDangling } from "./print-comments.js";

const { hardline, indent } = doc.builders;

export function printBody(container: A.PolicyDecl | A.FlowsBlock, entries: Entry[], text: string): Doc {
  const { brace, inside } = statementDangling(container);
  if (entries.length === 0 && brace.length === 0 && inside.length === 0) return "{}";
  if (entries.length === 0 && inside.length === 0 && brace.every((c) => c.block)) return ["{", printBrace(brace), " }"];
  const sorted = [...entries].sort((a, b) => a.node.span.start - b.node.span.start);
  const content: Doc = sorted.length ? printStatements(sorted, text) : inside.length ? printCommentRun(inside) : "";
  return ["{", printBrace(brace), content === "" ? "" : indent([hardline, content]), hardline, "}"];
}

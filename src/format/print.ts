// The printer's entry point: dispatch on the node kind, then put the node's inner comments around it
// (statement comments are printed by the list that holds the statement, see layout.ts).

import type { AstPath, Doc, ParserOptions } from "prettier";
import type * as A from "../syntax/ast.js";
import { printInner } from "./print-comments.js";
import { printDeclaration, printFile } from "./print-items.js";
import { printFlowPart } from "./print-flows.js";
import { printLeaf } from "./print-literals.js";
import { printPolicyPart } from "./print-policy.js";
import { printSelector } from "./print-selector.js";

export type Print = (selector?: string | number | (string | number)[]) => Doc;

function printNode(path: AstPath<A.AnyNode>, options: ParserOptions, print: Print): Doc {
  const node = path.node;
  if (node.kind === "File") return printFile(path as AstPath<A.File>, options, print);
  const d =
    printLeaf(node) ??
    printSelector(path, print) ??
    printDeclaration(path, print) ??
    printPolicyPart(path, options, print) ??
    printFlowPart(path, options, print);
  if (d === undefined) throw new Error(`polc formatter: no printer for ${node.kind}`);
  return d;
}

export function print(path: AstPath<A.AnyNode>, options: ParserOptions, print: Print): Doc {
  return printInner(path.node, printNode(path, options, print));
}

// Selectors in one canonical form: `a == "x"`, `a in {"x", "y"}`, `has(a)`, `!e`, `e && e || e`,
// explicit parentheses kept. A long `&&`/`||` chain breaks before its operators, one operand per line,
// indented one level deeper than the line it starts on.

import { doc, type AstPath, type Doc } from "prettier";
import type * as A from "../syntax/ast.js";
import { printInside } from "./print-comments.js";
import { bracketList, printAll } from "./print-literals.js";
import type { Print } from "./print.js";

const { group, indent, line } = doc.builders;

function chain(op: string, operands: Doc[]): Doc {
  const [first, ...rest] = operands;
  return group(indent([first!, ...rest.map((o) => [line, op, " ", o])]));
}

export function printSelector(path: AstPath<A.AnyNode>, print: Print): Doc | undefined {
  const node = path.node;
  switch (node.kind) {
    case "SelOr":
      return chain("||", printAll(path, print, "operands"));
    case "SelAnd":
      return chain("&&", printAll(path, print, "operands"));
    case "SelNot":
      return ["!", print("operand")];
    case "SelParen":
      return ["(", print("inner"), ")"];
    case "SelAll":
      return ["all(", printInside(node), ")"];
    case "SelHas":
      return ["has(", print("key"), ")"];
    case "SelCompare":
      return [print("key"), " ", node.op, " ", print("value")];
    case "SelIn":
      return [print("key"), node.negated ? " not in " : " in ", bracketList("{", "}", printAll(path, print, "values"))];
    case "SelRef":
      return print("name");
    case "SelNamespace":
      return ["namespace ", print("name")];
    case "SelNamespaceIn":
      return ["namespace in ", node.ref ? print("ref") : bracketList("{", "}", printAll(path, print, "values"))];
    case "SelNamespaceLabels":
      return ["namespace(", print("selector"), ")"];
    case "SelRaw":
      return ["selector(", print("text"), ")"];
    default:
      return undefined;
  }
}

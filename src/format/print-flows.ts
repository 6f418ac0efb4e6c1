// Flows: `A -> B : S`. In a flows block (and in runs of `flow` declarations) the arrows and colons of
// consecutive flows line up; a flow too long for the line breaks before `->` and `:`.

import { doc, type AstPath, type Doc, type ParserOptions } from "prettier";
import type * as A from "../syntax/ast.js";
import { alignOn, flowColumns, padOf, setPads } from "./align.js";
import { alignColumns, spaces } from "./layout.js";
import { printBody } from "./print-body.js";
import { commaFill, printAll } from "./print-literals.js";
import type { Print } from "./print.js";

const { group, indent, line } = doc.builders;

function printFlows(path: AstPath<A.FlowsBlock>, options: ParserOptions, print: Print): Doc {
  const f = path.node;
  if (alignOn(options)) {
    const available = options.printWidth - options.tabWidth;
    const pads = alignColumns(f.flows, options.originalText, () => "flow", (flow, i) =>
      flowColumns(flow, (k) => (k === "services" ? printAll(path, print, "flows", i, "services") : [print(["flows", i, k])]), available),
    );
    for (const [flow, p] of pads) setPads(flow, p);
  }
  const docs = printAll(path, print, "flows");
  const entries = f.flows.map((node, i) => ({ node, doc: docs[i]! }));
  return [f.staged ? [print("staged"), " "] : "", "flows in ", print("tier"), " ", printBody(f, entries, options.originalText)];
}

export function printFlowPart(path: AstPath<A.AnyNode>, options: ParserOptions, print: Print): Doc | undefined {
  const node = path.node;
  switch (node.kind) {
    case "Flows":
      return printFlows(path as AstPath<A.FlowsBlock>, options, print);
    case "Flow":
      return group([
        print("from"),
        spaces(padOf(node, 0)),
        indent([line, "-> ", print("to"), spaces(padOf(node, 1)), line, ": ", commaFill(printAll(path, print, "services"))]),
      ]);
    case "FlowDecl":
      return group([node.staged ? [print("staged"), " "] : "", "flow ", print("flow"), node.tier ? [" in ", print("tier")] : ""]);
    default:
      return undefined;
  }
}

// Guardrails and policies: the header on one line, then `applies to` and rules in source order.
// A rule that does not fit moves `from`/`to` to lines of their own; long service and peer lists
// continue under their first item.

import { doc, type AstPath, type Doc, type ParserOptions } from "prettier";
import type * as A from "../syntax/ast.js";
import { printBody } from "./print-body.js";
import { commaFill, printAll } from "./print-literals.js";
import type { Entry } from "./layout.js";
import type { Print } from "./print.js";

const { align, group, indent, line } = doc.builders;

function printPolicy(path: AstPath<A.PolicyDecl>, options: ParserOptions, print: Print): Doc {
  const p = path.node;
  const entries: Entry[] = [];
  if (p.appliesTo) entries.push({ node: p.appliesTo, doc: print("appliesTo") });
  const rules = printAll(path, print, "rules");
  p.rules.forEach((node, i) => entries.push({ node, doc: rules[i]! }));
  return [
    p.staged ? [print("staged"), " "] : "",
    p.flavor,
    " ",
    print("name"),
    " in ",
    print("tier"),
    p.namespace ? [" namespace ", print("namespace")] : "",
    p.order ? [" order ", print("order")] : "",
    " ",
    printBody(p, entries, options.originalText),
  ];
}

function printRule(path: AstPath<A.Rule>, print: Print): Doc {
  const r = path.node;
  const head = `${r.direction} ${r.action}`;
  return group([
    head,
    r.services.length ? [" ", align(head.length + 1, commaFill(printAll(path, print, "services")))] : "",
    r.from ? indent([line, "from ", print("from")]) : "",
    r.to ? indent([line, "to ", print("to")]) : "",
  ]);
}

/** Columns taken by the keyword in front of a peer (`from `, `to `, `-> `). */
function peerLead(path: AstPath<A.Peer>): number {
  const parent = path.parent as A.AnyNode | null;
  if (parent?.kind === "Rule") return path.key === "from" ? 5 : 3;
  if (parent?.kind === "Flow") return path.key === "to" ? 3 : 0;
  return 0;
}

function printPeer(path: AstPath<A.Peer>, print: Print): Doc {
  const p = path.node;
  return group([
    align(peerLead(path), commaFill(printAll(path, print, "items"))),
    p.except.length ? [line, "except ", align(7, commaFill(printAll(path, print, "except")))] : "",
  ]);
}

export function printPolicyPart(path: AstPath<A.AnyNode>, options: ParserOptions, print: Print): Doc | undefined {
  const node = path.node;
  switch (node.kind) {
    case "Policy":
      return printPolicy(path as AstPath<A.PolicyDecl>, options, print);
    case "AppliesTo":
      return group(["applies to ", print("selector"), node.except ? indent([line, "except ", print("except")]) : ""]);
    case "Rule":
      return printRule(path as AstPath<A.Rule>, print);
    case "Peer":
      return printPeer(path as AstPath<A.Peer>, print);
    case "PeerItem":
      return [node.negated ? "not " : "", print("target")];
    case "NameRef":
      return print("name");
    default:
      return undefined;
  }
}

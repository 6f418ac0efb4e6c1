// Generic traversal of the AST: the child keys of every node kind, in source order.

import type { AnyNode } from "./ast.js";

/** Child-bearing properties of each node kind, in the order they appear in the source. */
export const CHILD_KEYS: Readonly<Record<AnyNode["kind"], readonly string[]>> = {
  File: ["items"],
  Import: ["path"],
  Tier: ["name", "order"],
  Group: ["name", "value"],
  Namespaces: ["name", "values"],
  Net: ["name", "items"],
  Service: ["name", "items"],
  Policy: ["staged", "name", "tier", "namespace", "order", "appliesTo", "rules"],
  Flows: ["staged", "tier", "flows"],
  FlowDecl: ["staged", "flow", "tier"],
  Flow: ["from", "to", "services"],
  AppliesTo: ["selector", "except"],
  Rule: ["services", "from", "to"],
  Peer: ["items", "except"],
  PeerItem: ["target"],
  NameRef: ["name"],
  SelOr: ["operands"],
  SelAnd: ["operands"],
  SelNot: ["operand"],
  SelParen: ["inner"],
  SelAll: [],
  SelHas: ["key"],
  SelCompare: ["key", "value"],
  SelIn: ["key", "values"],
  SelRef: ["name"],
  SelNamespace: ["name"],
  SelNamespaceIn: ["ref", "values"],
  SelNamespaceLabels: ["selector"],
  SelRaw: ["text"],
  Comment: [],
  Ident: [],
  String: [],
  Number: [],
  Cidr: [],
  PortSpec: [],
  LabelKey: [],
  Keyword: [],
};

/** Calls `fn` on each direct child node of `node`, in source order. */
export function forEachChild(node: AnyNode, fn: (child: AnyNode) => void): void {
  const rec = node as unknown as Record<string, unknown>;
  for (const key of CHILD_KEYS[node.kind]) {
    const v = rec[key];
    if (Array.isArray(v)) for (const c of v) fn(c as AnyNode);
    else if (v && typeof v === "object" && "kind" in v) fn(v as AnyNode);
  }
}

/** Depth-first pre-order walk (iterative, so deep trees cannot overflow the stack). Return `false`
 *  from `fn` to skip a node's children. */
export function walk(root: AnyNode, fn: (node: AnyNode) => boolean | void): void {
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (fn(n) === false) continue;
    const kids: AnyNode[] = [];
    forEachChild(n, (c) => kids.push(c));
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

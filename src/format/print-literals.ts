// Leaves and lists: names, strings, numbers, addresses, port specs; comma lists that fill lines.

import { doc, type AstPath, type Doc } from "prettier";
import type * as A from "../syntax/ast.js";

const { fill, group, indent, join, line, softline } = doc.builders;

/** A string literal in its one canonical spelling: double quotes, `\"` and `\\` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function printLeaf(node: A.AnyNode): Doc | undefined {
  switch (node.kind) {
    case "Ident":
      return node.name;
    case "String":
      return quote(node.value);
    case "Number":
      return node.text;
    case "Cidr":
      return node.text;
    case "PortSpec":
      return node.text;
    case "LabelKey":
      return node.name;
    case "Keyword":
      return node.text;
    default:
      return undefined;
  }
}

/** `a, b, c`, packing as many items per line as fit. */
export function commaFill(items: Doc[]): Doc {
  const parts: Doc[] = [];
  items.forEach((d, i) => {
    if (i > 0) parts.push(line);
    parts.push(i < items.length - 1 ? [d, ","] : d);
  });
  return fill(parts);
}

/** `open a, b close` on one line, or one item per line, indented, when it does not fit. */
export function bracketList(open: string, close: string, items: Doc[]): Doc {
  if (items.length === 0) return open + close;
  return group([open, indent([softline, join([",", line], items)]), softline, close]);
}

/** Prints every node of the array found by following `keys` from the current node. */
export function printAll(path: AstPath<unknown>, print: () => Doc, ...keys: (string | number)[]): Doc[] {
  return (path as AstPath<any>).map(() => print(), ...(keys as [string])); // eslint-disable-line @typescript-eslint/no-explicit-any
}

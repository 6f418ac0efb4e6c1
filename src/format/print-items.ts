// The file and its declarations: import, tier, group, namespaces, net, service. Consecutive
// declarations of one kind align their `=` (tiers: their `order` and `default` columns).

import { doc, type AstPath, type Doc, type ParserOptions } from "prettier";
import type * as A from "../syntax/ast.js";
import { alignColumns, flatWidth, printStatements, spaces } from "./layout.js";
import { alignOn, flowColumns, padOf, setPads } from "./align.js";
import { printCommentRun, statementDangling } from "./print-comments.js";
import { bracketList, commaFill, printAll } from "./print-literals.js";
import type { Print } from "./print.js";

const { group, hardline, indent, line } = doc.builders;

function itemKey(item: A.Item): string | undefined {
  switch (item.kind) {
    case "Tier":
    case "Group":
    case "Namespaces":
    case "Net":
    case "Service":
      return item.kind;
    case "FlowDecl":
      return `flow${item.staged ? " staged" : ""}${item.tier ? " in" : ""}`;
    default:
      return undefined;
  }
}

function computePads(path: AstPath<A.File>, options: ParserOptions, print: Print): void {
  if (!alignOn(options)) return;
  const items = path.node.items;
  const w = (i: number, ...keys: string[]) => flatWidth(print(["items", i, ...keys]));
  const pads = alignColumns(items, options.originalText, itemKey, (item, i) => {
    switch (item.kind) {
      case "Tier":
        return [w(i, "name"), item.order ? w(i, "order") : 0];
      case "FlowDecl": {
        const prefix = (item.staged ? 7 : 0) + 5 + (item.tier ? 4 + (flatWidth(print(["items", i, "tier"])) ?? Infinity) : 0);
        return flowColumns(item.flow, (k) => (k === "services" ? printAll(path, print, "items", i, "flow", "services") : [print(["items", i, "flow", k])]), options.printWidth - prefix);
      }
      default:
        return [w(i, "name")];
    }
  });
  for (const [item, p] of pads) setPads(item.kind === "FlowDecl" ? item.flow : item, p);
}

export function printFile(path: AstPath<A.File>, options: ParserOptions, print: Print): Doc {
  computePads(path, options, print);
  const docs = printAll(path, print, "items");
  const entries = path.node.items.map((node, i) => ({ node, doc: docs[i]! }));
  const { inside } = statementDangling(path.node);
  if (entries.length === 0 && inside.length === 0) return "";
  return [entries.length ? printStatements(entries, options.originalText) : printCommentRun(inside), hardline];
}

const assign = (keyword: string, path: AstPath<A.AnyNode>, print: Print): Doc => [keyword, " ", print("name"), spaces(padOf(path.node, 0)), " ="];

export function printDeclaration(path: AstPath<A.AnyNode>, print: Print): Doc | undefined {
  const node = path.node;
  switch (node.kind) {
    case "Import":
      return ["import ", print("path")];
    case "Tier": {
      const more = Boolean(node.order || node.defaultAction);
      return [
        "tier ",
        print("name"),
        more ? spaces(padOf(node, 0)) : "",
        node.order ? [" order ", print("order"), node.defaultAction ? spaces(padOf(node, 1)) : ""] : "",
        node.defaultAction ? [" default ", node.defaultAction.value] : "",
      ];
    }
    case "Group":
      return [assign("group", path, print), " ", print("value")];
    case "Namespaces":
      return [assign("namespaces", path, print), " ", bracketList("[", "]", printAll(path, print, "values"))];
    case "Net":
      return [assign("net", path, print), group(indent([line, commaFill(printAll(path, print, "items"))]))];
    case "Service":
      return [assign("service", path, print), group(indent([line, commaFill(printAll(path, print, "items"))]))];
    default:
      return undefined;
  }
}

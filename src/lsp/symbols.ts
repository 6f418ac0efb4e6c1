// Document symbols: the outline of one file — declarations, policies with their rules, flows.

import { SymbolKind, type DocumentSymbol } from "vscode-languageserver/node";
import type { File, FlowLine, Item, Rule } from "../syntax/ast.js";
import type { SourceFile, Span } from "../source.js";
import { spanToRange } from "./positions.js";

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function sym(file: SourceFile, name: string, kind: SymbolKind, span: Span, selection: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const range = spanToRange(file, span);
  const sel = spanToRange(file, selection.start >= span.start && selection.end <= span.end ? selection : span);
  return { name: name || "?", kind, range, selectionRange: sel, ...(detail ? { detail } : {}), ...(children ? { children } : {}) };
}

function ruleSymbol(file: SourceFile, r: Rule): DocumentSymbol {
  return sym(file, collapse(file.text.slice(r.span.start, r.span.end)), SymbolKind.Event, r.span, r.span);
}

function flowSymbol(file: SourceFile, f: FlowLine): DocumentSymbol {
  return sym(file, collapse(file.text.slice(f.span.start, f.span.end)), SymbolKind.Event, f.span, f.span);
}

function itemSymbol(file: SourceFile, item: Item): DocumentSymbol | undefined {
  switch (item.kind) {
    case "Import":
      return undefined;
    case "Tier":
      return sym(file, item.name.name, SymbolKind.Package, item.span, item.name.span, `tier${item.order ? ` order ${item.order.text}` : ""}${item.defaultAction ? ` default ${item.defaultAction.value}` : ""}`);
    case "Group":
      return sym(file, item.name.name, SymbolKind.Class, item.span, item.name.span, "group");
    case "Namespaces":
      return sym(file, item.name.name, SymbolKind.Enum, item.span, item.name.span, "namespaces");
    case "Net":
      return sym(file, item.name.name, SymbolKind.Constant, item.span, item.name.span, "net");
    case "Service":
      return sym(file, item.name.name, SymbolKind.Interface, item.span, item.name.span, "service");
    case "Policy":
      return sym(file, item.name.name, SymbolKind.Function, item.span, item.name.span, `${item.staged ? "staged " : ""}${item.flavor} in ${item.tier.name}`, item.rules.map((r) => ruleSymbol(file, r)));
    case "Flows":
      return sym(file, `flows in ${item.tier.name}`, SymbolKind.Module, item.span, item.tier.span, item.staged ? "staged" : undefined, item.flows.map((f) => flowSymbol(file, f)));
    case "FlowDecl":
      return sym(file, collapse(file.text.slice(item.flow.span.start, item.flow.span.end)), SymbolKind.Event, item.span, item.flow.span, `flow${item.tier ? ` in ${item.tier.name}` : ""}`);
  }
}

export function documentSymbols(file: SourceFile, ast: File): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const item of ast.items) {
    const s = itemSymbol(file, item);
    if (s) out.push(s);
  }
  return out;
}

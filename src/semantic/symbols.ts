// The symbol table: every declared (or predeclared) name, every reference to it, and the policies,
// for go-to-definition, find-references and hover in the language tooling.

import type { GroupDecl, NamespacesDecl, NetDecl, PolicyDecl, ServiceDecl, TierDecl } from "../syntax/ast.js";
import type { Span } from "../source.js";

export type SymbolKind = "tier" | "group" | "namespaces" | "net" | "service";

export type Declaration = TierDecl | GroupDecl | NamespacesDecl | NetDecl | ServiceDecl;

export interface PolSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  /** Undefined for predeclared names (`tcp`, `icmp`, the built-in tier `default`). */
  readonly decl?: Declaration;
  /** The name in its declaration. */
  readonly nameSpan?: Span;
  /** Display path of the declaring file. */
  readonly file?: string;
  readonly origin: "project" | "stdlib" | "builtin";
}

export interface Reference {
  readonly span: Span;
  readonly symbol: PolSymbol;
}

export interface PolicySymbol {
  readonly name: string;
  readonly flavor: "guardrail" | "policy";
  readonly tier: string;
  readonly namespace?: string;
  readonly staged: boolean;
  readonly decl: PolicyDecl;
  readonly nameSpan: Span;
  readonly file: string;
}

export class SymbolTable {
  private readonly byName = new Map<string, PolSymbol>();
  readonly references: Reference[] = [];
  readonly policies: PolicySymbol[] = [];

  /** Adds a symbol; returns the existing one instead when the name is taken. */
  declare(sym: PolSymbol): PolSymbol | undefined {
    const existing = this.byName.get(sym.name);
    if (existing) return existing;
    this.byName.set(sym.name, sym);
    return undefined;
  }

  lookup(name: string): PolSymbol | undefined {
    return this.byName.get(name);
  }

  /** Every symbol, sorted by name. */
  all(): PolSymbol[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  names(kinds?: readonly SymbolKind[]): string[] {
    return this.all()
      .filter((s) => !kinds || kinds.includes(s.kind))
      .map((s) => s.name);
  }

  addReference(span: Span, symbol: PolSymbol): void {
    this.references.push({ span, symbol });
  }

  referencesTo(symbol: PolSymbol): Reference[] {
    return this.references.filter((r) => r.symbol === symbol);
  }

  /** The symbol whose declaration name or reference covers `offset` in `file`. */
  at(file: string, offset: number): PolSymbol | undefined {
    const covers = (s: Span | undefined) => s !== undefined && s.file === file && s.start <= offset && offset <= s.end;
    for (const r of this.references) if (covers(r.span)) return r.symbol;
    for (const s of this.byName.values()) if (covers(s.nameSpan)) return s;
    return undefined;
  }
}

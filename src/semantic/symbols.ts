// The symbol table: every declared (or predeclared) name, every reference to it, and the policies,
// for go-to-definition, find-references and hover in the language tooling.

import type { GroupDecl, NamespacesDecl, NetDecl, PolicyDecl, ServiceDecl, TierDecl } from "../syntax/ast.js";
import type { Span } from "../source.js";
import { suggest } from "../diag/suggest.js";

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

const counts = new Int32Array(1 << 16);

/** Sum over characters (UTF-16 code units) of the difference of their counts in `a` and `b`, or some
 *  value above `cap` as soon as it exceeds it. */
function histogramDistance(a: string, b: string, cap: number): number {
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i)]!++;
  for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i)]!--;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    d += Math.abs(counts[c]!);
    counts[c] = 0;
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    d += Math.abs(counts[c]!);
    counts[c] = 0;
  }
  return d > cap ? cap + 1 : d;
}

export class SymbolTable {
  private readonly byName = new Map<string, PolSymbol>();
  readonly references: Reference[] = [];
  readonly policies: PolicySymbol[] = [];
  /** Caches over the declared names, dropped at every declaration. */
  private sorted: PolSymbol[] | undefined;
  private readonly lowered = new Map<string, { name: string; lower: string }[]>();
  private readonly suggested = new Map<string, string[]>();

  /** Adds a symbol; returns the existing one instead when the name is taken. */
  declare(sym: PolSymbol): PolSymbol | undefined {
    const existing = this.byName.get(sym.name);
    if (existing) return existing;
    this.byName.set(sym.name, sym);
    this.sorted = undefined;
    this.lowered.clear();
    this.suggested.clear();
    return undefined;
  }

  lookup(name: string): PolSymbol | undefined {
    return this.byName.get(name);
  }

  /** Every symbol, sorted by name. */
  all(): PolSymbol[] {
    this.sorted ??= [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...this.sorted];
  }

  names(kinds?: readonly SymbolKind[]): string[] {
    return this.all()
      .filter((s) => !kinds || kinds.includes(s.kind))
      .map((s) => s.name);
  }

  /**
   * `suggest(name, this.names(kinds))`, memoised, and without running the edit distance against every
   * name: a name within suggest's distance limit of `name` (case-insensitive) has a length within the
   * limit and a character histogram at most twice the limit apart (each edit changes at most two
   * counts), so only those are handed to suggest, which ranks them exactly as before.
   */
  suggest(name: string, kinds?: readonly SymbolKind[]): string[] {
    const kindsKey = kinds ? kinds.join(",") : "*";
    const key = `${kindsKey}\u0000${name}`;
    const hit = this.suggested.get(key);
    if (hit) return [...hit];
    let list = this.lowered.get(kindsKey);
    if (!list) {
      list = this.names(kinds).map((n) => ({ name: n, lower: n.toLowerCase() }));
      this.lowered.set(kindsKey, list);
    }
    const lower = name.toLowerCase();
    const limit = Math.max(1, Math.floor(name.length / 3));
    const close: string[] = [];
    for (const c of list) {
      if (Math.abs(c.lower.length - lower.length) > limit) continue;
      if (histogramDistance(c.lower, lower, 2 * limit) > 2 * limit) continue;
      close.push(c.name);
    }
    const out = suggest(name, close);
    this.suggested.set(key, out);
    return [...out];
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

// State shared by the checker's passes: the reporter, the symbol table, name lookup with "did you
// mean" and type errors, and memoised resolution of declarations with cycle detection.

import type { Ident } from "../syntax/ast.js";
import type { SourceMap, Span } from "../source.js";
import type { Sel } from "../selector/ast.js";
import type { Labels } from "../selector/ast.js";
import type { ResolvedNet, ResolvedService } from "./model.js";
import { Reporter } from "./report.js";
import { SymbolTable, type PolSymbol, type SymbolKind } from "./symbols.js";
import { expectedNoun, kindMeaning, kindNoun } from "./kinds.js";

export type Origin = "project" | "stdlib";

/** A label key (and value) written somewhere in a selector: input of the typo guard and the
 *  inventory check. `key` is the effective key (namespace labels carry the `pcns.` prefix). */
export interface LabelUse {
  readonly key: string;
  readonly writtenKey: string;
  readonly value?: string;
  readonly op: "has" | "eq" | "ne" | "in" | "notIn" | "contains" | "startsWith" | "endsWith";
  readonly keySpan: Span;
  readonly valueSpan?: Span;
  /** True when written inside a raw `selector("…")` (spans then cover the whole string). */
  readonly raw: boolean;
}

/** A selector to test for satisfiability once everything is resolved. */
export interface SelUse {
  readonly sel: Sel;
  readonly span: Span;
  /** "group `web`", "`applies to` of `dns`", "peer" */
  readonly what: string;
}

export interface CheckOptions {
  /** Label maps of the cluster's objects (effective labels), for "no object has this label". */
  inventoryLabels?: readonly Labels[];
}

export class Ctx {
  readonly report = new Reporter();
  readonly symbols = new SymbolTable();
  readonly labelUses: LabelUse[] = [];
  readonly selUses: SelUse[] = [];
  /** Set when a tier name could not be resolved (the unused-tier warning is then unreliable). */
  unknownTier = false;
  /** Memoised declarations (undefined = could not be resolved; the error is already reported). */
  readonly groups = new Map<PolSymbol, Sel | undefined>();
  readonly namespaceLists = new Map<PolSymbol, string[] | undefined>();
  readonly nets = new Map<PolSymbol, ResolvedNet | undefined>();
  readonly services = new Map<PolSymbol, ResolvedService | undefined>();
  private readonly resolving: { sym: PolSymbol; via?: Span }[] = [];
  private readonly failed = new Set<PolSymbol>();

  constructor(
    readonly sources: SourceMap,
    readonly origins: ReadonlyMap<string, Origin>,
    /** Names declared by standard-library modules, loaded or not: name -> `std/<module>`. */
    readonly stdlibIndex: ReadonlyMap<string, string>,
    readonly options: CheckOptions,
  ) {}

  originOf(file: string): Origin {
    return this.origins.get(file) ?? "project";
  }

  /** Resolves `ident` to a symbol of one of `expected` kinds, reporting unknown names and wrong kinds. */
  lookup(ident: Ident, expected: readonly SymbolKind[], opts: { wrongKindHelp?: (sym: PolSymbol) => string | undefined; where?: string } = {}): PolSymbol | undefined {
    if (ident.recovered) return undefined;
    const sym = this.symbols.lookup(ident.name);
    if (!sym) {
      this.unknownName(ident, expected, opts.where);
      return undefined;
    }
    this.symbols.addReference(ident.span, sym);
    if (!expected.includes(sym.kind)) {
      const help = opts.wrongKindHelp?.(sym) ?? `${kindMeaning(sym.kind)}; use ${expectedNoun(expected)} here`;
      this.report.emit("POL1030", ident.span, `expected ${expectedNoun(expected)}, found ${kindNoun(sym.kind)} \`${sym.name}\``, {
        label: `this is ${kindNoun(sym.kind)}`,
        secondary: sym.nameSpan ? [{ span: sym.nameSpan, message: `\`${sym.name}\` is declared here` }] : undefined,
        help,
      });
      return undefined;
    }
    return sym;
  }

  private unknownName(ident: Ident, expected: readonly SymbolKind[], where?: string): void {
    const name = ident.name;
    const isTier = expected.length === 1 && expected[0] === "tier";
    const code = isTier ? "POL1021" : "POL1020";
    if (isTier) this.unknownTier = true;
    const noun = isTier ? "tier" : "name";
    const typed = this.symbols.suggest(name, expected);
    const notes: string[] = [];
    let help: string;
    const std = this.stdlibIndex.get(name);
    if (typed.length > 0) help = didYouMeanText(typed);
    else if (std && !isTier) help = `\`${name}\` is declared in the standard library: add \`import "${std}"\``;
    else {
      const other = this.symbols.suggest(name);
      if (isTier) help = `declare it, e.g. \`tier ${name} order 500 default pass\``;
      else help = `declare ${expectedNoun(expected)} named \`${name}\`, or import the file that declares it`;
      if (other.length > 0) {
        // A close name of another kind cannot be used here: say so instead of offering it as the fix.
        const s = this.symbols.lookup(other[0]!)!;
        notes.push(`\`${s.name}\` is ${kindNoun(s.kind)}, which cannot be used here`);
      }
    }
    if (isTier && (name === "kube-admin" || name === "kube-baseline")) {
      notes.push(`\`${name}\` is a Calico built-in tier for Kubernetes ClusterNetworkPolicy (Calico v3.32 and later); polc does not put policies in it`);
    }
    this.report.emit(code, ident.span, `unknown ${noun} \`${name}\``, {
      label: where ? `expected ${expectedNoun(expected)} ${where}` : `expected ${expectedNoun(expected)}`,
      notes,
      help,
      // One close name of the right kind: editors offer the replacement as a quick fix.
      ...(typed.length === 1 ? { fix: { title: `replace with \`${typed[0]}\``, edits: [{ span: ident.span, newText: typed[0]! }] } } : {}),
    });
  }

  /**
   * Memoised resolution of a declaration with cycle detection. `compute` resolves the declaration's
   * own references (calling `resolve` again for each); a cycle is reported once, at the declaration
   * where it was entered, and every member of the cycle resolves to undefined.
   */
  resolve<T>(cache: Map<PolSymbol, T | undefined>, sym: PolSymbol, via: Span | undefined, compute: () => T | undefined): T | undefined {
    if (cache.has(sym)) return cache.get(sym);
    if (this.failed.has(sym)) return undefined;
    const at = this.resolving.findIndex((r) => r.sym === sym);
    if (at >= 0) {
      const chain = this.resolving.slice(at);
      const names = [...chain.map((c) => `\`${c.sym.name}\``), `\`${sym.name}\``].join(" -> ");
      const secondary = chain
        .slice(1)
        .map((c) => c.via)
        .concat(via ? [via] : [])
        .filter((s): s is Span => s !== undefined)
        .map((span) => ({ span, message: "refers to the next name in the cycle" }));
      this.report.emit("POL1032", sym.nameSpan!, `${kindNoun(sym.kind).replace(/^an? /, "")} \`${sym.name}\` refers to itself: ${names}`, {
        label: "this declaration is part of a reference cycle",
        secondary,
        help: "break the cycle: a declaration may use other declarations, but never (through them) itself",
      });
      for (const c of chain) this.failed.add(c.sym);
      return undefined;
    }
    this.resolving.push({ sym, via });
    let value: T | undefined;
    try {
      value = compute();
    } finally {
      this.resolving.pop();
    }
    if (this.failed.has(sym)) value = undefined;
    cache.set(sym, value);
    return value;
  }
}

export function didYouMeanText(names: readonly string[]): string {
  if (names.length === 1) return `did you mean \`${names[0]}\`?`;
  return `did you mean one of ${names.map((n) => `\`${n}\``).join(", ")}?`;
}

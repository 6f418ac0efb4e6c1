// Namespace scoping of selectors. A Model selector names namespaces through the endpoint label
// `projectcalico.org/namespace`; Calico scopes rule selectors with a separate `namespaceSelector` (and a
// NetworkPolicy implicitly with its own namespace). These helpers move top-level namespace tests
// ("pins") out of a selector into an `IrScope`, which is exact: on a workload endpoint,
// `projectcalico.org/namespace == "x"` holds iff its namespace is `x` (calico-reference.md §c.6, §c.7).

import { NAMESPACE_LABEL, NAMESPACE_LABEL_PREFIX, type Sel } from "../selector/ast.js";
import type { IrScope, IrSelector } from "./types.js";

export const ALL: Sel = { op: "all" };

/** A top-level conjunct that confines the endpoint to a set of namespaces. */
interface Pin {
  readonly values: readonly string[];
  readonly sel: Sel;
}

function pinOf(s: Sel): Pin | undefined {
  if (s.op === "eq" && s.key === NAMESPACE_LABEL) return { values: [s.value], sel: s };
  if (s.op === "in" && s.key === NAMESPACE_LABEL) return { values: [...new Set(s.values)].sort(), sel: s };
  return undefined;
}

/** The conjuncts of `sel` (nested ANDs flattened): pins and the rest, in order. */
function conjuncts(sel: Sel): { pins: Pin[]; rest: Sel[] } {
  const pins: Pin[] = [];
  const rest: Sel[] = [];
  const walk = (s: Sel): void => {
    if (s.op === "and") {
      for (const a of s.args) walk(a);
      return;
    }
    const p = pinOf(s);
    if (p) pins.push(p);
    else rest.push(s);
  };
  walk(sel);
  return { pins, rest };
}

/** AND of the given conjuncts, rebuilt; `all()` when there is none. */
export function andOf(parts: readonly Sel[]): Sel {
  const kept = parts.filter((p) => p.op !== "all");
  if (kept.length === 0) return ALL;
  if (kept.length === 1) return kept[0]!;
  return { op: "and", args: [...kept] };
}

/** True when `sel` has top-level namespace tests. */
function hasPins(sel: Sel): boolean {
  return conjuncts(sel).pins.length > 0;
}

/** Cluster-wide selector → scoped selector: namespace pins become the scope, the rest stays. */
export function scopeSelector(sel: Sel): IrSelector {
  if (!hasPins(sel)) return { sel, scope: { kind: "all-namespaces" } };
  const { pins, rest } = conjuncts(sel);
  let names = new Set(pins[0]!.values);
  for (const p of pins.slice(1)) names = new Set(p.values.filter((v) => names.has(v)));
  return { sel: andOf(rest), scope: { kind: "namespaces", names: [...names].sort() } };
}

/** The subject of a NetworkPolicy in `namespace`: pins that allow `namespace` are redundant with
 *  Calico's own namespace test and are dropped; other pins stay (they make the subject empty). */
export function namespacedSubject(sel: Sel, namespace: string): IrSelector {
  const { pins, rest } = conjuncts(sel);
  if (pins.length === 0) return { sel, scope: { kind: "namespaces", names: [namespace] } };
  const kept = pins.filter((p) => !p.values.includes(namespace)).map((p) => p.sel);
  return { sel: andOf([...kept, ...rest]), scope: { kind: "namespaces", names: [namespace] } };
}

/** The one namespace a scope confines to, if exactly one. */
export function singleNamespace(scope: IrScope): string | undefined {
  return scope.kind === "namespaces" && scope.names.length === 1 ? scope.names[0] : undefined;
}

/** The Sel an `IrScope` stands for over effective endpoint labels (for evaluators and the analysis). */
export function scopeAsSel(scope: IrScope): Sel {
  if (scope.kind === "all-namespaces") return { op: "has", key: NAMESPACE_LABEL };
  if (scope.names.length === 1) return { op: "eq", key: NAMESPACE_LABEL, value: scope.names[0]! };
  return { op: "in", key: NAMESPACE_LABEL, values: [...scope.names] };
}

/** The whole meaning of an `IrSelector` as one Sel over effective endpoint labels. */
export function irSelectorAsSel(s: IrSelector): Sel {
  return andOf([scopeAsSel(s.scope), s.sel]);
}

/** True when every endpoint matching `sel` must have a namespace (a namespace or `pcns.` label test
 *  is required). Conservative: false when unsure. */
export function impliesNamespaced(sel: Sel): boolean {
  switch (sel.op) {
    case "eq":
    case "contains":
    case "startsWith":
    case "endsWith":
    case "has":
      return sel.key === NAMESPACE_LABEL || sel.key.startsWith(NAMESPACE_LABEL_PREFIX);
    case "in":
      return sel.key === NAMESPACE_LABEL || sel.key.startsWith(NAMESPACE_LABEL_PREFIX);
    case "and":
      return sel.args.some(impliesNamespaced);
    case "or":
      return sel.args.length > 0 && sel.args.every(impliesNamespaced);
    default:
      return false;
  }
}

export function sameScope(a: IrScope, b: IrScope): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "namespaces" && b.kind === "namespaces") return a.names.join("\u0000") === b.names.join("\u0000");
  return true;
}

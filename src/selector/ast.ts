// The Calico selector AST: the typed, semantic form of a label selector, exactly as Calico's parser
// (libcalico-go/lib/selector/parser) structures it. Both the `.pol` front end (after name resolution)
// and the Calico-string parser produce it; the canonical printer, the evaluator, the analysis and
// both emitters consume it.
//
// Structure rules (they decide the canonical string, see calico-reference.md §c.4):
// - `and` / `or` are n-ary; a parenthesised group in the source is its own node (never flattened into
//   its parent), so `(a && b) && c` is and[and[a,b], c].
// - `not` over `not` collapses (parity), so `!!e` is `e`.
// - `in` / `notIn` keep the values as written; the canonical printer sorts and de-duplicates them.

export type Sel =
  | { op: "all" }
  | { op: "global" }
  | { op: "has"; key: string }
  | { op: "eq" | "ne" | "contains" | "startsWith" | "endsWith"; key: string; value: string }
  | { op: "in" | "notIn"; key: string; values: string[] }
  | { op: "not"; arg: Sel }
  | { op: "and" | "or"; args: Sel[] };

/** Effective labels of an endpoint (or namespace / service account) as a flat map. Missing key = absent. */
export type Labels = Readonly<Record<string, string>>;

/** Label keys Calico adds to endpoints (calico-reference.md §c.7). */
export const NAMESPACE_LABEL = "projectcalico.org/namespace";
export const SERVICE_ACCOUNT_LABEL = "projectcalico.org/serviceaccount";
export const ORCHESTRATOR_LABEL = "projectcalico.org/orchestrator";
/** Namespace labels appear on endpoints with this prefix; service-account labels with `pcsa.`. */
export const NAMESPACE_LABEL_PREFIX = "pcns.";
export const SERVICE_ACCOUNT_LABEL_PREFIX = "pcsa.";

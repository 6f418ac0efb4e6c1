// Calico's selector semantics over a label map (calico-reference.md §c.3): `!=` and `not in` also
// match when the label is absent; `has` needs presence; everything else needs presence and a match.

import type { Labels, Sel } from "./ast.js";

export function evaluate(sel: Sel, labels: Labels): boolean {
  switch (sel.op) {
    case "all":
    case "global":
      return true;
    case "has":
      return Object.hasOwn(labels, sel.key);
    case "eq":
      return Object.hasOwn(labels, sel.key) && labels[sel.key] === sel.value;
    case "ne":
      return !Object.hasOwn(labels, sel.key) || labels[sel.key] !== sel.value;
    case "in":
      return Object.hasOwn(labels, sel.key) && sel.values.includes(labels[sel.key]!);
    case "notIn":
      return !Object.hasOwn(labels, sel.key) || !sel.values.includes(labels[sel.key]!);
    case "contains":
      return Object.hasOwn(labels, sel.key) && labels[sel.key]!.includes(sel.value);
    case "startsWith":
      return Object.hasOwn(labels, sel.key) && labels[sel.key]!.startsWith(sel.value);
    case "endsWith":
      return Object.hasOwn(labels, sel.key) && labels[sel.key]!.endsWith(sel.value);
    case "not":
      return !evaluate(sel.arg, labels);
    case "and":
      return sel.args.every((a) => evaluate(a, labels));
    case "or":
      return sel.args.some((a) => evaluate(a, labels));
  }
}

// Selector values Calico's textual rewriting would corrupt (POL4007): Calico builds the final
// selector of a policy or rule by string concatenation and replaces every `all()` / `global()` in it
// (calico-reference.md §c.6), including inside quoted label values.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { Sel } from "../selector/ast.js";
import type { Span } from "../source.js";
import type { IrPolicy } from "./types.js";
import { makeDiag } from "./diag.js";

function badValue(sel: Sel): string | undefined {
  switch (sel.op) {
    case "eq":
    case "ne":
    case "contains":
    case "startsWith":
    case "endsWith":
      return hazardous(sel.value) ? sel.value : undefined;
    case "in":
    case "notIn":
      return sel.values.find(hazardous);
    case "not":
      return badValue(sel.arg);
    case "and":
    case "or":
      for (const a of sel.args) {
        const v = badValue(a);
        if (v !== undefined) return v;
      }
      return undefined;
    default:
      return undefined;
  }
}

function hazardous(v: string): boolean {
  return v.includes("all()") || v.includes("global(");
}

export function selectorHazards(p: IrPolicy): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (sel: Sel | undefined, span: Span): void => {
    if (!sel) return;
    const v = badValue(sel);
    if (v === undefined) return;
    out.push(
      makeDiag("POL4007", span, `the label value ${JSON.stringify(v)} contains text Calico rewrites`, {
        notes: ["Calico replaces every `all()` and `global()` in the combined selector string, inside quoted values too"],
        help: "avoid `all()` and `global(` in label values",
      }),
    );
  };
  check(p.subject.sel, p.origin);
  for (const r of [...p.ingress, ...p.egress]) {
    check(r.peer.selector?.sel, r.origin);
    check(r.peer.notSelector, r.origin);
  }
  return out;
}

// Structural helpers over Sel: smart constructors, label prefixing (Calico's prefix visitor, used for
// namespace `pcns.` and service-account `pcsa.` scoping), key/value inventories and equality.

import type { Sel } from "./ast.js";
import { printSelector } from "./print.js";

export function and(...args: Sel[]): Sel {
  const parts = args.filter((a) => a.op !== "all");
  if (parts.length === 0) return { op: "all" };
  return parts.length === 1 ? parts[0]! : { op: "and", args: parts };
}

export function or(...args: Sel[]): Sel {
  if (args.length === 1) return args[0]!;
  return { op: "or", args };
}

export function not(arg: Sel): Sel {
  return arg.op === "not" ? arg.arg : { op: "not", arg };
}

/** Every label key prefixed (Calico `PrefixVisitor`): `k == "v"` → `<prefix>k == "v"`. */
export function prefixLabels(sel: Sel, prefix: string): Sel {
  switch (sel.op) {
    case "all":
    case "global":
      return sel;
    case "not":
      return { op: "not", arg: prefixLabels(sel.arg, prefix) };
    case "and":
    case "or":
      return { op: sel.op, args: sel.args.map((a) => prefixLabels(a, prefix)) };
    default:
      return { ...sel, key: prefix + sel.key };
  }
}

export function labelKeys(sel: Sel): Set<string> {
  return new Set(labelValues(sel).keys());
}

/** Key → values mentioned for it (empty set for `has`). */
export function labelValues(sel: Sel): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const stack: Sel[] = [sel];
  while (stack.length) {
    const x = stack.pop()!;
    switch (x.op) {
      case "all":
      case "global":
        break;
      case "not":
        stack.push(x.arg);
        break;
      case "and":
      case "or":
        stack.push(...x.args);
        break;
      default: {
        let vs = out.get(x.key);
        if (!vs) out.set(x.key, (vs = new Set()));
        if ("value" in x) vs.add(x.value);
        if ("values" in x) for (const v of x.values) vs.add(v);
      }
    }
  }
  return out;
}

/** Same canonical string, i.e. the same selector (and IP set) for Calico. */
export function selEquals(a: Sel, b: Sel): boolean {
  return printSelector(a) === printSelector(b);
}

// Calico's canonical selector string (Selector.String(), calico-reference.md §c.4) and the selector UID.

import { createHash } from "node:crypto";
import type { Sel } from "./ast.js";

function quote(v: string): string {
  return v.includes('"') ? `'${v}'` : `"${v}"`;
}

const OPS = { eq: "==", ne: "!=", contains: "contains", startsWith: "starts with", endsWith: "ends with" } as const;

/** The canonical string. AND/OR nodes always print in parentheses; `in` sets are sorted (byte order)
 *  and de-duplicated; values use `"` unless they contain `"`. Iterative, so depth is no problem. */
export function printSelector(sel: Sel): string {
  const out: string[] = [];
  const stack: (Sel | string)[] = [sel];
  while (stack.length) {
    const x = stack.pop()!;
    if (typeof x === "string") {
      out.push(x);
      continue;
    }
    switch (x.op) {
      case "all":
        out.push("all()");
        break;
      case "global":
        out.push("global()");
        break;
      case "has":
        out.push(`has(${x.key})`);
        break;
      case "eq":
      case "ne":
      case "contains":
      case "startsWith":
      case "endsWith":
        out.push(`${x.key} ${OPS[x.op]} ${quote(x.value)}`);
        break;
      case "in":
      case "notIn": {
        const vals = [...new Set(x.values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        out.push(`${x.key} ${x.op === "in" ? "in" : "not in"} {${vals.map(quote).join(", ")}}`);
        break;
      }
      case "not":
        out.push("!");
        stack.push(x.arg);
        break;
      case "and":
      case "or": {
        const sep = x.op === "and" ? " && " : " || ";
        const parts: (Sel | string)[] = ["("];
        x.args.forEach((a, i) => {
          if (i) parts.push(sep);
          parts.push(a);
        });
        parts.push(")");
        for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
        break;
      }
    }
  }
  return out.join("");
}

/** A value Calico cannot print: it contains both quote characters. Returns the first one found. */
export function unrepresentableValue(sel: Sel): string | undefined {
  const stack: Sel[] = [sel];
  while (stack.length) {
    const x = stack.pop()!;
    const vals = "value" in x ? [x.value] : "values" in x ? x.values : [];
    for (const v of vals) if (v.includes('"') && v.includes("'")) return v;
    if (x.op === "not") stack.push(x.arg);
    if (x.op === "and" || x.op === "or") stack.push(...x.args);
  }
  return undefined;
}

/** Felix's IP-set identity of a canonical selector: "s:" + base64url_nopad(SHA-224("s:" + canonical)). */
export function uidOfCanonical(canonical: string): string {
  return "s:" + createHash("sha224").update("s:" + canonical).digest("base64url");
}

export function selectorUid(sel: Sel): string {
  return uidOfCanonical(printSelector(sel));
}

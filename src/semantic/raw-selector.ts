// Raw Calico selector strings, `selector("app == 'x' && has(y)")`: parsed with Calico's grammar
// (errors are mapped back into the string literal), then held to the same rules as .pol selectors:
// label-key syntax, quotes, impossible values, and no `global()`.

import type { StringLit } from "../syntax/ast.js";
import type { Sel } from "../selector/ast.js";
import type { Span } from "../source.js";
import type { Ctx } from "./context.js";
import { labelKeyProblem, labelValueProblem } from "./names.js";
import { parseRawSelector } from "./deps.js";
import { reportRewritten, rewrittenByCalico, use, type Env } from "./selectors.js";


export function lowerRaw(ctx: Ctx, lit: StringLit, env: Env): Sel | undefined {
  if (lit.recovered) return undefined;
  if (lit.value.trim() === "") {
    // Calico reads an empty selector as `all()`; in a source it is far more often a mistake (a template
    // variable that expanded to nothing) than a way to say "everything", and it must never widen a rule.
    ctx.report.emit("POL2044", lit.span, "empty Calico selector", {
      label: "an empty selector string",
      notes: ["Calico would read it as `all()`: every endpoint"],
      help: "write `all()` if every endpoint is meant, or the selector that was meant",
    });
    return undefined;
  }
  const r = parseRawSelector(lit.value);
  if (!r.ok) {
    const at = rawOffsetSpan(ctx, lit, r.offset);
    ctx.report.emit("POL2044", at, `invalid Calico selector: ${r.message}`, {
      label: r.message,
      secondary: [{ span: lit.span, message: "in this selector string" }],
      help: "fix the selector string, or write it as a .pol selector (`app == \"x\" && has(y)`) so polc can check it as you type",
    });
    return undefined;
  }
  let ok = true;
  const walk = (s: Sel): void => {
    switch (s.op) {
      case "global":
        ok = false;
        ctx.report.emit("POL2042", lit.span, "`global()` in a selector", {
          label: "Calico accepts `global()` only as a rule's whole namespaceSelector",
          notes: ["`global()` means \"objects outside every namespace\" (global network sets, host endpoints); Calico rejects it anywhere else"],
          help: "remove `global()`; polc writes it for you where a rule needs it",
        });
        return;
      case "not":
        return walk(s.arg);
      case "and":
      case "or":
        return s.args.forEach(walk);
      case "all":
        return;
      default: {
        const problem = labelKeyProblem(s.key);
        if (problem) {
          ok = false;
          ctx.report.emit("POL2041", lit.span, `\`${s.key}\` is not a valid Kubernetes label key`, {
            label: problem,
            help: "use the label key exactly as it appears on the pods, e.g. `app` or `app.kubernetes.io/name`",
          });
          return;
        }
        const values = s.op === "in" || s.op === "notIn" ? s.values : s.op === "has" ? [] : [(s as { value: string }).value];
        for (const v of values) {
          if (rewrittenByCalico(v)) {
            ok = false;
            reportRewritten(ctx, lit.span, v);
          } else if (v.includes('"') && v.includes("'")) {
            ok = false;
            ctx.report.emit("POL2040", lit.span, "a selector value cannot contain both `\"` and `'`", {
              help: "no label value can contain quotes anyway: remove them",
            });
          } else if ((s.op === "eq" || s.op === "ne" || s.op === "in" || s.op === "notIn") && labelValueProblem(v)) {
            ctx.report.emit("POL2046", lit.span, `${JSON.stringify(v)} can never be the value of label \`${s.key}\``, {
              label: labelValueProblem(v),
              help: "use the label value exactly as it appears on the pods",
            });
          }
          use(ctx, env, { key: s.key, op: s.op, value: v, keySpan: lit.span, valueSpan: lit.span, raw: true });
        }
        if (values.length === 0) use(ctx, env, { key: s.key, op: s.op, keySpan: lit.span, raw: true });
      }
    }
  };
  walk(r.sel);
  return ok ? r.sel : undefined;
}

/** The span of character `offset` of a string literal's decoded value, accounting for `\"`/`\\`. */
function rawOffsetSpan(ctx: Ctx, lit: StringLit, offset: number): Span {
  const file = ctx.sources.get(lit.span.file);
  if (!file) return lit.span;
  let pos = lit.span.start + 1;
  for (let i = 0; i < offset && pos < lit.span.end - 1; i++) pos += file.text[pos] === "\\" ? 2 : 1;
  const end = Math.min(Math.max(pos + 1, pos), lit.span.end - 1);
  return { file: lit.span.file, start: Math.min(pos, lit.span.end - 1), end: Math.max(end, Math.min(pos, lit.span.end - 1) + 1) };
}

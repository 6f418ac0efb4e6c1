// Selector lowering: `.pol` selector expressions (SelExpr) become Calico selector ASTs (Sel), with
// names resolved and every Calico rule on selectors checked: label-key syntax, values Calico cannot
// quote, values that can never be a label value, raw `selector("…")` strings, `global()`, length.

import type { LabelKey, SelExpr, StringLit, Ident } from "../syntax/ast.js";
import { NAMESPACE_LABEL, NAMESPACE_LABEL_PREFIX, type Sel } from "../selector/ast.js";
import type { Span } from "../source.js";
import type { Ctx, LabelUse } from "./context.js";
import type { PolSymbol } from "./symbols.js";
import { dnsLabelProblem, labelKeyProblem, labelValueProblem } from "./names.js";
import { prefixLabels, printSelector } from "./deps.js";
import { lowerRaw } from "./raw-selector.js";

/** Where a selector is written; decides the help for misplaced names. */
export type SelPlace = "group" | "subject" | "peer";

export interface Env {
  readonly place: SelPlace;
  /** Inside `namespace(…)`: labels are the namespace's, prefixed with `pcns.` afterwards. */
  readonly nsLabels: boolean;
}

export const MAX_SELECTOR_LENGTH = 1024;

/** `!e` with Calico's parity rule: `!!e` is `e`. */
export function negate(sel: Sel): Sel {
  return sel.op === "not" ? sel.arg : { op: "not", arg: sel };
}

export function lowerSelector(ctx: Ctx, expr: SelExpr, place: SelPlace): Sel | undefined {
  return lower(ctx, expr, { place, nsLabels: false });
}

function lower(ctx: Ctx, e: SelExpr, env: Env): Sel | undefined {
  switch (e.kind) {
    case "SelOr":
    case "SelAnd": {
      const args = e.operands.map((o) => lower(ctx, o, env));
      if (args.some((a) => a === undefined)) return undefined;
      return { op: e.kind === "SelOr" ? "or" : "and", args: args as Sel[] };
    }
    case "SelNot": {
      const a = lower(ctx, e.operand, env);
      return a && negate(a);
    }
    case "SelParen":
      return lower(ctx, e.inner, env);
    case "SelAll":
      return { op: "all" };
    case "SelHas": {
      const key = checkKey(ctx, e.key);
      if (key === undefined) return undefined;
      use(ctx, env, { key, op: "has", keySpan: e.key.span });
      return { op: "has", key };
    }
    case "SelCompare": {
      const key = checkKey(ctx, e.key);
      const okValue = checkQuotes(ctx, e.value);
      if (key === undefined || !okValue) return undefined;
      const op = ({ "==": "eq", "!=": "ne", contains: "contains", "starts with": "startsWith", "ends with": "endsWith" } as const)[e.op];
      if (op === "eq" || op === "ne") checkLabelValue(ctx, key, e.op, e.value);
      use(ctx, env, { key, op, value: e.value.value, keySpan: e.key.span, valueSpan: e.value.span });
      return { op, key, value: e.value.value };
    }
    case "SelIn": {
      const key = checkKey(ctx, e.key);
      const ok = e.values.map((v) => checkQuotes(ctx, v)).every(Boolean);
      if (key === undefined || !ok) return undefined;
      const op = e.negated ? "notIn" : "in";
      for (const v of e.values) {
        checkLabelValue(ctx, key, e.negated ? "not in" : "in", v);
        use(ctx, env, { key, op, value: v.value, keySpan: e.key.span, valueSpan: v.span });
      }
      if (e.values.length === 0) use(ctx, env, { key, op, keySpan: e.key.span });
      return { op, key, values: e.values.map((v) => v.value) };
    }
    case "SelNamespace": {
      if (env.nsLabels) return namespaceInsideNamespace(ctx, e.span, `namespace ${JSON.stringify(e.name.value)}`, `kubernetes.io/metadata.name == ${JSON.stringify(e.name.value)}`);
      if (!checkQuotes(ctx, e.name)) return undefined;
      checkNamespaceName(ctx, e.name);
      use(ctx, env, { key: NAMESPACE_LABEL, op: "eq", value: e.name.value, keySpan: e.span, valueSpan: e.name.span });
      return { op: "eq", key: NAMESPACE_LABEL, value: e.name.value };
    }
    case "SelNamespaceIn": {
      if (env.nsLabels) return namespaceInsideNamespace(ctx, e.span, "namespace in …", "kubernetes.io/metadata.name in {…}");
      let values: string[] | undefined;
      if (e.ref) {
        const sym = ctx.lookup(e.ref, ["namespaces"], { where: "after `namespace in`", wrongKindHelp: (s) => namespaceInHelp(s) });
        if (!sym) return undefined;
        values = resolveNamespaces(ctx, sym, e.ref.span);
        if (!values) return undefined;
      } else {
        const lits = e.values ?? [];
        if (!lits.map((v) => checkQuotes(ctx, v)).every(Boolean)) return undefined;
        for (const v of lits) {
          checkNamespaceName(ctx, v);
          use(ctx, env, { key: NAMESPACE_LABEL, op: "in", value: v.value, keySpan: e.span, valueSpan: v.span });
        }
        values = lits.map((v) => v.value);
      }
      return { op: "in", key: NAMESPACE_LABEL, values: [...values] };
    }
    case "SelNamespaceLabels": {
      if (env.nsLabels) return namespaceInsideNamespace(ctx, e.span, "namespace(…)", "the inner selector directly");
      const inner = lower(ctx, e.selector, { ...env, nsLabels: true });
      if (!inner) return undefined;
      // Calico renders a namespaceSelector of `all()` as "has a namespace" (calico-reference.md §c.6).
      if (inner.op === "all") return { op: "has", key: NAMESPACE_LABEL };
      return prefixLabels(inner, NAMESPACE_LABEL_PREFIX);
    }
    case "SelRaw":
      return lowerRaw(ctx, e.text, env);
    case "SelRef":
      return lowerRef(ctx, e.name, env);
  }
}

function lowerRef(ctx: Ctx, ident: Ident, env: Env): Sel | undefined {
  if (ident.recovered) return undefined;
  const found = ctx.symbols.lookup(ident.name);
  if (found?.kind === "net" && env.place === "peer" && !env.nsLabels) {
    ctx.symbols.addReference(ident.span, found);
    ctx.report.emit("POL1031", ident.span, `net \`${ident.name}\` used inside a selector expression`, {
      label: "a net cannot be combined with `&&`, `||`, `!` or `namespace(…)`",
      secondary: found.nameSpan ? [{ span: found.nameSpan, message: `\`${ident.name}\` is declared here` }] : undefined,
      notes: ["a net is a set of addresses, not a set of labelled endpoints; selector operators only combine label tests"],
      help: `use the net as a whole peer item, e.g. \`to ${ident.name}\`, \`to ${ident.name}, web\` (union) or \`to ${ident.name} except 10.1.0.0/16\``,
    });
    return undefined;
  }
  const peerItem = env.place === "peer" && !env.nsLabels;
  const sym = ctx.lookup(ident, peerItem ? ["group", "namespaces", "net"] : ["group", "namespaces"], {
    where: peerItem ? "as a peer" : "in a selector",
    wrongKindHelp: (s) => refHelp(s, env),
  });
  if (!sym) return undefined;
  if (sym.kind === "net") return undefined; // handled above; unreachable
  if (sym.kind === "namespaces") {
    if (env.nsLabels) return namespaceInsideNamespace(ctx, ident.span, ident.name, `namespace in ${ident.name}`, true);
    const values = resolveNamespaces(ctx, sym, ident.span);
    return values && { op: "in", key: NAMESPACE_LABEL, values: [...values] };
  }
  const sel = resolveGroup(ctx, sym, ident.span);
  if (!sel) return undefined;
  if (env.nsLabels && mentionsNamespace(sel)) {
    return namespaceInsideNamespace(ctx, ident.span, ident.name, "a group without namespace terms", true);
  }
  return sel;
}

function refHelp(sym: PolSymbol, env: Env): string | undefined {
  if (sym.kind === "net") {
    if (env.place === "subject") return `\`applies to\` selects endpoints by their labels; a net is a set of addresses and can only be the peer of a rule (\`to ${sym.name}\`)`;
    if (env.place === "group") return `a group selects endpoints by their labels; a net is a set of addresses and can only be the peer of a rule (\`to ${sym.name}\`)`;
    return `a net cannot be used inside \`namespace(…)\`; use it as a whole peer item (\`to ${sym.name}\`)`;
  }
  if (sym.kind === "service") return `a service says which protocols and ports, not who: write it right after the action (\`allow ${sym.name}\`), before \`from\`/\`to\``;
  if (sym.kind === "tier") return `a tier orders policies and selects no endpoints; to test a label named \`${sym.name}\`, compare it: \`${sym.name} == "…"\``;
  return undefined;
}

function namespaceInHelp(sym: PolSymbol): string | undefined {
  if (sym.kind === "group") return `\`namespace in\` takes namespace names; to use the group write \`${sym.name}\` on its own`;
  return `declare the namespaces first: \`namespaces ${sym.name} = ["a", "b"]\`, or write \`namespace in {"a", "b"}\``;
}

function namespaceInsideNamespace(ctx: Ctx, span: Span, what: string, instead: string, isName = false): undefined {
  ctx.report.emit("POL2045", span, `${isName ? `\`${what}\` names namespaces or endpoints` : `\`${what}\``} inside \`namespace(…)\``, {
    label: "not a namespace label test",
    notes: ["inside `namespace(…)` every test is about the labels of the endpoint's namespace; Namespace objects carry `kubernetes.io/metadata.name`, not a namespace of their own"],
    help: `write ${isName ? instead : `\`${instead}\``} inside \`namespace(…)\`, or move the term outside it (\`namespace "x" && …\`)`,
  });
  return undefined;
}

function mentionsNamespace(sel: Sel): boolean {
  return selKeys(sel).some((k) => k === NAMESPACE_LABEL || k.startsWith(NAMESPACE_LABEL_PREFIX));
}

/** Every label key a selector tests. */
export function selKeys(sel: Sel): string[] {
  const out: string[] = [];
  const walk = (s: Sel): void => {
    if (s.op === "not") walk(s.arg);
    else if (s.op === "and" || s.op === "or") s.args.forEach(walk);
    else if ("key" in s) out.push(s.key);
  };
  walk(sel);
  return out;
}

export function resolveGroup(ctx: Ctx, sym: PolSymbol, via: Span | undefined): Sel | undefined {
  return ctx.resolve(ctx.groups, sym, via, () => {
    const decl = sym.decl;
    if (!decl || decl.kind !== "Group") return undefined;
    const sel = lowerSelector(ctx, decl.value, "group");
    if (!sel) return undefined;
    checkLength(ctx, sel, decl.value.span, `group \`${sym.name}\``);
    ctx.selUses.push({ sel, span: decl.name.span, what: `group \`${sym.name}\`` });
    return sel;
  });
}

export function resolveNamespaces(ctx: Ctx, sym: PolSymbol, via: Span | undefined): string[] | undefined {
  return ctx.resolve(ctx.namespaceLists, sym, via, () => {
    const decl = sym.decl;
    if (!decl || decl.kind !== "Namespaces") return undefined;
    let ok = true;
    for (const v of decl.values) {
      if (!checkQuotes(ctx, v)) ok = false;
      else {
        checkNamespaceName(ctx, v);
        ctx.labelUses.push({ key: NAMESPACE_LABEL, writtenKey: NAMESPACE_LABEL, op: "in", value: v.value, keySpan: v.span, valueSpan: v.span, raw: false });
      }
    }
    return ok ? decl.values.map((v) => v.value) : undefined;
  });
}

/** Calico's selector length limit (CRD maxLength, calico-reference.md §b.4). */
export function checkLength(ctx: Ctx, sel: Sel, span: Span, what: string): boolean {
  const text = printSelector(sel);
  if (text.length <= MAX_SELECTOR_LENGTH) return true;
  ctx.report.emit("POL2043", span, `the selector of ${what} is ${text.length} characters long; Calico accepts at most ${MAX_SELECTOR_LENGTH}`, {
    label: "too long once written as a Calico selector",
    notes: ["group references are inlined, so nesting groups makes selectors long"],
    help: "simplify the selector: use a label that identifies these endpoints, or `in {…}` instead of many `==` alternatives",
  });
  return false;
}

function checkKey(ctx: Ctx, key: LabelKey): string | undefined {
  if (key.recovered) return undefined;
  const problem = labelKeyProblem(key.name);
  if (problem) {
    ctx.report.emit("POL2041", key.span, `\`${key.name}\` is not a valid Kubernetes label key`, {
      label: problem,
      notes: ["label keys are `[prefix/]name`: an optional DNS subdomain prefix (at most 253 characters), then a name of at most 63 letters, digits, `-`, `_` and `.` that starts and ends with a letter or digit"],
      help: "use the label key exactly as it appears on the pods, e.g. `app` or `app.kubernetes.io/name`",
    });
    return undefined;
  }
  return key.name;
}

/** Text Calico's textual `all()` / `global()` rewriting would change inside a value (§c.6). */
export function rewrittenByCalico(value: string): boolean {
  return value.includes("all()") || value.includes("global(");
}

export function reportRewritten(ctx: Ctx, span: StringLit["span"], value: string): void {
  ctx.report.emit("POL2047", span, `the value ${JSON.stringify(value)} contains text Calico rewrites`, {
    label: "Calico replaces `all()` and `global()` here too",
    notes: ["Calico joins selector strings and then replaces every `all()` and `global()` textually, inside quoted values too"],
    help: "remove `all()` / `global(` from the value",
  });
}

/** Quotes and Calico's textual rewriting: what a value must not contain to reach Calico unchanged. */
function checkQuotes(ctx: Ctx, lit: StringLit): boolean {
  if (lit.recovered) return false;
  if (rewrittenByCalico(lit.value)) {
    reportRewritten(ctx, lit.span, lit.value);
    return false;
  }
  if (lit.value.includes('"') && lit.value.includes("'")) {
    ctx.report.emit("POL2040", lit.span, "a selector value cannot contain both `\"` and `'`", {
      label: "Calico has no escape for quotes",
      notes: ["Calico selector strings are quoted with `\"` or `'` and end at the next identical quote; there are no escapes"],
      help: "no label value can contain quotes anyway: remove them",
    });
    return false;
  }
  return true;
}

function checkLabelValue(ctx: Ctx, key: string, op: string, lit: StringLit): void {
  const problem = labelValueProblem(lit.value);
  if (!problem) return;
  const positive = op === "==" || op === "in";
  ctx.report.emit("POL2046", lit.span, `${JSON.stringify(lit.value)} can never be the value of label \`${key}\``, {
    label: problem,
    notes: [positive ? `so \`${key} ${op} …\` never matches this value` : `so \`${key} ${op} …\` is true for this value on every endpoint`],
    help: "use the label value exactly as it appears on the pods",
  });
}

function checkNamespaceName(ctx: Ctx, lit: StringLit): void {
  const problem = dnsLabelProblem(lit.value);
  if (!problem) return;
  ctx.report.emit("POL2046", lit.span, `no namespace can be named ${JSON.stringify(lit.value)}`, {
    label: problem,
    notes: ["namespace names are DNS labels: at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit"],
    help: "use the namespace's name exactly as `kubectl get namespaces` shows it",
  });
}

export function use(ctx: Ctx, env: Env, u: Omit<LabelUse, "writtenKey" | "raw"> & { raw?: boolean }): void {
  const key = env.nsLabels ? NAMESPACE_LABEL_PREFIX + u.key : u.key;
  ctx.labelUses.push({ ...u, key, writtenKey: u.key, raw: u.raw ?? false });
}

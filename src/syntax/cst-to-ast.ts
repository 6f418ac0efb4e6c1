// CST → AST: the only code that reads chevrotain's concrete syntax tree. It also decodes and validates
// literals (strings, ports, CIDRs, numbers) so every later stage sees well-formed values.

import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { Span } from "../source.js";
import { checkCidr } from "../net/cidr.js";

type Children = Record<string, (CstNode | IToken)[] | undefined>;

function isToken(x: CstNode | IToken): x is IToken {
  return (x as IToken).image !== undefined;
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly path: string, private readonly textLength: number) {}

  // ---------------------------------------------------------------- spans and helpers
  private real(t: IToken | undefined): t is IToken {
    return t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && t.startOffset >= 0;
  }

  /** Span of a real (lexed) token: `endOffset` is always `startOffset + image.length - 1` for those. */
  private tokSpan(t: IToken): Span {
    return { file: this.path, start: t.startOffset, end: t.startOffset + t.image.length };
  }

  /** Span of a CST node from the real tokens below it; recovered nodes with no tokens get `fallback`. */
  private nodeSpan(n: CstNode | IToken | undefined, fallback?: Span): { span: Span; recovered: boolean } {
    if (n && !isToken(n) && !n.recoveredNode && n.location) {
      const { startOffset, endOffset } = n.location;
      if (Number.isFinite(startOffset) && startOffset >= 0 && endOffset !== undefined && Number.isFinite(endOffset) && endOffset >= startOffset) {
        return { span: { file: this.path, start: startOffset, end: endOffset + 1 }, recovered: false };
      }
    }
    const acc = { start: Infinity, end: -Infinity, recovered: false };
    if (n) this.visitSpan(n, acc);
    if (acc.start === Infinity) {
      return { span: fallback ?? { file: this.path, start: this.textLength, end: this.textLength }, recovered: true };
    }
    return { span: { file: this.path, start: acc.start, end: acc.end }, recovered: acc.recovered };
  }

  private visitSpan(x: CstNode | IToken, acc: { start: number; end: number; recovered: boolean }): void {
    if (isToken(x)) {
      if (this.real(x)) {
        acc.start = Math.min(acc.start, x.startOffset);
        acc.end = Math.max(acc.end, (x.endOffset ?? x.startOffset) + 1);
      } else acc.recovered = true;
      return;
    }
    if (x.recoveredNode) acc.recovered = true;
    const children = x.children as Children;
    for (const key in children) {
      const list = children[key];
      if (list) for (const c of list) this.visitSpan(c, acc);
    }
  }

  private base(n: CstNode | IToken | undefined, fallback?: Span): { span: Span; recovered?: true } {
    const { span, recovered } = this.nodeSpan(n, fallback);
    return recovered ? { span, recovered: true } : { span };
  }

  private tok(c: Children, name: string, i = 0): IToken | undefined {
    const x = c[name]?.[i];
    return x && isToken(x) ? x : undefined;
  }

  private toks(c: Children, name: string): IToken[] {
    const out: IToken[] = [];
    const list = c[name];
    if (list) for (const x of list) if (isToken(x) && this.real(x)) out.push(x);
    return out;
  }

  private node(c: Children, name: string, i = 0): CstNode | undefined {
    const x = c[name]?.[i];
    return x && !isToken(x) ? x : undefined;
  }

  private nodes(c: Children, name: string): CstNode[] {
    const out: CstNode[] = [];
    const list = c[name];
    if (list) for (const x of list) if (!isToken(x)) out.push(x);
    return out;
  }

  private error(code: string, span: Span, message: string, help: string, label?: string): void {
    this.diagnostics.push({ code, severity: "error", message, primary: { span, ...(label ? { message: label } : {}) }, help });
  }

  private ident(t: IToken | undefined, fallback: Span): A.Ident {
    if (!this.real(t)) return { kind: "Ident", name: "", span: fallback, recovered: true };
    return { kind: "Ident", name: t.image, span: this.tokSpan(t) };
  }

  // ---------------------------------------------------------------- literals
  string(t: IToken | undefined, fallback: Span): A.StringLit {
    if (!this.real(t)) return { kind: "String", value: "", span: fallback, recovered: true };
    const span = this.tokSpan(t);
    let raw = t.image;
    if (t.tokenType.name === "UnterminatedString") {
      // reported by parseSource for every such token; decode as if closed at the end of the line
      raw = raw.endsWith("\\") ? raw.slice(0, -1) : raw;
      raw += '"';
    }
    let value = "";
    for (let i = 1; i < raw.length - 1; i++) {
      const ch = raw[i]!;
      if (ch !== "\\") {
        value += ch;
        continue;
      }
      const next = raw[++i];
      if (next === '"' || next === "\\") value += next;
      else {
        const at = { file: this.path, start: t.startOffset + i - 1, end: t.startOffset + i + 1 };
        this.error("POL0104", at, `unknown escape \`\\${next ?? ""}\` in string`, 'only `\\"` and `\\\\` are escapes; write other characters as they are');
        value += next ?? "";
      }
    }
    return { kind: "String", value, span };
  }

  number(t: IToken | undefined, fallback: Span): A.NumberLit | undefined {
    if (!this.real(t)) return undefined;
    const value = Number(t.image);
    const span = this.tokSpan(t);
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      this.error("POL0118", span, `number \`${t.image}\` is out of range`, `use a number between 0 and ${Number.MAX_SAFE_INTEGER}`);
    }
    return { kind: "Number", value, text: t.image, span: span ?? fallback };
  }

  cidr(t: IToken): A.CidrLit {
    const span = this.tokSpan(t);
    const r = checkCidr(t.image);
    if (!r.ok) {
      this.error("POL0110", span, `invalid address \`${t.image}\`: ${r.reason}`, "write an IPv4 or IPv6 address, optionally with a prefix length: `10.0.0.0/8`, `10.96.0.1`, `fd00::/8`");
      return { kind: "Cidr", text: t.image, family: t.tokenType.name === "Cidr6" ? 6 : 4, span, recovered: true };
    }
    return { kind: "Cidr", text: t.image, family: r.family, span };
  }

  portSpec(t: IToken): A.PortSpec {
    const span = this.tokSpan(t);
    const text = t.image;
    const [protoText, ...parts] = text.split("/");
    const bad = (code: string, message: string, help: string): A.PortSpec => {
      this.error(code, span, message, help);
      return { kind: "PortSpec", text, protocol: (protoText as A.ProtocolName) ?? "tcp", span, recovered: true };
    };
    if (protoText === "proto") {
      if (parts.length !== 1 || !/^\d+$/.test(parts[0]!)) return bad("POL0116", `invalid protocol \`${text}\``, "write an IP protocol number from 1 to 255, e.g. `proto/47`");
      const n = Number(parts[0]);
      if (n < 1 || n > 255) return bad("POL0116", `protocol number ${parts[0]} is out of range`, "IP protocol numbers go from 1 to 255 (0 is not a protocol)");
      return { kind: "PortSpec", text, protocol: n, span };
    }
    const protocol = protoText as A.ProtocolName;
    if (protocol === "icmp" || protocol === "icmpv6") {
      if (parts.length < 1 || parts.length > 2 || !parts.every((p) => /^\d+$/.test(p))) {
        return bad("POL0115", `invalid ICMP match \`${text}\``, `write \`${protocol}/TYPE\` or \`${protocol}/TYPE/CODE\` with numbers, e.g. \`${protocol}/8\``);
      }
      const type = Number(parts[0]);
      if (type > 254) return bad("POL0115", `ICMP type ${parts[0]} is out of range`, "ICMP types go from 0 to 254 (Calico rejects 255)");
      if (parts.length === 2) {
        const code = Number(parts[1]);
        if (code > 255) return bad("POL0115", `ICMP code ${parts[1]} is out of range`, "ICMP codes go from 0 to 255");
        return { kind: "PortSpec", text, protocol, icmp: { type, code }, span };
      }
      return { kind: "PortSpec", text, protocol, icmp: { type }, span };
    }
    if (parts.length !== 1 || parts[0] === "") {
      return bad("POL0117", `invalid port \`${text}\``, `write \`${protocol}/PORT\`, \`${protocol}/FROM-TO\` or \`${protocol}/NAME\`, e.g. \`${protocol}/80\`; for every port write \`${protocol}\``);
    }
    const p = parts[0]!;
    const range = /^(\d+)(?:-(\d+))?$/.exec(p);
    if (range) {
      const from = Number(range[1]);
      const to = range[2] === undefined ? from : Number(range[2]);
      for (const [v, s] of [
        [from, range[1]],
        [to, range[2]],
      ] as const) {
        if (s !== undefined && (v < 1 || v > 65535)) {
          return bad("POL0112", `port ${s} is out of range`, "ports go from 1 to 65535 (port 0 is not valid in Calico)");
        }
      }
      if (from > to) return bad("POL0113", `port range \`${p}\` is reversed`, `write the smaller port first: \`${protocol}/${to}-${from}\``);
      return { kind: "PortSpec", text, protocol, ports: { from, to }, span };
    }
    if (!isIanaSvcName(p)) {
      return bad(
        "POL0114",
        `\`${p}\` is not a valid port name`,
        "a named port has at most 15 characters from a-z, 0-9 and '-', at least one letter, and no leading, trailing or double '-'; a range is written `80-90`",
      );
    }
    return { kind: "PortSpec", text, protocol, namedPort: p, span };
  }

  // ---------------------------------------------------------------- declarations
  file(cst: CstNode, comments: A.Comment[]): A.File {
    const items: A.Item[] = [];
    for (const it of this.nodes(cst.children, "item")) {
      const item = this.item(it);
      if (item) items.push(item);
    }
    return { kind: "File", path: this.path, items, comments, span: { file: this.path, start: 0, end: this.textLength } };
  }

  private item(n: CstNode): A.Item | undefined {
    const c = n.children;
    const stagedTok = this.tok(c, "Kw_staged");
    const staged: A.Keyword | undefined = this.real(stagedTok) ? { kind: "Keyword", text: "staged", span: this.tokSpan(stagedTok) } : undefined;
    let sub: CstNode | undefined;
    for (const k in c) {
      if (k === "Kw_staged") continue;
      sub = this.node(c, k);
      if (sub) break;
    }
    if (!sub) return undefined;
    const stageable = sub.name === "policyDecl" || sub.name === "flowsBlock" || sub.name === "flowDecl";
    if (staged && !stageable) {
      this.error("POL0205", staged.span, "only guardrails, policies and flows can be `staged`", "remove `staged`; it marks a guardrail, policy or flow as observe-only");
    }
    switch (sub.name) {
      case "importDecl":
        return { kind: "Import", path: this.string(this.tok(sub.children, "StringLike"), this.nodeSpan(sub).span), ...this.base(sub) };
      case "tierDecl":
        return this.tierDecl(sub);
      case "groupDecl": {
        const b = this.base(sub);
        return { kind: "Group", name: this.ident(this.tok(sub.children, "Ident"), b.span), value: this.selExpr(this.node(sub.children, "selExpr"), b.span), ...b };
      }
      case "namespacesDecl": {
        const b = this.base(sub);
        return {
          kind: "Namespaces",
          name: this.ident(this.tok(sub.children, "Ident"), b.span),
          values: this.toks(sub.children, "StringLike").map((t) => this.string(t, b.span)),
          ...b,
        };
      }
      case "netDecl": {
        const b = this.base(sub);
        const idents = this.toks(sub.children, "Ident");
        const items: A.NetItem[] = [
          ...this.toks(sub.children, "CidrLike").map((t) => this.cidr(t)),
          ...idents.slice(1).map((t): A.NameRef => ({ kind: "NameRef", name: this.ident(t, b.span), span: this.tokSpan(t) })),
        ].sort((x, y) => x.span.start - y.span.start);
        return { kind: "Net", name: this.ident(idents[0], b.span), items, ...b };
      }
      case "serviceDecl": {
        const b = this.base(sub);
        return {
          kind: "Service",
          name: this.ident(this.tok(sub.children, "Ident"), b.span),
          items: this.services(this.node(sub.children, "services")),
          ...b,
        };
      }
      case "policyDecl":
        return this.policyDecl(sub, staged);
      case "flowsBlock": {
        const b = this.base(sub);
        const lb = this.tok(sub.children, "LBrace");
        const rb = this.tok(sub.children, "RBrace");
        return {
          kind: "Flows",
          ...(staged ? { staged } : {}),
          tier: this.ident(this.tok(sub.children, "Ident"), b.span),
          flows: this.nodes(sub.children, "flowLine").map((f) => this.flowLine(f)),
          bodySpan: this.braceSpan(lb, rb, b.span),
          ...this.withStaged(b, staged),
        };
      }
      case "flowDecl": {
        const b = this.base(sub);
        const tierTok = this.tok(sub.children, "Ident");
        return {
          kind: "FlowDecl",
          ...(staged ? { staged } : {}),
          flow: this.flowLine(this.node(sub.children, "flowLine")),
          ...(this.real(tierTok) ? { tier: this.ident(tierTok, b.span) } : {}),
          ...this.withStaged(b, staged),
        };
      }
    }
    return undefined;
  }

  private withStaged(b: { span: Span; recovered?: true }, staged: A.Keyword | undefined): { span: Span; recovered?: true } {
    return staged ? { ...b, span: { ...b.span, start: Math.min(b.span.start, staged.span.start) } } : b;
  }

  private braceSpan(lb: IToken | undefined, rb: IToken | undefined, fallback: Span): Span {
    const start = this.real(lb) ? lb.startOffset : fallback.start;
    const end = this.real(rb) ? rb.startOffset + 1 : fallback.end;
    return { file: this.path, start, end: Math.max(start, end) };
  }

  private tierDecl(n: CstNode): A.TierDecl {
    const c = n.children;
    const b = this.base(n);
    const actTok = this.tok(c, "Kw_pass") ?? this.tok(c, "Kw_deny");
    const order = this.number(this.tok(c, "Number"), b.span);
    return {
      kind: "Tier",
      name: this.ident(this.tok(c, "Ident"), b.span),
      ...(order ? { order } : {}),
      ...(this.real(actTok) ? { defaultAction: { value: actTok.image as "pass" | "deny", span: this.tokSpan(actTok) } } : {}),
      ...b,
    };
  }

  private policyDecl(n: CstNode, staged: A.Keyword | undefined): A.PolicyDecl {
    const c = n.children;
    const b = this.base(n);
    const idents = c["Ident"]?.filter(isToken) ?? [];
    const body = this.node(c, "body");
    let appliesTo: A.AppliesTo | undefined;
    const rules: A.Rule[] = [];
    if (body) {
      // in source order (a stable sort on each part's start, computed once)
      const parts = [...this.nodes(body.children, "appliesTo"), ...this.nodes(body.children, "rule")]
        .map((node) => ({ node, start: this.nodeSpan(node).span.start }))
        .sort((x, y) => x.start - y.start)
        .map((x) => x.node);
      for (const p of parts) {
        if (p.name === "appliesTo") {
          const a = this.appliesTo(p);
          if (appliesTo) {
            this.diagnostics.push({
              code: "POL0206",
              severity: "error",
              message: "a policy has one `applies to`",
              primary: { span: a.span, message: "second `applies to`" },
              secondary: [{ span: appliesTo.span, message: "first one here" }],
              help: "combine them into one selector, e.g. `applies to web || api`",
            });
          } else appliesTo = a;
        } else rules.push(this.rule(p));
      }
    }
    const nsTok = this.tok(c, "StringLike");
    const order = this.number(this.tok(c, "Number"), b.span);
    return {
      kind: "Policy",
      flavor: this.tok(c, "Kw_guardrail") ? "guardrail" : "policy",
      ...(staged ? { staged } : {}),
      name: this.ident(idents[0], b.span),
      tier: this.ident(idents[1], b.span),
      ...(this.real(nsTok) ? { namespace: this.string(nsTok, b.span) } : {}),
      ...(order ? { order } : {}),
      ...(appliesTo ? { appliesTo } : {}),
      rules,
      bodySpan: this.braceSpan(this.tok(c, "LBrace"), this.tok(c, "RBrace"), b.span),
      ...this.withStaged(b, staged),
    };
  }

  private appliesTo(n: CstNode): A.AppliesTo {
    const b = this.base(n);
    const sels = this.nodes(n.children, "selExpr");
    return {
      kind: "AppliesTo",
      selector: this.selExpr(sels[0], b.span),
      ...(sels[1] ? { except: this.selExpr(sels[1], b.span) } : {}),
      ...b,
    };
  }

  private rule(n: CstNode): A.Rule {
    const c = n.children;
    const b = this.base(n);
    const dirTok = this.tok(c, "Kw_ingress") ?? this.tok(c, "Kw_egress");
    const actTok = this.tok(c, "Kw_allow") ?? this.tok(c, "Kw_deny") ?? this.tok(c, "Kw_pass") ?? this.tok(c, "Kw_log");
    const peers = this.nodes(c, "peer");
    const fromTok = this.tok(c, "Kw_from");
    const toTok = this.tok(c, "Kw_to");
    let from: A.Peer | undefined;
    let to: A.Peer | undefined;
    let pi = 0;
    if (this.real(fromTok)) from = this.peer(peers[pi++], b.span);
    if (this.real(toTok)) to = this.peer(peers[pi++], b.span);
    return {
      kind: "Rule",
      direction: dirTok?.image === "egress" ? "egress" : "ingress",
      directionSpan: this.real(dirTok) ? this.tokSpan(dirTok) : b.span,
      action: (this.real(actTok) ? actTok.image : "allow") as A.RuleAction,
      actionSpan: this.real(actTok) ? this.tokSpan(actTok) : b.span,
      services: this.services(this.node(c, "services")),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(this.real(actTok) ? b : { ...b, recovered: true }),
    };
  }

  private services(n: CstNode | undefined): A.ServiceItem[] {
    if (!n) return [];
    const out: A.ServiceItem[] = [];
    for (const t of [...this.toks(n.children, "PortSpec"), ...this.toks(n.children, "Ident")].sort((x, y) => x.startOffset - y.startOffset)) {
      if (t.tokenType.name === "PortSpec") out.push(this.portSpec(t));
      else out.push({ kind: "NameRef", name: this.ident(t, this.tokSpan(t)), span: this.tokSpan(t) });
    }
    return out;
  }

  private peer(n: CstNode | undefined, fallback: Span): A.Peer {
    if (!n) return { kind: "Peer", items: [], except: [], span: fallback, recovered: true };
    const b = this.base(n, fallback);
    const items = this.nodes(n.children, "peerItem").map((p) => this.peerItem(p));
    const exceptTok = this.tok(n.children, "Kw_except");
    const cut = this.real(exceptTok) ? exceptTok.startOffset : Infinity;
    return { kind: "Peer", items: items.filter((i) => i.span.start < cut), except: items.filter((i) => i.span.start >= cut), ...b };
  }

  private peerItem(n: CstNode): A.PeerItem {
    const b = this.base(n);
    const c = n.children;
    const cidrTok = this.tok(c, "CidrLike");
    const target: A.SelExpr | A.CidrLit = this.real(cidrTok) ? this.cidr(cidrTok) : this.selExpr(this.node(c, "selExpr"), b.span);
    return { kind: "PeerItem", negated: this.real(this.tok(c, "Kw_not")), target, ...b };
  }

  private flowLine(n: CstNode | undefined): A.FlowLine {
    const fallback = { file: this.path, start: this.textLength, end: this.textLength };
    if (!n) {
      const empty: A.Peer = { kind: "Peer", items: [], except: [], span: fallback, recovered: true };
      return { kind: "Flow", from: empty, to: empty, services: [], span: fallback, recovered: true };
    }
    const b = this.base(n);
    const peers = this.nodes(n.children, "peer");
    return {
      kind: "Flow",
      from: this.peer(peers[0], b.span),
      to: this.peer(peers[1], b.span),
      services: this.services(this.node(n.children, "services")),
      ...b,
    };
  }

  // ---------------------------------------------------------------- selectors
  selExpr(n: CstNode | undefined, fallback: Span): A.SelExpr {
    if (!n) return { kind: "SelAll", span: fallback, recovered: true };
    const or = this.node(n.children, "orExpr");
    return or ? this.orExpr(or) : { kind: "SelAll", ...this.base(n, fallback), recovered: true };
  }

  private orExpr(n: CstNode): A.SelExpr {
    const parts = this.nodes(n.children, "andExpr").map((a) => this.andExpr(a));
    if (parts.length === 1) return parts[0]!;
    return { kind: "SelOr", operands: parts, ...this.base(n) };
  }

  private andExpr(n: CstNode): A.SelExpr {
    const parts = this.nodes(n.children, "unary").map((u) => this.unary(u));
    if (parts.length === 1) return parts[0]!;
    return { kind: "SelAnd", operands: parts, ...this.base(n) };
  }

  private unary(n: CstNode): A.SelExpr {
    const bangs = this.toks(n.children, "Bang");
    let e = this.primary(this.node(n.children, "primary"), this.nodeSpan(n).span);
    for (let i = bangs.length - 1; i >= 0; i--) {
      e = { kind: "SelNot", operand: e, span: { file: this.path, start: bangs[i]!.startOffset, end: e.span.end }, ...(e.recovered ? { recovered: true } : {}) };
    }
    return e;
  }

  private primary(n: CstNode | undefined, fallback: Span): A.SelExpr {
    if (!n) return { kind: "SelAll", span: fallback, recovered: true };
    const c = n.children;
    const b = this.base(n, fallback);
    if (c["Kw_all"]) return { kind: "SelAll", ...b };
    if (c["Kw_has"]) return { kind: "SelHas", key: this.labelKey(this.tok(c, "LabelKey") ?? this.tok(c, "Name"), b.span), ...b };
    if (c["Kw_selector"]) return { kind: "SelRaw", text: this.string(this.tok(c, "StringLike"), b.span), ...b };
    if (c["Kw_namespace"]) {
      const sel = this.node(c, "selExpr");
      if (sel) return { kind: "SelNamespaceLabels", selector: this.selExpr(sel, b.span), ...b };
      if (c["Kw_in"]) {
        const set = this.node(c, "stringSet");
        if (set) return { kind: "SelNamespaceIn", values: this.stringSet(set), ...b };
        const ref = this.tok(c, "Ident");
        return { kind: "SelNamespaceIn", ref: this.ident(ref, b.span), ...b };
      }
      return { kind: "SelNamespace", name: this.string(this.tok(c, "StringLike"), b.span), ...b };
    }
    const inner = this.node(c, "selExpr");
    if (inner) return { kind: "SelParen", inner: this.selExpr(inner, b.span), ...b };
    const test = this.node(c, "labelTest");
    if (test) return this.labelTest(test);
    return { kind: "SelRef", name: this.ident(this.tok(c, "Ident"), b.span), ...b };
  }

  private labelKey(t: IToken | undefined, fallback: Span): A.LabelKey {
    if (!this.real(t)) return { kind: "LabelKey", name: "", span: fallback, recovered: true };
    return { kind: "LabelKey", name: t.image, span: this.tokSpan(t) };
  }

  private labelTest(n: CstNode): A.SelExpr {
    const c = n.children;
    const b = this.base(n);
    const key = this.labelKey(this.tok(c, "LabelKey") ?? this.tok(c, "Name"), b.span);
    const set = this.node(c, "stringSet");
    if (set || c["Kw_in"]) {
      return { kind: "SelIn", key, negated: Boolean(c["Kw_not"]), values: set ? this.stringSet(set) : [], ...b };
    }
    const op: A.CompareOp = c["EqEq"]
      ? "=="
      : c["NotEq"]
        ? "!="
        : c["Kw_contains"]
          ? "contains"
          : c["Kw_starts"]
            ? "starts with"
            : c["Kw_ends"]
              ? "ends with"
              : "==";
    return { kind: "SelCompare", key, op, value: this.string(this.tok(c, "StringLike"), b.span), ...b };
  }

  private stringSet(n: CstNode): A.StringLit[] {
    const b = this.nodeSpan(n).span;
    return this.toks(n.children, "StringLike").map((t) => this.string(t, b));
  }
}

/** Kubernetes IANA_SVC_NAME: <= 15 chars of [a-z0-9-], at least one letter, no leading/trailing/double '-'. */
export function isIanaSvcName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes("--");
}

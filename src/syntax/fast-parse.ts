// The front end's fast path: a hand-written recursive-descent parser over the token vector that builds
// the AST directly, with no CST. It accepts only input that the chevrotain parser (parser.ts) parses
// without a single error and for which cst-to-ast.ts reports nothing, and it then builds exactly the
// AST cst-to-ast.ts would build (same nodes, same spans, same property order). On anything else it
// gives up (returns undefined) and parseSource takes the full path, which owns every diagnostic and
// all error recovery. Each decision below mirrors the chevrotain decision at the same point; where
// the two could differ (ambiguous lookahead) the fast path gives up instead of guessing.

import type { IToken, TokenType } from "chevrotain";
import type * as A from "./ast.js";
import type { Span } from "../source.js";
import { AstBuilder } from "./cst-to-ast.js";
import * as T from "./tokens.js";

/** Thrown (and caught in fastParse) when the fast path gives up. */
const BAIL = { bail: true };

let NAME: Uint8Array | undefined; // by tokenTypeIdx: 1 for token types in the `Name` category
function nameTable(): Uint8Array {
  if (NAME) return NAME;
  let max = 0;
  for (const t of T.allTokens) max = Math.max(max, t.tokenTypeIdx ?? 0);
  const table = new Uint8Array(max + 1);
  table[T.Ident.tokenTypeIdx!] = 1;
  for (const t of Object.values(T.keywordTokens)) table[t.tokenTypeIdx!] = 1;
  NAME = table;
  return table;
}

class FastParser {
  private p = 0;
  private readonly n: number;
  private readonly name: Uint8Array;
  /** Literal decoding (strings, numbers, CIDRs, ports) is shared with the full path. */
  readonly lit: AstBuilder;

  constructor(
    private readonly toks: readonly IToken[],
    private readonly path: string,
    textLength: number,
  ) {
    this.n = toks.length;
    this.name = nameTable();
    this.lit = new AstBuilder(path, textLength);
  }

  // ---------------------------------------------------------------- token helpers
  private type(k: number): TokenType | undefined {
    const i = this.p + k;
    return i < this.n ? this.toks[i]!.tokenType : undefined;
  }

  private is(t: TokenType): boolean {
    return this.p < this.n && this.toks[this.p]!.tokenType === t;
  }

  private eat(t: TokenType): IToken {
    if (this.p >= this.n) throw BAIL;
    const tok = this.toks[this.p]!;
    if (tok.tokenType !== t) throw BAIL;
    this.p++;
    return tok;
  }

  private eatString(): IToken {
    // StringLike: StringLit or UnterminatedString; the fast path never sees the latter.
    return this.eat(T.StringLit);
  }

  private eatName(): IToken {
    if (this.p >= this.n) throw BAIL;
    const tok = this.toks[this.p]!;
    if (this.name[tok.tokenType.tokenTypeIdx!] !== 1) throw BAIL;
    this.p++;
    return tok;
  }

  private tokSpan(t: IToken): Span {
    return { file: this.path, start: t.startOffset, end: t.startOffset + t.image.length };
  }

  /** The span from token `from` to the last consumed token (a CST node's location). */
  private spanFrom(from: IToken): Span {
    const last = this.toks[this.p - 1]!;
    return { file: this.path, start: from.startOffset, end: last.startOffset + last.image.length };
  }

  private ident(t: IToken): A.Ident {
    return { kind: "Ident", name: t.image, span: this.tokSpan(t) };
  }

  private string(t: IToken): A.StringLit {
    return this.lit.string(t, undefined as unknown as Span);
  }

  private number(t: IToken): A.NumberLit {
    return this.lit.number(t, undefined as unknown as Span)!;
  }

  // ---------------------------------------------------------------- declarations
  file(comments: A.Comment[], textLength: number): A.File {
    const items: A.Item[] = [];
    while (this.p < this.n) items.push(this.item());
    return { kind: "File", path: this.path, items, comments, span: { file: this.path, start: 0, end: textLength } };
  }

  private item(): A.Item {
    let staged: A.Keyword | undefined;
    if (this.is(T.Staged)) {
      const t = this.eat(T.Staged);
      staged = { kind: "Keyword", text: "staged", span: this.tokSpan(t) };
    }
    if (this.p >= this.n) throw BAIL;
    const first = this.toks[this.p]!;
    const k = first.tokenType;
    if (staged && k !== T.Guardrail && k !== T.Policy && k !== T.Flows && k !== T.Flow) throw BAIL; // POL0205
    switch (k) {
      case T.Import: {
        this.p++;
        const s = this.eatString();
        const path = this.string(s);
        return { kind: "Import", path, span: this.spanFrom(first) };
      }
      case T.Tier:
        return this.tierDecl(first);
      case T.Group: {
        this.p++;
        const nameTok = this.eat(T.Ident);
        this.eat(T.Eq);
        const value = this.selExpr();
        const span = this.spanFrom(first);
        return { kind: "Group", name: this.ident(nameTok), value, span };
      }
      case T.Namespaces: {
        this.p++;
        const nameTok = this.eat(T.Ident);
        this.eat(T.Eq);
        this.eat(T.LBracket);
        const strs: IToken[] = [];
        while (this.is(T.StringLit) || this.is(T.UnterminatedString)) {
          strs.push(this.eatString());
          if (this.is(T.Comma)) this.p++;
        }
        this.eat(T.RBracket);
        const span = this.spanFrom(first);
        return { kind: "Namespaces", name: this.ident(nameTok), values: strs.map((t) => this.string(t)), span };
      }
      case T.Net: {
        this.p++;
        const nameTok = this.eat(T.Ident);
        this.eat(T.Eq);
        const items: A.NetItem[] = [];
        for (;;) {
          const t = this.type(0);
          if (t === T.Cidr4 || t === T.Cidr6) items.push(this.lit.cidr(this.toks[this.p++]!));
          else if (t === T.Ident) {
            const it = this.toks[this.p++]!;
            items.push({ kind: "NameRef", name: this.ident(it), span: this.tokSpan(it) });
          } else throw BAIL;
          if (!this.is(T.Comma)) break;
          this.p++;
        }
        const span = this.spanFrom(first);
        return { kind: "Net", name: this.ident(nameTok), items, span };
      }
      case T.Service: {
        this.p++;
        const nameTok = this.eat(T.Ident);
        this.eat(T.Eq);
        const items = this.services();
        const span = this.spanFrom(first);
        return { kind: "Service", name: this.ident(nameTok), items, span };
      }
      case T.Guardrail:
      case T.Policy:
        return this.policyDecl(staged);
      case T.Flows: {
        this.p++;
        this.eat(T.In);
        const tierTok = this.eat(T.Ident);
        const lb = this.eat(T.LBrace);
        const flows: A.FlowLine[] = [];
        while (!this.is(T.RBrace)) flows.push(this.flowLine());
        const rb = this.eat(T.RBrace);
        const span = this.spanFrom(first);
        return {
          kind: "Flows",
          ...(staged ? { staged } : {}),
          tier: this.ident(tierTok),
          flows,
          bodySpan: this.braceSpan(lb, rb),
          span: staged ? { file: this.path, start: Math.min(span.start, staged.span.start), end: span.end } : span,
        };
      }
      case T.Flow: {
        this.p++;
        const flow = this.flowLine();
        let tierTok: IToken | undefined;
        if (this.is(T.In)) {
          this.p++;
          tierTok = this.eat(T.Ident);
        }
        const span = this.spanFrom(first);
        return {
          kind: "FlowDecl",
          ...(staged ? { staged } : {}),
          flow,
          ...(tierTok ? { tier: this.ident(tierTok) } : {}),
          span: staged ? { file: this.path, start: Math.min(span.start, staged.span.start), end: span.end } : span,
        };
      }
      default:
        throw BAIL;
    }
  }

  private braceSpan(lb: IToken, rb: IToken): Span {
    const start = lb.startOffset;
    return { file: this.path, start, end: Math.max(start, rb.startOffset + 1) };
  }

  private tierDecl(first: IToken): A.TierDecl {
    this.p++;
    const nameTok = this.eat(T.Ident);
    let orderTok: IToken | undefined;
    let actTok: IToken | undefined;
    if (this.is(T.Order)) {
      this.p++;
      orderTok = this.eat(T.Number);
    }
    if (this.is(T.Default)) {
      this.p++;
      if (this.is(T.Pass) || this.is(T.Deny)) actTok = this.toks[this.p++]!;
      else throw BAIL;
    }
    const span = this.spanFrom(first);
    const order = orderTok ? this.number(orderTok) : undefined;
    return {
      kind: "Tier",
      name: this.ident(nameTok),
      ...(order ? { order } : {}),
      ...(actTok ? { defaultAction: { value: actTok.image as "pass" | "deny", span: this.tokSpan(actTok) } } : {}),
      span,
    };
  }

  private policyDecl(staged: A.Keyword | undefined): A.PolicyDecl {
    const flavorTok = this.toks[this.p++]!;
    const nameTok = this.eat(T.Ident);
    this.eat(T.In);
    const tierTok = this.eat(T.Ident);
    let nsTok: IToken | undefined;
    let orderTok: IToken | undefined;
    if (this.is(T.Namespace)) {
      this.p++;
      nsTok = this.eatString();
    }
    if (this.is(T.Order)) {
      this.p++;
      orderTok = this.eat(T.Number);
    }
    const lb = this.eat(T.LBrace);
    let appliesTo: A.AppliesTo | undefined;
    const rules: A.Rule[] = [];
    for (;;) {
      if (this.is(T.Applies)) {
        if (appliesTo) throw BAIL; // POL0206
        appliesTo = this.appliesTo();
      } else if (this.is(T.Ingress) || this.is(T.Egress)) rules.push(this.rule());
      else break;
    }
    const rb = this.eat(T.RBrace);
    const span = this.spanFrom(flavorTok);
    const order = orderTok ? this.number(orderTok) : undefined;
    return {
      kind: "Policy",
      flavor: flavorTok.tokenType === T.Guardrail ? "guardrail" : "policy",
      ...(staged ? { staged } : {}),
      name: this.ident(nameTok),
      tier: this.ident(tierTok),
      ...(nsTok ? { namespace: this.string(nsTok) } : {}),
      ...(order ? { order } : {}),
      ...(appliesTo ? { appliesTo } : {}),
      rules,
      bodySpan: this.braceSpan(lb, rb),
      span: staged ? { file: this.path, start: Math.min(span.start, staged.span.start), end: span.end } : span,
    };
  }

  private appliesTo(): A.AppliesTo {
    const first = this.eat(T.Applies);
    this.eat(T.To);
    const selector = this.selExpr();
    let except: A.SelExpr | undefined;
    if (this.is(T.Except)) {
      this.p++;
      except = this.selExpr();
    }
    return { kind: "AppliesTo", selector, ...(except ? { except } : {}), span: this.spanFrom(first) };
  }

  private rule(): A.Rule {
    const dirTok = this.toks[this.p++]!;
    const k = this.type(0);
    if (k !== T.Allow && k !== T.Deny && k !== T.Pass && k !== T.Log) throw BAIL;
    const actTok = this.toks[this.p++]!;
    let services: A.ServiceItem[] | undefined;
    if (this.is(T.PortSpec) || this.is(T.Ident)) services = this.services();
    let from: A.Peer | undefined;
    let to: A.Peer | undefined;
    if (this.is(T.From)) {
      this.p++;
      from = this.peer();
    }
    if (this.is(T.To)) {
      this.p++;
      to = this.peer();
    }
    return {
      kind: "Rule",
      direction: dirTok.image === "egress" ? "egress" : "ingress",
      directionSpan: this.tokSpan(dirTok),
      action: actTok.image as A.RuleAction,
      actionSpan: this.tokSpan(actTok),
      services: services ?? [],
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      span: this.spanFrom(dirTok),
    };
  }

  private services(): A.ServiceItem[] {
    const out: A.ServiceItem[] = [];
    for (;;) {
      const t = this.type(0);
      if (t === T.PortSpec) out.push(this.lit.portSpec(this.toks[this.p++]!));
      else if (t === T.Ident) {
        const it = this.toks[this.p++]!;
        out.push({ kind: "NameRef", name: this.ident(it), span: this.tokSpan(it) });
      } else throw BAIL;
      if (!this.is(T.Comma)) return out;
      this.p++;
    }
  }

  private peer(): A.Peer {
    if (this.p >= this.n) throw BAIL;
    const first = this.toks[this.p]!;
    const items: A.PeerItem[] = [];
    const except: A.PeerItem[] = [];
    for (;;) {
      items.push(this.peerItem());
      if (!this.is(T.Comma)) break;
      this.p++;
    }
    if (this.is(T.Except)) {
      this.p++;
      for (;;) {
        except.push(this.peerItem());
        if (!this.is(T.Comma)) break;
        this.p++;
      }
    }
    return { kind: "Peer", items, except, span: this.spanFrom(first) };
  }

  private peerItem(): A.PeerItem {
    if (this.p >= this.n) throw BAIL;
    const first = this.toks[this.p]!;
    let negated = false;
    if (first.tokenType === T.Not) {
      // chevrotain takes the `not` unless the tokens read as a label test on a key named `not`
      const k2 = this.type(1);
      if (k2 === T.EqEq || k2 === T.NotEq || k2 === T.Contains || k2 === T.Starts || k2 === T.Ends || k2 === T.Not || k2 === T.In || k2 === T.Eq) throw BAIL;
      negated = true;
      this.p++;
    }
    const k = this.type(0);
    let target: A.SelExpr | A.CidrLit;
    if (k === T.Cidr4 || k === T.Cidr6) target = this.lit.cidr(this.toks[this.p++]!);
    else target = this.selExpr();
    return { kind: "PeerItem", negated, target, span: this.spanFrom(first) };
  }

  private flowLine(): A.FlowLine {
    if (this.p >= this.n) throw BAIL;
    const first = this.toks[this.p]!;
    const from = this.peer();
    this.eat(T.Arrow);
    const to = this.peer();
    this.eat(T.Colon);
    const services = this.services();
    return { kind: "Flow", from, to, services, span: this.spanFrom(first) };
  }

  // ---------------------------------------------------------------- selectors
  private selExpr(): A.SelExpr {
    if (this.p >= this.n) throw BAIL;
    const first = this.toks[this.p]!;
    const e = this.andExpr();
    if (!this.is(T.OrOr)) return e;
    const operands: A.SelExpr[] = [e];
    while (this.is(T.OrOr)) {
      this.p++;
      operands.push(this.andExpr());
    }
    return { kind: "SelOr", operands, span: this.spanFrom(first) };
  }

  private andExpr(): A.SelExpr {
    if (this.p >= this.n) throw BAIL;
    const first = this.toks[this.p]!;
    const e = this.unary();
    if (!this.is(T.AndAnd)) return e;
    const operands: A.SelExpr[] = [e];
    while (this.is(T.AndAnd)) {
      this.p++;
      operands.push(this.unary());
    }
    return { kind: "SelAnd", operands, span: this.spanFrom(first) };
  }

  private unary(): A.SelExpr {
    const bangStart = this.p;
    while (this.is(T.Bang)) this.p++;
    const bangEnd = this.p;
    let e = this.primary();
    for (let i = bangEnd - 1; i >= bangStart; i--) {
      e = { kind: "SelNot", operand: e, span: { file: this.path, start: this.toks[i]!.startOffset, end: e.span.end } };
    }
    return e;
  }

  private primary(): A.SelExpr {
    if (this.p >= this.n) throw BAIL;
    const first = this.toks[this.p]!;
    const k = first.tokenType;
    const k2 = this.type(1);
    if (k === T.LParen) {
      this.p++;
      const inner = this.selExpr();
      this.eat(T.RParen);
      return { kind: "SelParen", inner, span: this.spanFrom(first) };
    }
    if (k === T.All && k2 === T.LParen) {
      this.p += 2;
      this.eat(T.RParen);
      return { kind: "SelAll", span: this.spanFrom(first) };
    }
    if (k === T.Has && k2 === T.LParen) {
      this.p += 2;
      let keyTok: IToken;
      if (this.is(T.LabelKey)) keyTok = this.toks[this.p++]!;
      else keyTok = this.eatName();
      this.eat(T.RParen);
      return { kind: "SelHas", key: { kind: "LabelKey", name: keyTok.image, span: this.tokSpan(keyTok) }, span: this.spanFrom(first) };
    }
    if (k === T.Selector && k2 === T.LParen) {
      this.p += 2;
      const s = this.eatString();
      this.eat(T.RParen);
      const span = this.spanFrom(first);
      return { kind: "SelRaw", text: this.string(s), span };
    }
    if (k === T.Namespace && (k2 === T.StringLit || k2 === T.UnterminatedString || k2 === T.In || k2 === T.LParen)) {
      this.p++;
      if (k2 === T.LParen) {
        this.p++;
        const selector = this.selExpr();
        this.eat(T.RParen);
        return { kind: "SelNamespaceLabels", selector, span: this.spanFrom(first) };
      }
      if (k2 === T.In) {
        this.p++;
        if (this.is(T.Ident)) {
          const ref = this.toks[this.p++]!;
          return { kind: "SelNamespaceIn", ref: this.ident(ref), span: this.spanFrom(first) };
        }
        const set = this.stringSet();
        const span = this.spanFrom(first);
        return { kind: "SelNamespaceIn", values: set.map((t) => this.string(t)), span };
      }
      const s = this.eatString();
      const span = this.spanFrom(first);
      return { kind: "SelNamespace", name: this.string(s), span };
    }
    if ((k === T.LabelKey || this.name[k.tokenTypeIdx!] === 1) && k2 !== undefined && this.labelOperator(k2)) return this.labelTest(first);
    if (k === T.Ident) {
      this.p++;
      return { kind: "SelRef", name: this.ident(first), span: this.tokSpan(first) };
    }
    throw BAIL;
  }

  /** parser.ts isLabelOperator, minus the `=` case (always an error). */
  private labelOperator(k2: TokenType): boolean {
    if (k2 === T.EqEq || k2 === T.NotEq || k2 === T.Contains || k2 === T.Starts || k2 === T.Ends) return true;
    if (k2 === T.In) return this.type(2) === T.LBrace;
    if (k2 === T.Not) return this.type(2) === T.In;
    if (k2 === T.Eq) throw BAIL;
    return false;
  }

  private labelTest(first: IToken): A.SelExpr {
    this.p++;
    const key: A.LabelKey = { kind: "LabelKey", name: first.image, span: this.tokSpan(first) };
    const op = this.type(0);
    if (op === T.EqEq || op === T.NotEq || op === T.Contains || op === T.Starts || op === T.Ends) {
      this.p++;
      if (op === T.Starts || op === T.Ends) this.eat(T.With);
      const s = this.eatString();
      const span = this.spanFrom(first);
      const cmp: A.CompareOp = op === T.EqEq ? "==" : op === T.NotEq ? "!=" : op === T.Contains ? "contains" : op === T.Starts ? "starts with" : "ends with";
      return { kind: "SelCompare", key, op: cmp, value: this.string(s), span };
    }
    let negated = false;
    if (op === T.Not) {
      this.p++;
      negated = true;
    }
    this.eat(T.In);
    const set = this.stringSet();
    const span = this.spanFrom(first);
    return { kind: "SelIn", key, negated, values: set.map((t) => this.string(t)), span };
  }

  private stringSet(): IToken[] {
    this.eat(T.LBrace);
    const out: IToken[] = [];
    while (this.is(T.StringLit) || this.is(T.UnterminatedString)) {
      out.push(this.eatString());
      if (this.is(T.Comma)) this.p++;
    }
    this.eat(T.RBrace);
    return out;
  }
}

/**
 * The AST of a clean token vector (no lexical problems), or undefined when the full path must run:
 * any syntax error, any literal cst-to-ast.ts would report, or a construct the fast path does not
 * decide on its own.
 */
export function fastParse(tokens: readonly IToken[], path: string, textLength: number, comments: A.Comment[]): A.File | undefined {
  const parser = new FastParser(tokens, path, textLength);
  try {
    const ast = parser.file(comments, textLength);
    return parser.lit.diagnostics.length === 0 ? ast : undefined;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

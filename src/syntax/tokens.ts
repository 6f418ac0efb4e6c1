// The .pol token vocabulary. Order matters: chevrotain tries token types in this order and takes the
// first match, so specific literals (port specs, CIDRs, dotted label keys) come before keywords and
// identifiers. Keywords use `longer_alt: Ident` so `ingress-gw` is an identifier, and belong to the
// `Name` category so they can be label keys (`tier == "web"`).

import { createToken, Lexer, type TokenType, type CustomPatternMatcherFunc } from "chevrotain";

export const Name = createToken({ name: "Name", pattern: Lexer.NA });
export const StringLike = createToken({ name: "StringLike", pattern: Lexer.NA });
export const CidrLike = createToken({ name: "CidrLike", pattern: Lexer.NA });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments", line_breaks: true });
/** A `/*` that never closes: reported, and swallows the rest of the file like a comment would. */
export const UnterminatedBlockComment = createToken({ name: "UnterminatedBlockComment", pattern: /\/\*[\s\S]*/, group: "bad", line_breaks: true });

export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/, categories: [StringLike] });
/** A string that reaches the end of its line: reported, and parsed as if it were closed there. */
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/, categories: [StringLike] });

export const PortSpec = createToken({
  name: "PortSpec",
  pattern: /(?:tcp|udp|sctp|udplite|icmpv6|icmp|proto)\/[A-Za-z0-9_-]*(?:\/[A-Za-z0-9_-]*)*/,
});

const HEX_OR_COLON = /[0-9A-Fa-f:.]/;
/** IPv6 literal: hex groups and colons (at least two), optional embedded IPv4 and `/prefix`. A custom
 *  matcher so that `api : http` or `a:b` never lex as addresses. */
const matchV6: CustomPatternMatcherFunc = (text, offset) => {
  let i = offset;
  let colons = 0;
  while (i < text.length && HEX_OR_COLON.test(text[i]!)) {
    if (text[i] === ":") colons++;
    i++;
  }
  if (colons < 2) return null;
  const body = text.slice(offset, i);
  if (!/^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4})+(?:\.\d+)*$/.test(body) && !/^::/.test(body)) return null;
  if (text[i] === "/") {
    let j = i + 1;
    while (j < text.length && /[0-9]/.test(text[j]!)) j++;
    if (j > i + 1) i = j;
  }
  // must not run into an identifier character (e.g. `dead:beef:x`)
  if (i < text.length && /[G-Zg-z_]/.test(text[i]!)) return null;
  const m = [text.slice(offset, i)] as unknown as RegExpExecArray;
  return m;
};
export const Cidr6 = createToken({ name: "Cidr6", pattern: { exec: matchV6 }, line_breaks: false, start_chars_hint: [..."0123456789abcdefABCDEF:"], categories: [CidrLike] });
export const Cidr4 = createToken({ name: "Cidr4", pattern: /\d+(?:\.\d+){2,}(?:\/\d*)?|\d+(?:\.\d+)?\/\d*/, categories: [CidrLike] });

export const LabelKey = createToken({ name: "LabelKey", pattern: /[A-Za-z_][A-Za-z0-9_-]*(?:[./][A-Za-z0-9_-]+)+/ });
export const Ident = createToken({ name: "Ident", pattern: /[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?/, categories: [Name] });

const KEYWORDS: Record<string, TokenType> = {};
function kw(word: string): TokenType {
  const t = createToken({ name: `Kw_${word}`, pattern: new RegExp(word), longer_alt: Ident, categories: [Name] });
  KEYWORDS[word] = t;
  return t;
}

export const Import = kw("import");
export const Tier = kw("tier");
export const Order = kw("order");
export const Default = kw("default");
export const Pass = kw("pass");
export const Deny = kw("deny");
export const Allow = kw("allow");
export const Log = kw("log");
export const Group = kw("group");
export const Namespaces = kw("namespaces");
export const Namespace = kw("namespace");
export const Net = kw("net");
export const Service = kw("service");
export const Guardrail = kw("guardrail");
export const Policy = kw("policy");
export const Staged = kw("staged");
export const Applies = kw("applies");
export const To = kw("to");
export const From = kw("from");
export const Except = kw("except");
export const Not = kw("not");
export const In = kw("in");
export const Ingress = kw("ingress");
export const Egress = kw("egress");
export const Flows = kw("flows");
export const Flow = kw("flow");
export const All = kw("all");
export const Has = kw("has");
export const Contains = kw("contains");
export const Starts = kw("starts");
export const Ends = kw("ends");
export const With = kw("with");
export const Selector = kw("selector");

export const Number = createToken({ name: "Number", pattern: /\d+(?:\.\d+)?/ });

export const Arrow = createToken({ name: "Arrow", pattern: /->/ });
export const EqEq = createToken({ name: "EqEq", pattern: /==/ });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/ });
export const AndAnd = createToken({ name: "AndAnd", pattern: /&&/ });
export const OrOr = createToken({ name: "OrOr", pattern: /\|\|/ });
export const Bang = createToken({ name: "Bang", pattern: /!/ });
export const Eq = createToken({ name: "Eq", pattern: /=/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/ });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
/** Lone `&` and `|`: not operators; lexed so the diagnostic can suggest `&&` / `||`. */
export const Amp = createToken({ name: "Amp", pattern: /&/ });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLit,
  UnterminatedString,
  PortSpec,
  Cidr4,
  Cidr6,
  LabelKey,
  ...Object.entries(KEYWORDS)
    .sort(([a], [b]) => b.length - a.length || (a < b ? -1 : 1))
    .map(([, t]) => t),
  Ident,
  Number,
  Arrow,
  EqEq,
  NotEq,
  AndAnd,
  OrOr,
  Bang,
  Eq,
  Colon,
  Comma,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Amp,
  Pipe,
  Name,
  StringLike,
  CidrLike,
];

export const keywordTokens: Readonly<Record<string, TokenType>> = KEYWORDS;

/** Words users read in messages, by token type name. */
export function describeTokenType(t: TokenType): string {
  const name = t.name;
  if (name.startsWith("Kw_")) return `\`${name.slice(3)}\``;
  switch (name) {
    case "Ident":
    case "Name":
      return "a name";
    case "LabelKey":
      return "a label key";
    case "StringLit":
    case "StringLike":
    case "UnterminatedString":
      return "a string";
    case "Number":
      return "a number";
    case "PortSpec":
      return "a port such as `tcp/80`";
    case "Cidr4":
    case "Cidr6":
    case "CidrLike":
      return "an address such as `10.0.0.0/8`";
    case "EOF":
      return "end of file";
    default: {
      const p = t.PATTERN;
      if (p instanceof RegExp) return `\`${p.source.replace(/\\/g, "")}\``;
      return name;
    }
  }
}

let lexer: Lexer | undefined;
export function polLexer(): Lexer {
  lexer ??= new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false });
  return lexer;
}

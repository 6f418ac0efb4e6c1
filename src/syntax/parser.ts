// The .pol grammar as a chevrotain CstParser: rules only, no semantics (cst-to-ast.ts builds the AST).
// Production names follow grammar/pol.ebnf. Error recovery is on: a failed rule re-syncs at the
// next token that can follow it (item keywords at top level, rule keywords and `}` in bodies).

import { CstParser, EOF, type IParserErrorMessageProvider, type TokenType, type IToken } from "chevrotain";
import * as T from "./tokens.js";

const RULE_HELP: Record<string, string> = {
  importDecl: 'an import looks like `import "std/k8s"`',
  tierDecl: "a tier looks like `tier app order 300 default pass`",
  groupDecl: 'a group looks like `group web = namespace "frontend" && app == "web"`',
  namespacesDecl: 'a namespaces list looks like `namespaces system = ["kube-system", "calico-system"]`',
  netDecl: "a net looks like `net private = 10.0.0.0/8, 172.16.0.0/12`",
  serviceDecl: "a service looks like `service dns = udp/53, tcp/53`",
  policyDecl: 'a policy looks like `policy name in tier [namespace "ns"] { applies to web  ingress allow http from api }`',
  body: "inside a policy: `applies to SELECTOR`, then rules such as `ingress allow http from web`",
  appliesTo: "write `applies to SELECTOR`, e.g. `applies to all()` or `applies to web except canary`",
  rule: "a rule looks like `ingress allow http from web` or `egress deny to not private`",
  flowsBlock: "a flows block looks like `flows in app { web -> api : http }`",
  flowLine: "a flow looks like `web -> api : http`",
  flowDecl: "a flow looks like `flow web -> api : http in app`",
  peer: "a peer is a group, net, CIDR, `namespace \"x\"` or selector, e.g. `from web, api except canary`",
  peerItem: "a peer is a group, net, CIDR, `namespace \"x\"` or selector",
  services: "services look like `http`, `tcp/80`, `udp/53, tcp/53`",
  selExpr: 'a selector looks like `app == "web" && has(tier)`',
  orExpr: 'a selector looks like `app == "web" || app == "api"`',
  andExpr: 'a selector looks like `app == "web" && has(tier)`',
  unary: 'a selector looks like `!has(canary)`',
  primary: 'a selector term is `all()`, `has(k)`, `k == "v"`, `k in {"a"}`, a group name, `namespace "x"` or `( ... )`',
  labelTest: 'a label test looks like `app == "web"`, `app in {"a", "b"}` or `app starts with "w"`',
  stringSet: 'a set looks like `{"a", "b"}`',
  item: "a file holds declarations: import, tier, group, namespaces, net, service, guardrail, policy, flows, flow",
};

const RULE_WHAT: Record<string, string> = {
  importDecl: "import",
  tierDecl: "tier declaration",
  groupDecl: "group declaration",
  namespacesDecl: "namespaces declaration",
  netDecl: "net declaration",
  serviceDecl: "service declaration",
  policyDecl: "policy",
  body: "policy body",
  appliesTo: "`applies to`",
  rule: "rule",
  flowsBlock: "flows block",
  flowLine: "flow",
  flowDecl: "flow",
  peer: "peer",
  peerItem: "peer",
  services: "service list",
  selExpr: "selector",
  orExpr: "selector",
  andExpr: "selector",
  unary: "selector",
  primary: "selector",
  labelTest: "label test",
  stringSet: "string set",
  item: "file",
};

export function ruleHelp(rule: string | undefined): string | undefined {
  return rule ? RULE_HELP[rule] : undefined;
}

function tokenText(t: IToken): string {
  if (t.tokenType === EOF) return "end of file";
  const img = t.image.length > 30 ? `${t.image.slice(0, 27)}...` : t.image;
  return `\`${img}\``;
}

function alternatives(paths: TokenType[][][]): string {
  const seen = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) seen.add(T.describeTokenType(path[0]));
  const list = [...seen];
  if (list.length === 0) return "something else";
  if (list.length === 1) return list[0]!;
  if (list.length > 6) return `${list.slice(0, 5).join(", ")} or another form`;
  return `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    if (expected === EOF) return `unexpected ${tokenText(actual)}`;
    return `expected ${T.describeTokenType(expected)} in ${RULE_WHAT[ruleName] ?? ruleName}, found ${tokenText(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${tokenText(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    if (ruleName === "primary" || ruleName === "peerItem") return `expected a selector, found ${tokenText(actual[0]!)}`;
    return `expected ${alternatives(expectedPathsPerAlt)} in ${RULE_WHAT[ruleName] ?? ruleName}, found ${tokenText(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    return `expected ${alternatives([expectedIterationPaths])} in ${RULE_WHAT[ruleName] ?? ruleName}, found ${tokenText(actual[0]!)}`;
  },
};

export class PolParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, nodeLocationTracking: "onlyOffset", maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  item = this.RULE("item", () => {
    this.OPTION(() => this.CONSUME(T.Staged));
    this.OR([
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.tierDecl) },
      { ALT: () => this.SUBRULE(this.groupDecl) },
      { ALT: () => this.SUBRULE(this.namespacesDecl) },
      { ALT: () => this.SUBRULE(this.netDecl) },
      { ALT: () => this.SUBRULE(this.serviceDecl) },
      { ALT: () => this.SUBRULE(this.policyDecl) },
      { ALT: () => this.SUBRULE(this.flowsBlock) },
      { ALT: () => this.SUBRULE(this.flowDecl) },
    ]);
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLike);
  });

  tierDecl = this.RULE("tierDecl", () => {
    this.CONSUME(T.Tier);
    this.CONSUME(T.Ident);
    this.OPTION(() => {
      this.CONSUME(T.Order);
      this.CONSUME(T.Number);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Default);
      this.OR([{ ALT: () => this.CONSUME(T.Pass) }, { ALT: () => this.CONSUME(T.Deny) }]);
    });
  });

  groupDecl = this.RULE("groupDecl", () => {
    this.CONSUME(T.Group);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.selExpr);
  });

  namespacesDecl = this.RULE("namespacesDecl", () => {
    this.CONSUME(T.Namespaces);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Eq);
    this.CONSUME(T.LBracket);
    this.MANY(() => {
      this.CONSUME(T.StringLike);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  netDecl = this.RULE("netDecl", () => {
    this.CONSUME(T.Net);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Eq);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => this.OR([{ ALT: () => this.CONSUME(T.CidrLike) }, { ALT: () => this.CONSUME2(T.Ident) }]),
    });
  });

  serviceDecl = this.RULE("serviceDecl", () => {
    this.CONSUME(T.Service);
    this.CONSUME(T.Ident);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.services);
  });

  services = this.RULE("services", () => {
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => this.OR([{ ALT: () => this.CONSUME(T.PortSpec) }, { ALT: () => this.CONSUME(T.Ident) }]),
    });
  });

  policyDecl = this.RULE("policyDecl", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Guardrail) }, { ALT: () => this.CONSUME(T.Policy) }]);
    this.CONSUME(T.Ident);
    this.CONSUME(T.In);
    this.CONSUME2(T.Ident);
    this.OPTION(() => {
      this.CONSUME(T.Namespace);
      this.CONSUME(T.StringLike);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Order);
      this.CONSUME(T.Number);
    });
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.body);
    this.CONSUME(T.RBrace);
  });

  body = this.RULE("body", () => {
    this.MANY(() => this.OR([{ ALT: () => this.SUBRULE(this.appliesTo) }, { ALT: () => this.SUBRULE(this.rule) }]));
  });

  appliesTo = this.RULE("appliesTo", () => {
    this.CONSUME(T.Applies);
    this.CONSUME(T.To);
    this.SUBRULE(this.selExpr);
    this.OPTION(() => {
      this.CONSUME(T.Except);
      this.SUBRULE2(this.selExpr);
    });
  });

  rule = this.RULE("rule", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Ingress) }, { ALT: () => this.CONSUME(T.Egress) }]);
    this.OR2([
      { ALT: () => this.CONSUME(T.Allow) },
      { ALT: () => this.CONSUME(T.Deny) },
      { ALT: () => this.CONSUME(T.Pass) },
      { ALT: () => this.CONSUME(T.Log) },
    ]);
    this.OPTION(() => this.SUBRULE(this.services));
    this.OPTION2(() => {
      this.CONSUME(T.From);
      this.SUBRULE(this.peer);
    });
    this.OPTION3(() => {
      this.CONSUME(T.To);
      this.SUBRULE2(this.peer);
    });
  });

  peer = this.RULE("peer", () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.peerItem) });
    this.OPTION(() => {
      this.CONSUME(T.Except);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.peerItem) });
    });
  });

  peerItem = this.RULE("peerItem", () => {
    this.OPTION(() => this.CONSUME(T.Not));
    this.OR([{ ALT: () => this.CONSUME(T.CidrLike) }, { ALT: () => this.SUBRULE(this.selExpr) }]);
  });

  flowsBlock = this.RULE("flowsBlock", () => {
    this.CONSUME(T.Flows);
    this.CONSUME(T.In);
    this.CONSUME(T.Ident);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.flowLine));
    this.CONSUME(T.RBrace);
  });

  flowLine = this.RULE("flowLine", () => {
    this.SUBRULE(this.peer);
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.peer);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.services);
  });

  flowDecl = this.RULE("flowDecl", () => {
    this.CONSUME(T.Flow);
    this.SUBRULE(this.flowLine);
    this.OPTION(() => {
      this.CONSUME(T.In);
      this.CONSUME(T.Ident);
    });
  });

  // Selectors: `||` < `&&` < `!` < primary. Repetition instead of recursion for `!` chains.
  selExpr = this.RULE("selExpr", () => {
    this.SUBRULE(this.orExpr);
  });

  orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.OrOr);
      this.SUBRULE2(this.andExpr);
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.AndAnd);
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE("unary", () => {
    this.MANY(() => this.CONSUME(T.Bang));
    this.SUBRULE(this.primary);
  });

  primary = this.RULE("primary", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.selExpr);
            this.CONSUME(T.RParen);
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.LParen,
          ALT: () => {
            this.CONSUME(T.All);
            this.CONSUME2(T.LParen);
            this.CONSUME2(T.RParen);
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.LParen,
          ALT: () => {
            this.CONSUME(T.Has);
            this.CONSUME3(T.LParen);
            this.OR2([{ ALT: () => this.CONSUME(T.LabelKey) }, { ALT: () => this.CONSUME(T.Name) }]);
            this.CONSUME3(T.RParen);
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.LParen,
          ALT: () => {
            this.CONSUME(T.Selector);
            this.CONSUME4(T.LParen);
            this.CONSUME(T.StringLike);
            this.CONSUME4(T.RParen);
          },
        },
        {
          // namespace "x" | namespace in NAME | namespace in {..} | namespace( SELECTOR )
          GATE: () => {
            const next = this.LA(2).tokenType;
            return next === T.StringLit || next === T.UnterminatedString || next === T.In || next === T.LParen;
          },
          ALT: () => {
            this.CONSUME(T.Namespace);
            this.OR3([
              { ALT: () => this.CONSUME2(T.StringLike) },
              {
                ALT: () => {
                  this.CONSUME(T.In);
                  this.OR4([{ ALT: () => this.CONSUME(T.Ident) }, { ALT: () => this.SUBRULE(this.stringSet) }]);
                },
              },
              {
                ALT: () => {
                  this.CONSUME5(T.LParen);
                  this.SUBRULE2(this.selExpr);
                  this.CONSUME5(T.RParen);
                },
              },
            ]);
          },
        },
        {
          GATE: () => isLabelOperator(this.LA(2), this.LA(3)),
          ALT: () => this.SUBRULE(this.labelTest),
        },
        { ALT: () => this.CONSUME2(T.Ident) },
      ],
    });
  });

  labelTest = this.RULE("labelTest", () => {
    this.OR([{ ALT: () => this.CONSUME(T.LabelKey) }, { ALT: () => this.CONSUME(T.Name) }]);
    this.OR2([
      {
        ALT: () => {
          this.OR3([{ ALT: () => this.CONSUME(T.EqEq) }, { ALT: () => this.CONSUME(T.NotEq) }, { ALT: () => this.CONSUME(T.Contains) }]);
          this.CONSUME(T.StringLike);
        },
      },
      {
        ALT: () => {
          this.OR4([{ ALT: () => this.CONSUME(T.Starts) }, { ALT: () => this.CONSUME(T.Ends) }]);
          this.CONSUME(T.With);
          this.CONSUME2(T.StringLike);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not));
          this.CONSUME(T.In);
          this.SUBRULE(this.stringSet);
        },
      },
    ]);
  });

  stringSet = this.RULE("stringSet", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.CONSUME(T.StringLike);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });
}

/** Whether the tokens after a name make it a label test (`k == "v"`, `k in {…}`, `k starts with …`). */
function isLabelOperator(t2: IToken, t3: IToken): boolean {
  const k = t2.tokenType;
  if (k === T.EqEq || k === T.NotEq || k === T.Contains || k === T.Starts || k === T.Ends) return true;
  if (k === T.In) return t3.tokenType === T.LBrace;
  if (k === T.Not) return t3.tokenType === T.In;
  // a single `=` where `==` was meant: parse as a label test so the error says "expected `==`"
  if (k === T.Eq) return t3.tokenType === T.StringLit;
  return false;
}

let instance: PolParser | undefined;
export function polParser(): PolParser {
  instance ??= new PolParser();
  return instance;
}

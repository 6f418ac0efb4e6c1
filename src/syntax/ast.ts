// The `.pol` abstract syntax tree. Plain, immutable objects; every node has a `kind` and an exact span
// (half-open UTF-16 offsets into its file). Built only by `cst-to-ast.ts`; read by the checker, the
// formatter and the language tooling. Comments are kept on `File.comments` for the formatter.
//
// Nodes produced from input that error recovery had to patch carry `recovered: true`; later stages
// skip checks on them to avoid cascades.

import type { Span } from "../source.js";

interface NodeBase {
  readonly span: Span;
  readonly recovered?: boolean;
}

export interface Ident extends NodeBase {
  readonly kind: "Ident";
  readonly name: string;
}

export interface StringLit extends NodeBase {
  readonly kind: "String";
  /** The decoded value (escapes `\"` and `\\` resolved). */
  readonly value: string;
}

export interface NumberLit extends NodeBase {
  readonly kind: "Number";
  readonly value: number;
  /** Source text, e.g. `100` or `100.5`. */
  readonly text: string;
}

/** An IPv4/IPv6 address or CIDR literal, e.g. `10.0.0.0/8`, `10.96.0.1`, `fd00::/8`. Well-formed
 *  (octets, groups, prefix length in range) once past the front end; host bits are checked later. */
export interface CidrLit extends NodeBase {
  readonly kind: "Cidr";
  readonly text: string;
  readonly family: 4 | 6;
}

export type ProtocolName = "tcp" | "udp" | "sctp" | "udplite" | "icmp" | "icmpv6";

/** A literal service item such as `tcp/80`, `tcp/8000-8080`, `udp/dns` (named port), `icmp/8`,
 *  `icmp/3/4` (type 3 code 4), `proto/47`. A bare protocol (`tcp`) is a name reference instead. */
export interface PortSpec extends NodeBase {
  readonly kind: "PortSpec";
  readonly text: string;
  readonly protocol: ProtocolName | number;
  /** tcp/udp/sctp/udplite: a port or an inclusive range (from <= to, 1..65535). */
  readonly ports?: { readonly from: number; readonly to: number };
  /** tcp/udp/sctp: a named port (Kubernetes IANA_SVC_NAME). */
  readonly namedPort?: string;
  /** icmp/icmpv6: type and optional code. */
  readonly icmp?: { readonly type: number; readonly code?: number };
}

/** A reference to a declared (or standard-library) name. */
export interface NameRef extends NodeBase {
  readonly kind: "NameRef";
  readonly name: Ident;
}

// ---------------------------------------------------------------------------------------------
// Selector expressions (the `.pol` surface form; resolved to selector/ast.ts `Sel` by the checker)

/** A label key: a plain identifier or a dotted/slashed key such as `kubernetes.io/metadata.name`.
 *  Keywords are valid label keys in label position (`tier == "web"`). */
export interface LabelKey extends NodeBase {
  readonly kind: "LabelKey";
  readonly name: string;
}

export type CompareOp = "==" | "!=" | "contains" | "starts with" | "ends with";

export type SelExpr =
  | SelOr
  | SelAnd
  | SelNot
  | SelParen
  | SelAll
  | SelHas
  | SelCompare
  | SelIn
  | SelRef
  | SelNamespace
  | SelNamespaceIn
  | SelNamespaceLabels
  | SelRaw;

export interface SelOr extends NodeBase {
  readonly kind: "SelOr";
  readonly operands: readonly SelExpr[]; // >= 2
}
export interface SelAnd extends NodeBase {
  readonly kind: "SelAnd";
  readonly operands: readonly SelExpr[]; // >= 2
}
export interface SelNot extends NodeBase {
  readonly kind: "SelNot"; // `!e`
  readonly operand: SelExpr;
}
export interface SelParen extends NodeBase {
  readonly kind: "SelParen"; // `( e )`, kept so explicit grouping survives
  readonly inner: SelExpr;
}
export interface SelAll extends NodeBase {
  readonly kind: "SelAll"; // `all()`
}
export interface SelHas extends NodeBase {
  readonly kind: "SelHas"; // `has(key)`
  readonly key: LabelKey;
}
export interface SelCompare extends NodeBase {
  readonly kind: "SelCompare"; // `key == "v"`, `key != "v"`, `key contains "v"`, `key starts with "v"`, `key ends with "v"`
  readonly key: LabelKey;
  readonly op: CompareOp;
  readonly value: StringLit;
}
export interface SelIn extends NodeBase {
  readonly kind: "SelIn"; // `key in {"a", "b"}` / `key not in {...}`
  readonly key: LabelKey;
  readonly negated: boolean;
  readonly values: readonly StringLit[];
}
export interface SelRef extends NodeBase {
  readonly kind: "SelRef"; // a group (or, in peers, a net / namespaces) name
  readonly name: Ident;
}
export interface SelNamespace extends NodeBase {
  readonly kind: "SelNamespace"; // `namespace "frontend"`
  readonly name: StringLit;
}
export interface SelNamespaceIn extends NodeBase {
  readonly kind: "SelNamespaceIn"; // `namespace in system` (a Namespaces name) or `namespace in {"a", "b"}`
  readonly ref?: Ident;
  readonly values?: readonly StringLit[];
}
export interface SelNamespaceLabels extends NodeBase {
  readonly kind: "SelNamespaceLabels"; // `namespace(team == "pay")`: namespaces whose labels match
  readonly selector: SelExpr;
}
export interface SelRaw extends NodeBase {
  readonly kind: "SelRaw"; // `selector("app == 'x' && has(y)")`: a raw Calico selector string
  readonly text: StringLit;
}

// ---------------------------------------------------------------------------------------------
// Peers: the remote side of a rule, and each end of a flow.
// Meaning: (union of `items`) minus (union of `except`); an empty `items` list never occurs (a rule
// without a peer has `from`/`to` undefined, meaning "any peer").
// `not X` is a complement over all traffic (Calico notSelector / notNets); `!` inside a selector only
// negates a label test over known endpoints.

export interface PeerItem extends NodeBase {
  readonly kind: "PeerItem";
  readonly negated: boolean; // `not X`
  readonly target: SelExpr | CidrLit;
}

export interface Peer extends NodeBase {
  readonly kind: "Peer";
  readonly items: readonly PeerItem[];
  readonly except: readonly PeerItem[];
}

export type ServiceItem = PortSpec | NameRef;

// ---------------------------------------------------------------------------------------------
// Declarations

export interface Keyword extends NodeBase {
  readonly kind: "Keyword";
  readonly text: string;
}

export interface Import extends NodeBase {
  readonly kind: "Import"; // import "std/k8s"  |  import "./common"
  readonly path: StringLit;
}

export interface TierDecl extends NodeBase {
  readonly kind: "Tier"; // tier NAME order N default pass|deny
  readonly name: Ident;
  readonly order?: NumberLit;
  readonly defaultAction?: { readonly value: "pass" | "deny"; readonly span: Span };
}

export interface GroupDecl extends NodeBase {
  readonly kind: "Group"; // group NAME = <selector>
  readonly name: Ident;
  readonly value: SelExpr;
}

export interface NamespacesDecl extends NodeBase {
  readonly kind: "Namespaces"; // namespaces NAME = ["a", "b"]
  readonly name: Ident;
  readonly values: readonly StringLit[];
}

export type NetItem = CidrLit | NameRef;

export interface NetDecl extends NodeBase {
  readonly kind: "Net"; // net NAME = 10.0.0.0/8, other-net
  readonly name: Ident;
  readonly items: readonly NetItem[];
}

export interface ServiceDecl extends NodeBase {
  readonly kind: "Service"; // service NAME = tcp/80, udp/53, other-service
  readonly name: Ident;
  readonly items: readonly ServiceItem[];
}

export type Direction = "ingress" | "egress";
export type RuleAction = "allow" | "deny" | "pass" | "log";

export interface AppliesTo extends NodeBase {
  readonly kind: "AppliesTo"; // applies to SEL [except SEL]
  readonly selector: SelExpr;
  readonly except?: SelExpr;
}

export interface Rule extends NodeBase {
  readonly kind: "Rule"; // ingress|egress ACTION [services] [from PEER] [to PEER]
  readonly direction: Direction;
  readonly directionSpan: Span;
  readonly action: RuleAction;
  readonly actionSpan: Span;
  readonly services: readonly ServiceItem[];
  readonly from?: Peer;
  readonly to?: Peer;
}

export interface PolicyDecl extends NodeBase {
  readonly kind: "Policy"; // [staged] guardrail|policy NAME in TIER [namespace "ns"] [order N] { ... }
  readonly flavor: "guardrail" | "policy";
  readonly staged?: Keyword;
  readonly name: Ident;
  readonly tier: Ident;
  readonly namespace?: StringLit;
  readonly order?: NumberLit;
  readonly appliesTo?: AppliesTo;
  readonly rules: readonly Rule[];
  /** Span of the `{ ... }` body, braces included (for dangling comments). */
  readonly bodySpan: Span;
}

export interface FlowLine extends NodeBase {
  readonly kind: "Flow"; // A -> B : SERVICES
  readonly from: Peer;
  readonly to: Peer;
  readonly services: readonly ServiceItem[];
}

export interface FlowsBlock extends NodeBase {
  readonly kind: "Flows"; // [staged] flows in TIER { FLOW* }
  readonly staged?: Keyword;
  readonly tier: Ident;
  readonly flows: readonly FlowLine[];
  readonly bodySpan: Span;
}

export interface FlowDecl extends NodeBase {
  readonly kind: "FlowDecl"; // [staged] flow A -> B : SERVICES [in TIER]   (no tier: Calico's `default` tier)
  readonly staged?: Keyword;
  readonly flow: FlowLine;
  readonly tier?: Ident;
}

export type Item =
  | Import
  | TierDecl
  | GroupDecl
  | NamespacesDecl
  | NetDecl
  | ServiceDecl
  | PolicyDecl
  | FlowsBlock
  | FlowDecl;

export interface Comment extends NodeBase {
  readonly kind: "Comment";
  /** Raw text including the delimiters: `// note` or `/* note *\/`. */
  readonly text: string;
  readonly block: boolean;
}

export interface File extends NodeBase {
  readonly kind: "File";
  readonly path: string;
  readonly items: readonly Item[];
  readonly comments: readonly Comment[];
}

export type AnyNode =
  | File
  | Item
  | Comment
  | Ident
  | StringLit
  | NumberLit
  | CidrLit
  | PortSpec
  | NameRef
  | LabelKey
  | SelExpr
  | PeerItem
  | Peer
  | AppliesTo
  | Rule
  | FlowLine
  | Keyword;

// Diagnostic codes of the front end (files, lexing, literals, syntax). See src/diag/code-info.ts.

import type { CodeInfo } from "../diag/code-info.js";

export const SYNTAX_CODES: readonly CodeInfo[] = [
  {
    code: "POL0001",
    title: "binary file",
    severity: "error",
    explanation: `The file contains NUL bytes, so it is not a .pol text file. polc reads UTF-8 text only.

This usually means a directory given to \`polc check\` contains something else with a .pol name, or a
file was saved in UTF-16. Pass only .pol sources, or re-save the file as UTF-8.`,
  },
  {
    code: "POL0002",
    title: "invalid UTF-8",
    severity: "error",
    explanation: `The file is not valid UTF-8. polc sources are UTF-8 text; the diagnostic points at the first
byte that does not decode. Re-save the file as UTF-8 (a byte-order mark is accepted and ignored).`,
  },
  {
    code: "POL0101",
    title: "unexpected character",
    severity: "error",
    explanation: `A character that cannot start any token of the language, e.g. \`$\`, \`;\` or \`@\`.

Names use letters, digits, \`-\` and \`_\`; label keys may also contain \`.\` and \`/\`
(\`kubernetes.io/metadata.name\`); strings are written in double quotes. Statements need no
terminator: remove stray semicolons.`,
  },
  {
    code: "POL0102",
    title: "unterminated string",
    severity: "error",
    explanation: `A string opened with \`"\` is not closed on the same line. Strings cannot span lines (a label value
or selector with a newline is rejected by Calico's selector parser, which accepts only spaces and tabs).

    group web = app == "web        <- missing closing quote

The rest of the line is read as the string so that parsing can continue.`,
  },
  {
    code: "POL0103",
    title: "single `&` or `|`",
    severity: "error",
    explanation: `Selectors combine terms with \`&&\` (and) and \`||\` (or), as Calico does. A single \`&\` or \`|\` is
not an operator. polc reports it and reads it as the double form so the rest of the file is checked.

    group web = app == "web" & tier == "frontend"     // write &&`,
  },
  {
    code: "POL0104",
    title: "unknown escape in string",
    severity: "error",
    explanation: `Inside a string only \`\\"\` (a double quote) and \`\\\\\` (a backslash) are escapes. Calico label values
cannot contain control characters, so there is nothing else to escape: write other characters as they are.`,
  },
  {
    code: "POL0105",
    title: "unterminated block comment",
    severity: "error",
    explanation: `A \`/*\` comment is never closed with \`*/\`, so the rest of the file would be a comment. Close it, or use
\`//\` line comments.`,
  },
  {
    code: "POL0110",
    title: "invalid address or CIDR",
    severity: "error",
    explanation: `An address literal is malformed: an IPv4 octet above 255 (\`300.1.1.1/8\`), a prefix length beyond the
family's size (\`10.0.0.1/33\`, \`fd00::/129\`), a missing part (\`10.0.0/8\`) or an invalid IPv6 form.

Calico rejects such values in API-server mode, and in native-CRD mode the policy reaches Felix and is
dropped as invalid, which silently removes a deny policy (fail open). Write \`10.0.0.0/8\`, \`10.96.0.1\`
(a single address) or \`fd00::/8\`.`,
  },
  {
    code: "POL0112",
    title: "port out of range",
    severity: "error",
    explanation: `Ports go from 1 to 65535. Calico rejects port 0 ("port range invalid, port number must be between 1
and 65535"). For every port of a protocol write the bare protocol: \`tcp\`.`,
  },
  {
    code: "POL0113",
    title: "reversed port range",
    severity: "error",
    explanation: `A port range is written \`FROM-TO\` with FROM <= TO, e.g. \`tcp/8000-8080\`. Calico rejects a range whose
minimum is above its maximum.`,
  },
  {
    code: "POL0114",
    title: "invalid port name",
    severity: "error",
    explanation: `After \`tcp/\`, \`udp/\` or \`sctp/\` comes a port number, a range, or the name of a container port. Port
names follow Kubernetes' IANA_SVC_NAME rule: at most 15 characters from a-z, 0-9 and \`-\`, at least one
letter, no leading, trailing or double \`-\`.

A classic mistake this catches: in Calico YAML, \`ports: ["1000-2000"]\` is parsed as a *named* port and
the whole policy is dropped by Felix. In .pol, \`tcp/1000-2000\` is a range and \`tcp/http\` a name.`,
  },
  {
    code: "POL0115",
    title: "invalid ICMP type or code",
    severity: "error",
    explanation: `ICMP matches are written \`icmp/TYPE\` or \`icmp/TYPE/CODE\` (likewise \`icmpv6\`). Calico accepts types
0 to 254 and codes 0 to 255, and a code only together with a type.`,
  },
  {
    code: "POL0116",
    title: "invalid protocol number",
    severity: "error",
    explanation: `\`proto/N\` names an IP protocol by number, 1 to 255 (Calico rejects 0). Use the names \`tcp\`, \`udp\`,
\`sctp\`, \`udplite\`, \`icmp\` and \`icmpv6\` for those protocols.`,
  },
  {
    code: "POL0117",
    title: "malformed port",
    severity: "error",
    explanation: `A port literal must be \`PROTOCOL/PORT\`, \`PROTOCOL/FROM-TO\` or \`PROTOCOL/NAME\`, e.g. \`tcp/80\`,
\`tcp/8000-8080\`, \`tcp/http\`. For every port of a protocol write the protocol alone: \`tcp\`.`,
  },
  {
    code: "POL0118",
    title: "number out of range",
    severity: "error",
    explanation: `An order or other number is too large to be represented exactly. Use a number up to 2^53 - 1; tier
and policy orders are usually small (100, 200, …).`,
  },
  {
    code: "POL0201",
    title: "syntax error",
    severity: "error",
    explanation: `The parser expected something else at this point; the message says what it expected and what it
found, and the help line shows the shape of the construct. polc recovers and keeps parsing, so every
syntax error of a file is reported in one run; fix the first ones first, as later errors can be
consequences.

    tier app order 300 default pass
    flows in app { web -> api  http }      // expected \`:\` in flow, found \`http\``,
  },
  {
    code: "POL0202",
    title: "unexpected token",
    severity: "error",
    explanation: `A token that cannot continue the current declaration and cannot start a new one. Every top-level item
starts with a keyword: import, tier, group, namespaces, net, service, guardrail, policy, flows, flow or
staged. A common cause is \`=\` instead of \`==\` in a selector.`,
  },
  {
    code: "POL0203",
    title: "selector nested too deeply",
    severity: "error",
    explanation: `A selector has more than 64 levels of parentheses. Such input is almost certainly generated or
corrupt; polc refuses to parse it rather than risk exhausting the stack, and skips the declaration that
contains it. \`&&\` binds tighter than \`||\`, so real selectors need few parentheses.`,
  },
  {
    code: "POL0204",
    title: "too many syntax errors",
    severity: "error",
    explanation: `After 100 syntax errors in one file polc stops listing them. Fix the first errors and check again;
most later errors are usually consequences of the first few.`,
  },
  {
    code: "POL0205",
    title: "`staged` on something that cannot be staged",
    severity: "error",
    explanation: `\`staged\` marks a guardrail, policy, flows block or flow as observe-only: it compiles to Calico's staged
kinds, which are never enforced and show up only as the *pending* verdict in flow logs. Tiers, groups,
nets, services and imports have no enforcement to stage.`,
  },
  {
    code: "POL0206",
    title: "more than one `applies to`",
    severity: "error",
    explanation: `A policy or guardrail selects its endpoints with a single \`applies to SELECTOR [except SELECTOR]\`.
Combine several with \`||\`: \`applies to web || api\`.`,
  },
  {
    code: "POL0299",
    title: "internal parser error",
    severity: "error",
    explanation: `The parser hit a bug. The file was not parsed. Please report the input that caused it; polc turns the
failure into this diagnostic instead of crashing.`,
  },
];

// Diagnostic codes of this stage. See src/diag/code-info.ts for the ranges.
// POL1xxx: files, imports, names, scopes and types. POL2xxx: values and Calico validation.
// POL30xx-POL31xx: semantic warnings (POL32xx and up belong to the analysis).

import type { CodeInfo } from "../diag/code-info.js";

const code = (code: string, severity: CodeInfo["severity"], title: string, explanation: string): CodeInfo => ({
  code,
  title,
  severity,
  explanation: explanation.trim(),
});

export const SEMANTIC_CODES: readonly CodeInfo[] = [
  // ---- files and imports ----
  code("POL1001", "error", "cannot read file", `
A file named on the command line, or loaded through an import, could not be read.

Example: \`polc check policy/app.pol\` when the file was moved.
Fix: check the path and the file's permissions.`),
  code("POL1002", "error", "file outside the project root", `
Every compiled file must lie below the project root (\`--root\`, default: the current directory).
Paths shown in messages and written into the generated objects' annotations are relative to it,
and imports cannot leave it, so a file outside it cannot be part of the program.

Example: \`polc check ../other/policy.pol\` run from \`project/\`.
Fix: run polc from a directory that contains every file, or pass \`--root\`.`),
  code("POL1003", "error", "absolute import path", `
Imports are relative to the importing file (\`import "./lib/nets"\`) or name a standard-library
module (\`import "std/k8s"\`). An absolute path would make the project compile differently on every
machine.

Example: \`import "/home/me/nets.pol"\`
Fix: write the path relative to the importing file.`),
  code("POL1004", "error", "import leaves the project root", `
An import path resolves, through \`..\`, to a file outside the project root (\`--root\`, default:
the current directory). Imports are confined to the project so that a checkout compiles on its
own. Standard-library files are likewise confined to the standard library.

Example: \`import "../../shared/nets"\` from \`policy/app.pol\` with the root \`policy/..\`.
Fix: move the file into the project, or widen \`--root\`.`),
  code("POL1005", "error", "imported file not found", `
The file an import names does not exist (or the path names a directory, or is empty). Project
imports are relative to the importing file, and \`.pol\` may be left out.

Example: \`import "./comon"\` when the file is \`common.pol\`.
Fix: correct the path; the help line suggests a file with a similar name when there is one.`),
  code("POL1006", "error", "unknown standard-library module", `
\`import "std/NAME"\` loads \`stdlib/std/NAME.pol\`, and there is no such module. The standard library
has \`std/k8s\` (system namespaces, CoreDNS, the DNS service, the API server), \`std/services\`
(common ports) and \`std/nets\` (well-known address ranges); see docs/stdlib.md.

Example: \`import "std/kubernetes"\`
Fix: use one of the existing modules.`),
  code("POL1007", "error", "import cycle", `
Files import each other in a circle. All compiled files share one scope, so a file never needs to
import a file that imports it; a cycle is always a mistake in the project's layout. The message
shows the whole chain.

Example: \`a.pol\` has \`import "./b"\` and \`b.pol\` has \`import "./a"\`.
Fix: remove one import, or move the shared declarations into a third file both import.`),

  // ---- names and scopes ----
  code("POL1010", "error", "duplicate declaration", `
A name is declared twice. All compiled files and everything they import (standard library
included) share one scope, like a Go package; tiers, groups, namespaces lists, nets and services
share it too. The predeclared services (\`tcp\`, \`udp\`, \`sctp\`, \`udplite\`, \`icmp\`, \`icmpv6\`)
cannot be redeclared either. (Policies and guardrails are named
per tier instead, see POL2013.)

Example: \`service http = tcp/8080\` in a file that imports \`std/services\`, which declares \`http\`.
Fix: rename one declaration, or use the existing one.`),
  code("POL1020", "error", "unknown name", `
A name is used that no compiled file declares. Declarations may appear in any order and in any
file of the program, but they must exist. The help line suggests a similar name of the expected
type, or the standard-library module to import.

Example: \`flows in app { wbe -> api : http }\` where the group is called \`web\`.
Fix: correct the spelling, declare the name, or add the missing import.`),
  code("POL1021", "error", "unknown tier", `
A policy, guardrail or flow names a tier that is not declared. Calico rejects a policy whose tier
does not exist. Every tier must be declared; only a \`flow\` without \`in TIER\` goes to Calico's
built-in \`default\` tier.

Example: \`guardrail dns in platfrom { … }\`
Fix: correct the name, or declare the tier: \`tier platform order 200 default pass\`.`),
  code("POL1030", "error", "wrong type", `
A name of one type is used where another type is expected: a net in \`applies to\`, a group as a
service, a service as a peer, a tier as a group, … Types: Tier, Group (endpoints, by selector),
Namespaces (namespace names), Net (addresses), Service (protocols and ports).

Example: \`ingress allow web\` where \`web\` is a group: the services position expects a service.
Fix: the help line shows the intended form, here \`ingress allow from web\`.`),
  code("POL1031", "error", "net inside a selector expression", `
Selector operators (\`&&\`, \`||\`, \`!\`, \`namespace(…)\`) combine label tests on endpoints. A net is
a set of addresses, not of labelled endpoints, so it can only be a whole peer item.

Example: \`egress allow to web || private\` where \`private\` is a net.
Fix: list it as its own item: \`egress allow to web, private\` (a union), or use \`except\`.`),
  code("POL1032", "error", "reference cycle", `
A group, net or service refers to itself through other declarations, so it has no meaning.

Example: \`net a = b\` and \`net b = a\`.
Fix: break the cycle.`),
  code("POL1040", "error", "missing applies to", `
A guardrail, or a policy without a namespace, is cluster-wide; it must say which endpoints it
applies to. Only a namespaced policy defaults to every endpoint of its namespace. (Calico would
take an empty selector as \`all()\`, including every host endpoint; polc makes that explicit.)

Example: \`guardrail no-telnet in security { ingress deny tcp/23 }\`
Fix: add \`applies to all()\` (or a narrower selector) as the first line of the body.`),
  code("POL1041", "error", "wrong peer keyword for the direction", `
An ingress rule names its remote side (the source) with \`from\`; an egress rule names its remote
side (the destination) with \`to\`. The endpoints the rule protects are the policy's \`applies to\`.

Example: \`ingress allow http to web\`
Fix: \`ingress allow http from …\`, or make it an egress rule.`),
  code("POL1042", "error", "guardrail with a namespace", `
Guardrails are cluster-wide (Calico GlobalNetworkPolicy). A namespaced policy is written
\`policy NAME in TIER namespace "ns" { … }\`.

Example: \`guardrail x in security namespace "shop" { … }\`
Fix: make it a \`policy\`, or scope the guardrail with \`applies to namespace "shop" && …\`.`),

  // ---- tiers ----
  code("POL2001", "error", "invalid tier name", `
Calico tier names are DNS labels: at most 63 lower-case letters, digits and \`-\`, starting and
ending with a letter or digit, no dots (the name is also used as a label value, and policy names
are \`<tier>.<name>\`).

Example: \`tier Platform order 200 default pass\`
Fix: \`tier platform order 200 default pass\`.`),
  code("POL2002", "error", "built-in tier declared", `
\`kube-admin\` and \`kube-baseline\` are Calico built-in tiers (v3.32 and later, for Kubernetes
ClusterNetworkPolicy), like \`default\` (a keyword in .pol: a \`flow\` without \`in TIER\` goes
there). Calico creates them with a fixed order and default action and rejects changes; polc places
nothing in the \`kube-*\` tiers.

Example: \`tier kube-admin order 1000 default pass\`
Fix: declare a tier of your own with another name.`),
  code("POL2003", "error", "reserved tier name", `
These tier names are owned by Calico or the Tigera operator: \`adminnetworkpolicy\` and
\`baselineadminnetworkpolicy\` (Calico v3.29-v3.31, for Kubernetes AdminNetworkPolicy),
\`calico-system\` (operator, v3.32+) and \`allow-tigera\` (operator, before v3.32). Declaring one
would fight with its owner over its order and contents, so polc refuses them (an error, not a
warning: the conflict appears only in some Calico versions, which makes it worse).

Example: \`tier calico-system order 50 default pass\`
Fix: choose another name.`),
  code("POL2004", "error", "tier without order", `
Calico evaluates a tier without an order after every ordered tier, i.e. after the built-in
\`kube-baseline\` (order 10000000) — rarely intended. polc requires an explicit order.

Example: \`tier platform default pass\`
Fix: \`tier platform order 200 default pass\`.`),
  code("POL2006", "error", "tier order equals a built-in tier's", `
Calico's built-in tiers have fixed orders: \`kube-admin\` 1000 (v3.32+; \`adminnetworkpolicy\` in
v3.29-v3.31), \`default\` 1000000 and \`kube-baseline\` 10000000. A tier with the same order ties
with it, and Calico breaks ties by name — which decides, by accident of spelling, whether your
tier runs before or after it.

Example: \`tier baseline order 1000 default deny\`
Fix: pick an order just before or after, e.g. 999 or 1001.`),
  code("POL2007", "error", "two tiers with the same order", `
Two declared tiers have the same order. Calico evaluates them by name, which nobody intends.

Example: \`tier a order 100 default pass\` and \`tier b order 100 default pass\`.
Fix: give every tier a distinct order.`),
  code("POL2008", "error", "tier without default action", `
The end-of-tier action (what happens to traffic of an endpoint the tier selected but did not
decide) is the most important property of a tier. Calico's implicit default is \`Deny\`; polc asks
for it explicitly.

Example: \`tier platform order 200\`
Fix: \`tier platform order 200 default pass\` (or \`default deny\`).`),
  code("POL2009", "warning", "tier runs after the default tier", `
A tier with order 1000000 or more runs after Calico's built-in \`default\` tier, which holds every
Kubernetes NetworkPolicy and ends in deny for the endpoints they select; traffic those policies do
not allow never reaches this tier. Above 10000000 it also runs after \`kube-baseline\`.

Example: \`tier late order 2000000 default deny\`
Fix: use an order below 1000000 unless this is what you want.`),

  // ---- policies ----
  code("POL2010", "error", "invalid policy name", `
Calico policy names are DNS labels (lower-case letters, digits and \`-\`). polc emits
\`<tier>.<name>\` outside the default tier, which uses the single dot Calico allows, so the name
itself cannot contain dots.

Example: \`guardrail Allow_DNS in platform { … }\`
Fix: \`guardrail allow-dns in platform { … }\`.`),
  code("POL2011", "error", "policy name too long", `
The Calico object name (\`<tier>.<name>\`, or \`<name>\` in the default tier) exceeds 253
characters, the Kubernetes limit.

Fix: shorten the name.`),
  code("POL2012", "error", "invalid namespace", `
The namespace of a namespaced policy must be a valid Kubernetes namespace name: a DNS label of at
most 63 lower-case letters, digits and \`-\`.

Example: \`policy db in data namespace "Data" { … }\`
Fix: use the namespace's real name.`),
  code("POL2013", "error", "duplicate policy name", `
Two policies (or guardrails) of the same kind have the same name in the same tier (and
namespace). They would be the same Calico object, and the second would overwrite the first.
(Policy names are per tier; a guardrail may share its name with a group or service.)

Example: two \`guardrail dns in platform { … }\`.
Fix: rename one.`),
  code("POL2014", "error", "duplicate policy order", `
Two policies of a tier have the same explicit \`order\`. Calico breaks the tie by name, which
decides which rule wins for endpoints both select. (Staged and enforced policies are compared
separately.)

Example: \`guardrail a in t order 10 { … }\` and \`guardrail b in t order 10 { … }\`.
Fix: give each a distinct order, or leave \`order\` out: polc numbers policies in source order.`),
  code("POL2020", "error", "protocol or port Calico rejects", `
Calico matches ports only for TCP, UDP and SCTP ("rules that specify ports must set protocol to
TCP or UDP or SCTP"), and ICMP types and codes only for ICMP and ICMPv6; a policy with ports on
another protocol is rejected, and in native-CRD mode Felix drops the whole policy (failing open for
deny rules). UDP-Lite, ICMP and numbered protocols have no ports in Calico. (Malformed literals —
port 0, reversed ranges, bad port names, ICMP type 255, protocol 0 — are syntax errors, POL01xx.)

Example: \`service lite = udplite/5000\`, \`udplite/http\`
Fix: drop the ports (\`udplite\`), or use tcp/udp/sctp; for ICMP use a type: \`icmp/8\`.`),
  code("POL2025", "error", "ICMP version does not match the addresses", `
\`icmp\` is IPv4-only and \`icmpv6\` is IPv6-only (Calico requires ipVersion 4 with ICMP and 6 with
ICMPv6). A rule or flow that combines \`icmp\` with only IPv6 addresses (or \`icmpv6\` with only
IPv4 addresses) matches nothing.

Example: \`egress allow icmp to fd00::/8\`
Fix: use the ICMP version of the addresses' family, or add addresses of the other family.`),

  // ---- nets and peers ----
  code("POL2030", "error", "CIDR with host bits", `
A CIDR whose address has bits set beyond the prefix length (\`10.0.0.1/8\`) is ambiguous: the
network \`10.0.0.0/8\` or the address \`10.0.0.1\`? Calico rejects such rule CIDRs ("invalid
CIDR"). A bare address is fine and means /32 (IPv4) or /128 (IPv6).

Example: \`net office = 192.168.1.1/24\`
Fix: the masked network (\`192.168.1.0/24\`, offered as a fix) or the single address.`),
  code("POL2031", "error", "catch-all CIDR in a negation", `
\`not X\` and \`except X\` become Calico \`notNets\`. Calico rejects \`notNets\` containing
\`0.0.0.0/0\` or \`::/0\` ("catch-all CIDR in negation creates logical contradiction (matches no
traffic)") and Felix drops such a rule. A net that contains a catch-all (such as \`std/nets\`'s
\`anywhere\`) counts too.

Example: \`egress deny to not anywhere\`
Fix: negate a narrower net; to match only one address family, list that family's ranges.`),
  code("POL2032", "error", "peer matches nothing", `
Every address of a peer item (or of the whole peer) is removed by its \`except\` list, so the rule
could never match. polc never widens a rule, so it cannot compile one whose peer is empty.

Example: \`egress allow to 10.1.0.0/16 except 10.0.0.0/8\`
Fix: correct the except list, or remove the rule.`),
  code("POL2033", "error", "flow between two nets", `
A flow puts an egress rule on its source endpoints and an ingress rule on its destination
endpoints. When both ends are nets (addresses, not selected endpoints) there is nothing Calico
could enforce it on.

Example: \`flow 10.0.0.0/8 -> 192.168.0.0/16 : https\`
Fix: make one end a group or a selector.`),
  code("POL2034", "warning", "except of another address family", `
An \`except\` net contains only addresses of a family the peer cannot match (an IPv6 range removed
from an IPv4-only net), so it has no effect — often a sign that a wrong net was named.

Example: \`to 10.0.0.0/8 except fd00::/8\`
Fix: remove it, or correct it.`),
  code("POL2035", "error", "not in an except list", `
\`A except not B\` would mean "A, but only the part in B". Say that directly by listing the
intended items; a peer is the union of its items minus the union of its excepts.

Example: \`to all() except not web\`
Fix: \`to web\`.`),

  // ---- selectors ----
  code("POL2040", "error", "value with both quote characters", `
Calico selector strings are quoted with \`"\` or \`'\` and have no escapes, so a value containing
both quote characters cannot be written in a Calico selector at all (and is never a valid label
value anyway).

Example: \`note == "it's \\"x\\""\`
Fix: remove the quotes from the value.`),
  code("POL2041", "error", "invalid label key", `
Label keys are Kubernetes qualified names: an optional DNS-subdomain prefix (at most 253
characters) and \`/\`, then a name of at most 63 letters, digits, \`-\`, \`_\` and \`.\` that starts
and ends with a letter or digit. Calico validates label keys the same way; a selector on an
impossible key can never match.

Example: \`-app == "x"\`, \`a/b/c == "x"\`
Fix: use the key exactly as it appears on the endpoints.`),
  code("POL2042", "error", "global() in a selector", `
Calico accepts \`global()\` only as the entire \`namespaceSelector\` of a rule, where it means
"objects outside every namespace". It is not part of the .pol language; in a raw
\`selector("…")\` string it is an error. polc writes it itself where a rule needs it.

Example: \`selector("global()")\`
Fix: remove it.`),
  code("POL2043", "error", "selector too long", `
Calico accepts selectors of at most 1024 characters. Groups are inlined where they are used, so
deep nesting can produce long selectors.

Fix: select by a label that identifies the endpoints, or use \`in {…}\` instead of many \`==\`.`),
  code("POL2044", "error", "invalid raw selector", `
The string in \`selector("…")\` is not a valid Calico selector. Calico rejects the policy in
API-server mode; in native-CRD mode Felix drops the whole policy (a deny policy then fails open).

Example: \`selector("app = 'x'")\`
Fix: correct it (\`app == 'x'\`), or write it as a .pol selector, which polc checks as you type.`),
  code("POL2045", "error", "namespace term inside namespace(…)", `
Inside \`namespace(…)\`, every test is about the labels of the endpoint's namespace. A term that
itself names namespaces (\`namespace "x"\`, \`namespace in …\`, a namespaces list, a nested
\`namespace(…)\`, or a group containing one) cannot be a namespace label test: Namespace objects
have no namespace.

Example: \`namespace(namespace "shop")\`
Fix: \`namespace(kubernetes.io/metadata.name == "shop")\`, or simply \`namespace "shop"\`.`),
  code("POL2046", "warning", "impossible label value", `
A selector compares a label with a value no label can have: label values are empty or at most 63
letters, digits, \`-\`, \`_\` and \`.\`, starting and ending with a letter or digit; namespace names are
DNS labels. \`==\` and \`in\` with such a value never match; \`!=\` and \`not in\` are always true.

Example: \`app == "web server"\`, \`namespace "Shop"\`
Fix: use the value exactly as it appears on the endpoints.`),
  code("POL2047", "error", "selector value Calico's rewriting would corrupt", `
Calico builds the selector of a policy or rule by joining strings, and replaces every \`all()\` and
\`global()\` in the result textually (calico-reference.md §c.6) — inside quoted values too. A value
that contains \`all()\` or \`global(\` would reach the dataplane changed, so the selector would test
something else than the source says. (No real label value can contain parentheses; this is almost
always a pasted selector in a string.)

Example: \`note == "all()"\`
Fix: remove \`all()\` / \`global(\` from the value.`),

  // ---- semantic warnings ----
  code("POL3001", "warning", "selector matches nothing", `
No combination of labels satisfies this selector (a group, an \`applies to\`, or a peer), so the
policy or rule can never apply: the typical cause is \`&&\` where \`||\` was meant. For a
namespaced policy, \`applies to\` is checked together with the policy's namespace.

Example: \`group web = app == "web" && app == "frontend"\`
Fix: \`app == "web" || app == "frontend"\` or \`app in {"web", "frontend"}\`.`),
  code("POL3002", "warning", "label key looks like a typo", `
A label key is written in exactly one place and is one edit away from a key used elsewhere in
the program. A misspelt key makes a selector match nothing (or, with \`!=\`, everything), and
nothing in Calico reports it.

Example: \`group web = ap == "web"\` while every other group uses \`app\`.
Fix: correct the spelling; if both keys are real, ignore the warning.`),
  code("POL3003", "warning", "label value looks like a typo", `
A value of a label key (or a namespace name) is written in exactly one place and is one edit away
from another value of the same key used elsewhere. Values that differ only in digits
(\`v1\`/\`v2\`) are not reported.

Example: \`namespace "frontnd"\` while other groups use \`namespace "frontend"\`.
Fix: correct the spelling; if both values are real, ignore the warning.`),
  code("POL3004", "warning", "label key not in the inventory", `
Given an inventory of the cluster's objects (their label maps), no object has this label key, so
selectors testing it select nothing today. Keys of Calico's own label families
(\`projectcalico.org/…\`, namespace labels \`pcns.…\`) are checked only when the inventory carries
that family.

Fix: check the spelling against \`kubectl get pods --show-labels\`, or refresh the inventory.`),
  code("POL3005", "warning", "label value not in the inventory", `
Given an inventory of the cluster's objects, no object has this label with this value.

Fix: check the spelling against the objects' labels, or refresh the inventory.`),
  code("POL3006", "warning", "tier without policies or flows", `
A declared tier contains no guardrail, policy or flow. Calico skips a tier that selects no
endpoint, so it has no effect (its default action never applies).

Fix: put something in it, or remove it.`),
  code("POL3007", "warning", "flow from a group to itself", `
Both ends of a flow are the same group (or selector). That allows every endpoint of the group to
reach every other one — sometimes intended (peers of a cluster), often a copy-paste slip.

Example: \`web -> web : http\`
Fix: correct the end that was meant to be another group, or keep it if intended.`),
  code("POL3008", "warning", "deny-default tier hides later tiers", `
Calico applies a tier's default action at its end only for endpoints a policy of the tier
selected. If that action is \`deny\`, those endpoints lose every flow (of that direction) the tier
does not allow itself; later tiers never see it. polc reports this when a later tier has an allow
that would apply to those endpoints and therefore never does. Flows count as selecting their
source (egress) and destination (ingress).

Example: \`tier app order 300 default deny\` with \`flows in app { web -> api : http }\`, and DNS
allowed for every pod in a later tier: \`web\` loses DNS.
Fix: end the tier with \`default pass\`, allow the traffic in that tier too, or move the later
rules into an earlier tier.`),
  code("POL3009", "warning", "staged policy next to an enforced one", `
A staged policy has the same name as an enforced one in the same tier. Calico evaluates the staged
policy in addition to (not instead of) the enforced one when it computes pending verdicts, so
the preview shows both together, not the replacement.

Fix: give the staged policy its own name; when you enforce it, remove the old one.`),
  code("POL3010", "info", "negative label test also matches endpoints without the label", `
In Calico, \`key != "v"\` and \`key not in {…}\` are true for an endpoint that has no label
\`key\` at all (calico-reference.md §c.3): \`app != "web"\` selects every pod without an
\`app\` label too, system pods and anything deployed later without labels included. This is
often intended ("everything but web"), and sometimes a surprise. polc says so once per
selector, at info level (\`polc check --info\`), unless the same \`&&\` also requires
\`has(key)\` or the key is one every endpoint has (its namespace).

Example: \`group not-web = app != "web"\`
Fix: nothing, if every endpoint without the label is meant; otherwise write
\`has(app) && app != "web"\`.`),
];

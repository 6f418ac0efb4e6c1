// Diagnostic codes of this stage. See src/diag/code-info.ts for the ranges.
// POL40xx: lowering to the IR and the Calico emitter; POL402x: the nftables emitter; POL409x: writing outputs.
// POL5xxx: the cluster inventory (`kubectl get namespaces,pods -A -o yaml`).

import type { CodeInfo } from "../diag/code-info.js";

const code = (code: string, severity: CodeInfo["severity"], title: string, explanation: string): CodeInfo => ({
  code,
  title,
  severity,
  explanation: explanation.trim(),
});

export const BACKEND_CODES: readonly CodeInfo[] = [
  // ---- lowering ----
  code("POL4001", "warning", "peer item can never match the rule's protocols", `
A Calico rule that names ICMP matches only IPv4 packets, one that names ICMPv6 only IPv6 packets,
and CIDRs of one family never match addresses of the other. In this rule one peer item is a net
whose addresses all belong to the family none of the rule's protocols can use, so it can never
match; polc leaves it out (it never widens a rule) and compiles the rest as written.

Example: \`egress allow icmp/8 to v4-servers, v6-servers\`: ICMP (IPv4) never reaches
\`v6-servers\`.
Fix: remove the item, or add the protocol of its family (\`icmpv6/128\`, or the std \`ping\`
service, which has both).`),
  code("POL4002", "error", "rule matches nothing after address-family filtering", `
Every piece of this rule was dropped because its protocol and its addresses belong to different
address families (ICMP with only IPv6 addresses, ICMPv6 with only IPv4 addresses). A rule that
can match nothing would be silently missing from the cluster, so polc refuses to compile it.

Example: \`egress allow icmp/8 to fd00::/8\`
Fix: use the protocol of the addresses' family (\`icmpv6/128\`), or the addresses of the protocol's
family.`),
  code("POL4003", "error", "namespaced policy cannot use an unscoped `notSelector`", `
In a Calico NetworkPolicy every rule that has a \`notSelector\` is also confined to endpoints of a
namespace (the policy's own, or those of its \`namespaceSelector\`): Calico adds the namespace test to
the positive side of the rule whenever a \`notSelector\` is present (calico-reference.md §c.6). Two
peers need a \`notSelector\` without a positive selector: \`not S\` ("anything that is not an S
endpoint", including addresses outside the cluster) and addresses minus endpoints
(\`10.0.0.0/8 except S\`). Neither can be expressed in a namespaced policy; compiling them anyway
would silently drop every address outside the namespace.

Example: \`policy p in app namespace "shop" { egress deny to not frontend }\`
Fix: make it a guardrail (a GlobalNetworkPolicy), or name the remote side positively (\`not NET\` and
\`except NET\` work in a namespaced policy, because they compile to \`notNets\`).`),
  code("POL4004", "error", "generated policy name clashes with another policy", `
polc names the policies it generates for flows after the flow's end: \`<group>-egress\` on the
source group, \`<group>-ingress\` on the destination group (with the \`<tier>.\` prefix outside the
\`default\` tier). Another policy of the program already has that Calico name, so one object would
overwrite the other when applied.

Example: \`policy web-egress in app { … }\` next to \`flows in app { web -> api : http }\`.
Fix: rename the declared policy.`),
  code("POL4005", "error", "flow end mixes endpoints with an `except` of addresses", `
A flow \`A -> B : S\` compiles to an egress Allow on the endpoints of \`A\` and an ingress Allow on
the endpoints of \`B\`. Calico chooses the endpoints a policy applies to by their labels, not by
their addresses, so an end such as \`all() except 10.1.0.0/16\` cannot become the subject of a
policy without also applying to the pods inside \`10.1.0.0/16\`, which would widen the flow.

Example: \`flows in app { all() except 10.1.0.0/16 -> api : http }\`
Fix: exclude the endpoints by label (\`all() except legacy\`), or write the egress half as a policy
rule.`),
  code("POL4006", "error", "ports on a protocol Calico cannot match ports for", `
Calico accepts \`ports\` only with protocol TCP, UDP or SCTP ("rules that specify ports must set
protocol to TCP or UDP or SCTP"). A rule with UDPLite ports would be rejected by the API server, or
dropped whole by Felix in native CRD mode.

Example: \`service lite = udplite/5000\`
Fix: use the protocol without ports (\`udplite\`), or TCP/UDP/SCTP.`),
  code("POL4007", "error", "selector value contains `all()` or `global(`", `
Calico turns namespace selectors into label tests by replacing the text \`all()\` (and \`global()\`)
in the combined selector string (calico-reference.md §c.6). A label value that contains that text
would be rewritten too, and the policy would select something else than written.

Example: \`group odd = note == "all()"\`
Fix: avoid these character sequences in label values.`),
  code("POL4008", "warning", "policy has no rules and is not emitted", `
A policy or guardrail without rules selects no traffic in any direction: Calico would need at
least one direction in \`types\`, and any direction would make the tier's default action apply to
its endpoints. polc emits nothing for it.

Example: \`guardrail g in security { applies to all() }\`
Fix: add the rules you meant (\`ingress deny\` for a default deny), or remove the declaration.`),
  code("POL4009", "error", "generated policy name is not a valid Calico name", `
The name polc derives for a generated policy is longer than 253 characters or is not a DNS label
joined to the tier by one dot.

Fix: shorten the tier or group name.`),
  code("POL4010", "error", "emitted selector too long", `
Calico accepts selectors of at most 1024 characters (CRD \`maxLength\`). A selector polc emits (a
policy selector, a rule selector, or a \`notSelector\` with the namespace guard polc adds so that
it excludes only pods) is longer than that, and the cluster would reject the object.

Fix: split the selector: several groups, several rules, or shorter label keys and values.`),
  // ---- the nftables emitter ----
  code("POL4020", "warning", "rule matches nothing in this inventory and is left out of the nftables ruleset", `
The nftables backend turns selectors into the addresses of the inventory's pods (and of the network
sets). This rule needs a peer that no pod or net of the inventory provides (its selector matches no
pod, its nets are all of the other address family, or no pod declares its named port), so it can
match no packet: it is left out. It is never widened into a rule without that match (an empty set
is not "any address").

Example: \`egress allow http to api\` when the inventory has no \`api\` pod.
Fix: nothing, if the inventory is expected to lack those pods; otherwise regenerate the inventory.`),
  code("POL4021", "error", "rule cannot be expressed by the nftables backend", `
The rule uses a Calico field the nftables backend does not translate (\`notICMP\`, \`notPorts\`,
source ports, or ICMP matches without the ICMP protocol). polc never emits an approximation.

Fix: compile this program for Calico only (\`--target calico\`), or rewrite the rule.`),
  // ---- outputs ----
  code("POL4090", "error", "cannot write output", `
polc could not write the compiled output (the directory does not exist, a permission is missing,
or the disk is full). Outputs are written to a temporary file or directory next to the target and
renamed into place, so an existing output is left untouched when this happens.

Fix: check the path and permissions of the \`--out\` file or \`--split\` directory.`),
  code("POL4091", "error", "output would destroy files polc did not write", `
polc refuses an output path when writing it could destroy something it did not write: an input
\`.pol\` file of the compilation (\`--out policy.pol\`), a directory given as \`--out\`, or a
\`--split\` directory that holds other files. \`--split DIR\` replaces DIR as a whole (so that
objects removed from the sources disappear from it too), which is safe only for a directory that is
new, empty, or was written by an earlier \`--split\` (numbered files that start with polc's header).

Example: \`polc compile policies --split .\` (the current directory holds the sources)
Fix: write into a directory of its own, such as \`--split out/calico\`.`),
  // ---- inventory ----
  code("POL5001", "error", "inventory is not readable YAML or JSON", `
The inventory file could not be read or parsed. polc expects what
\`kubectl get namespaces,pods -A -o yaml\` (or \`-o json\`) prints: a \`v1/List\` whose items are
Namespaces and Pods; a multi-document YAML stream of such objects works too.

Fix: regenerate the file with kubectl and check that it is complete.`),
  code("POL5002", "warning", "inventory object of an unexpected kind", `
The inventory holds an object that is neither a Namespace nor a Pod (nor a List of them). polc
ignores it.

Example: a Deployment in the output of \`kubectl get all -A -o yaml\`.
Fix: export only namespaces and pods: \`kubectl get namespaces,pods -A -o yaml\`.`),
  code("POL5003", "error", "malformed inventory object", `
A Namespace or Pod in the inventory is missing a required field (\`metadata.name\`, a Pod's
\`metadata.namespace\`) or has a field of the wrong type (labels that are not a map of strings, an IP
address that does not parse). The object is skipped; the message gives its path in the document,
such as \`items[3].metadata.labels\`.

Fix: regenerate the file with kubectl, or correct the object by hand.`),
  code("POL5004", "warning", "pod without an IP address", `
A Pod has no \`status.podIP\` / \`status.podIPs\` (it is pending, or runs on the host network, where
Calico sees the node rather than the pod). Calico enforces policy on a pod's workload endpoint,
which exists only once the pod has an address, so the pod is skipped.

Fix: nothing, if the pod is not running yet; otherwise export the inventory again.`),
  code("POL5005", "warning", "two inventory objects for one name or address", `
Two Pods have the same namespace and name, two Namespaces have the same name, or two Pods claim
the same IP address. polc keeps the first and skips the other, since the evaluation of a flow
needs one endpoint per address.

Fix: export the inventory again (a pod that was replaced while kubectl ran can appear twice).`),
  code("POL5006", "warning", "pod in a namespace that is not in the inventory", `
A Pod's namespace is not among the inventory's Namespaces, so its \`pcns.*\` labels (the namespace's
labels as Calico shows them to selectors) are unknown. polc uses only the namespace name
(\`pcns.projectcalico.org/name\` and \`pcns.kubernetes.io/metadata.name\`).

Fix: export namespaces together with pods: \`kubectl get namespaces,pods -A -o yaml\`.`),
  code("POL5007", "warning", "inventory without pods", `
The inventory holds no pod with an address, so there is nothing to analyse, trace or enforce for it:
every rule would be reported as matching no packet of this cluster, and an nftables ruleset would
police nobody. This is usually the wrong file, an export of another kind of object, or a
\`kubectl get\` run against an empty context.

Fix: export the cluster's namespaces and pods: \`kubectl get namespaces,pods -A -o yaml > cluster.yaml\`.`),
];

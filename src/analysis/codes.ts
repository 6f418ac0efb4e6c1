// Diagnostic codes of the analysis stage (POL32xx). See src/diag/code-info.ts for the ranges.

import type { CodeInfo } from "../diag/code-info.js";

export const ANALYSIS_CODES: readonly CodeInfo[] = [
  {
    code: "POL3201",
    title: "rule matches nothing",
    severity: "error",
    explanation: `The rule's match is empty on its own: no packet can satisfy all of its conditions at once,
so Calico will never apply it, whatever the other rules say.

Calico ANDs the fields of a rule (protocol, ports, peer selector, nets, ...) and ORs the values inside
one field. A peer like \`web except web\`, a selector such as \`app == "a" && app == "b"\`, or a
\`not\` that removes everything a rule would match leaves nothing.

Example:
    policy p in app { applies to web  ingress allow from web except web }

With an inventory (\`polc check --inventory cluster.yaml\`) a rule is also reported, as a warning, when
it is fine in itself but its peer selectors match no workload of that cluster: it is dead there.

Fix: correct the conditions (usually a typo or a wrong \`except\`), or delete the rule.`,
  },
  {
    code: "POL3202",
    title: "policy applies to no endpoint",
    severity: "error",
    explanation: `The policy's \`applies to\` selector (including its namespace) cannot match any endpoint: in
symbolic analysis no combination of labels satisfies it; with an inventory, no declared workload has
matching labels. The policy has no effect at all, and its rules are not analysed further.

Example:
    policy p in app namespace "shop" { applies to namespace "other" ... }

Fix: correct the selector or the namespace; with an inventory, check the workload's labels.`,
  },
  {
    code: "POL3210",
    title: "rule is shadowed by a conflicting rule",
    severity: "error",
    explanation: `No packet can ever reach this rule: every packet it matches is decided first by earlier
rules of the same tier (or a Pass that leaves the tier), and at least one of them gives it a different
verdict. The author's intent for this traffic is overridden. A Pass is judged by the verdict the passed
traffic actually gets (later tiers, the profile): an allow behind \`pass\` whose traffic ends up allowed
anyway is dead (POL3211), not shadowed.

Calico evaluates the policies of a tier in order and the rules of a policy in order; the first
Allow, Deny or Pass that matches decides. A later rule only sees what nothing earlier matched.

Example:
    ingress allow tcp/8080, tcp/8443 from web
    ingress deny tcp/8080 from web        // never matches: the allow above takes tcp/8080

The diagnostic names the blocking rules and shows one packet that the rule would match and where
that packet is decided instead.

Fix: move the rule before the rule that shadows it (or give its policy a lower \`order\`), narrow
the earlier rule, or delete this one if the earlier behaviour is what you want.`,
  },
  {
    code: "POL3211",
    title: "rule is dead: earlier rules already do the same",
    severity: "warning",
    explanation: `No packet can ever reach this rule, and everything it would match is already decided by
earlier rules with the same action (or by an earlier tier ending in deny, for a deny rule; or by a
\`pass\` whose traffic the rest of the chain gives the rule's verdict). Deleting
it changes nothing; keeping it misleads readers into thinking it matters. A \`log\` rule reported
here never logs anything.

Example:
    egress allow tcp/443 to api
    egress allow tcp/443 to api           // exact duplicate

Fix: delete the rule, or move it if it was meant to act before the rule that covers it.`,
  },
  {
    code: "POL3212",
    title: "rule is overridden by an earlier tier",
    severity: "error",
    explanation: `No packet can ever reach this rule because an earlier tier (typically a guardrail) decides
all of its traffic first: a rule there allows or denies it, or the tier ends in deny for these
endpoints. Tiers are evaluated in ascending order and an Allow or Deny in an earlier tier is final;
only traffic passed on by the earlier tier reaches later ones. This is the message an application
team needs when a security guardrail silently defeats a flow.

Example:
    tier security order 100 default pass
    tier app      order 300 default pass
    guardrail no-smtp in security { applies to all()  egress deny tcp/25 }
    policy mail in app { applies to mailer  egress allow tcp/25 }   // overridden

Fix: if the traffic must be allowed, change the earlier tier (e.g. let the guardrail \`pass\` this
traffic or exempt these endpoints); otherwise delete the rule.`,
  },
  {
    code: "POL3213",
    title: "rule is partly overridden by an earlier tier",
    severity: "warning",
    explanation: `For some of the endpoints the rule applies to, the rule never takes effect because an earlier tier
that selects them ends in deny (nobody wrote that deny: it is the tier's default action); or some of
the ports or CIDRs the rule lists are always decided differently by an earlier tier. The rule still
works for the rest. (A guardrail rule overriding a later rule for *some* endpoints is what guardrails
are for and is not reported.)

A common case: a tier with \`default deny\` that selects an endpoint for egress ends that endpoint's
evaluation; a later tier's allow (for example DNS) never reaches it.

Example:
    tier app      order 300 default deny
    tier platform order 400 default pass
    flows in app { web -> api : http }                        // selects web for egress
    guardrail dns in platform { applies to all()  egress allow dns to coredns }
    // web loses DNS: tier app ends in deny before platform is evaluated

If, where the rule is reached, it changes nothing (the traffic is allowed anyway), that is said in a
note of this finding rather than as a separate POL3220/POL3221: the rule has no effect at all.

Fix: allow the traffic in the earlier tier too, move the rule to an earlier tier, or make the earlier
tier's default \`pass\`. When the earlier tier is Calico's built-in \`default\` tier (flows and
policies written without \`in TIER\`), it cannot be changed: put those flows or policies in a declared
tier (\`flows in TIER { ... }\`).`,
  },
  {
    code: "POL3214",
    title: "rule is partly shadowed",
    severity: "info",
    explanation: `For some of the endpoints the rule applies to, or for some of the traffic it lists, the rule
never takes effect because earlier rules of the same tier decide that traffic differently. The rule
still works for the rest. Shown with the part that is lost and the rules that take it.

Example:
    policy a in app order 1 { applies to web  ingress deny tcp/80 }
    policy b in app order 2 { applies to all()  ingress allow tcp/80 }   // never for web

Fix: if the rule should also act on that part, move it (or its policy) before the rules that take it.`,
  },
  {
    code: "POL3220",
    title: "redundant rule",
    severity: "warning",
    explanation: `The rule is reachable, but deleting it would not change any verdict: everything it decides is
decided the same way by what comes after it (later rules, the tier's default action, a later tier,
or the Kubernetes default allow). Typical cases: an explicit \`deny\` at the end of a tier whose
default is deny, a duplicate allow in a later policy, or a \`pass\` that is vacuous because the
rest of its tier would pass or decide the same.

Redundancy is not compositional: two identical rules are each redundant, but not both. The message
says what makes the rule redundant ("given ..."); never delete several reported rules at once
without re-checking.

Deleting a policy's only rule of a direction also removes that direction from the policy's \`types\`:
the policy stops selecting its endpoints for it, and a default-deny tier that only this policy made
select them no longer ends in deny for them. Such a rule is never reported as redundant (POL3220,
POL3221, POL3222), whatever the rest of the chain does.

Fix: delete the rule, or keep it deliberately as documentation (lower the severity of this code).`,
  },
  {
    code: "POL3221",
    title: "allow rule changes nothing",
    severity: "info",
    explanation: `The allow rule is reachable, but the traffic it allows would be allowed anyway: nothing after it
(no later rule, no tier ending in deny) denies it, so evaluation would fall through to Calico's
profiles, which allow everything for Kubernetes pods. The rule documents intent but enforces
nothing; it starts to matter only once a default deny selects these endpoints.

Example:
    tier platform order 200 default pass
    guardrail coredns in platform { applies to coredns  ingress allow dns }
    // and no later tier denies ingress to kube-system

Fix: nothing if the rule is there as documentation; add a default-deny policy (for example in a
baseline tier) for these endpoints if the rule is meant to be the only way in.`,
  },
  {
    code: "POL3222",
    title: "deny rule repeats its tier's default",
    severity: "info",
    explanation: `The deny rule is reachable but changes nothing: every packet it denies would be denied anyway by
the end of its own tier, whose default action is deny. An explicit catch-all deny at the end of a deny
tier is a common way to make the intent visible; Calico gives exactly the same verdicts without it.

Not reported when the rule is its policy's only rule of that direction (as in a \`default-deny\`
guardrail with just \`ingress deny\` and \`egress deny\`) and no other policy of the tier selects those
endpoints: deleting it would remove the direction from the policy, and the tier would stop selecting
the endpoints at all, so the default deny would be gone.

Example:
    tier frontend order 400 default deny
    policy web-in in frontend namespace "frontend" { applies to web  ingress allow tcp/80  ingress deny }

Fix: nothing, if the rule is there to be explicit; otherwise delete it. (A deny that is redundant for
other reasons, e.g. because a later rule denies the same traffic, is POL3220.)`,
  },
  {
    code: "POL3230",
    title: "correlated rules",
    severity: "info",
    explanation: `Two rules of the same tier apply to a common endpoint, overlap, have different actions (allow
vs deny), and neither contains the other. Their order decides the overlap: swapping them would
change the verdict for the shared traffic. This is often intended, but worth knowing when
reordering.

Example:
    egress allow to 10.0.0.0/24
    egress deny tcp/22 to 10.0.0.0/16     // 10.0.0.0/24 on tcp/22 is allowed by the rule above

Fix: nothing, if the order is intended; otherwise make the rules disjoint.`,
  },
  {
    code: "POL3240",
    title: "pass leads nowhere",
    severity: "info",
    explanation: `A \`pass\` rule hands traffic to the next tier, but for some endpoints no later tier has a
policy selecting them in this direction. Passing out of the last active tier reaches the Kubernetes
profiles, which allow everything: the passed traffic is allowed. That is often a surprise.

Example:
    guardrail g in security { applies to all()  egress pass to cluster-internal }
    // if no later tier selects these pods for egress, the pass means allow

Fix: use \`allow\` if allowing is intended, or add a later policy (e.g. a default-deny baseline) that
selects these endpoints.`,
  },
  {
    code: "POL3250",
    title: "one-sided flow",
    severity: "warning",
    explanation: `A pod-to-pod connection needs the source's egress policy and the destination's ingress policy to
allow it. This allow rule admits traffic between workloads, but for every connection it allows the
other side's chain denies it, so the rule never carries a connection.

Example:
    policy a in app { applies to web  egress allow tcp/80 to api }
    // but api's ingress chain (e.g. a default-deny tier) never allows tcp/80 from web

A \`flow\` whose other half is itself overridden (POL3210, POL3212, POL3213) is reported once, by that
finding, which names the half: not also as one-sided.

Fix: add the matching rule on the other side (a \`flow\` statement writes both halves), or delete
this rule.`,
  },
  {
    code: "POL3260",
    title: "endpoints lose DNS",
    severity: "warning",
    explanation: `The egress of some endpoints ends in deny for DNS to the cluster DNS: udp/53 or tcp/53 to the CoreDNS
pods (\`k8s-app == "kube-dns"\` in kube-system, the std/k8s group \`coredns\`), and no rule of their
chain allows it. A deny rule or the end of a default-deny tier that selects them drops every lookup:
the pods cannot resolve names, which is usually the first thing to break when a default deny is
turned on (calico#2199: DNS allowed for TCP only; kubernetes/website#38267).

The finding names the endpoints (a witness pod or label set), the protocols lost, and the rule or tier
end that drops the queries. (When a rule that allows DNS exists but something earlier takes its
traffic, that rule is reported instead, as POL3212 or POL3213.) Calico evaluates policy after Service
DNAT, so DNS must be allowed to the CoreDNS pods, not to the kube-dns cluster IP. In symbolic mode a
query counts as lost only when it is denied whatever CoreDNS's address; with an inventory, at the
addresses of its CoreDNS pods (and not at all if the inventory has none).

Example:
    tier app order 300 default deny
    flows in app { all() -> api : tcp/80 }   // selects every pod for egress; tier app drops DNS

Fix: allow DNS before the deny, e.g. a guardrail in this or an earlier tier:
    guardrail dns in platform { applies to all()  egress allow dns to coredns }   // import "std/k8s"`,
  },
  {
    code: "POL3261",
    title: "default deny isolates system pods",
    severity: "warning",
    explanation: `A policy in a default-deny tier, or with a catch-all deny rule (\`ingress deny\`, \`egress deny\`),
applies to pods of the system namespaces (kube-system, calico-system, calico-apiserver,
tigera-operator) as well as to other pods, and traffic of those system pods reaches the deny. CoreDNS,
Calico's own components and the cluster's services then lose every connection the tier does not
allow: this is how a cluster-wide default deny breaks a cluster. A policy that applies only to system
pods (e.g. \`applies to coredns\`) is deliberate and not reported.

Example:
    tier app order 300 default deny
    flows in app { web -> not api : tcp/80 }   // the ingress half applies to every pod but api

Fix: exempt the system namespaces (\`applies to all() except namespace in system\`, with std/k8s), or
narrow the selector to the pods the policy is meant for.`,
  },
  {
    code: "POL3290",
    title: "not fully analysed",
    severity: "info",
    explanation: `The analysis stopped at its work budget before finishing the rules of this policy (very large
or pathological inputs: many overlapping address ranges with exclusions, port confetti, long
selector disjunctions). What is reported about its rules is exact, but some rules were not analysed
(or not for redundancy): the absence of a finding means nothing.

Fix: raise the analysis budget, or split the policy into smaller ones.`,
  },
];

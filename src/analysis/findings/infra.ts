// Findings about what a default deny does to the cluster's own infrastructure (users.md P2):
//
// - POL3260: the egress of some endpoints ends in Deny (a deny rule, or the end of a default-deny tier
//   that selects them) for DNS to the cluster DNS (udp/53, tcp/53 to the CoreDNS pods, `k8s-app ==
//   "kube-dns"` in kube-system, as std/k8s names them), and no rule anywhere in their chain allows it:
//   name resolution breaks. (When a rule allowing DNS exists but an earlier deny takes its traffic, the
//   rule is reported instead: POL3212 / POL3213.)
// - POL3261: a policy in a default-deny tier, or a catch-all deny rule, applies to pods of the system
//   namespaces as well as to other pods and denies their traffic: it isolates system pods. A policy that
//   applies only to system pods (e.g. `applies to coredns`) is deliberate and not reported.
//
// Both work on the engine's trie, restricted to a small packet set, so they cost little.

import { FALSE, TRUE, type SetId } from "../sets/idd.js";
import type { Elem, RuleInfo } from "../engine.js";
import { KIND_WORKLOAD, NAMESPACE_NAME_KEYS, type Space } from "../space.js";
import { concreteWitness, formatLabels, formatPacket, type ConcretePacket } from "../witness.js";
import { NAMESPACE_LABEL } from "../../selector/ast.js";
import { DIRECTIONS, V6_OFFSET, type Direction, type IpRange, type WPolicy } from "../world.js";
import { dedupeLabels, elemLabels, elemPhrase, emit, policyName, type Ctx } from "./context.js";

/** The namespaces that run the cluster and Calico (std/k8s `system`). */
export const SYSTEM_NAMESPACES = ["kube-system", "calico-system", "calico-apiserver", "tigera-operator"];

/** The labels of a CoreDNS pod (std/k8s `coredns`). */
const COREDNS_LABELS: Readonly<Record<string, string>> = { "k8s-app": "kube-dns" };
const DNS_NAMESPACE = "kube-system";

function withNamespace(ns: string, labels: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = { ...labels };
  for (const k of NAMESPACE_NAME_KEYS) out[k] = ns;
  return out;
}

/**
 * Subjects (A dims) in namespace `ns`, other labels free. A namespace no selector mentions shares its
 * segment ("other values") with every other unmentioned namespace: that is exact for what policies do
 * to it, but the segment is not *only* `ns`. `exact` keeps only a segment that is `ns` alone (a
 * mentioned value), for the question "does this selector also select pods outside the system
 * namespaces?".
 */
function subjectsInNamespace(space: Space, ns: string, exact = false): SetId {
  const idd = space.idd;
  let s = space.subjects;
  const nsDim = space.labelDim(NAMESPACE_LABEL, "A");
  if (exact && (nsDim === undefined || !space.labels[nsDim]!.values.includes(ns))) return FALSE;
  for (const k of NAMESPACE_NAME_KEYS) {
    const d = space.labelDim(k, "A");
    if (d === undefined) continue;
    const seg = space.segmentOfValue(space.labels[d]!, ns);
    s = idd.and(s, idd.dimIn(d, [seg, seg + 1]));
  }
  return s;
}

/** DNS queries to the cluster DNS, as egress packets: to the CoreDNS pods (symbolically: a pod with
 *  CoreDNS's labels at any address; with an inventory: its CoreDNS pods at their addresses), udp/53 or
 *  tcp/53. FALSE when the inventory has no CoreDNS pod. */
function dnsPackets(space: Space): SetId {
  const idd = space.idd;
  const l4 = idd.or(space.match({ protocol: 17, ports: [{ from: 53, to: 53 }] }), space.match({ protocol: 6, ports: [{ from: 53, to: 53 }] }));
  let peers = FALSE;
  if (space.endpoints) {
    for (const e of space.endpoints) {
      if (e.labels[NAMESPACE_LABEL] !== DNS_NAMESPACE || Object.entries(COREDNS_LABELS).some(([k, v]) => e.labels[k] !== v)) continue;
      const ips = e.ips.length === 0 ? TRUE : idd.dimIn(space.IP, space.ipSet(e.ips.map((ip) => ({ lo: ip, hi: ip }))));
      peers = idd.or(peers, idd.and(space.labelPoint(e.labels, "B"), ips));
    }
  } else peers = space.labelPoint(withNamespace(DNS_NAMESPACE, COREDNS_LABELS), "B");
  return idd.and(idd.and(peers, idd.and(space.packets, space.kindIs(KIND_WORKLOAD))), l4);
}

const PRIVATE: readonly IpRange[] = [
  { lo: 0x0a000000n, hi: 0x0affffffn },
  { lo: 0xac100000n, hi: 0xac1fffffn },
  { lo: 0xc0a80000n, hi: 0xc0a8ffffn },
  { lo: V6_OFFSET + (0xfcn << 120n), hi: V6_OFFSET + (0xfen << 120n) - 1n },
];

function isDeny(el: Elem): boolean {
  return (el.t === "rule" && el.info.rule.action === "Deny") || (el.t === "end" && el.action === "Deny");
}

function elemKeyOf(el: Elem): string {
  return el.t === "rule" ? el.info.key : el.t === "end" ? `end:${el.tier}:${el.trigger}` : "profile";
}

/** POL3260: endpoints whose DNS to the cluster DNS ends in deny, with nothing in their chain allowing it. */
export function dnsLost(ctx: Ctx): void {
  const { res, world } = ctx;
  if (world.profileAllows === false) return;
  const da = res.dirs.egress;
  if (da.failed === "forward" || da.classes.length === 0) return;
  const space = res.space;
  const idd = space.idd;
  const P = dnsPackets(space);
  if (P === FALSE) return;
  const ip = (s: SetId) => idd.exists(s, (d) => d === space.IP, "ip");
  const Pnoip = ip(P);
  const nodes = da.trie.nodes;
  // Per trie node: DNS packets denied on the path so far (D), and matched by an allow rule (A).
  const D: SetId[] = new Array(nodes.length).fill(FALSE);
  const A: SetId[] = new Array(nodes.length).fill(FALSE);
  const allowMemo = new Map<string, SetId>();
  const flaggedMemo = new Map<string, SetId>();
  const hits = new Map<string, { el: Elem; classes: { cls: number; set: SetId }[] }>();
  const stack = [...da.trie.roots];
  while (stack.length) {
    const n = stack.pop()!;
    const node = nodes[n]!;
    const el = node.el;
    let d = node.parent >= 0 ? D[node.parent]! : FALSE;
    let a = node.parent >= 0 ? A[node.parent]! : FALSE;
    if (isDeny(el) && node.E !== FALSE) {
      const x = idd.and(node.E, P);
      if (x !== FALSE) d = idd.or(d, x);
    } else if (el.t === "rule" && el.info.rule.action === "Allow") {
      let m = allowMemo.get(el.info.key);
      if (m === undefined) allowMemo.set(el.info.key, (m = idd.and(el.info.M, P)));
      if (m !== FALSE) a = idd.or(a, m);
    }
    D[n] = d;
    A[n] = a;
    stack.push(...node.children);
    if (node.children.length > 0 || d === FALSE) continue;
    // A (label, protocol) combination is lost when it is denied at every CoreDNS address, and no allow
    // rule of the chain matches it at any address (that rule would be reported as overridden).
    const key = `${d}:${a}`;
    let flagged = flaggedMemo.get(key);
    if (flagged === undefined) {
      flagged = idd.and(idd.diff(idd.diff(Pnoip, ip(idd.diff(P, d))), ip(a)), P);
      flaggedMemo.set(key, flagged);
    }
    if (flagged === FALSE) continue;
    for (const cls of node.classes) {
      // Which element drops it: the deny on the path whose packets include a witness point. Symbolically
      // CoreDNS may be at any address, and different denies may take different addresses; pod addresses
      // are private in practice, so the witness is taken there first (RFC 1918, then ULA).
      const lost = idd.and(da.classes[cls]!.set, flagged);
      const pt = idd.witness(PRIVATE.map((r) => idd.and(lost, idd.dimIn(space.IP, space.ipSet([r])))).find((x) => x !== FALSE) ?? lost);
      if (!pt) continue;
      let dropper: Elem | undefined;
      let dn = -1;
      for (const m of da.trie.path(n)) {
        if (isDeny(nodes[m]!.el) && idd.member(nodes[m]!.E, pt)) {
          dropper = nodes[m]!.el;
          dn = m;
          break;
        }
      }
      if (!dropper) continue;
      const k = elemKeyOf(dropper);
      let h = hits.get(k);
      if (!h) hits.set(k, (h = { el: dropper, classes: [] }));
      h.classes.push({ cls, set: idd.and(flagged, nodes[dn]!.E) });
    }
  }
  const sys = idd.orAll(SYSTEM_NAMESPACES.map((ns) => subjectsInNamespace(space, ns)));
  for (const h of hits.values()) {
    const ranked = [...h.classes].sort((x, y) => da.classes[x.cls]!.policies.length - da.classes[y.cls]!.policies.length || x.cls - y.cls);
    const first = ranked[0]!;
    // Show a UDP query when UDP is lost (what resolvers send first), else the TCP one.
    const udp = idd.and(first.set, space.match({ protocol: 17, ports: [{ from: 53, to: 53 }] }));
    const w = concreteWitness(space, da.classes[first.cls]!.set, udp !== FALSE && idd.intersects(udp, da.classes[first.cls]!.set) ? udp : first.set);
    if (!w) continue;
    const shown = showPeer(space, w);
    const who = w.subjectEndpoint ?? `endpoints like ${formatLabels(w.subject)}`;
    const more = ranked.length - 1;
    const others = more > 0 ? ` (and ${more} more group${more > 1 ? "s" : ""} of endpoints)` : "";
    const protos = lostProtocols(space, da.classes[first.cls]!.set, first.set);
    const sysHit = ranked.find((c) => idd.intersects(da.classes[c.cls]!.set, sys));
    const notes = [`for example \`${formatPacket(shown, "egress")}\` is denied, and no rule of their chain allows DNS to CoreDNS`];
    if (sysHit && !idd.intersects(space.labelPoint(w.subject, "A"), sys)) {
      const sw = concreteWitness(space, idd.and(da.classes[sysHit.cls]!.set, sys), sysHit.set);
      if (sw) notes.push(`pods of the system namespaces lose it too, e.g. ${sw.subjectEndpoint ?? formatLabels(systemSubject(space, sw.subject))}`);
    }
    notes.push("CoreDNS is the std/k8s group `coredns` (`k8s-app == \"kube-dns\"` in kube-system); Calico sees DNS after Service DNAT, so the rule must allow the pods, not the kube-dns cluster IP");
    const el = h.el;
    if (el.t === "profile") continue;
    const dropPhrase = elemPhrase(ctx, el, -1);
    const primary =
      el.t === "rule"
        ? { span: el.info.rule.origin, message: "denies DNS" }
        : { span: world.policies[el.trigger]!.nameSpan, message: `selects these endpoints for egress in tier \`${world.tiers[el.tier]!.name}\`, which ends in deny` };
    const secondary = el.t === "end" ? dedupeLabels(elemLabels(world, el).filter((l) => l.span !== primary.span), primary.span) : [];
    emit(ctx, "POL3260", {
      message: `${who}${others} cannot resolve names: their egress DNS (${protos}) to CoreDNS ends in deny: ${dropPhrase}`,
      primary,
      ...(secondary.length > 0 ? { secondary } : {}),
      notes,
      help:
        el.t === "end" && world.tiers[el.tier]!.builtin
          ? `the built-in \`default\` tier always ends in deny: put what selects these endpoints there (flows or policies without \`in TIER\`) in a declared tier, and allow DNS in it or before it, e.g. a guardrail \`applies to all()  egress allow dns to coredns\` (import "std/k8s")`
          : el.t === "end"
          ? `allow DNS in tier \`${world.tiers[el.tier]!.name}\` or an earlier tier, e.g. a guardrail \`applies to all()  egress allow dns to coredns\` (import "std/k8s")`
          : `allow DNS before this rule, e.g. \`egress allow dns to coredns\` (import "std/k8s") earlier in this policy or in an earlier tier, or exclude DNS from the deny`,
    });
  }
}

/** "udp/53 and tcp/53", or only the one that is lost for the witness class. */
function lostProtocols(space: Space, cls: SetId, lost: SetId): string {
  const idd = space.idd;
  const out: string[] = [];
  for (const [p, name] of [
    [17, "udp/53"],
    [6, "tcp/53"],
  ] as const) {
    if (idd.intersects(idd.and(cls, lost), space.match({ protocol: p, ports: [{ from: 53, to: 53 }] }))) out.push(name);
  }
  return out.join(" and ");
}

/** The witness with the CoreDNS peer named by its real labels (symbolically, the namespace may be an
 *  "other values" bucket whose sample is not kube-system). */
function showPeer(space: Space, w: ConcretePacket): ConcretePacket {
  // The port segment holding 53 may be wide (every port in it is treated alike): show 53 itself.
  if (space.endpoints || w.peer.endpoint) return { ...w, port: 53 };
  return { ...w, port: 53, peer: { ...w.peer, labels: withNamespace(DNS_NAMESPACE, COREDNS_LABELS), ipMatters: false } };
}

/** A subject witness of a system namespace, with the namespace's real name. */
function systemSubject(space: Space, labels: Readonly<Record<string, string>>): Record<string, string> {
  const d = space.labelDim(NAMESPACE_LABEL, "A");
  for (const ns of SYSTEM_NAMESPACES) {
    if (d === undefined) return withNamespace(ns, labels);
    const dom = space.labels[d]!;
    if (space.segmentOfValue(dom, labels[NAMESPACE_LABEL]) === space.segmentOfValue(dom, ns)) return withNamespace(ns, labels);
  }
  return { ...labels };
}

/** How a finding names a policy: a flows policy by its half and end. */
function subjectName(p: WPolicy): string {
  if (p.flowHalf) return `the ${p.flowHalf.dir} half of the flows in tier \`${p.tier}\` (${p.flowHalf.dir} of \`${p.flowHalf.end}\`)`;
  return policyName(p);
}

/** POL3261: a default deny (a deny-default tier's end, or a catch-all deny rule) applies to system pods
 *  through a policy that also selects other pods. */
export function systemIsolated(ctx: Ctx): void {
  const { res, world } = ctx;
  const space = res.space;
  const idd = space.idd;
  const sys = idd.orAll(SYSTEM_NAMESPACES.map((ns) => subjectsInNamespace(space, ns)));
  if (sys === FALSE) return;
  const sysOnly = idd.orAll(SYSTEM_NAMESPACES.map((ns) => subjectsInNamespace(space, ns, true)));
  const workload = idd.and(space.packets, space.kindIs(KIND_WORKLOAD));
  world.policies.forEach((p, pi) => {
    if (p.staged) return;
    const tier = world.tiers.findIndex((t) => t.name === p.tier);
    if (tier < 0) return;
    const hits: { dir: Direction; cls: number; el: Elem; E: SetId }[] = [];
    for (const dir of DIRECTIONS) {
      const da = res.dirs[dir];
      if (da.failed === "forward") continue;
      const S = da.subjectSets.get(pi);
      if (S === undefined) continue;
      if (!idd.intersects(S, sys) || idd.diff(S, sysOnly) === FALSE) continue; // no system pod, or only system pods (deliberate)
      const catchAll = [...da.rules.values()].filter((r: RuleInfo) => r.policy === pi && r.rule.action === "Deny" && idd.subset(workload, r.M));
      if (world.tiers[tier]!.defaultAction !== "Deny" && catchAll.length === 0) continue;
      // A class of system pods selected by p, and what of p denies their traffic there.
      const nodes = da.trie.nodes;
      let found: { cls: number; el: Elem; E: SetId } | undefined;
      for (let c = 0; c < da.classes.length && !found; c++) {
        const cls = da.classes[c]!;
        if (!cls.policies.includes(pi) || !idd.intersects(cls.set, sys)) continue;
        for (const m of da.trie.path(da.leaves[c]!)) {
          const node = nodes[m]!;
          const el = node.el;
          if (node.E === FALSE) continue;
          if ((el.t === "end" && el.tier === tier && el.action === "Deny") || (el.t === "rule" && catchAll.some((r) => r.key === el.info.key))) {
            found = { cls: c, el, E: node.E };
            break;
          }
        }
      }
      if (found) hits.push({ dir, ...found });
    }
    if (hits.length === 0) return;
    const h = hits[0]!;
    const da = res.dirs[h.dir];
    const w = concreteWitness(space, idd.and(da.classes[h.cls]!.set, sys), h.E);
    if (!w) return;
    const who = w.subjectEndpoint ?? formatLabels(systemSubject(space, w.subject));
    const dirs = hits.map((x) => x.dir).join(" and ");
    const how = hits.every((x) => x.el.t === "end")
      ? `tier \`${p.tier}\` ends in deny for their ${dirs}`
      : hits.every((x) => x.el.t === "rule")
        ? `it denies all their ${dirs}`
        : `it denies their ${dirs}`;
    const shown = { ...w, subject: w.subjectEndpoint ? w.subject : systemSubject(space, w.subject) };
    const rule = hits.find((x) => x.el.t === "rule")?.el;
    const end = hits.find((x) => x.el.t === "end")?.el;
    emit(ctx, "POL3261", {
      message: `${subjectName(p)} applies to pods of the system namespaces (e.g. ${who}) and ${how}: this isolates system pods`,
      primary: rule?.t === "rule" ? { span: rule.info.rule.origin, message: "denies system pods' traffic" } : { span: p.nameSpan, message: "selects system pods" },
      ...(end ? { secondary: dedupeLabels(elemLabels(world, end).slice(0, 1), rule?.t === "rule" ? rule.info.rule.origin : p.nameSpan) } : {}),
      notes: [
        `for example \`${formatPacket(shown, h.dir)}\` is denied`,
        `the system namespaces (${SYSTEM_NAMESPACES.join(", ")}) run DNS, Calico and the cluster's own services; a default deny that reaches them breaks the cluster`,
      ],
      help: "exempt them, e.g. `applies to all() except namespace in system` (import \"std/k8s\"), or write a policy that applies only to the system pods it means to restrict",
    });
  });
}


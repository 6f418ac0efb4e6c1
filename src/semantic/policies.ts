// Guardrails and policies: names, namespaces and orders as Calico accepts them, the subject
// (`applies to … except …`), and each rule's services and peer.

import type { PolicyDecl, Rule } from "../syntax/ast.js";
import { NAMESPACE_LABEL, type Sel } from "../selector/ast.js";
import type { ModelPolicy, ModelRule, ResolvedPeer, ServiceEntry } from "./model.js";
import type { Ctx } from "./context.js";
import type { PolSymbol } from "./symbols.js";
import { dnsLabelProblem } from "./names.js";
import { checkLength, lowerSelector } from "./selectors.js";
import { serviceItems, protocolText } from "./services.js";
import { peerFamilies, resolvePeer } from "./peers.js";
import { DEFAULT_TIER, tierRef } from "./tiers.js";
import { selAnd, selNot } from "./deps.js";
import { kindNoun } from "./kinds.js";

const ACTION = { allow: "Allow", deny: "Deny", pass: "Pass", log: "Log" } as const;

/** Calico's emitted name: `<tier>.<name>` outside the default tier. */
export function calicoPolicyName(tier: string, name: string): string {
  return tier === DEFAULT_TIER ? name : `${tier}.${name}`;
}

export function checkPolicy(ctx: Ctx, decl: PolicyDecl): ModelPolicy | undefined {
  let ok = true;
  const tier = tierRef(ctx, decl.tier);
  if (!tier) ok = false;
  const name = decl.name.name;
  const kind = decl.flavor;
  if (!decl.name.recovered) {
    const problem = dnsLabelProblem(name, 253);
    if (problem) {
      ok = false;
      ctx.report.emit("POL2010", decl.name.span, `\`${name}\` is not a valid ${kind} name`, {
        label: problem,
        notes: ["Calico policy names are DNS labels: lower-case letters, digits and `-`; polc adds the tier as `<tier>.<name>`, which uses the one dot Calico allows"],
        help: "use lower-case letters, digits and `-`, e.g. `allow-dns`",
      });
    } else if (tier) {
      const full = calicoPolicyName(tier, name);
      if (full.length > 253) {
        ok = false;
        ctx.report.emit("POL2011", decl.name.span, `the Calico name \`${full.slice(0, 40)}…\` is ${full.length} characters long`, {
          label: "Calico object names have at most 253 characters",
          help: "shorten the name",
        });
      }
    }
  }
  let namespace: string | undefined;
  if (decl.namespace && !decl.namespace.recovered) {
    namespace = decl.namespace.value;
    if (kind === "guardrail") {
      ok = false;
      ctx.report.emit("POL1042", decl.namespace.span, "a guardrail cannot have a namespace", {
        label: "guardrails are cluster-wide",
        help: `write \`policy ${name} in … namespace ${JSON.stringify(namespace)}\` for a namespaced policy, or scope the guardrail with \`applies to namespace ${JSON.stringify(namespace)} && …\``,
      });
    }
    const problem = dnsLabelProblem(namespace);
    if (problem) {
      ok = false;
      ctx.report.emit("POL2012", decl.namespace.span, `${JSON.stringify(namespace)} is not a valid namespace name`, {
        label: problem,
        help: "namespace names are DNS labels: at most 63 lower-case letters, digits and `-`",
      });
    }
  }
  // The front end only builds finite, non-negative orders (POL0118).
  const order = decl.order?.value;

  const subject = checkSubject(ctx, decl, namespace);
  if (!subject) ok = false;
  const rules: ModelRule[] = [];
  for (const rule of decl.rules) {
    const r = checkRule(ctx, rule);
    if (r) rules.push(r);
    else ok = false;
  }
  if (!ok || !tier || !subject) return undefined;
  return {
    name,
    nameSpan: decl.name.span,
    flavor: kind,
    staged: decl.staged !== undefined,
    tier,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(order !== undefined ? { order } : {}),
    subject,
    rules,
    origin: decl.span,
  };
}

function checkSubject(ctx: Ctx, decl: PolicyDecl, namespace: string | undefined): Sel | undefined {
  const at = decl.appliesTo;
  if (!at) {
    if (namespace !== undefined) return { op: "all" };
    if (decl.recovered) return undefined;
    ctx.report.emit("POL1040", decl.name.span, `${decl.flavor} \`${decl.name.name}\` has no \`applies to\``, {
      label: `a cluster-wide ${decl.flavor} must say which endpoints it applies to`,
      notes: ["only a namespaced policy (`policy … namespace \"ns\"`) defaults to every endpoint of its namespace"],
      help: "add `applies to SELECTOR` as the first line of the body, e.g. `applies to all()` for every endpoint",
    });
    return undefined;
  }
  const a = lowerSelector(ctx, at.selector, "subject");
  const b = at.except && lowerSelector(ctx, at.except, "subject");
  if (!a || (at.except && !b)) return undefined;
  const subject = b ? selAnd(a, selNot(b)) : a;
  const what = `the \`applies to\` of \`${decl.name.name}\``;
  if (!checkLength(ctx, subject, at.span, what)) return undefined;
  if (namespace !== undefined) {
    const scoped = selAnd(subject, { op: "eq", key: NAMESPACE_LABEL, value: namespace });
    if (!checkLength(ctx, scoped, at.span, what)) return undefined;
    ctx.selUses.push({ sel: scoped, span: at.span, what: `${what} in namespace \`${namespace}\`` });
  } else if (at.except || at.selector.kind !== "SelRef") {
    ctx.selUses.push({ sel: subject, span: at.span, what });
  }
  return subject;
}

function servicesHelp(rule: Rule): (s: PolSymbol) => string | undefined {
  return (s) => {
    if (s.kind === "group" || s.kind === "namespaces" || s.kind === "net") {
      const kw = rule.direction === "ingress" ? "from" : "to";
      const what = rule.direction === "ingress" ? "from it" : "to it";
      return `\`${s.name}\` is ${kindNoun(s.kind)}; to ${rule.action} traffic ${what} write \`${rule.direction} ${rule.action} ${kw} ${s.name}\``;
    }
    return undefined;
  };
}

export function checkRule(ctx: Ctx, rule: Rule): ModelRule | undefined {
  let ok = true;
  const wrong = rule.direction === "ingress" ? rule.to : rule.from;
  if (wrong) {
    ok = false;
    const right = rule.direction === "ingress" ? "from" : "to";
    ctx.report.emit("POL1041", wrong.span, `\`${rule.direction}\` rules name the remote side with \`${right}\``, {
      label: rule.direction === "ingress" ? "an ingress rule's peer is the source" : "an egress rule's peer is the destination",
      help: `write \`${rule.direction} ${rule.action} … ${right} …\`; the endpoints the rule protects are the policy's \`applies to\``,
    });
  }
  const services = serviceItems(ctx, rule.services, servicesHelp(rule));
  if (!services) ok = false;
  const peerNode = rule.direction === "ingress" ? rule.from : rule.to;
  let peer: ResolvedPeer | undefined;
  if (peerNode) {
    peer = resolvePeer(ctx, peerNode);
    if (!peer) ok = false;
  }
  if (!ok || !services) return undefined;
  if (!checkIcmpFamilies(ctx, services, peerFamilies(peer), peer?.origin)) return undefined;
  return {
    direction: rule.direction === "ingress" ? "Ingress" : "Egress",
    action: ACTION[rule.action],
    services,
    ...(peer ? { peer } : {}),
    origin: rule.span,
  };
}

/** `icmp` is IPv4-only and `icmpv6` IPv6-only: with addresses of only the other family the rule
 *  matches nothing (and Calico rejects the ipVersion/protocol combination). */
export function checkIcmpFamilies(ctx: Ctx, services: readonly ServiceEntry[], families: ReadonlySet<4 | 6>, peerSpan: ModelRule["origin"] | undefined): boolean {
  let ok = true;
  for (const e of services) {
    const need = e.protocol === "icmp" ? 4 : e.protocol === "icmpv6" ? 6 : undefined;
    if (need === undefined || families.has(need)) continue;
    ok = false;
    const other = need === 4 ? 6 : 4;
    ctx.report.emit("POL2025", e.origin, `\`${protocolText(e.protocol)}\` with only IPv${other} addresses matches nothing`, {
      label: `\`${protocolText(e.protocol)}\` is IPv${need} only`,
      secondary: peerSpan ? [{ span: peerSpan, message: `only IPv${other} addresses` }] : undefined,
      notes: ["Calico requires ipVersion 4 with protocol ICMP and ipVersion 6 with ICMPv6"],
      help: need === 4 ? "use `icmpv6` for IPv6 peers, or add IPv4 addresses to the peer" : "use `icmp` for IPv4 peers, or add IPv6 addresses to the peer",
    });
  }
  return ok;
}

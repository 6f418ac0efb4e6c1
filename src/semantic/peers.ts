// Peers: `A, B except C` — a union of items minus a union of excepts, each item a selector or a net
// (`not X` = everything except X). Checks the net rules Calico enforces on rule CIDRs (no catch-all in
// a negation) and the ones polc adds so that nothing silently widens or vanishes (a peer that
// matches nothing, an except that cannot apply).

import type { Peer, PeerItem, SelExpr } from "../syntax/ast.js";
import type { Family, PeerTarget, ResolvedPeer, ResolvedPeerItem } from "./model.js";
import type { Ctx } from "./context.js";
import { lowerSelector, checkLength, resolveGroup } from "./selectors.js";
import { cidrOfLiteral, resolveNet } from "./nets.js";
import { familiesOf, isCatchAll, survivingFamilies } from "./cidr-set.js";

function unparen(e: SelExpr): SelExpr {
  return e.kind === "SelParen" ? unparen(e.inner) : e;
}

function itemTarget(ctx: Ctx, item: PeerItem, recordUse: boolean): PeerTarget | undefined {
  const t = item.target;
  if (t.kind === "Cidr") {
    const c = cidrOfLiteral(ctx, t);
    return c && { kind: "nets", net: { cidrs: [c], origin: t.span } };
  }
  const inner = unparen(t);
  if (inner.kind === "SelRef" && !inner.name.recovered) {
    const sym = ctx.symbols.lookup(inner.name.name);
    if (sym?.kind === "net") {
      ctx.symbols.addReference(inner.name.span, sym);
      const net = resolveNet(ctx, sym, inner.name.span);
      return net && { kind: "nets", net };
    }
    if (sym?.kind === "group") {
      ctx.symbols.addReference(inner.name.span, sym);
      const sel = resolveGroup(ctx, sym, inner.name.span);
      return sel && { kind: "selector", sel, group: sym.name };
    }
  }
  const sel = lowerSelector(ctx, t, "peer");
  if (!sel) return undefined;
  if (!checkLength(ctx, sel, t.span, "this peer")) return undefined;
  if (recordUse) ctx.selUses.push({ sel, span: t.span, what: "this peer" });
  return { kind: "selector", sel };
}

/** The families a resolved item can match. */
function itemFamilies(item: ResolvedPeerItem): Set<Family> {
  if (item.negated || item.target.kind === "selector") return new Set<Family>([4, 6]);
  return familiesOf(item.target.net.cidrs);
}

/** Families the peer can match (an absent peer matches both). */
export function peerFamilies(peer: ResolvedPeer | undefined): Set<Family> {
  if (!peer) return new Set<Family>([4, 6]);
  const exceptCidrs = peer.exclude.flatMap((i) => (i.target.kind === "nets" && !i.negated ? i.target.net.cidrs : []));
  const out = new Set<Family>();
  for (const i of peer.include) {
    const fams = i.target.kind === "nets" && !i.negated ? survivingFamilies(i.target.net.cidrs, exceptCidrs) : itemFamilies(i);
    for (const f of fams) out.add(f);
  }
  return out;
}

/** True when every include item is a net (negated or not): no endpoint selector on this side. */
export function isNetOnly(peer: ResolvedPeer): boolean {
  return peer.include.every((i) => i.target.kind === "nets");
}

export function resolvePeer(ctx: Ctx, peer: Peer): ResolvedPeer | undefined {
  if (peer.recovered) return undefined;
  let ok = true;
  const include: ResolvedPeerItem[] = [];
  const exclude: ResolvedPeerItem[] = [];
  for (const item of peer.items) {
    const target = itemTarget(ctx, item, !item.negated);
    if (target) include.push({ negated: item.negated, target, origin: item.span });
    else ok = false;
  }
  for (const item of peer.except) {
    if (item.negated) {
      ctx.report.emit("POL2035", item.span, "`not` in an `except` list", {
        label: "`except not X` would mean \"only X\"",
        help: "say what you want directly: list X among the items before `except` (a peer is items minus excepts)",
      });
      ok = false;
      continue;
    }
    const target = itemTarget(ctx, item, false);
    if (target) exclude.push({ negated: false, target, origin: item.span });
    else ok = false;
  }
  if (!ok) return undefined;
  const resolved: ResolvedPeer = { include, exclude, origin: peer.span };
  return checkNets(ctx, resolved) ? resolved : undefined;
}

function checkNets(ctx: Ctx, peer: ResolvedPeer): boolean {
  // Every check below is about `not` items and except items: nothing to do without them.
  if (peer.exclude.length === 0 && !peer.include.some((i) => i.negated)) return true;
  let ok = true;
  // Calico: "catch-all CIDR in negation creates logical contradiction (matches no traffic)".
  const negations = [
    ...peer.include.filter((i) => i.negated).map((i) => ({ i, how: "`not`" })),
    ...peer.exclude.map((i) => ({ i, how: "`except`" })),
  ];
  for (const { i, how } of negations) {
    if (i.target.kind !== "nets") continue;
    const all = i.target.net.cidrs.filter(isCatchAll);
    if (all.length === 0) continue;
    ok = false;
    const name = i.target.net.name ? `\`${i.target.net.name}\` contains \`${all[0]!.text}\`` : `\`${all[0]!.text}\` is every ${all[0]!.family === 4 ? "IPv4" : "IPv6"} address`;
    ctx.report.emit("POL2031", i.origin, `a catch-all CIDR under ${how} matches nothing`, {
      label: name,
      notes: [
        "Calico rejects `notNets` containing `0.0.0.0/0` or `::/0` (\"catch-all CIDR in negation creates logical contradiction\"), and Felix drops such a rule",
      ],
      help:
        how === "`not`"
          ? "remove the catch-all from the negated net; to match only one address family, list that family's ranges without `not`"
          : "remove the catch-all from the except list; to keep only one address family, list only that family's ranges before `except`",
    });
  }
  // A net item whose every address is removed by the except nets matches nothing (never widen).
  const exceptCidrs = peer.exclude.flatMap((i) => (i.target.kind === "nets" ? i.target.net.cidrs : []));
  if (exceptCidrs.length > 0 && !exceptCidrs.some(isCatchAll)) {
    for (const i of peer.include) {
      if (i.negated || i.target.kind !== "nets") continue;
      if (survivingFamilies(i.target.net.cidrs, exceptCidrs).size > 0) continue;
      ok = false;
      const only = peer.include.length === 1;
      ctx.report.emit("POL2032", i.origin, only ? "this peer matches nothing" : "this peer item matches nothing", {
        label: "every address here is removed by `except`",
        secondary: peer.exclude.filter((x) => x.target.kind === "nets").map((x) => ({ span: x.origin, message: "removed here" })),
        notes: ["polc never widens a rule: a peer that matches no address cannot be compiled into a Calico rule"],
        help: only ? "remove the rule, or fix the except list so that some addresses remain" : "remove this item, or fix the except list",
      });
    }
  }
  // An except net of a family no include item can match has no effect.
  const includeFamilies = new Set<Family>();
  for (const i of peer.include) for (const f of itemFamilies(i)) includeFamilies.add(f);
  for (const x of peer.exclude) {
    if (x.target.kind !== "nets") continue;
    if (x.target.net.cidrs.some((c) => includeFamilies.has(c.family))) continue;
    const fam = [...familiesOf(x.target.net.cidrs)].map((f) => `IPv${f}`).join("/");
    ctx.report.emit("POL2034", x.origin, `this except has no effect: it is ${fam} and the peer is not`, {
      label: `only ${fam} addresses`,
      help: "remove it, or add the addresses of that family to the peer",
    });
  }
  return ok;
}

// Peers → entities. A peer is (union of items) minus (union of excepts); Calico's EntityRule is an AND
// of fields. Each item (or all literal-CIDR items together, or all named-net items together) becomes
// one entity, and the excepts become `notSelector` / `notNets` on every entity: consecutive rules with
// the same action match exactly the union of their entities.
//
//   item `S`        → selector S (scoped)         except `E` (selector) → notSelector E (OR-ed)
//   item `not S`    → notSelector S                except `N` (net)      → notNets N
//   item `N` (CIDRs)→ nets N
//   item `N` (net)  → nets N through network set `N` (unless a catch-all or not a valid label value)
//   item `not N`    → notNets N
//
// The checker guarantees: excepts are never negated, no catch-all CIDR is negated, no net item is
// emptied by the excepts.

import type { ResolvedPeer } from "../semantic/model.js";
import { cidrRange } from "../net/cidr.js";
import type { Sel } from "../selector/ast.js";
import type { IrCidr, IrEntity, IrFamily } from "./types.js";
import { scopeSelector } from "./scope.js";

function orOf(sels: readonly Sel[]): Sel | undefined {
  if (sels.length === 0) return undefined;
  if (sels.length === 1) return sels[0];
  return { op: "or", args: [...sels] };
}

function cidrKey(c: IrCidr): string {
  return `${c.family}|${c.text}`;
}

/** De-duplicated, in a stable order (family, then text as given by the checker's sort). */
export function uniqueCidrs(list: readonly IrCidr[]): IrCidr[] {
  const seen = new Set<string>();
  const out: IrCidr[] = [];
  for (const c of list) {
    const k = cidrKey(c);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ text: c.text, family: c.family });
  }
  return out;
}

const LABEL_VALUE = /^[a-z0-9A-Z]([-_.a-z0-9A-Z]{0,61}[a-z0-9A-Z])?$/;

/** Whether a named net is matched through a GlobalNetworkSet (see docs/calico-output.md). */
export function netSetEligible(name: string | undefined, cidrs: readonly IrCidr[]): name is string {
  if (name === undefined || !LABEL_VALUE.test(name) || name.length > 63) return false;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return false; // part of the object name
  return cidrs.length > 0 && !cidrs.some((c) => c.text.endsWith("/0"));
}

/** The entities of a peer, in item order (literal CIDRs at their first item, named nets likewise). */
export function peerEntities(peer: ResolvedPeer): IrEntity[] {
  const exceptSels = peer.exclude.flatMap((x) => (x.target.kind === "selector" ? [x.target.sel] : []));
  const exceptNets = uniqueCidrs(peer.exclude.flatMap((x) => (x.target.kind === "nets" ? x.target.net.cidrs : [])));
  const common = (extraNot: Sel[] = [], extraNotNets: readonly IrCidr[] = []): Pick<IrEntity, "notSelector" | "notNets"> => {
    const notSelector = orOf([...extraNot, ...exceptSels]);
    const notNets = uniqueCidrs([...extraNotNets, ...exceptNets]);
    return { ...(notSelector ? { notSelector } : {}), ...(notNets.length ? { notNets } : {}) };
  };
  const out: IrEntity[] = [];
  let literal: { index: number; cidrs: IrCidr[] } | undefined;
  let named: { index: number; names: string[]; cidrs: IrCidr[] } | undefined;
  for (const item of peer.include) {
    const t = item.target;
    if (t.kind === "selector") {
      if (item.negated) out.push(common([t.sel]));
      else out.push({ selector: scopeSelector(t.sel), ...common() });
      continue;
    }
    if (item.negated) {
      out.push(common([], t.net.cidrs));
      continue;
    }
    if (netSetEligible(t.net.name, t.net.cidrs)) {
      if (!named) {
        named = { index: out.length, names: [], cidrs: [] };
        out.push({});
      }
      if (!named.names.includes(t.net.name)) named.names.push(t.net.name);
      named.cidrs.push(...t.net.cidrs);
      continue;
    }
    if (!literal) {
      literal = { index: out.length, cidrs: [] };
      out.push({});
    }
    literal.cidrs.push(...t.net.cidrs);
  }
  if (literal) {
    // `0.0.0.0/0` together with `::/0` is every address: no address constraint at all (exact, and it
    // spares a split by family).
    const cidrs = sortCidrs(uniqueCidrs(literal.cidrs));
    const everything = cidrs.some((c) => c.text === "0.0.0.0/0") && cidrs.some((c) => c.text === "::/0");
    out[literal.index] = everything ? common() : { nets: cidrs, ...common() };
  }
  if (named) out[named.index] = { nets: sortCidrs(uniqueCidrs(named.cidrs)), netSets: [...named.names].sort(), ...common() };
  return out;
}

/** v4 before v6, then by address and prefix (numerically). */
export function sortCidrs(list: readonly IrCidr[]): IrCidr[] {
  return [...list].sort((a, b) => a.family - b.family || cmpAddr(a, b));
}

function cmpAddr(a: IrCidr, b: IrCidr): number {
  const x = cidrRange(a.text);
  const y = cidrRange(b.text);
  if (x.first !== y.first) return x.first < y.first ? -1 : 1;
  return x.last > y.last ? -1 : x.last < y.last ? 1 : 0;
}

/** Whether an entity constrains addresses with inline CIDRs (and so must be split by family). */
export function hasInlineCidrs(e: IrEntity): boolean {
  return (e.nets !== undefined && e.netSets === undefined) || e.notNets !== undefined;
}

/** The families of each named net of a peer that is reached through a network set. */
export function netSetFamilies(peer: ResolvedPeer | undefined): Map<string, Set<IrFamily>> {
  const out = new Map<string, Set<IrFamily>>();
  for (const i of peer?.include ?? []) {
    if (i.negated || i.target.kind !== "nets" || i.target.net.name === undefined) continue;
    out.set(i.target.net.name, new Set(i.target.net.cidrs.map((c) => c.family)));
  }
  return out;
}

/** The entity restricted to one family; undefined when it can match no address of that family.
 *  Network sets without an address of the family are left out (`setFamilies` from `netSetFamilies`). */
export function entityForFamily(e: IrEntity, f: IrFamily, setFamilies: ReadonlyMap<string, ReadonlySet<IrFamily>> = new Map()): IrEntity | undefined {
  let nets: IrCidr[] | undefined;
  if (e.nets) {
    nets = e.nets.filter((c) => c.family === f);
    if (nets.length === 0) return undefined;
  }
  const netSets = e.netSets?.filter((n) => setFamilies.get(n)?.has(f) ?? true);
  if (netSets && netSets.length === 0) return undefined;
  const notNets = e.notNets?.filter((c) => c.family === f);
  const { nets: _n, notNets: _nn, netSets: _ns, ...rest } = e;
  return { ...rest, ...(nets ? { nets } : {}), ...(netSets ? { netSets } : {}), ...(notNets && notNets.length ? { notNets } : {}) };
}

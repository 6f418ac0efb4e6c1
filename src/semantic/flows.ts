// Flows: `A -> B : S` in a `flows in TIER` block or as a single `flow … [in TIER]` (no tier: Calico's
// built-in `default` tier). Both ends and the services are resolved; lowering writes the egress half
// on A and the ingress half on B.

import type { FlowLine, Ident } from "../syntax/ast.js";
import type { Family, ModelFlow, ResolvedPeer } from "./model.js";
import type { Ctx } from "./context.js";
import { resolvePeer, peerFamilies, isNetOnly } from "./peers.js";
import { serviceItems } from "./services.js";
import { checkIcmpFamilies } from "./policies.js";
import { DEFAULT_TIER, tierRef } from "./tiers.js";
import { printSelector } from "./deps.js";
import { kindNoun } from "./kinds.js";

export function checkFlow(ctx: Ctx, line: FlowLine, tierIdent: Ident | undefined, staged: boolean, tierChecked?: string | null): ModelFlow | undefined {
  // `tierChecked`: the block's tier, already resolved once for the whole block (null = failed).
  const tier = tierChecked !== undefined ? (tierChecked ?? undefined) : tierIdent ? tierRef(ctx, tierIdent) : DEFAULT_TIER;
  const from = resolvePeer(ctx, line.from);
  const to = resolvePeer(ctx, line.to);
  const services = serviceItems(ctx, line.services, (s) =>
    s.kind === "group" || s.kind === "namespaces" || s.kind === "net"
      ? `\`${s.name}\` is ${kindNoun(s.kind)}, not a service: a flow is \`FROM -> TO : SERVICE\`, e.g. \`web -> ${s.name} : https\``
      : undefined,
  );
  if (!from || !to || !services || !tier) return undefined;
  if (isNetOnly(from) && isNetOnly(to)) {
    ctx.report.emit("POL2033", line.span, "both ends of this flow are nets: there is no endpoint to put a rule on", {
      label: "no group on either side",
      notes: ["Calico enforces policy on endpoints (pods, host endpoints); traffic between two address ranges outside the cluster never passes one"],
      help: "make one end a group or a selector (the pods that send or receive this traffic)",
    });
    return undefined;
  }
  const fromFam = peerFamilies(from);
  const families = new Set<Family>([...peerFamilies(to)].filter((f) => fromFam.has(f)));
  if (!checkIcmpFamilies(ctx, services, families, netEnd(from, to)?.origin)) return undefined;
  sameEnds(ctx, line, from, to);
  return { staged, tier, from, to, services, origin: line.span };
}

function netEnd(from: ResolvedPeer, to: ResolvedPeer): ResolvedPeer | undefined {
  return isNetOnly(to) ? to : isNetOnly(from) ? from : undefined;
}

function single(p: ResolvedPeer): string | undefined {
  if (p.include.length !== 1 || p.exclude.length !== 0) return undefined;
  const i = p.include[0]!;
  if (i.negated || i.target.kind !== "selector") return undefined;
  return printSelector(i.target.sel);
}

function sameEnds(ctx: Ctx, line: FlowLine, from: ResolvedPeer, to: ResolvedPeer): void {
  const a = single(from);
  if (a === undefined || a !== single(to)) return;
  const g = from.include[0]!.target.kind === "selector" ? from.include[0]!.target.group : undefined;
  const what = g ? `group \`${g}\`` : `\`${a}\``;
  ctx.report.emit("POL3007", line.span, `both ends of this flow are ${what}`, {
    label: "a flow from a group to itself",
    notes: [`this allows every endpoint of ${what} to reach every other one (and itself) on these services`],
    help: "if that is intended, keep it; if one end was meant to be another group, fix it",
  });
}

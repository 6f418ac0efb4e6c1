// One `.pol` rule (or one half of a flow) → Calico rules: one per peer entity × protocol match ×
// address family, in that order (docs/calico-output.md, "Rule splitting"). Pieces that can match no
// packet are dropped and reported, never widened.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { ResolvedPeer, ServiceEntry } from "../semantic/model.js";
import type { Span } from "../source.js";
import type { IrAction, IrEntity, IrFamily, IrRule } from "./types.js";
import { entityForFamily, hasInlineCidrs, netSetFamilies, peerEntities } from "./peers.js";
import { hasPorts, protoMatches, type ProtoMatch } from "./services.js";
import { makeDiag } from "./diag.js";

export interface RuleInput {
  readonly action: IrAction;
  readonly services: readonly ServiceEntry[];
  readonly peer?: ResolvedPeer;
  readonly origin: Span;
  readonly fromFlow?: boolean;
}

export interface LoweredRules {
  readonly rules: IrRule[];
  readonly diagnostics: Diagnostic[];
}

function familyName(f: IrFamily): string {
  return f === 4 ? "IPv4" : "IPv6";
}

function protocolText(m: ProtoMatch): string {
  const p = String(m.protocol);
  return m.icmp ? `${p} type ${m.icmp.type}${m.icmp.code !== undefined ? ` code ${m.icmp.code}` : ""}` : p;
}

function makeRule(input: RuleInput, m: ProtoMatch, peer: IrEntity, ipVersion: IrFamily | undefined): IrRule {
  return {
    action: input.action,
    ...(ipVersion !== undefined ? { ipVersion } : {}),
    ...(m.protocol !== undefined ? { protocol: m.protocol } : {}),
    ...(m.ports ? { ports: m.ports } : {}),
    ...(m.namedPorts ? { namedPorts: m.namedPorts } : {}),
    ...(m.icmp ? { icmp: m.icmp } : {}),
    peer,
    origin: input.origin,
    ...(input.fromFlow ? { fromFlow: true } : {}),
  };
}

export function lowerRule(input: RuleInput): LoweredRules {
  const diagnostics: Diagnostic[] = [];
  const matches = protoMatches(input.services);
  const bad = matches.find((m) => m.protocol !== undefined && !hasPorts(m.protocol) && (m.ports || m.namedPorts));
  if (bad) {
    diagnostics.push(
      makeDiag("POL4006", input.origin, `Calico cannot match ports of protocol \`${String(bad.protocol)}\``, {
        notes: ["Calico accepts `ports` only with protocol TCP, UDP or SCTP"],
        help: "use the protocol without ports, or TCP, UDP or SCTP",
      }),
    );
    return { rules: [], diagnostics };
  }
  const entities = input.peer ? peerEntities(input.peer) : [{}];
  const setFamilies = netSetFamilies(input.peer);
  const rules: IrRule[] = [];
  const dropped: { m: ProtoMatch; f: IrFamily }[] = [];
  for (const e of entities) {
    for (const m of matches) {
      if (hasInlineCidrs(e)) {
        const families: IrFamily[] = m.family ? [m.family] : [4, 6];
        for (const f of families) {
          const ef = entityForFamily(e, f, setFamilies);
          if (ef) rules.push(makeRule(input, m, ef, f));
          else if (m.family) dropped.push({ m, f });
        }
      } else if (m.family && e.netSets) {
        const ef = entityForFamily(e, m.family, setFamilies);
        if (ef) rules.push(makeRule(input, m, ef, m.family));
        else dropped.push({ m, f: m.family });
      } else {
        rules.push(makeRule(input, m, e, m.family));
      }
    }
  }
  if (dropped.length > 0 && rules.length === 0) {
    const d = dropped[0]!;
    diagnostics.push(
      makeDiag("POL4002", input.origin, "this rule can never match a packet", {
        notes: [`it only has ${protocolText(d.m)} (${familyName(d.f)}) towards addresses that are all ${familyName(d.f === 4 ? 6 : 4)}`],
        help: "use the protocol of the addresses' family, or addresses of the protocol's family",
      }),
    );
  } else if (input.peer) {
    // A net item with no address of a family the rule's protocols can use contributes nothing.
    for (const item of input.peer.include) {
      if (item.negated || item.target.kind !== "nets") continue;
      const cidrs = item.target.net.cidrs;
      if (!matches.every((x) => x.family !== undefined && !cidrs.some((c) => c.family === x.family))) continue;
      const m = matches[0]!;
      const other = familyName(m.family === 4 ? 6 : 4);
      diagnostics.push(
        makeDiag("POL4001", item.origin, `${protocolText(m)} (${familyName(m.family!)}) can never reach this ${other}-only peer; it is left out of the rule`, {
          label: `only ${other} addresses`,
          help: "remove the item, or add the protocol of its family",
        }),
      );
    }
  }
  return { rules, diagnostics };
}

/** Whether a NetworkPolicy can express the entity exactly (POL4003). */
export function namespacedExpressible(e: IrEntity): boolean {
  return !(e.notSelector !== undefined && e.selector === undefined && e.netSets === undefined);
}

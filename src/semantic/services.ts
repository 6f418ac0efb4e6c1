// Services: port specs (`tcp/80`, `udp/53`, `icmp/3/4`, `proto/47`), predeclared protocols and
// `service` declarations, checked against Calico's protocol/port rules and merged per protocol.

import type { PortSpec, ProtocolName, ServiceItem } from "../syntax/ast.js";
import type { Span } from "../source.js";
import type { ResolvedService, ServiceEntry } from "./model.js";
import type { Ctx } from "./context.js";
import type { PolSymbol } from "./symbols.js";
import { namedPortProblem } from "./names.js";

export const PREDECLARED_SERVICES: readonly ProtocolName[] = ["tcp", "udp", "sctp", "udplite", "icmp", "icmpv6"];

const PORT_PROTOCOLS = new Set<ServiceEntry["protocol"]>(["tcp", "udp", "sctp"]);
const ICMP_PROTOCOLS = new Set<ServiceEntry["protocol"]>(["icmp", "icmpv6"]);

/** IP protocol numbers with a Calico name; `proto/6` is normalised to `tcp`. */
const PROTOCOL_BY_NUMBER: ReadonlyMap<number, ProtocolName> = new Map([
  [6, "tcp"],
  [17, "udp"],
  [132, "sctp"],
  [136, "udplite"],
  [1, "icmp"],
  [58, "icmpv6"],
]);

export function protocolText(p: ServiceEntry["protocol"]): string {
  return typeof p === "number" ? `proto/${p}` : p;
}

/** Reports a port spec Calico would reject (POL2020). The front end already rejects malformed
 *  literals (port and protocol ranges, named-port syntax, ICMP syntax); what remains here is the
 *  protocol/port combination, plus a guard for shapes the front end never builds. */
function rejectSpec(ctx: Ctx, spec: PortSpec, message: string, label: string, help: string): undefined {
  ctx.report.emit("POL2020", spec.span, message, {
    label,
    notes: ["Calico matches ports only for TCP, UDP and SCTP, and ICMP types and codes only for ICMP and ICMPv6 (\"rules that specify ports must set protocol to TCP or UDP or SCTP\"); in native-CRD mode Felix drops the whole policy instead"],
    help,
  });
  return undefined;
}

/** The entry for one port spec, or undefined after reporting why Calico would reject it. */
export function entryOfPortSpec(ctx: Ctx, spec: PortSpec): ServiceEntry | undefined {
  if (spec.recovered) return undefined;
  let protocol = spec.protocol;
  if (typeof protocol === "number") {
    if (!Number.isInteger(protocol) || protocol < 1 || protocol > 255) {
      return rejectSpec(ctx, spec, `IP protocol number ${protocol} is out of range`, "must be 1 to 255", "use a protocol number between 1 and 255, or a protocol name");
    }
    protocol = PROTOCOL_BY_NUMBER.get(protocol) ?? protocol;
  }
  const name = protocolText(protocol);
  if ((spec.ports || spec.namedPort !== undefined) && !PORT_PROTOCOLS.has(protocol)) {
    return rejectSpec(
      ctx,
      spec,
      `\`${name}\` cannot have ports`,
      "ports are only matched for tcp, udp and sctp",
      ICMP_PROTOCOLS.has(protocol) ? `ICMP has types, not ports: \`${name}/8\` is echo request; or use \`${name}\` for all of it` : `use \`${name}\` without ports, or \`tcp/…\`, \`udp/…\`, \`sctp/…\``,
    );
  }
  if (spec.ports) {
    const { from, to } = spec.ports;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 65535 || from > to) {
      return rejectSpec(ctx, spec, `invalid port or port range \`${spec.text}\``, "ports are 1 to 65535, low before high", "use ports between 1 and 65535, ranges as `low-high`");
    }
    return { protocol, ports: [{ from, to }], origin: spec.span };
  }
  if (spec.namedPort !== undefined) {
    const problem = namedPortProblem(spec.namedPort);
    if (problem) return rejectSpec(ctx, spec, `\`${spec.namedPort}\` is not a valid named port`, problem, "use the container port's `name` exactly as in the pod spec, or a port number");
    return { protocol, namedPorts: [spec.namedPort], origin: spec.span };
  }
  if (spec.icmp) {
    const { type, code } = spec.icmp;
    if (!ICMP_PROTOCOLS.has(protocol)) return rejectSpec(ctx, spec, `\`${name}\` has no ICMP type or code`, "not an ICMP protocol", "ICMP types and codes are only valid with `icmp` and `icmpv6`");
    if (!Number.isInteger(type) || type < 0 || type > 254 || (code !== undefined && (!Number.isInteger(code) || code < 0 || code > 255))) {
      return rejectSpec(ctx, spec, `invalid ICMP type or code in \`${spec.text}\``, "types are 0 to 254, codes 0 to 255", "use an ICMP type between 0 and 254 and a code between 0 and 255");
    }
    return { protocol, icmp: code === undefined ? { type } : { type, code }, origin: spec.span };
  }
  return { protocol, origin: spec.span };
}

/** Entries of the same protocol merged: port ranges sorted and joined, named ports sorted; "any port"
 *  absorbs port lists; ICMP type/code pairs kept apart (one Calico rule each) unless "any" absorbs
 *  them. Protocols keep the order of their first appearance. */
export function mergeEntries(entries: readonly ServiceEntry[]): ServiceEntry[] {
  const byProto = new Map<ServiceEntry["protocol"], ServiceEntry[]>();
  for (const e of entries) {
    const list = byProto.get(e.protocol) ?? [];
    list.push(e);
    byProto.set(e.protocol, list);
  }
  const out: ServiceEntry[] = [];
  for (const [protocol, list] of byProto) {
    const origin = list[0]!.origin;
    if (ICMP_PROTOCOLS.has(protocol)) {
      if (list.some((e) => !e.icmp)) {
        out.push({ protocol, origin });
        continue;
      }
      const typesAny = new Set(list.filter((e) => e.icmp!.code === undefined).map((e) => e.icmp!.type));
      const seen = new Set<string>();
      const kept = list
        .filter((e) => e.icmp!.code === undefined || !typesAny.has(e.icmp!.type))
        .filter((e) => {
          const k = `${e.icmp!.type}/${e.icmp!.code ?? ""}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        })
        .sort((a, b) => a.icmp!.type - b.icmp!.type || (a.icmp!.code ?? -1) - (b.icmp!.code ?? -1));
      out.push(...kept);
      continue;
    }
    if (list.some((e) => !e.ports && !e.namedPorts)) {
      out.push({ protocol, origin });
      continue;
    }
    const ranges = list.flatMap((e) => e.ports ?? []).sort((a, b) => a.from - b.from || a.to - b.to);
    const merged: { from: number; to: number }[] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
      else merged.push({ ...r });
    }
    const named = [...new Set(list.flatMap((e) => e.namedPorts ?? []))].sort();
    out.push({ protocol, ...(merged.length ? { ports: merged } : {}), ...(named.length ? { namedPorts: named } : {}), origin });
  }
  return out;
}

export function resolveService(ctx: Ctx, sym: PolSymbol, via: Span | undefined): ResolvedService | undefined {
  if (sym.origin === "builtin") {
    const origin = via ?? { file: "", start: 0, end: 0 };
    return { name: sym.name, entries: [{ protocol: sym.name as ProtocolName, origin }], origin };
  }
  return ctx.resolve(ctx.services, sym, via, () => {
    const decl = sym.decl;
    if (!decl || decl.kind !== "Service") return undefined;
    const entries = serviceItems(ctx, decl.items, (s) =>
      s.kind === "group" || s.kind === "namespaces" || s.kind === "net"
        ? `a service lists protocols and ports; \`${s.name}\` says who, not how: use it as a peer of a rule (\`from ${s.name}\` / \`to ${s.name}\`)`
        : undefined,
    );
    return entries && { name: sym.name, entries, origin: decl.span };
  });
}

/** Resolves a list of service items (port specs and names) to merged entries. */
export function serviceItems(ctx: Ctx, items: readonly ServiceItem[], wrongKindHelp: (s: PolSymbol) => string | undefined): ServiceEntry[] | undefined {
  const out: ServiceEntry[] = [];
  let ok = true;
  for (const item of items) {
    if (item.kind === "PortSpec") {
      const e = entryOfPortSpec(ctx, item);
      if (e) out.push(e);
      else ok = false;
      continue;
    }
    const sym = ctx.lookup(item.name, ["service"], { where: "here", wrongKindHelp });
    const svc = sym && resolveService(ctx, sym, item.name.span);
    // Entries point at the place that names them (the rule or declaration using the service).
    if (svc) out.push(...svc.entries.map((e) => ({ ...e, origin: item.span })));
    else ok = false;
  }
  return ok ? mergeEntries(out) : undefined;
}

export function isIcmpV4(p: ServiceEntry["protocol"]): boolean {
  return p === "icmp";
}
export function isIcmpV6(p: ServiceEntry["protocol"]): boolean {
  return p === "icmpv6";
}

// Flows between the hosts of a lab and the reference evaluator's enforced verdict for each: every
// ordered pair of hosts (at least one of them a pod of the inventory; a pod never to itself: that
// traffic does not cross the node), every family both ends have, over TCP and UDP ports that the
// rules name (and a few they do not) and ICMP echo.

import { evaluateFlow, World, type EvalProgram, type FlowVerdict } from "../../src/eval/index.js";
import type { Inventory } from "../../src/inventory/types.js";
import type { LabHostSpec, Probe } from "./lab.js";
import type { Rng } from "./rng.js";
import { isIPv6 } from "node:net";

export interface FlowCase {
  readonly probe: Probe;
  readonly expected: "Allow" | "Deny";
  readonly verdict: FlowVerdict;
}

/** Lab hosts: every pod of the inventory (id `ns/pod`) and the outside addresses (id `ext:<addr>`). */
export function labHosts(inv: Inventory, externals: readonly (readonly string[])[]): LabHostSpec[] {
  return [
    ...inv.endpoints.map((e) => ({ id: `${e.namespace}/${e.name}`, addresses: e.addresses.map((a) => a.text) })),
    ...externals.map((addrs) => ({ id: `ext:${addrs.join(",")}`, addresses: addrs })),
  ];
}

/** TCP and UDP ports to probe: those the rules name (range ends), the named ports, and some others. */
export function probePorts(prog: EvalProgram, inv: Inventory): number[] {
  const ports = new Set<number>([80, 9]);
  for (const p of prog.policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const port of r.destination.ports ?? []) {
        if ("from" in port) {
          ports.add(port.from);
          ports.add(port.to);
        }
      }
    }
  }
  for (const e of inv.endpoints) for (const np of e.namedPorts) ports.add(np.port);
  return [...ports].sort((a, b) => a - b);
}

export function flowCases(prog: EvalProgram, inv: Inventory, hosts: readonly LabHostSpec[], ports: readonly number[]): FlowCase[] {
  const world = new World(prog, inv);
  const pods = new Set(inv.endpoints.map((e) => `${e.namespace}/${e.name}`));
  const out: FlowCase[] = [];
  for (const src of hosts) {
    for (const dst of hosts) {
      if (src.id === dst.id || (!pods.has(src.id) && !pods.has(dst.id))) continue;
      for (const family of [4, 6] as const) {
        const s = src.addresses.find((a) => isIPv6(a) === (family === 6));
        const d = dst.addresses.find((a) => isIPv6(a) === (family === 6));
        if (!s || !d) continue;
        const services: { proto: Probe["proto"]; port?: number }[] = [
          ...ports.flatMap((port) => [{ proto: "tcp" as const, port }, { proto: "udp" as const, port }]),
          { proto: "icmp" },
        ];
        for (const svc of services) {
          const icmp = family === 4 ? { protocol: "icmp", icmp: { type: 8, code: 0 } } : { protocol: "icmpv6", icmp: { type: 128, code: 0 } };
          const spec = svc.proto === "icmp" ? icmp : { protocol: svc.proto, port: svc.port! };
          const v = evaluateFlow(prog, inv, { source: { ip: s }, destination: { ip: d }, ...spec }, world);
          if (!v.ok) throw new Error(`${src.id} -> ${dst.id}: ${v.error}`);
          out.push({ probe: { from: src.id, to: dst.id, dst: d, proto: svc.proto, ...(svc.port !== undefined ? { port: svc.port } : {}) }, expected: v.enforced, verdict: v });
        }
      }
    }
  }
  return out;
}

/** At most `max` cases, sampled with `rng`, keeping every ICMP case and as many denied as allowed. */
export function sampleCases(cases: readonly FlowCase[], max: number, rng: Rng): FlowCase[] {
  if (cases.length <= max) return [...cases];
  const allow = cases.filter((c) => c.expected === "Allow");
  const deny = cases.filter((c) => c.expected === "Deny");
  const half = Math.floor(max / 2);
  const a = rng.sample(allow, Math.min(allow.length, Math.max(half, max - deny.length)));
  const d = rng.sample(deny, max - a.length);
  return [...a, ...d];
}

export function describeCase(c: FlowCase): string {
  const p = c.probe;
  return `${p.from} -> ${p.to} (${p.dst}) ${p.proto}${p.port !== undefined ? `/${p.port}` : ""}`;
}

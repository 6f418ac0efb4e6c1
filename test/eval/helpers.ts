// Loads an example (compiled through the real pipeline) and its inventory, and evaluates flows
// written compactly: `ns/pod` or an IP address on each end.

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { compile } from "../../src/compile.js";
import { renderText } from "../../src/diag/render.js";
import { loadInventoryFile } from "../../src/inventory/load.js";
import type { Inventory } from "../../src/inventory/types.js";
import { evalProgram, evaluateFlow, hitToString, World, type EvalProgram, type FlowSpec, type FlowVerdict } from "../../src/eval/index.js";

export const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

export interface Loaded {
  prog: EvalProgram;
  inv: Inventory;
  world: World;
}

export function loadExample(name: string): Loaded {
  const r = compile([join(REPO, "examples", name, "policy.pol")], { projectRoot: REPO });
  expect(renderText(r.diagnostics.filter((d) => d.severity === "error"), r.sources)).toBe("");
  const inv = loadInventoryFile(join(REPO, "examples", name, "cluster.yaml"), `examples/${name}/cluster.yaml`);
  expect(inv.diagnostics).toEqual([]);
  const prog = evalProgram(r.outputs!.objects, { ir: r.ir! });
  return { prog, inv: inv.inventory, world: new World(prog, inv.inventory) };
}

function end(s: string): FlowSpec["source"] {
  return /^[0-9a-f.:]+$/i.test(s) && (s.includes(".") || s.includes(":")) && !s.includes("/") ? { ip: s } : { pod: s };
}

/** `tcp/80`, `udp/53`, `icmp/8`, `icmp/3/4`, `icmpv6/128`, `proto/47`. */
export function parseService(svc: string): Pick<FlowSpec, "protocol" | "port" | "icmp"> {
  const [proto, a, b] = svc.split("/") as [string, string?, string?];
  if (proto === "icmp" || proto === "icmpv6") {
    return { protocol: proto, ...(a !== undefined ? { icmp: { type: Number(a), ...(b !== undefined ? { code: Number(b) } : {}) } } : {}) };
  }
  if (proto === "proto") return { protocol: Number(a) };
  return { protocol: proto, ...(a !== undefined ? { port: Number(a) } : {}) };
}

export function flow(l: Loaded, from: string, to: string, svc: string, family?: 4 | 6): FlowVerdict {
  const spec: FlowSpec = { source: end(from), destination: end(to), ...parseService(svc), ...(family ? { family } : {}) };
  const r = evaluateFlow(l.prog, l.inv, spec, l.world);
  if (!r.ok) throw new Error(r.error);
  return r;
}

/** The traces of a verdict in Calico's compact form, per reporter and mode. */
export function traces(v: FlowVerdict): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (v.egress) {
    out["src enforced"] = v.egress.enforced.hits.map(hitToString);
    out["src pending"] = v.egress.pending.hits.map(hitToString);
  }
  if (v.ingress) {
    out["dst enforced"] = v.ingress.enforced.hits.map(hitToString);
    out["dst pending"] = v.ingress.pending.hits.map(hitToString);
  }
  return out;
}

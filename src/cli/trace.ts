// `polc trace`: which tiers, policies and rules decide one flow, for the enforced and the pending
// (staged policies enforced) verdict. Compiles the sources, reads the emitted Calico objects with the
// reference evaluator (src/eval, calico-reference.md §d.4, §d.7) and prints the path of each direction
// (text), or Calico's flow-log policy trace (`--format json`, §e). Rendering is in trace-render.ts.
//
// Ends are `NAMESPACE/POD` (resolved in `--inventory`) or IP addresses. An address that belongs to no
// pod of the inventory is an external peer: no Calico policy applies on its side. Without an inventory
// no address is a pod, so at least one end must name a pod and `--inventory` is required.
//
// The paths must make one project (src/cli/projects.ts). Exit codes: 0 the trace was printed (whatever
// the verdict), 1 the sources or the inventory have errors (diagnostics on stderr, no trace), 2 usage
// error (bad option, several projects, unknown pod: close matches are listed).

import { relative, resolve } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diag/diagnostic.js";
import { renderText } from "../diag/render.js";
import { parseCidr } from "../net/cidr.js";
import type { Inventory } from "../inventory/types.js";
import { SourceMap } from "../source.js";
import { sourceUsage, useColor, type Io } from "./commands.js";
import { loadCliInventory } from "./inventory.js";
import { projectsOf } from "./projects.js";
import { renderTraceJson, renderTraceText, type TraceReport } from "./trace-render.js";
import { ICMP_PROTOCOLS, PORT_PROTOCOLS, PROTOCOL_BY_NAME } from "../net/protocols.js";

export interface TraceOptions {
  from: string;
  to: string;
  proto?: string;
  port?: string;
  icmpType?: string;
  icmpCode?: string;
  family?: "4" | "6";
  inventory?: string;
  format?: "text" | "json";
  color?: "auto" | "always" | "never";
  root?: string;
}


/** A usage error: printed with a pointer to `--help`, exit 2. */
class UsageError extends Error {}

function int(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new UsageError(`${what} must be a whole number from ${min} to ${max}, not \`${text}\``);
  return Number(text);
}

function protocolOf(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return int(t, "--proto", 0, 255);
  const n = PROTOCOL_BY_NAME[t];
  if (n === undefined) throw new UsageError(`unknown protocol \`${text}\`: use tcp, udp, sctp, udplite, icmp, icmpv6 or a protocol number`);
  return n;
}

export type EndSpec = { readonly pod: string } | { readonly ip: string };

/** `NAMESPACE/POD` or an IP address (a CIDR is neither). */
export function parseEnd(text: string, which: "--from" | "--to"): EndSpec {
  const t = text.trim();
  const asIp = parseCidr(t);
  if (asIp.ok && !t.includes("/")) return { ip: t };
  if (asIp.ok) throw new UsageError(`${which} \`${text}\` is a CIDR; give one address (or NAMESPACE/POD)`);
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(t);
  if (!m) throw new UsageError(`${which} \`${text}\` is neither NAMESPACE/POD nor an IP address`);
  return { pod: t };
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Pods of the inventory that the user may have meant by `wanted` (best first, at most 5). */
export function closePods(inv: Inventory, wanted: string): string[] {
  const [ns, name = ""] = wanted.split("/") as [string, string?];
  const scored: { id: string; score: number }[] = [];
  for (const e of inv.endpoints) {
    const id = `${e.namespace}/${e.name}`;
    let score = levenshtein(wanted, id);
    // Pods get generated suffixes (`web-6d4b8f7c5-x2x9q`): a prefix of the name in the right namespace is close.
    if (e.namespace === ns && name && e.name.startsWith(name)) score = Math.min(score, 1);
    // The right pod name in another namespace.
    if (e.name === name) score = Math.min(score, 2);
    if (score <= Math.max(2, Math.floor(wanted.length / 3))) scored.push({ id, score });
  }
  scored.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.slice(0, 5).map((s) => s.id);
}

function unknownPod(inv: Inventory, which: string, pod: string, invPath: string): UsageError {
  const close = closePods(inv, pod);
  const ns = pod.split("/")[0]!;
  let hint: string;
  if (close.length) hint = `did you mean ${close.map((c) => `\`${c}\``).join(", ")}?`;
  else {
    const inNs = inv.endpoints.filter((e) => e.namespace === ns).map((e) => `\`${e.namespace}/${e.name}\``);
    hint = inNs.length
      ? `pods in namespace \`${ns}\`: ${inNs.slice(0, 10).join(", ")}${inNs.length > 10 ? ", …" : ""}`
      : `namespaces with pods: ${[...new Set(inv.endpoints.map((e) => `\`${e.namespace}\``))].join(", ") || "none"}`;
  }
  return new UsageError(`the ${which} pod \`${pod}\` is not in the inventory ${invPath}; ${hint}`);
}

interface Parsed {
  readonly from: EndSpec;
  readonly to: EndSpec;
  readonly protocol: number;
  readonly protocolText: string;
  readonly port?: number;
  readonly icmp?: { readonly type: number; readonly code?: number };
  readonly family?: 4 | 6;
}

function parseOptions(opts: TraceOptions): Parsed {
  const from = parseEnd(opts.from, "--from");
  const to = parseEnd(opts.to, "--to");
  const protoText = (opts.proto ?? "tcp").trim().toLowerCase();
  const protocol = protocolOf(protoText);
  const hasPorts = PORT_PROTOCOLS.has(protocol);
  const isIcmp = ICMP_PROTOCOLS.has(protocol);
  if (opts.port !== undefined && !hasPorts) throw new UsageError(`--port needs a protocol with ports (tcp, udp, sctp, udplite), not ${protoText}`);
  if (hasPorts && opts.port === undefined) throw new UsageError(`--port is required for ${protoText}: Calico policy decides per destination port`);
  if ((opts.icmpType !== undefined || opts.icmpCode !== undefined) && !isIcmp) throw new UsageError(`--icmp-type and --icmp-code need --proto icmp or icmpv6, not ${protoText}`);
  if (opts.icmpCode !== undefined && opts.icmpType === undefined) throw new UsageError("--icmp-code needs --icmp-type");
  const port = opts.port !== undefined ? int(opts.port, "--port", 1, 65535) : undefined;
  const icmp =
    opts.icmpType !== undefined
      ? { type: int(opts.icmpType, "--icmp-type", 0, 255), ...(opts.icmpCode !== undefined ? { code: int(opts.icmpCode, "--icmp-code", 0, 255) } : {}) }
      : undefined;
  const family = opts.family !== undefined ? (Number(opts.family) as 4 | 6) : undefined;
  for (const [which, end] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if ("ip" in end && family !== undefined) {
      const fam = parseCidr(end.ip);
      if (fam.ok && fam.family !== family) throw new UsageError(`${which} ${end.ip} is not an IPv${family} address (--family ${family})`);
    }
  }
  if (protocol === 1 && family === 6) throw new UsageError("ICMP (protocol 1) is IPv4; use --proto icmpv6 for IPv6");
  if (protocol === 58 && family === 4) throw new UsageError("ICMPv6 (protocol 58) is IPv6; use --proto icmp for IPv4");
  return {
    from,
    to,
    protocol,
    protocolText: protoText,
    ...(port !== undefined ? { port } : {}),
    ...(icmp ? { icmp } : {}),
    ...(family ? { family } : {}),
  };
}

function printDiagnostics(diags: Diagnostic[], sources: SourceMap, io: Io, color: boolean): void {
  io.err(renderText(sortDiagnostics(diags), sources, { color }) + "\n");
}

export async function runTrace(paths: string[], opts: TraceOptions, io: Io): Promise<number> {
  const color = useColor(opts, io);
  if (sourceUsage(paths, opts, io)) return 2;
  let parsed: Parsed;
  try {
    parsed = parseOptions(opts);
    const podEnd = [parsed.from, parsed.to].find((e) => "pod" in e) as { pod: string } | undefined;
    if (podEnd && opts.inventory === undefined) {
      throw new UsageError(`\`${podEnd.pod}\` names a pod: give --inventory FILE (kubectl get namespaces,pods -A -o yaml) to resolve pods, or use its IP address`);
    }
    if (opts.inventory === undefined) {
      throw new UsageError(
        "without --inventory no address belongs to a pod, so no Calico policy applies to this flow: give --inventory FILE and a pod (NAMESPACE/POD) or a pod's IP address as one end",
      );
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`error: ${e.message}\n(run \`polc trace --help\` for usage)\n`);
    return 2;
  }

  const sources = new SourceMap();
  const inv = loadCliInventory(opts.inventory, io.cwd);
  if ("usage" in inv) {
    io.err(inv.usage);
    return 2;
  }
  sources.add(inv.file);
  if (!inv.inventory) {
    printDiagnostics(inv.diagnostics, sources, io, color);
    io.err("the inventory has errors: no trace\n");
    return 1;
  }
  const inventory = inv.inventory;
  for (const [which, end] of [
    ["source", parsed.from],
    ["destination", parsed.to],
  ] as const) {
    if ("pod" in end && !inventory.endpoints.some((e) => `${e.namespace}/${e.name}` === end.pod)) {
      io.err(`error: ${unknownPod(inventory, which, end.pod, inv.file.path).message}\n`);
      return 2;
    }
  }

  // One project: a folder of example folders would be several programs with clashing names.
  const projects = projectsOf(paths.map((p) => resolve(io.cwd, p)));
  if (projects.length !== 1) {
    const list = projects.map((pr) => pr.map((e) => relative(io.cwd, e) || ".").join(" ")).join("; ");
    io.err(`error: trace evaluates one project, but these paths hold ${projects.length}${list ? `: ${list}` : ""}; name one of them\n`);
    return 2;
  }
  const { compile } = await import("../compile.js");
  const { evalProgram, evaluateFlow, World } = await import("../eval/index.js");
  const compiled = compile(
    projects[0]!,
    { projectRoot: resolve(io.cwd, opts.root ?? "."), target: "calico" },
  );
  for (const f of compiled.sources.all()) sources.add(f);
  if (!compiled.ok || !compiled.outputs || !compiled.ir || hasErrors(compiled.diagnostics)) {
    printDiagnostics(compiled.diagnostics.filter((d) => d.severity === "error"), sources, io, color);
    io.err("the sources have errors: no trace\n");
    return 1;
  }
  const prog = evalProgram(compiled.outputs.objects, { ir: compiled.ir });
  const world = new World(prog, inventory);
  const evaluation = evaluateFlow(prog, inventory, {
    source: parsed.from,
    destination: parsed.to,
    protocol: parsed.protocol,
    ...(parsed.port !== undefined ? { port: parsed.port } : {}),
    ...(parsed.icmp ? { icmp: parsed.icmp } : {}),
    ...(parsed.family ? { family: parsed.family } : {}),
  }, world);
  if (!evaluation.ok) {
    io.err(`error: ${evaluation.error}\n(run \`polc trace --help\` for usage)\n`);
    return 2;
  }
  const fam = evaluation.packet.src.family;
  if ((parsed.protocol === 1 && fam === 6) || (parsed.protocol === 58 && fam === 4)) {
    io.err(`error: the flow is IPv${fam}: use --proto ${fam === 6 ? "icmpv6" : "icmp"} (or --family ${fam === 6 ? 4 : 6})\n(run \`polc trace --help\` for usage)\n`);
    return 2;
  }
  const report: TraceReport = { evaluation, inventory, world, ir: compiled.ir, prog, sources, protocolText: parsed.protocolText };
  io.out(opts.format === "json" ? renderTraceJson(report) : renderTraceText(report, { color }));
  return 0;
}

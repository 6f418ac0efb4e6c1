// The kernel's own account of a flow: `nft monitor trace` in the lab's node namespace, with
// `meta nftrace set 1` on new connections (a small extra table), parsed into the decision keys
// (src/backends/nft/keys.ts) of the rules that gave a verdict, in order, per flow.

import { spawn } from "node:child_process";
import { decisionKeyOf } from "../../src/backends/nft/keys.js";
import type { Lab, Probe, ProbeResult } from "./lab.js";

/** Marks new connections for tracing; after conntrack (-200), before the filter hook (0). */
export const TRACE_TABLE = `
table inet polctrace {
	chain pre {
		type filter hook prerouting priority -150; policy accept;
		ct state new meta nftrace set 1
	}
}
`;

interface Traced {
  src: string;
  dst: string;
  proto: string;
  port?: number;
  keys: string[];
}

function parse(out: string): Traced[] {
  const byId = new Map<string, Traced>();
  for (const line of out.split("\n")) {
    const m = /^trace id (\S+) inet polc (\S+) (packet:|rule) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, , what, rest] = m as unknown as [string, string, string, string, string];
    if (what === "packet:") {
      if (byId.has(id!)) continue;
      const src = /ip6? saddr (\S+)/.exec(rest)?.[1];
      const dst = /ip6? daddr (\S+)/.exec(rest)?.[1];
      const proto = /(?:ip protocol|ip6 nexthdr) (\S+)/.exec(rest)?.[1];
      const port = /(?:tcp|udp) dport (\d+)/.exec(rest)?.[1];
      if (src && dst && proto) byId.set(id!, { src, dst, proto: proto === "ipv6-icmp" ? "icmpv6" : proto, ...(port ? { port: Number(port) } : {}), keys: [] });
      continue;
    }
    const comment = /comment "([^"]*)"/.exec(rest)?.[1];
    const key = comment !== undefined ? decisionKeyOf(comment) : undefined;
    if (key) byId.get(id!)?.keys.push(key);
  }
  return [...byId.values()];
}

/** Runs the probes with tracing on; returns each probe's result and the decision keys of its first packet. */
export async function traceProbes(lab: Lab, probes: readonly Probe[]): Promise<{ results: ProbeResult[]; keys: (string[] | undefined)[] }> {
  const mon = spawn("ip", ["netns", "exec", lab.node, "nft", "monitor", "trace"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  mon.stdout.on("data", (d: Buffer) => (out += d.toString()));
  try {
    // `nft monitor` prints nothing when it is ready: give it a moment to subscribe.
    await new Promise((r) => setTimeout(r, 500));
    const results = await lab.run(probes);
    // `nft monitor` formats each event (it looks every rule up): wait until it has caught up, i.e.
    // printed nothing for a second (at most 30 s).
    for (let quiet = 0, last = out.length, t = 0; quiet < 5 && t < 150; t++) {
      await new Promise((r) => setTimeout(r, 200));
      quiet = out.length === last ? quiet + 1 : 0;
      last = out.length;
    }
    const traced = parse(out);
    const keys = probes.map((p) => {
      const proto = p.proto === "icmp" ? (p.dst.includes(":") ? "icmpv6" : "icmp") : p.proto;
      return traced.find((t) => t.dst === p.dst && t.proto === proto && t.port === p.port && t.keys.length > 0 && isFrom(lab, p, t.src))?.keys;
    });
    return { results, keys };
  } finally {
    mon.kill();
  }
}

function isFrom(lab: Lab, p: Probe, src: string): boolean {
  return lab.hosts.get(p.from)?.addresses.includes(src) ?? false;
}

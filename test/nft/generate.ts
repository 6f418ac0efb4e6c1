// A seedable generator of policy worlds: a `.pol` program (tiers with either default, guardrails,
// namespaced policies, staged policies, flows; allow/deny/pass/log rules on numeric, ranged and named
// ports, ICMP, groups, `not`, nets, CIDRs, `except`) and a matching inventory (a Kubernetes List of
// namespaces and pods, some dual-stack, some IPv4-only, some IPv6-only, with named container ports).
// Every pod address is in 10.9.0.0/16 or fd00:9::/64, so the lab's hosts never leave the test ranges.

import { Rng } from "./rng.js";

export interface GeneratedWorld {
  readonly seed: number;
  readonly pol: string;
  /** The inventory as a kubectl `List` (JSON, which the loader reads like YAML). */
  readonly inventory: string;
}

const NAMESPACES = ["alpha", "beta", "gamma"];
const APPS = ["web", "api", "db", "cache"];
const NAMED = [
  { name: "http", containerPort: 8080, protocol: "TCP" },
  { name: "dns", containerPort: 5353, protocol: "UDP" },
  { name: "metrics", containerPort: 9100, protocol: "TCP" },
];

/** Ports and protocols the rules use; the flows probe these (and a few others). */
const SERVICES = ["tcp/80", "tcp/8080", "udp/53", "udp/5353", "tcp/8000-8100", "tcp/http", "udp/dns", "tcp/metrics", "icmp", "icmp/8", "icmpv6/128", "tcp", "udp", "icmp/0", "sctp/80", "proto/47", "udplite", "icmp/3/4"];

function pods(rng: Rng): object[] {
  const out: object[] = [];
  let n = 0;
  for (const [ni, ns] of NAMESPACES.entries()) {
    const count = 2 + rng.int(3);
    for (let i = 0; i < count; i++) {
      n++;
      const app = rng.pick(APPS);
      const labels: Record<string, string> = { app };
      if (rng.chance(0.3)) labels["pci"] = "true";
      if (rng.chance(0.5)) labels["tier"] = rng.pick(["front", "back"]);
      const stack = rng.pick(["dual", "dual", "v4", "v6"]);
      const v4 = `10.9.${ni + 1}.${10 + i}`;
      const v6 = `fd00:9::${(ni + 1) * 256 + 10 + i}`;
      const ips = stack === "dual" ? [v4, v6] : stack === "v4" ? [v4] : [v6];
      const ports = NAMED.filter(() => rng.chance(0.4));
      out.push({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: `${app}-${n}`, namespace: ns, labels },
        spec: { containers: [{ name: "c", ports }] },
        status: { phase: "Running", podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
      });
    }
  }
  return out;
}

function inventory(rng: Rng): string {
  const namespaces = NAMESPACES.map((ns, i) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns, team: i % 2 ? "red" : "blue" } } }));
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: [...namespaces, ...pods(rng)] }, null, 1);
}

function peer(rng: Rng, namespaced: boolean): string {
  const items = [
    () => rng.pick(["web", "api", "db", "cache", "pci"]),
    () => `namespace "${rng.pick(NAMESPACES)}"`,
    () => `namespace(team == "${rng.pick(["red", "blue"])}")`,
    () => rng.pick(["inside", "outside", "v6inside", "docs"]),
    () => rng.pick(["10.9.1.0/24", "10.9.2.10/32", "198.51.100.0/24", "fd00:9::/120", "2001:db8::/32"]),
    () => `${rng.pick(["web", "api", "db"])} except ${rng.pick(["pci", `namespace "${rng.pick(NAMESPACES)}"`])}`,
    () => `inside except ${rng.pick(["10.9.2.0/24", "10.9.3.0/24"])}`,
    () => `not ${rng.pick(["inside", "docs", "10.9.1.0/24"])}`,
    () => (namespaced ? rng.pick(["web", "db"]) : `not ${rng.pick(["web", "db", "pci"])}`),
    () => `${rng.pick(["web", "api"])}, ${rng.pick(["db", "cache", "docs"])}`,
  ];
  return rng.pick(items)();
}

function rule(rng: Rng, namespaced: boolean): string {
  const dir = rng.pick(["ingress", "egress"]);
  const action = rng.pick(["allow", "allow", "allow", "deny", "deny", "pass", "log"]);
  const services = rng.chance(0.85) ? rng.sample(SERVICES, 1 + rng.int(2)) : [];
  const svc = services.length ? ` ${services.join(", ")}` : "";
  // ICMP is IPv4-only and ICMPv6 IPv6-only: such a rule gets a peer with addresses of both families.
  const icmp = services.some((s) => s.startsWith("icmp"));
  const remote = icmp ? rng.pick(["web", "api", "db", "pci", `namespace "${rng.pick(NAMESPACES)}"`, "inside", "outside", "not inside"]) : peer(rng, namespaced);
  const p = rng.chance(0.8) ? ` ${dir === "ingress" ? "from" : "to"} ${remote}` : "";
  return `  ${dir} ${action}${svc}${p}`;
}

function program(rng: Rng): string {
  const lines: string[] = [
    `group web = app == "web"`,
    `group api = app == "api"`,
    `group db = app == "db"`,
    `group cache = app == "cache"`,
    `group pci = pci == "true"`,
    `net inside = 10.9.0.0/16, fd00:9::/64`,
    `net outside = 198.51.100.0/24, 2001:db8::/32`,
    `net v6inside = fd00:9::/64`,
    `net docs = 198.51.100.0/24, 203.0.113.0/24`,
  ];
  const tiers = rng.sample(["t1", "t2", "t3", "t4"], 2 + rng.int(3));
  tiers.forEach((t, i) => lines.push(`tier ${t} order ${(i + 1) * 100} default ${rng.chance(0.5) ? "deny" : "pass"}`));
  let n = 0;
  for (const t of tiers) {
    const count = 1 + rng.int(3);
    for (let i = 0; i < count; i++) {
      n++;
      const staged = rng.chance(0.15) ? "staged " : "";
      const kind = rng.int(3);
      if (kind === 0) {
        lines.push(`${staged}guardrail g${n} in ${t} order ${10 * (i + 1)} {`, `  applies to ${rng.pick(["all()", "web", "api", "db", "pci", `namespace "${rng.pick(NAMESPACES)}"`, "web || api"])}`);
        for (let r = 0; r < 1 + rng.int(4); r++) lines.push(rule(rng, false));
        lines.push("}");
      } else if (kind === 1) {
        const ns = rng.pick(NAMESPACES);
        lines.push(`${staged}policy p${n} in ${t} namespace "${ns}" order ${10 * (i + 1)} {`);
        if (rng.chance(0.6)) lines.push(`  applies to ${rng.pick(["web", "api", "db", "cache", "pci"])}`);
        for (let r = 0; r < 1 + rng.int(4); r++) lines.push(rule(rng, true));
        lines.push("}");
      } else {
        lines.push(`${staged}flows in ${t} {`);
        for (let r = 0; r < 1 + rng.int(3); r++) {
          const a = rng.pick(["web", "api", "db", "cache", "pci"]);
          const b = rng.pick(["web", "api", "db", "cache", "docs", "inside"]);
          lines.push(`  ${a} -> ${b} : ${rng.sample(["tcp/80", "tcp/8080", "udp/53", "tcp/http", "icmp/8"], 1 + rng.int(2)).join(", ")}`);
        }
        lines.push("}");
      }
    }
  }
  return lines.join("\n") + "\n";
}

export function generateWorld(seed: number): GeneratedWorld {
  const rng = new Rng(seed);
  return { seed, pol: program(rng), inventory: inventory(rng) };
}

// A kernel lab in network namespaces (docs/nftables.md, /work/shared/design/nftables.md): one "node"
// namespace that routes between one namespace per host (each inventory pod, plus outside hosts), joined
// by veth pairs with static neighbours; the ruleset is loaded into the node with `nft -f`, and real
// TCP, UDP and ICMP flows are sent between the hosts by small Node agents (agent.mjs).
//
//   const lab = await Lab.create([{ id: "frontend/web-1", addresses: ["10.0.1.10", "fd00::1"] }, …]);
//   try { await lab.load(rulesetText); const r = await lab.run(probes); } finally { await lab.destroy(); }
//
// Names carry a per-run prefix (`polc<pid>x<n>`), only those are deleted, and a process exit handler
// deletes whatever a failed test left behind.

import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isIPv6 } from "node:net";

const AGENT = fileURLToPath(new URL("./agent.mjs", import.meta.url));

export interface LabHostSpec {
  /** `namespace/pod`, or a name for an outside host. */
  readonly id: string;
  readonly addresses: readonly string[];
}

export type ProbeProto = "tcp" | "udp" | "icmp";

export interface Probe {
  readonly from: string;
  readonly to: string;
  /** The destination address (one of the destination host's). */
  readonly dst: string;
  readonly proto: ProbeProto;
  readonly port?: number;
}

export type ProbeResult = "open" | "timeout" | string;

/** Whether this process may build labs, and if not why (root, `ip`, `nft`, `ping`). */
export function labPrerequisites(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return Promise.resolve("not root: the kernel tests need root (CI runs as root)");
  return Promise.all(["ip", "nft", "ping"].map((t) => run("sh", ["-c", `command -v ${t}`]).then(() => undefined, () => t))).then((missing) => {
    const m = missing.filter((x) => x);
    return m.length ? `missing ${m.join(", ")} (Debian packages iproute2, nftables, iputils-ping; .ci/run installs them)` : undefined;
  });
}

export function run(cmd: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.slice(0, 6).join(" ")}: ${stderr || err.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) {
      c.stdin!.end(input);
    }
  });
}

let labCount = 0;
const live = new Set<string>();
process.on("exit", () => {
  for (const ns of live) {
    try {
      // Synchronous on exit: the async path did not get to run.
      execFileSync("ip", ["netns", "del", ns], { stdio: "ignore" });
    } catch {
      /* already gone */
    }
  }
});

const mac = (i: number, side: 1 | 2): string => `02:70:${((i >> 8) & 0xff).toString(16).padStart(2, "0")}:${(i & 0xff).toString(16).padStart(2, "0")}:00:0${side}`;

const NODE_SYSCTLS = [
  "net/ipv4/ip_forward=1",
  "net/ipv6/conf/all/forwarding=1",
  "net/ipv4/conf/all/rp_filter=0",
  "net/ipv4/conf/default/rp_filter=0",
  "net/ipv6/conf/all/accept_dad=0",
  "net/ipv6/conf/default/accept_dad=0",
  "net/ipv4/icmp_ratelimit=0",
  "net/ipv6/icmp/ratelimit=0",
];
const HOST_SYSCTLS = [
  "net/ipv4/conf/all/rp_filter=0",
  "net/ipv4/conf/default/rp_filter=0",
  "net/ipv6/conf/all/accept_dad=0",
  "net/ipv6/conf/default/accept_dad=0",
  "net/ipv6/conf/default/disable_ipv6=0",
];

function sysctlScript(list: readonly string[]): string {
  return list.map((s) => { const [k, v] = s.split("="); return `echo ${v} > /proc/sys/${k}`; }).join("; ");
}

export class Lab {
  private readonly servers: ChildProcess[] = [];
  private readonly tmp = mkdtempSync(join(tmpdir(), "polc-lab-"));
  private constructor(
    readonly node: string,
    readonly hosts: ReadonlyMap<string, { ns: string; addresses: readonly string[] }>,
  ) {}

  static async create(specs: readonly LabHostSpec[]): Promise<Lab> {
    const prefix = `polc${process.pid}x${labCount++}`;
    const node = `${prefix}n`;
    const hosts = new Map(specs.map((s, i) => [s.id, { ns: `${prefix}h${i}`, addresses: s.addresses }]));
    const lab = new Lab(node, hosts);
    const all = [node, ...[...hosts.values()].map((h) => h.ns)];
    for (const ns of all) live.add(ns);
    try {
      await run("ip", ["-batch", "-"], all.map((ns) => `netns add ${ns}`).join("\n") + "\n");
      await Promise.all([
        run("ip", ["netns", "exec", node, "sh", "-c", sysctlScript(NODE_SYSCTLS)]),
        ...[...hosts.values()].map((h) => run("ip", ["netns", "exec", h.ns, "sh", "-c", sysctlScript(HOST_SYSCTLS)])),
      ]);
      const nodeCmds: string[] = [];
      let i = 0;
      for (const h of hosts.values()) {
        i++;
        const dev = `v${i}`;
        nodeCmds.push(`link add ${dev} address ${mac(i, 1)} type veth peer name eth0 address ${mac(i, 2)} netns ${h.ns}`, `link set ${dev} up`);
        for (const a of h.addresses) {
          nodeCmds.push(`route add ${a}/${isIPv6(a) ? 128 : 32} dev ${dev}`, `neigh add ${a} lladdr ${mac(i, 2)} dev ${dev} nud permanent`);
        }
      }
      await run("ip", ["-n", node, "-batch", "-"], nodeCmds.join("\n") + "\n");
      i = 0;
      await Promise.all(
        [...hosts.values()].map((h) => {
          i++;
          const cmds = ["link set lo up", "link set eth0 up"];
          for (const a of h.addresses) cmds.push(isIPv6(a) ? `addr add ${a}/128 dev eth0 nodad` : `addr add ${a}/32 dev eth0`);
          if (h.addresses.some((a) => !isIPv6(a))) {
            cmds.push("route add 169.254.1.1/32 dev eth0 scope link", "route add 0.0.0.0/0 via 169.254.1.1 dev eth0", `neigh add 169.254.1.1 lladdr ${mac(i, 1)} dev eth0 nud permanent`);
          }
          if (h.addresses.some((a) => isIPv6(a))) {
            cmds.push("route add fe80::1/128 dev eth0", "route add ::/0 via fe80::1 dev eth0", `neigh add fe80::1 lladdr ${mac(i, 1)} dev eth0 nud permanent`);
          }
          return run("ip", ["-n", h.ns, "-batch", "-"], cmds.join("\n") + "\n");
        }),
      );
    } catch (e) {
      await lab.destroy();
      throw e;
    }
    return lab;
  }

  /** Loads a ruleset into the node namespace (`nft -f`), replacing the previous one. */
  async load(ruleset: string, extra = ""): Promise<void> {
    const file = join(this.tmp, "ruleset.nft");
    writeFileSync(file, ruleset + extra);
    await run("ip", ["netns", "exec", this.node, "nft", "-f", file]);
  }

  async nft(args: readonly string[]): Promise<string> {
    return run("ip", ["netns", "exec", this.node, "nft", ...args]);
  }

  /** Starts listeners for the TCP and UDP probes' destinations. */
  private async serve(probes: readonly Probe[]): Promise<void> {
    const byHost = new Map<string, { tcp: Set<number>; udp: Set<number> }>();
    for (const p of probes) {
      if (p.proto === "icmp") continue;
      const s = byHost.get(p.to) ?? { tcp: new Set(), udp: new Set() };
      s[p.proto].add(p.port!);
      byHost.set(p.to, s);
    }
    await Promise.all(
      [...byHost].map(([id, s]) => {
        const c = spawn("ip", ["netns", "exec", this.ns(id), process.execPath, AGENT, "serve", JSON.stringify({ tcp: [...s.tcp].sort((a, b) => a - b), udp: [...s.udp].sort((a, b) => a - b) })], {
          stdio: ["pipe", "pipe", "inherit"],
        });
        this.servers.push(c);
        return new Promise<void>((resolve, reject) => {
          let out = "";
          c.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            if (out.includes("ready\n")) resolve();
            else if (out.includes("error")) reject(new Error(`listener in ${id}: ${out}`));
          });
          c.on("exit", (code) => reject(new Error(`listener in ${id} exited with ${code}: ${out}`)));
        });
      }),
    );
  }

  private ns(id: string): string {
    const h = this.hosts.get(id);
    if (!h) throw new Error(`no lab host ${id}`);
    return h.ns;
  }

  /** Sends every probe (all at once, one agent per source host) and returns each one's result. */
  async run(probes: readonly Probe[], timeoutMs = 1000): Promise<ProbeResult[]> {
    await this.serve(probes);
    try {
      const bySource = new Map<string, { id: number; p: Probe }[]>();
      probes.forEach((p, id) => bySource.set(p.from, [...(bySource.get(p.from) ?? []), { id, p }]));
      const results: ProbeResult[] = new Array(probes.length);
      await Promise.all(
        [...bySource].map(async ([from, list]) => {
          const arg = JSON.stringify(list.map(({ id, p }) => ({ id, proto: p.proto, dst: p.dst, ...(p.port !== undefined ? { port: p.port } : {}) })));
          const out = await run("ip", ["netns", "exec", this.ns(from), process.execPath, AGENT, "probe", arg, String(timeoutMs)]);
          const parsed = JSON.parse(out) as Record<string, string>;
          for (const { id } of list) results[id] = parsed[id]!;
        }),
      );
      return results;
    } finally {
      await this.stopServers();
    }
  }

  /** Stops the listeners and waits until they are gone (their ports are free for the next run). */
  private async stopServers(): Promise<void> {
    await Promise.all(
      this.servers.splice(0).map(
        (c) =>
          new Promise<void>((resolve) => {
            c.removeAllListeners("exit");
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.stdin?.end();
            c.kill();
          }),
      ),
    );
  }

  async destroy(): Promise<void> {
    await this.stopServers();
    const all = [this.node, ...[...this.hosts.values()].map((h) => h.ns)];
    await run("ip", ["-batch", "-"], all.map((ns) => `netns del ${ns}`).join("\n") + "\n").catch(async () => {
      for (const ns of all) await run("ip", ["netns", "del", ns]).catch(() => undefined);
    });
    for (const ns of all) live.delete(ns);
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

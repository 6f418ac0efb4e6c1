// `polc trace` run in-process on the examples and their cluster inventories. The goldens in
// test/cli/trace/ are exactly what a user sees (text) or gets (json); the other assertions check them
// against the reference evaluator and Calico's flow-log format (calico-reference.md §e).

import { describe, expect, it } from "vitest";
import { flow, loadExample, traces } from "../eval/helpers.js";
import { run } from "./run.js";


const inv = (ex: string) => ["--inventory", `examples/${ex}/cluster.yaml`];
const trace = (ex: string, ...args: string[]) => run(["trace", `examples/${ex}`, ...inv(ex), ...args]);

interface JsonHit {
  kind: string;
  namespace: string;
  name: string;
  tier: string;
  action: string;
  policy_index: number;
  rule_index: number;
  trigger: { kind: string; namespace: string; name: string; tier: string } | null;
  location?: { file: string; line: number; column: number; text: string };
}
interface JsonFlow {
  reporter: "Src" | "Dst";
  action: string;
  pending_action: string;
  source_name: string;
  source_namespace: string;
  source_type: string;
  dest_name: string;
  dest_namespace: string;
  dest_type: string;
  proto: string;
  dest_port: number;
  policies: { enforced_policies: JsonHit[]; pending_policies: JsonHit[] };
  policy_strings: { enforced: string[]; pending: string[] };
}
interface JsonTrace {
  action: string;
  pending_action: string;
  flows: JsonFlow[];
}

describe("polc trace: text goldens", () => {
  const cases: [name: string, ex: string, args: string[]][] = [
    ["three-tier-web-api-http", "three-tier", ["--from", "frontend/web-1", "--to", "backend/api-1", "--proto", "tcp", "--port", "80"]],
    ["three-tier-web-api-8080", "three-tier", ["--from", "frontend/web-1", "--to", "backend/api-1", "--port", "8080"]],
    ["three-tier-pay-internet", "three-tier", ["--from", "payments/pay-1", "--to", "8.8.8.8", "--port", "443"]],
    ["three-tier-web-dns", "three-tier", ["--from", "frontend/web-1", "--to", "kube-system/coredns-1", "--proto", "udp", "--port", "53"]],
    ["three-tier-ping", "three-tier", ["--from", "10.0.1.10", "--to", "kube-system/coredns-1", "--proto", "icmp", "--icmp-type", "8", "--icmp-code", "0"]],
    ["hierarchy-telnet-staged", "security-hierarchy", ["--from", "8.8.8.8", "--to", "shop/checkout-1", "--port", "23"]],
    ["hierarchy-grafana-db", "security-hierarchy", ["--from", "ops/grafana-1", "--to", "data/postgres-0", "--port", "5432"]],
    ["hierarchy-pay-dns-v6", "security-hierarchy", ["--from", "payments/pay-1", "--to", "kube-system/coredns-1", "--proto", "udp", "--port", "53", "--family", "6"]],
  ];
  for (const [name, ex, args] of cases) {
    it(name, async () => {
      const r = await trace(ex, ...args);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      await expect(r.out).toMatchFileSnapshot(`trace/${name}.txt`);
    });
  }
});

describe("polc trace --format json: Calico's flow-log policy trace", () => {
  const cases: [name: string, ex: string, from: string, to: string, svc: string, args: string[]][] = [
    ["three-tier-web-api-8080", "three-tier", "frontend/web-1", "backend/api-1", "tcp/8080", ["--port", "8080"]],
    ["three-tier-pay-internet", "three-tier", "payments/pay-1", "8.8.8.8", "tcp/443", ["--port", "443"]],
    ["hierarchy-telnet-staged", "security-hierarchy", "8.8.8.8", "shop/checkout-1", "tcp/23", ["--port", "23"]],
    ["hierarchy-orders-db", "security-hierarchy", "shop/orders-1", "data/postgres-0", "tcp/5432", ["--port", "5432"]],
  ];
  for (const [name, ex, from, to, svc, args] of cases) {
    it(name, async () => {
      const r = await trace(ex, "--from", from, "--to", to, ...args, "--format", "json");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      await expect(r.out).toMatchFileSnapshot(`trace/${name}.json`);
      const doc = JSON.parse(r.out) as JsonTrace;
      // The same verdicts and traces as the reference evaluator.
      const v = flow(loadExample(ex), from, to, svc);
      expect(doc.action).toBe(v.enforced);
      expect(doc.pending_action).toBe(v.pending);
      const t = traces(v);
      for (const f of doc.flows) {
        const side = f.reporter === "Src" ? "src" : "dst";
        expect(f.policy_strings.enforced).toEqual(t[`${side} enforced`]);
        expect(f.policy_strings.pending).toEqual(t[`${side} pending`]);
        // PolicyHit shape (§e.2): positions numbered from 0 in each trace, end of tier = rule -1 with a
        // trigger and no name, the last hit decides the reporter's action.
        for (const hits of [f.policies.enforced_policies, f.policies.pending_policies]) {
          expect(hits.map((h) => h.policy_index)).toEqual(hits.map((_, i) => i));
          for (const h of hits) {
            expect(["Allow", "Deny", "Pass"]).toContain(h.action);
            if (h.kind === "EndOfTier") {
              expect(h.rule_index).toBe(-1);
              expect(h.name).toBe("");
              expect(h.trigger?.tier).toBe(h.tier);
            } else {
              expect(h.trigger).toBeNull();
            }
          }
          expect(hits.slice(0, -1).every((h) => h.action === "Pass")).toBe(true);
        }
        expect(f.policies.enforced_policies.at(-1)!.action).toBe(f.action);
        expect(f.policies.pending_policies.at(-1)!.action).toBe(f.pending_action);
      }
    });
  }

  it("names unknown peers as Calico does: pub / pvt, type Network", async () => {
    const pub = JSON.parse((await trace("three-tier", "--from", "frontend/web-1", "--to", "8.8.8.8", "--port", "443", "--format", "json")).out) as JsonTrace;
    expect([pub.flows[0]!.dest_name, pub.flows[0]!.dest_type, pub.flows[0]!.reporter]).toEqual(["pub", "Network", "Src"]);
    const pvt = JSON.parse((await trace("three-tier", "--from", "172.16.0.9", "--to", "frontend/web-1", "--port", "80", "--format", "json")).out) as JsonTrace;
    expect(pvt.flows.map((f) => [f.source_name, f.source_type, f.reporter])).toEqual([["pvt", "Network", "Dst"]]);
  });

  it("names a peer inside a network set after the set", async () => {
    const r = JSON.parse((await trace("three-tier", "--from", "kube-system/coredns-1", "--to", "10.96.0.1", "--port", "443", "--format", "json")).out) as JsonTrace;
    expect(r.flows[0]!.dest_type).toBe("NetworkSet");
    expect(r.flows[0]!.dest_name).toMatch(/kube-api/);
    expect(r.action).toBe("Allow");
  });
});

describe("polc trace: ends and usage errors", () => {
  it("an IP address of a pod is that pod", async () => {
    const byIp = await trace("three-tier", "--from", "10.0.1.10", "--to", "10.0.2.10", "--port", "80");
    const byName = await trace("three-tier", "--from", "frontend/web-1", "--to", "backend/api-1", "--port", "80");
    expect(byIp.code).toBe(0);
    expect(byIp.out).toBe(byName.out);
  });

  it("exits 0 whatever the verdict", async () => {
    const denied = await trace("three-tier", "--from", "default/test-1", "--to", "8.8.8.8", "--port", "443");
    expect(denied.code).toBe(0);
    expect(denied.out).toContain("enforced: Deny");
  });

  it("a pod name needs --inventory", async () => {
    const r = await run(["trace", "examples/three-tier", "--from", "frontend/web-1", "--to", "10.0.2.10", "--port", "80"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("`frontend/web-1` names a pod: give --inventory FILE");
    expect(r.out).toBe("");
  });

  it("without --inventory no address is a pod: nothing to evaluate", async () => {
    const r = await run(["trace", "examples/three-tier", "--from", "10.0.1.10", "--to", "10.0.2.10", "--port", "80"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("without --inventory no address belongs to a pod");
  });

  it("an unknown pod lists close matches", async () => {
    const r = await trace("three-tier", "--from", "frontend/web", "--to", "backend/api-1", "--port", "80");
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: the source pod `frontend/web` is not in the inventory examples/three-tier/cluster.yaml; did you mean `frontend/web-1`?\n");
    const wrongNs = await trace("three-tier", "--from", "frontend/web-1", "--to", "shop/api-1", "--port", "80");
    expect(wrongNs.code).toBe(2);
    expect(wrongNs.err).toContain("the destination pod `shop/api-1` is not in the inventory examples/three-tier/cluster.yaml; did you mean `backend/api-1`?");
    const far = await trace("three-tier", "--from", "frontend/zzzzzzzzzz", "--to", "backend/api-1", "--port", "80");
    expect(far.err).toContain("pods in namespace `frontend`: `frontend/web-1`");
  });

  it("rejects bad options with exit 2", async () => {
    const bad: [string[], string][] = [
      [["--from", "frontend/web-1", "--to", "backend/api-1"], "--port is required for tcp"],
      [["--from", "frontend/web-1", "--to", "backend/api-1", "--port", "70000"], "--port must be a whole number from 1 to 65535"],
      [["--from", "frontend/web-1", "--to", "backend/api-1", "--proto", "icmp", "--port", "80"], "--port needs a protocol with ports"],
      [["--from", "frontend/web-1", "--to", "backend/api-1", "--port", "80", "--icmp-type", "8"], "--icmp-type and --icmp-code need --proto icmp or icmpv6"],
      [["--from", "frontend/web-1", "--to", "backend/api-1", "--proto", "icmp", "--icmp-code", "0"], "--icmp-code needs --icmp-type"],
      [["--from", "frontend/web-1", "--to", "backend/api-1", "--proto", "gre"], "unknown protocol `gre`"],
      [["--from", "10.0.0.0/8", "--to", "backend/api-1", "--port", "80"], "--from `10.0.0.0/8` is a CIDR"],
      [["--from", "web", "--to", "backend/api-1", "--port", "80"], "--from `web` is neither NAMESPACE/POD nor an IP address"],
      [["--from", "frontend/web-1", "--to", "2001:db8::1", "--port", "80", "--family", "4"], "--to 2001:db8::1 is not an IPv4 address"],
      [["--from", "frontend/web-1", "--to", "backend/api-1", "--port", "80", "--family", "6"], "no IPv6 address"],
    ];
    for (const [args, message] of bad) {
      const r = await trace("three-tier", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toContain(message);
      expect(r.out).toBe("");
    }
    const icmpOverV6 = await trace("security-hierarchy", "--from", "shop/checkout-1", "--to", "2001:db8::1", "--proto", "icmp", "--icmp-type", "8");
    expect(icmpOverV6.code).toBe(2);
    expect(icmpOverV6.err).toContain("the flow is IPv6: use --proto icmpv6");
    const noFile = await run(["trace", "examples/three-tier", "--inventory", "no/such.yaml", "--from", "frontend/web-1", "--to", "backend/api-1", "--port", "80"]);
    expect(noFile.code).toBe(2);
    expect(noFile.err).toContain("no such inventory file: no/such.yaml");
    const twoProjects = await run(["trace", "examples", ...inv("three-tier"), "--from", "frontend/web-1", "--to", "backend/api-1", "--port", "80"]);
    expect(twoProjects.code).toBe(2);
    expect(twoProjects.err).toContain("trace evaluates one project, but these paths hold 2: examples/security-hierarchy; examples/three-tier");
    const noFrom = await run(["trace", "examples/three-tier", "--to", "backend/api-1", "--port", "80"]);
    expect(noFrom.code).toBe(2);
  });

  it("exits 1 with the diagnostics when the sources do not compile", async () => {
    const r = await run(["trace", "test/cli/trace/broken.pol", ...inv("three-tier"), "--from", "frontend/web-1", "--to", "backend/api-1", "--port", "80"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error\[POL\d{4}\]/);
    expect(r.err).toContain("the sources have errors: no trace");
    expect(r.out).toBe("");
  });
});

describe("polc trace: flows Calico does not police (calico-reference.md §d.1)", () => {
  it("a node to its own local pod: ingress policy does not apply, so no verdict is invented", async () => {
    const r = await trace("three-tier", "--from", "192.168.10.11", "--to", "backend/api-1", "--proto", "tcp", "--port", "80");
    expect(r.code).toBe(2);
    expect(r.err).toContain("192.168.10.11 is the node of backend/api-1: traffic from a host to its own local pods is not subject to their ingress policy");
    // Another node's address is an ordinary outside peer: the pod's ingress policy decides.
    const remote = await trace("three-tier", "--from", "192.168.10.12", "--to", "backend/api-1", "--proto", "tcp", "--port", "80");
    expect(remote.code).toBe(0);
    expect(remote.out).toContain("enforced: Deny");
  });

  it("a pod to itself never leaves the pod", async () => {
    const r = await trace("security-hierarchy", "--from", "data/postgres-0", "--to", "data/postgres-0", "--proto", "tcp", "--port", "5432");
    expect(r.code).toBe(2);
    expect(r.err).toContain("to itself never leaves the pod: Calico does not police it");
  });
});

// examples/three-tier evaluated against examples/three-tier/cluster.yaml. The verdicts below are
// written from the policy's meaning (tiers security → platform → app → baseline, only baseline
// denies; kube-system is exempt from the baseline), not copied from the evaluator.

import { describe, expect, it } from "vitest";
import { flow, loadExample, traces } from "./helpers.js";

const ex = loadExample("three-tier");

type Row = [from: string, to: string, service: string, verdict: "Allow" | "Deny", why: string];

// Pods: frontend/web-1 10.0.1.10, backend/api-1 10.0.2.10, db/db-1 10.0.3.10,
// kube-system/coredns-1 10.0.0.10, default/test-1 10.0.4.10, payments/pay-1 (pci) 10.0.5.10.
const rows: Row[] = [
  ["frontend/web-1", "backend/api-1", "tcp/80", "Allow", "flow web -> api : http"],
  ["frontend/web-1", "backend/api-1", "tcp/8080", "Deny", "not http: web's egress ends in the baseline deny"],
  ["frontend/web-1", "db/db-1", "tcp/5432", "Deny", "no flow web -> db"],
  ["backend/api-1", "db/db-1", "tcp/5432", "Allow", "flow api -> db : postgres"],
  ["backend/api-1", "db/db-1", "tcp/5433", "Deny", "wrong port"],
  ["db/db-1", "backend/api-1", "tcp/80", "Deny", "flows are one-way: db has no egress allow"],
  ["backend/api-1", "frontend/web-1", "tcp/80", "Deny", "flows are one-way: api may not call web"],
  ["frontend/web-1", "kube-system/coredns-1", "udp/53", "Allow", "dns guardrail + coredns ingress"],
  ["frontend/web-1", "kube-system/coredns-1", "tcp/53", "Allow", "dns is udp/53 and tcp/53"],
  ["frontend/web-1", "kube-system/coredns-1", "udp/5353", "Deny", "not dns: baseline deny on web's egress"],
  ["frontend/web-1", "kube-system/coredns-1", "icmp/8", "Deny", "ping is not dns"],
  ["backend/api-1", "kube-system/coredns-1", "udp/53", "Allow", "every pod resolves names"],
  ["db/db-1", "kube-system/coredns-1", "tcp/53", "Allow", "every pod resolves names"],
  ["default/test-1", "kube-system/coredns-1", "udp/53", "Allow", "the test pod resolves names too"],
  ["default/test-1", "backend/api-1", "tcp/80", "Deny", "default is not a system namespace: baseline deny"],
  ["default/test-1", "db/db-1", "tcp/5432", "Deny", "baseline deny"],
  ["default/test-1", "8.8.8.8", "tcp/443", "Deny", "baseline deny on egress to the internet"],
  ["payments/pay-1", "8.8.8.8", "tcp/443", "Deny", "pci-egress: outside 10.0.0.0/8"],
  ["payments/pay-1", "kube-system/coredns-1", "udp/53", "Allow", "coredns is inside 10.0.0.0/8, dns allowed in platform"],
  ["payments/pay-1", "backend/api-1", "tcp/80", "Deny", "inside 10/8, but no flow: baseline deny"],
  ["payments/pay-1", "backend/api-1", "udp/53", "Deny", "dns only to coredns"],
  ["payments/pay-1", "10.200.0.1", "tcp/443", "Deny", "inside 10/8 (not denied by pci-egress) but baseline denies"],
  ["kube-system/coredns-1", "8.8.8.8", "udp/53", "Allow", "coredns upstream dns"],
  ["kube-system/coredns-1", "8.8.8.8", "tcp/53", "Allow", "coredns upstream dns over tcp"],
  ["kube-system/coredns-1", "10.96.0.1", "tcp/443", "Allow", "coredns to kube-api (network set)"],
  ["kube-system/coredns-1", "10.96.0.1", "tcp/6443", "Allow", "no platform rule, but kube-system is exempt from the baseline: profile allows"],
  ["kube-system/coredns-1", "8.8.8.8", "tcp/443", "Allow", "kube-system is exempt from the baseline"],
  ["kube-system/coredns-1", "frontend/web-1", "tcp/80", "Deny", "web's ingress ends in the baseline deny"],
  ["8.8.8.8", "frontend/web-1", "tcp/80", "Deny", "no ingress allow for web: baseline deny"],
  ["8.8.8.8", "kube-system/coredns-1", "udp/53", "Allow", "coredns accepts dns from anywhere"],
  ["10.0.9.9", "kube-system/coredns-1", "tcp/53", "Allow", "coredns accepts dns from anywhere"],
  ["8.8.8.8", "kube-system/coredns-1", "tcp/9153", "Allow", "not selected for this by any deny: kube-system exempt, profile allows"],
  ["frontend/web-1", "10.96.0.1", "tcp/443", "Deny", "only coredns may reach kube-api"],
  ["db/db-1", "8.8.8.8", "udp/53", "Deny", "only coredns resolves upstream"],
];

describe("three-tier: enforced and pending verdicts", () => {
  for (const [from, to, svc, verdict, why] of rows) {
    it(`${from} -> ${to} ${svc}: ${verdict} (${why})`, () => {
      const v = flow(ex, from, to, svc);
      expect(v.enforced).toBe(verdict);
      // No staged policy in this example: pending is the same.
      expect(v.pending).toBe(verdict);
    });
  }
});

describe("three-tier: traces", () => {
  it("web -> api: platform passes, the app tier allows on both sides", () => {
    expect(traces(flow(ex, "frontend/web-1", "backend/api-1", "tcp/80"))).toEqual({
      "src enforced": ["0|platform|gnp:platform.dns|pass|-1", "1|app|np:frontend/app.web-egress|allow|0"],
      "src pending": ["0|platform|gnp:platform.dns|pass|-1", "1|app|np:frontend/app.web-egress|allow|0"],
      "dst enforced": ["0|app|np:backend/app.api-ingress|allow|0"],
      "dst pending": ["0|app|np:backend/app.api-ingress|allow|0"],
    });
  });

  it("pay -> internet: the security guardrail denies with its first rule", () => {
    const v = flow(ex, "payments/pay-1", "8.8.8.8", "tcp/443");
    expect(v.ingress).toBeUndefined();
    expect(v.egress!.reporter).toBe("Src");
    expect(v.egress!.enforced.hits.map((h) => `${h.kind} ${h.name} ${h.action} ${h.rule_index}`)).toEqual(["GlobalNetworkPolicy security.pci-egress Deny 0"]);
    expect(v.egress!.enforced.hits[0]!.span?.file).toBe("examples/three-tier/policy.pol");
  });

  it("flows no Calico policy decides are refused, not given an invented verdict (§d.1)", () => {
    expect(() => flow(ex, "frontend/web-1", "frontend/web-1", "tcp/80")).toThrow(/never leaves the pod/);
    // web-1 runs on node 192.168.10.11 (status.hostIP in cluster.yaml).
    const node = ex.inv.endpoints.find((e) => e.name === "web-1")!.hostAddresses![0]!.text;
    expect(() => flow(ex, node, "frontend/web-1", "tcp/80")).toThrow(/is the node of frontend\/web-1/);
  });

  it("a flow needs addresses of one family at both ends", () => {
    // pay-1 has no IPv6 address: the evaluator says so instead of guessing.
    expect(() => flow(ex, "payments/pay-1", "2001:db8::1", "tcp/443")).toThrow(/different families|no IPv6/);
  });

  it("web -> 8080: platform and app pass, baseline ends in deny", () => {
    expect(traces(flow(ex, "frontend/web-1", "backend/api-1", "tcp/8080"))["src enforced"]).toEqual([
      "0|platform|gnp:platform.dns|pass|-1",
      "1|app|np:frontend/app.web-egress|pass|-1",
      "2|baseline|gnp:baseline.default-deny|deny|0",
    ]);
  });

  it("coredns -> kube-api on 6443: platform passes, no baseline, the namespace profile allows", () => {
    expect(traces(flow(ex, "kube-system/coredns-1", "10.96.0.1", "tcp/6443"))["src enforced"]).toEqual([
      "0|platform|gnp:platform.coredns|pass|-1",
      "1|__PROFILE__|pro:kns.kube-system|allow|0",
    ]);
  });
});

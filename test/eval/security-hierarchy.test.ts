// examples/security-hierarchy evaluated against examples/security-hierarchy/cluster.yaml. Verdicts
// written from the policy's meaning: security (pass) holds the PCI guardrail and the *staged*
// no-telnet guardrail, platform (pass) allows DNS, application (pass) holds the flows, database
// (deny) closes the databases. There is no cluster-wide default deny, so what no tier decides is
// allowed by the namespace profiles. The staged guardrail changes only the pending verdicts.

import { describe, expect, it } from "vitest";
import { flow, loadExample, traces } from "./helpers.js";

const ex = loadExample("security-hierarchy");

type Row = [from: string, to: string, service: string, enforced: "Allow" | "Deny", pending: "Allow" | "Deny", why: string, family?: 6];

// Pods: shop/checkout-1 10.0.1.20 + fd00:10:1::20, shop/orders-1 10.0.1.30, payments/pay-1 (pci)
// 10.0.2.10 + fd00:10:2::10, data/postgres-0 (role=db) 10.0.3.10, ops/dba-console-1 (team=dba)
// 10.0.4.10, ops/grafana-1 10.0.4.20, kube-system/coredns-1 10.0.0.10 + fd00:10::a.
const rows: Row[] = [
  ["shop/checkout-1", "shop/orders-1", "tcp/80", "Allow", "Allow", "flow checkout -> orders : http"],
  ["shop/checkout-1", "payments/pay-1", "tcp/443", "Allow", "Allow", "flow checkout -> pay : https"],
  ["shop/orders-1", "data/postgres-0", "tcp/5432", "Allow", "Allow", "flow orders -> db, allowed in application before the database tier"],
  ["ops/dba-console-1", "data/postgres-0", "tcp/5432", "Allow", "Allow", "db-access: the DBAs reach the databases"],
  ["ops/grafana-1", "data/postgres-0", "tcp/5432", "Deny", "Deny", "not a DBA: the database tier ends in deny"],
  ["shop/checkout-1", "data/postgres-0", "tcp/5432", "Deny", "Deny", "no flow checkout -> db"],
  ["ops/dba-console-1", "data/postgres-0", "tcp/22", "Deny", "Deny", "DBAs get postgres only"],
  ["8.8.8.8", "data/postgres-0", "tcp/5432", "Deny", "Deny", "the outside never reaches the databases"],
  ["payments/pay-1", "8.8.8.8", "tcp/443", "Deny", "Deny", "pci-no-internet"],
  ["payments/pay-1", "203.0.113.10", "tcp/443", "Deny", "Deny", "partners are outside private: pci-no-internet"],
  ["payments/pay-1", "172.32.0.1", "tcp/443", "Deny", "Deny", "just outside 172.16.0.0/12"],
  ["payments/pay-1", "192.168.1.5", "tcp/443", "Allow", "Allow", "private address: the guardrail passes, nothing else decides"],
  ["payments/pay-1", "172.16.5.5", "udp/53", "Allow", "Allow", "private address"],
  ["payments/pay-1", "kube-system/coredns-1", "udp/53", "Allow", "Allow", "coredns is private; dns guardrail"],
  ["payments/pay-1", "kube-system/coredns-1", "udp/53", "Deny", "Deny", "over IPv6: `private` is IPv4 only, so every IPv6 address is outside it", 6],
  ["payments/pay-1", "shop/orders-1", "tcp/80", "Allow", "Allow", "private, and no tier denies it"],
  ["shop/checkout-1", "8.8.8.8", "tcp/443", "Allow", "Allow", "checkout is not PCI; no default deny"],
  ["shop/checkout-1", "2001:db8::1", "tcp/443", "Allow", "Allow", "IPv6 internet, not PCI", 6],
  ["shop/checkout-1", "kube-system/coredns-1", "udp/53", "Allow", "Allow", "dns guardrail"],
  ["shop/checkout-1", "kube-system/coredns-1", "tcp/53", "Allow", "Allow", "dns guardrail over IPv6", 6],
  ["kube-system/coredns-1", "1.1.1.1", "udp/53", "Allow", "Allow", "kube-system is not subject to the dns guardrail; nothing denies"],
  ["ops/grafana-1", "shop/checkout-1", "tcp/8080", "Allow", "Allow", "no tier decides"],
  ["ops/grafana-1", "kube-system/coredns-1", "tcp/53", "Allow", "Allow", "dns guardrail"],
  ["ops/dba-console-1", "payments/pay-1", "tcp/443", "Allow", "Allow", "pay-ingress passes, nothing denies"],
  ["shop/checkout-1", "payments/pay-1", "tcp/80", "Allow", "Allow", "not https, but every tier passes"],
  ["shop/checkout-1", "shop/orders-1", "icmp/8", "Allow", "Allow", "no tier decides ICMP"],
  ["8.8.8.8", "shop/checkout-1", "tcp/8080", "Allow", "Allow", "no ingress policy decides"],
  // The staged no-telnet guardrail: only the pending verdict sees it.
  ["shop/checkout-1", "shop/orders-1", "tcp/23", "Allow", "Deny", "staged no-telnet on orders' ingress"],
  ["8.8.8.8", "shop/checkout-1", "tcp/23", "Allow", "Deny", "staged no-telnet"],
  ["shop/orders-1", "payments/pay-1", "tcp/23", "Allow", "Deny", "staged no-telnet"],
  ["shop/checkout-1", "data/postgres-0", "tcp/23", "Deny", "Deny", "enforced: database tier deny; pending: no-telnet first"],
  ["8.8.8.8", "data/postgres-0", "tcp/23", "Deny", "Deny", "enforced: database tier deny; pending: no-telnet first"],
  ["shop/checkout-1", "shop/orders-1", "udp/23", "Allow", "Allow", "no-telnet is tcp/23 only"],
];

describe("security-hierarchy: enforced and pending verdicts", () => {
  for (const [from, to, svc, enforced, pending, why, family] of rows) {
    it(`${from} -> ${to} ${svc}${family ? " (IPv6)" : ""}: ${enforced}/${pending} (${why})`, () => {
      const v = flow(ex, from, to, svc, family);
      expect(v.enforced).toBe(enforced);
      expect(v.pending).toBe(pending);
    });
  }
});

describe("security-hierarchy: traces", () => {
  it("the staged guardrail appears only in the pending trace", () => {
    expect(traces(flow(ex, "shop/checkout-1", "shop/orders-1", "tcp/23"))).toEqual({
      "src enforced": ["0|platform|gnp:platform.dns|pass|-1", "1|application|np:shop/application.checkout-egress|pass|-1", "2|__PROFILE__|pro:kns.shop|allow|0"],
      "src pending": ["0|platform|gnp:platform.dns|pass|-1", "1|application|np:shop/application.checkout-egress|pass|-1", "2|__PROFILE__|pro:kns.shop|allow|0"],
      "dst enforced": ["0|application|np:shop/application.orders-ingress|pass|-1", "1|__PROFILE__|pro:kns.shop|allow|0"],
      "dst pending": ["0|security|sgnp:security.no-telnet|deny|0"],
    });
  });

  it("a tier whose only selecting policy is staged is skipped for the enforced verdict, passed at its end for pending", () => {
    const t = traces(flow(ex, "shop/orders-1", "data/postgres-0", "tcp/5432"));
    expect(t["dst enforced"]).toEqual(["0|application|np:data/application.db-ingress|allow|0"]);
    expect(t["dst pending"]).toEqual(["0|security|sgnp:security.no-telnet|pass|-1", "1|application|np:data/application.db-ingress|allow|0"]);
  });

  it("a DBA reaches the database in the database tier after the application tier passes", () => {
    expect(traces(flow(ex, "ops/dba-console-1", "data/postgres-0", "tcp/5432"))["dst enforced"]).toEqual([
      "0|application|np:data/application.db-ingress|pass|-1",
      "1|database|np:data/database.db-access|allow|0",
    ]);
  });

  it("anyone else ends at the database tier's default deny, triggered by db-access", () => {
    const v = flow(ex, "ops/grafana-1", "data/postgres-0", "tcp/5432");
    const last = v.ingress!.enforced.hits.at(-1)!;
    expect(last).toMatchObject({ kind: "EndOfTier", tier: "database", action: "Deny", rule_index: -1, trigger: { name: "database.db-access", namespace: "data" } });
    expect(last.span?.file).toBe("examples/security-hierarchy/policy.pol");
  });

  it("PCI over IPv6 is denied by the IPv6 rule of the guardrail", () => {
    const v = flow(ex, "payments/pay-1", "kube-system/coredns-1", "udp/53", 6);
    expect(traces(v)["src enforced"]).toEqual(["0|security|gnp:security.pci-no-internet|deny|1"]);
  });
});

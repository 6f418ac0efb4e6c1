// The nftables emitter without a kernel: deterministic bytes, never widening, named ports per pod,
// families, sets, comments, staged and Pass, and the diagnostics.

import { describe, expect, it } from "vitest";
import { compileExample, compileText } from "./worlds.js";
import { emitNftFromProgram } from "../../src/backends/nft/emit.js";
import { intervalElements } from "../../src/backends/nft/addresses.js";
import { decisionKeyOf, hitKey, shortName } from "../../src/backends/nft/keys.js";
import { evalProgram } from "../../src/eval/index.js";
import { loadInventoryText } from "../../src/inventory/load.js";
import type { CalicoObject } from "../../src/backends/calico/objects.js";

const NS = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const POD = (ns: string, name: string, labels: Record<string, string>, ips: string[], ports: object[] = []) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: "c", ports }] },
  status: { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
});
const INVENTORY = JSON.stringify({
  apiVersion: "v1",
  kind: "List",
  items: [
    NS("a"),
    NS("b"),
    POD("a", "web-1", { app: "web" }, ["10.1.0.1", "fd00::1"], [{ name: "http", containerPort: 8080, protocol: "TCP" }]),
    POD("a", "web-2", { app: "web" }, ["10.1.0.2"], [{ name: "http", containerPort: 8081, protocol: "TCP" }]),
    POD("b", "api-1", { app: "api" }, ["10.2.0.1", "fd00::2"]),
    POD("b", "db-1", { app: "db" }, ["10.2.0.9"]),
  ],
});

const lines = (text: string, re: RegExp): string[] => text.split("\n").filter((l) => re.test(l));

describe("nft emitter", () => {
  it("gives the same bytes for the same input, whatever the inventory's item order", () => {
    const pol = `tier t order 10 default deny\nguardrail g in t {\n  applies to all()\n  egress allow tcp/80 to app == "api"\n}\n`;
    const a = compileText(pol, INVENTORY).nft.text;
    const b = compileText(pol, INVENTORY).nft.text;
    const items = JSON.parse(INVENTORY);
    items.items.reverse();
    const c = compileText(pol, JSON.stringify(items)).nft.text;
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(compileExample("three-tier").nft.text).toBe(compileExample("three-tier").nft.text);
  });

  it("writes no rule that no packet reaches: nothing after a tier that ends in deny, no Pass mark without a Pass", () => {
    const text = compileExample("three-tier").nft.text;
    expect(text).not.toContain("Pass bit");
    const chains = text.split(/\n\s*chain /).slice(1);
    for (const c of chains) {
      const body = c.split("\n").map((l) => l.trim()).filter((l) => l && l !== "}");
      const at = body.findIndex((l) => /^drop comment "eot:/.test(l));
      if (at >= 0) expect(body.slice(at + 1), `chain ${body[0]}`).toEqual([]);
    }
  });

  it("never widens: a rule whose peer matches no pod is left out, with POL4020", () => {
    const pol = `tier t order 10 default deny\nguardrail g in t {\n  applies to app == "web"\n  egress allow tcp/80 to app == "ghost"\n  egress allow tcp/443\n}\n`;
    const w = compileText(pol, INVENTORY);
    expect(w.nft.diagnostics.map((d) => d.code)).toEqual(["POL4020"]);
    expect(w.nft.diagnostics[0]!.message).toContain("rule 0 of the egress rules of GlobalNetworkPolicy t.g");
    const rules = lines(w.nft.text, /gnp:t\.g egress/);
    expect(rules.map((l) => decisionKeyOf(l.split('comment "')[1]!))).toEqual(["gnp:t.g egress 1 allow"]);
    expect(rules[0]).toContain("tcp th dport 443");
    // The end of tier still drops what the dropped rule would have allowed.
    expect(w.nft.text).toMatch(/drop comment "eot:t egress deny/);
  });

  it("a notSelector that matches no pod excludes nothing (and is not dropped)", () => {
    const pol = `tier t order 10 default deny\nguardrail g in t {\n  applies to app == "web"\n  egress allow tcp/80 to not app == "ghost"\n}\n`;
    const w = compileText(pol, INVENTORY);
    expect(w.nft.diagnostics).toEqual([]);
    expect(lines(w.nft.text, /gnp:t\.g egress 0 allow/).length).toBeGreaterThan(0);
  });

  it("notSelector = not in the set of the matching pods' addresses, per family", () => {
    const pol = `tier t order 10 default deny\nguardrail g in t {\n  applies to app == "api"\n  ingress deny from not app == "web"\n}\n`;
    const w = compileText(pol, INVENTORY);
    const rules = lines(w.nft.text, /gnp:t\.g ingress 0 deny/);
    expect(rules.some((r) => r.includes("ip saddr != @sel4_0"))).toBe(true);
    expect(rules.some((r) => r.includes("ip6 saddr != fd00::1"))).toBe(true);
    expect(w.nft.text).toMatch(/set sel4_0 \{\n\t\ttype ipv4_addr\n\t\tflags interval\n[^}]*elements = \{ 10\.1\.0\.1, 10\.1\.0\.2 \}/);
  });

  it("IPv4-only nets give no IPv6 rule; selectors give typed sets of each family", () => {
    const pol = `tier t order 10 default deny\nguardrail g in t {\n  applies to all()\n  egress allow tcp/80 to 198.51.100.0/24\n  egress allow udp/53 to app == "api"\n}\n`;
    const w = compileText(pol, INVENTORY);
    const r0 = lines(w.nft.text, /gnp:t\.g egress 0 allow/);
    expect(r0).toHaveLength(1);
    expect(r0[0]).toContain("ip daddr 198.51.100.0/24");
    const r1 = lines(w.nft.text, /gnp:t\.g egress 1 allow/);
    expect(r1.map((l) => l.split(" ")[0]!.trim())).toEqual(["ip", "ip6"]);
  });

  it("named ports resolve per destination pod (address . protocol . port)", () => {
    const pol = `tier t order 10 default deny\nguardrail g in t {\n  applies to all()\n  ingress allow tcp/http from app == "api"\n}\n`;
    const w = compileText(pol, INVENTORY);
    expect(w.nft.text).toContain("elements = { 10.1.0.1 . tcp . 8080, 10.1.0.2 . tcp . 8081 }");
    expect(w.nft.text).toContain("elements = { fd00::1 . tcp . 8080 }");
    expect(lines(w.nft.text, /gnp:t\.g ingress 0 allow/).every((l) => l.includes("daddr . meta l4proto . th dport @np"))).toBe(true);
  });

  it("staged policies only count; Pass returns from the tier (with the Pass bit from a shared policy chain)", () => {
    const pol = [
      "tier t order 10 default deny",
      "tier u order 20 default pass",
      `staged guardrail s in t order 1 {\n  applies to all()\n  egress deny tcp/22\n}`,
      `guardrail p in t order 2 {\n  applies to app in {"web", "api"}\n  egress pass udp/53\n}`,
      `guardrail q in t order 3 {\n  applies to app == "api"\n  egress allow tcp/80\n}`,
      `guardrail r in u order 1 {\n  applies to app == "db"\n  egress pass udp/53\n}`,
    ].join("\n");
    const w = compileText(pol, INVENTORY);
    const staged = lines(w.nft.text, /staged sgnp:t\.s egress 0 deny/).filter((l) => l.includes("th dport"));
    expect(staged.length).toBeGreaterThan(0);
    for (const l of staged) expect(l).toMatch(/ counter comment /);
    // p is in two tier lists (web's [s, p] and api's [s, p, q]): a shared chain that carries the Pass bit.
    expect(w.nft.text).toContain("chain gnp/t.p/egress {");
    expect(w.nft.text).toContain('meta mark set meta mark | 0x00100000 return comment "gnp:t.p egress 0 pass');
    expect(w.nft.text).toContain("meta mark & 0x00100000 == 0x00100000 meta mark set meta mark & 0xffefffff return");
    // r is in one tier list: its Pass is a plain return from that tier's chain.
    expect(w.nft.text).toMatch(/chain tier\/u\/egress\/0 \{\n[^}]*meta l4proto udp th dport 53 return comment "gnp:u\.r egress 0 pass/);
    // Only web and api are selected by an enforced policy of t: db's egress has no end of tier of t.
    expect(w.nft.text).toMatch(/chain ep\/b\/db-1\/egress \{(\n\t\t[^\n]*)*?\n\t\treturn comment "profile:kns.b egress allow/);
    expect(lines(w.nft.text, /eot:t egress deny/).length).toBeGreaterThan(0);
    expect(w.nft.text.split("chain ep/b/db-1/egress {")[1]!.split("}")[0]).not.toContain("eot:t");
  });

  it("merges intervals into the fewest CIDRs", () => {
    const v4 = (s: string) => BigInt(s.split(".").reduce((n, x) => n * 256 + Number(x), 0));
    expect(intervalElements([{ first: v4("10.0.0.0"), last: v4("10.0.0.127") }, { first: v4("10.0.0.128"), last: v4("10.0.0.255") }], 4)).toEqual(["10.0.0.0/24"]);
    expect(intervalElements([{ first: v4("10.0.0.1"), last: v4("10.0.0.1") }, { first: v4("10.0.0.2"), last: v4("10.0.0.2") }, { first: v4("10.0.0.3"), last: v4("10.0.0.3") }], 4)).toEqual(["10.0.0.1", "10.0.0.2/31"]);
  });

  it("every rule carries a comment of at most 128 bytes naming its source", () => {
    const long = "x".repeat(120);
    const pol = `tier t order 10 default deny\nguardrail ${long} in t {\n  applies to all()\n  egress allow tcp/80\n}\n`;
    const w = compileText(pol, INVENTORY);
    const ruleLines = w.nft.text.split("\n").filter((l) => /^\t\t(?!type|flags|comment|elements|\t|\})/.test(l) && !/^\t\t[0-9a-f.:]+ : /.test(l));
    expect(ruleLines.length).toBeGreaterThan(10);
    for (const l of ruleLines) {
      const c = /comment "([^"]*)"/.exec(l);
      expect(c, l).not.toBeNull();
      expect(Buffer.byteLength(c![1]!, "utf8")).toBeLessThanOrEqual(127);
    }
    expect(w.nft.text).toContain(`comment "gnp:${shortName(`t.${long}`)} egress 0 allow @ policy.pol:4"`);
  });

  it("replicas (same namespace, same policies) share one endpoint chain; the maps send each address there", () => {
    const pol = `tier t order 10 default deny\nguardrail g in t {\n  applies to app == "web"\n  egress allow tcp/80\n}\n`;
    const t = compileText(pol, INVENTORY).nft.text;
    expect(t).toContain("chain ep/a/web-1_and_1_more/egress {");
    expect(t).toContain('comment "egress of a/web-1 and 1 more with the same policies"');
    expect(t).toContain("10.1.0.1 : jump ep/a/web-1_and_1_more/egress");
    expect(t).toContain("10.1.0.2 : jump ep/a/web-1_and_1_more/egress");
    expect(t).toContain("fd00::1 : jump ep/a/web-1_and_1_more/egress");
    // api-1 and db-1 (namespace b) have no policy at all: they share too.
    expect(t).toContain("chain ep/b/api-1_and_1_more/egress {");
  });

  it("chain names stay valid nft identifiers for long and unusual names", () => {
    const long = "y".repeat(200);
    const pol = `tier t order 10 default pass\nguardrail ${long} in t {\n  applies to all()\n  egress pass tcp/80\n}\nguardrail g2 in t {\n  applies to app == "web"\n  egress deny tcp/81\n}\n`;
    const w = compileText(pol, INVENTORY);
    const names = [...w.nft.text.matchAll(/^\tchain (\S+) \{$/gm)].map((m) => m[1]!);
    expect(names.some((n) => n.startsWith("gnp/t.yyy"))).toBe(true);
    for (const n of names) {
      expect(n).toMatch(/^[A-Za-z][A-Za-z0-9/_.-]*$/);
      expect(n.length).toBeLessThanOrEqual(256);
    }
    for (const m of w.nft.text.matchAll(/(?:jump|goto) ([^\s,]+)/g)) expect(names).toContain(m[1]!);
  });

  it("an evaluator hit and the rule's comment have the same key", () => {
    expect(hitKey({ kind: "GlobalNetworkPolicy", name: "t.g", namespace: "", tier: "t", action: "Allow", policy_index: 0, rule_index: 2 }, "Egress")).toBe("gnp:t.g egress 2 allow");
    expect(hitKey({ kind: "EndOfTier", name: "", namespace: "", tier: "t", action: "Deny", policy_index: 1, rule_index: -1 }, "Ingress")).toBe("eot:t ingress deny");
    expect(decisionKeyOf("np:a/p ingress 0 pass @ x.pol:3")).toBe("np:a/p ingress 0 pass");
    expect(decisionKeyOf("staged gnp:t.g egress 0 deny @ x.pol:3")).toBeUndefined();
    expect(decisionKeyOf("tier t")).toBeUndefined();
  });

  it("POL4021 for a field it cannot express (notICMP), instead of an approximation", () => {
    const objects: CalicoObject[] = [
      { apiVersion: "projectcalico.org/v3", kind: "Tier", metadata: { name: "t" }, spec: { order: 1, defaultAction: "Deny" } },
      {
        apiVersion: "projectcalico.org/v3",
        kind: "GlobalNetworkPolicy",
        metadata: { name: "t.g" },
        spec: { tier: "t", order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", protocol: "ICMP", notICMP: { type: 8 } }] },
      },
    ];
    const inv = loadInventoryText("cluster.json", INVENTORY).inventory;
    const out = emitNftFromProgram(evalProgram(objects), inv);
    expect(out.diagnostics.map((d) => [d.code, d.severity])).toEqual([["POL4021", "error"]]);
    expect(out.text).not.toContain("gnp:t.g egress 0");
  });
});

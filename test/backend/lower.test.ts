// Lowering Model → IR: policies, rule splitting, family filtering, flows, names, orders and the
// errors lowering itself reports.

import { describe, expect, it } from "vitest";
import { lower } from "../../src/ir/lower.js";
import { irToJson, irFromJson } from "../../src/ir/json.js";
import type { IrPolicy, IrProgram, IrRule } from "../../src/ir/types.js";
import { printSelector } from "../../src/selector/index.js";
import { codes, compileText, flow, model, peer, policy, rendered, rule, svc, tier } from "./helpers.js";

function ir(text: string): IrProgram {
  const r = compileText(text);
  expect(rendered(r), "compiles without errors").not.toMatch(/^error/m);
  expect(r.ir).toBeDefined();
  return r.ir!;
}

function byName(p: IrProgram, name: string): IrPolicy {
  const found = p.policies.find((x) => x.name === name);
  expect(found, `policy ${name} in ${p.policies.map((x) => x.name).join(", ")}`).toBeDefined();
  return found!;
}

/** A compact picture of a rule: action, family, protocol, ports and the peer's fields. */
function show(r: IrRule): string {
  const parts: string[] = [r.action];
  if (r.ipVersion) parts.push(`v${r.ipVersion}`);
  if (r.protocol !== undefined) parts.push(String(r.protocol));
  if (r.icmp) parts.push(`icmp ${r.icmp.type}${r.icmp.code !== undefined ? `/${r.icmp.code}` : ""}`);
  if (r.ports) parts.push(r.ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(","));
  if (r.namedPorts) parts.push(r.namedPorts.join(","));
  const e = r.peer;
  if (e.selector) parts.push(`sel[${printSelector(e.selector.sel)} @ ${e.selector.scope.kind === "namespaces" ? e.selector.scope.names.join("|") : "*"}]`);
  if (e.notSelector) parts.push(`notSel[${printSelector(e.notSelector)}]`);
  if (e.netSets) parts.push(`sets[${e.netSets.join(",")}]`);
  if (e.nets) parts.push(`nets[${e.nets.map((c) => c.text).join(",")}]`);
  if (e.notNets) parts.push(`notNets[${e.notNets.map((c) => c.text).join(",")}]`);
  return parts.join(" ");
}

const HEADER = `
tier security order 100 default pass
tier app order 300 default pass
group web = namespace "shop" && app == "web"
group api = namespace "shop" && app == "api"
group db  = namespace "data" && app == "db"
`;

describe("policies", () => {
  it("a guardrail is a global policy over pods, with types from its rules", () => {
    const p = byName(ir(`${HEADER}\nguardrail g in security {\n  applies to pci == "true"\n  ingress deny\n}`), "security.g");
    expect(p.kind).toBe("global");
    expect(p.subject.scope).toEqual({ kind: "all-namespaces" });
    expect(printSelector(p.subject.sel)).toBe('pci == "true"');
    expect(p.types).toEqual(["Ingress"]);
    expect(p.egress).toEqual([]);
    expect(p.source).toEqual({ kind: "guardrail", name: "g" });
  });

  it("a subject pinned to namespaces becomes the scope", () => {
    const p = byName(ir(`${HEADER}\nguardrail g in security {\n  applies to web\n  egress deny\n}`), "security.g");
    expect(p.subject.scope).toEqual({ kind: "namespaces", names: ["shop"] });
    expect(printSelector(p.subject.sel)).toBe('app == "web"');
  });

  it("a namespaced policy is scoped to its namespace, without the redundant namespace test", () => {
    const p = byName(ir(`${HEADER}\npolicy p in app namespace "shop" {\n  applies to web\n  ingress allow tcp/80 from api\n}`), "app.p");
    expect(p.kind).toBe("namespaced");
    expect(p.namespace).toBe("shop");
    expect(p.subject).toEqual({ sel: { op: "eq", key: "app", value: "web" }, scope: { kind: "namespaces", names: ["shop"] } });
    expect(p.ingress.map(show)).toEqual(['Allow TCP 80 sel[app == "api" @ shop]']);
  });

  it("a policy with no rules is not emitted (POL4008)", () => {
    const m = model({ tiers: [tier("security", 100)], policies: [policy("empty", "security", "all()", [])] });
    const r = lower(m);
    expect(codes(r)).toEqual(["POL4008"]);
    expect(r.ir?.policies).toEqual([]);
  });

  it("policies are sorted by tier order, then order", () => {
    const p = ir(`${HEADER}
guardrail late in app { applies to all()
  ingress deny }
guardrail early in security { applies to all()
  ingress deny }
guardrail second in security { applies to all()
  egress deny }`);
    expect(p.policies.map((x) => `${x.name}@${x.order}`)).toEqual(["security.early@100", "security.second@200", "app.late@100"]);
  });
});

describe("rule splitting", () => {
  it("one rule per protocol, ports of one protocol merged", () => {
    const p = byName(ir(`${HEADER}\nservice dns = udp/53, tcp/53\nguardrail g in security {\n  applies to all()\n  ingress allow dns, tcp/80, tcp/81-90, tcp/85-100, tcp/http\n}`), "security.g");
    expect(p.ingress.map(show)).toEqual(["Allow UDP 53", "Allow TCP 53,80-100 http"]);
  });

  it("peer items × protocols × families, in that order", () => {
    const p = byName(ir(`${HEADER}\nservice dns = udp/53, tcp/53\nguardrail g in security {\n  applies to all()\n  egress allow dns to api, 10.0.0.0/8, fd00::/8\n}`), "security.g");
    expect(p.egress.map(show)).toEqual([
      'Allow UDP 53 sel[app == "api" @ shop]',
      'Allow TCP 53 sel[app == "api" @ shop]',
      "Allow v4 UDP 53 nets[10.0.0.0/8]",
      "Allow v6 UDP 53 nets[fd00::/8]",
      "Allow v4 TCP 53 nets[10.0.0.0/8]",
      "Allow v6 TCP 53 nets[fd00::/8]",
    ]);
  });

  it("a one-family negation still covers the other family entirely", () => {
    const p = byName(ir(`${HEADER}\nnet private = 10.0.0.0/8\nguardrail g in security {\n  applies to all()\n  egress deny to not private\n}`), "security.g");
    expect(p.egress.map(show)).toEqual(["Deny v4 notNets[10.0.0.0/8]", "Deny v6"]);
  });

  it("every address of both families is no address constraint", () => {
    const p = byName(ir(`${HEADER}\nguardrail g in security {\n  applies to all()\n  egress allow udp/53 to 0.0.0.0/0, ::/0\n}`), "security.g");
    expect(p.egress.map(show)).toEqual(["Allow UDP 53"]);
  });

  it("ICMP sets the family and leaves out a net item of the other family (POL4001)", () => {
    const r = compileText(`${HEADER}\nnet v4 = 192.168.0.0/16\nnet v6 = 2001:db8::/32\nguardrail g in security {\n  applies to all()\n  egress allow icmp/8 to v4, v6\n  egress allow icmpv6/128 to 10.0.0.0/8, fd00::/8\n}`);
    expect(codes(r).filter((c) => c.startsWith("POL4"))).toEqual(["POL4001", "POL4001"]);
    expect(rendered(r)).toContain("ICMP type 8 (IPv4) can never reach this IPv6-only peer");
    const p = byName(r.ir!, "security.g");
    expect(p.egress.map(show)).toEqual(["Allow v4 ICMP icmp 8 sets[v4] nets[192.168.0.0/16]", "Allow v6 ICMPv6 icmp 128 nets[fd00::/8]"]);
    expect(r.ir!.netSets.map((s) => s.name)).toEqual(["polc-net-v4"]);
  });

  it("a rule that can match nothing after family filtering is an error (POL4002)", () => {
    const m = model({
      tiers: [tier("security", 100)],
      policies: [policy("g", "security", "all()", [rule("Egress", "Allow", [svc("icmp", { icmp: { type: 8 } })], peer([{ nets: ["fd00::/8"] }]))])],
    });
    const r = lower(m);
    expect(codes(r)).toEqual(["POL4002"]);
    expect(r.ir).toBeUndefined();
  });

  it("ports on UDPLite are refused (POL4006)", () => {
    const m = model({ tiers: [tier("t", 1)], policies: [policy("g", "t", "all()", [rule("Ingress", "Allow", [svc("udplite", { ports: [{ from: 5, to: 5 }] })])])] });
    expect(codes(lower(m))).toEqual(["POL4006"]);
  });

  it("more than 50 ports are split over several rules", () => {
    const ports = Array.from({ length: 60 }, (_, i) => ({ from: 1000 + 2 * i, to: 1000 + 2 * i }));
    const m = model({ tiers: [tier("t", 1)], policies: [policy("g", "t", "all()", [rule("Ingress", "Allow", [svc("tcp", { ports })])])] });
    const p = lower(m).ir!.policies[0]!;
    expect(p.ingress.map((r) => r.ports!.length)).toEqual([50, 10]);
  });
});

describe("peers", () => {
  it("excepts become notSelector / notNets on every entity (inline CIDRs split the rule by family)", () => {
    const p = byName(
      ir(`${HEADER}\nguardrail g in security {\n  applies to all()\n  egress deny to all(), 10.0.0.0/8 except web, api, 10.1.0.0/16\n}`),
      "security.g",
    );
    expect(p.egress.map(show)).toEqual([
      'Deny v4 sel[all() @ *] notSel[((projectcalico.org/namespace == "shop" && app == "web") || (projectcalico.org/namespace == "shop" && app == "api"))] notNets[10.1.0.0/16]',
      'Deny v6 sel[all() @ *] notSel[((projectcalico.org/namespace == "shop" && app == "web") || (projectcalico.org/namespace == "shop" && app == "api"))]',
      'Deny v4 notSel[((projectcalico.org/namespace == "shop" && app == "web") || (projectcalico.org/namespace == "shop" && app == "api"))] nets[10.0.0.0/8] notNets[10.1.0.0/16]',
    ]);
  });

  it("named nets of one peer share one entity through their network sets", () => {
    const r = ir(`${HEADER}\nnet a = 203.0.113.0/24\nnet b = 198.51.100.0/24, 2001:db8::/32\nguardrail g in security {\n  applies to all()\n  egress allow tcp/443 to a, b, 192.0.2.1\n}`);
    expect(byName(r, "security.g").egress.map(show)).toEqual([
      "Allow TCP 443 sets[a,b] nets[198.51.100.0/24,203.0.113.0/24,2001:db8::/32]",
      "Allow v4 TCP 443 nets[192.0.2.1/32]",
    ]);
    expect(r.netSets.map((s) => [s.name, s.cidrs.map((c) => c.text)])).toEqual([
      ["polc-net-a", ["203.0.113.0/24"]],
      ["polc-net-b", ["198.51.100.0/24", "2001:db8::/32"]],
    ]);
  });

  it("a namespaced policy cannot use `not SELECTOR` (POL4003)", () => {
    const r = compileText(`${HEADER}\npolicy p in app namespace "shop" {\n  applies to web\n  egress deny to not api\n}`);
    expect(codes(r)).toContain("POL4003");
    expect(r.outputs).toBeUndefined();
  });

  it("nor addresses minus endpoints (POL4003)", () => {
    const r = compileText(`${HEADER}\npolicy p in app namespace "shop" {\n  applies to web\n  egress allow to 10.0.0.0/8 except api\n}`);
    expect(codes(r)).toContain("POL4003");
    expect(rendered(r)).toContain("a namespaced policy cannot exclude endpoints (`except SELECTOR`) from addresses");
  });

  it("`not NET` is fine in a namespaced policy", () => {
    const p = byName(ir(`${HEADER}\nnet private = 10.0.0.0/8\npolicy p in app namespace "shop" {\n  applies to web\n  egress deny to not private\n}`), "app.p");
    expect(p.egress.map(show)).toEqual(["Deny v4 notNets[10.0.0.0/8]", "Deny v6"]);
  });

  it("selector values Calico would rewrite are refused: by the checker at the value (POL2047), and by lowering (POL4007)", () => {
    const r = compileText(`${HEADER}\nguardrail g in security {\n  applies to note == "all()"\n  ingress deny\n}`);
    expect(codes(r)).toContain("POL2047");
    const m = model({ tiers: [tier("security", 100)], policies: [policy("g", "security", 'note == "all()"', [rule("Ingress", "Deny")])] });
    const lowered = lower(m);
    expect(codes(lowered)).toEqual(["POL4007"]);
    expect(lowered.ir).toBeUndefined();
  });
});

describe("flows", () => {
  it("flows from one source share an egress policy, flows to one destination an ingress policy", () => {
    const p = ir(`${HEADER}\nflows in app {\n  web -> api : tcp/80\n  web -> db : tcp/5432\n  api -> db : tcp/5432\n}`);
    expect(p.policies.map((x) => `${x.kind} ${x.namespace ?? "-"} ${x.name} ${x.types.join("+")} ${x.order}`)).toEqual([
      "namespaced shop app.web-egress Egress 100",
      "namespaced shop app.api-ingress Ingress 200",
      "namespaced data app.db-ingress Ingress 300",
      "namespaced shop app.api-egress Egress 400",
    ]);
    expect(byName(p, "app.web-egress").egress.map(show)).toEqual(['Allow TCP 80 sel[app == "api" @ shop]', 'Allow TCP 5432 sel[app == "db" @ data]']);
    expect(byName(p, "app.db-ingress").ingress.map(show)).toEqual(['Allow TCP 5432 sel[app == "web" @ shop]', 'Allow TCP 5432 sel[app == "api" @ shop]']);
    expect(byName(p, "app.db-ingress").ingress.every((r) => r.fromFlow)).toBe(true);
    expect(byName(p, "app.web-egress").source).toEqual({ kind: "flows", direction: "Egress", end: "web" });
  });

  it("an end that is a net only gets no policy", () => {
    const p = ir(`${HEADER}\nflows in app {\n  web -> 192.0.2.0/24 : tcp/443\n  198.51.100.0/24 -> api : tcp/22\n}`);
    expect(p.policies.map((x) => x.name)).toEqual(["app.web-egress", "app.api-ingress"]);
  });

  it("an end not pinned to one namespace gets a global policy named after a hash of its selector", () => {
    const p = ir(`${HEADER}\nflows in app {\n  app == "scraper" -> api : tcp/9090\n}`);
    const egress = p.policies.find((x) => x.types.includes("Egress"))!;
    expect(egress.kind).toBe("global");
    expect(egress.name).toMatch(/^app\.sel-[0-9a-f]{8}-egress$/);
    expect(egress.source).toEqual({ kind: "flows", direction: "Egress", end: 'app == "scraper"' });
  });

  it("staged flows and other tiers get their own policies", () => {
    const p = ir(`${HEADER}\nflows in app {\n  web -> api : tcp/80\n}\nstaged flows in app {\n  web -> api : tcp/81\n}\nflows in security {\n  web -> api : tcp/82\n}`);
    expect(p.policies.map((x) => `${x.staged ? "staged " : ""}${x.name}`)).toEqual([
      "security.web-egress",
      "security.api-ingress",
      "app.web-egress",
      "app.api-ingress",
      "staged app.web-egress",
      "staged app.api-ingress",
    ]);
    expect(new Set(p.policies.filter((x) => x.tier === "app").map((x) => x.order)).size).toBe(4);
  });

  it("a flow without a tier goes to the default tier, without a name prefix", () => {
    const p = ir(`${HEADER}\nflow web -> api : tcp/80`);
    expect(p.policies.map((x) => `${x.tier}/${x.name}`)).toEqual(["default/web-egress", "default/api-ingress"]);
    expect(p.tiers.find((t) => t.name === "default")?.builtin).toBe(true);
  });

  it("a pinned end whose rules a NetworkPolicy cannot express gets a global policy", () => {
    const m = model({
      tiers: [tier("app", 300)],
      flows: [flow("app", peer([{ sel: 'projectcalico.org/namespace == "shop" && app == "web"', group: "web" }]), peer([{ sel: 'app == "x"', not: true }]), [svc("tcp", { ports: [{ from: 80, to: 80 }] })])],
    });
    const r = lower(m);
    expect(r.diagnostics).toEqual([]);
    const egress = r.ir!.policies.find((x) => x.name === "app.web-egress")!;
    expect(egress.kind).toBe("global");
    expect(egress.subject.scope).toEqual({ kind: "namespaces", names: ["shop"] });
  });

  it("an end that excludes addresses cannot be a subject (POL4005)", () => {
    const m = model({
      tiers: [tier("app", 300)],
      flows: [flow("app", peer([{ sel: "all()" }], [{ nets: ["10.1.0.0/16"] }]), peer([{ sel: 'app == "api"', group: "api" }]), [])],
    });
    expect(codes(lower(m))).toEqual(["POL4005"]);
  });

  it("a generated name that clashes with a declared policy is an error (POL4004)", () => {
    const r = compileText(`${HEADER}\npolicy web-egress in app namespace "shop" {\n  ingress deny\n}\nflows in app {\n  web -> api : tcp/80\n}`);
    expect(codes(r)).toContain("POL4004");
    expect(rendered(r)).toContain("`app.web-egress` is declared here");
  });

  it("a global policy and a namespaced one may share a name", () => {
    const p = ir(`${HEADER}\nguardrail web-egress in app {\n  applies to all()\n  ingress deny\n}\nflows in app {\n  web -> api : tcp/80\n}`);
    expect(p.policies.filter((x) => x.name === "app.web-egress").map((x) => x.kind)).toEqual(["global", "namespaced"]);
  });
});

describe("orders", () => {
  it("explicit orders are kept, the rest numbered 100, 200, … in source order skipping them", () => {
    const p = ir(`${HEADER}
guardrail a in app { applies to all()
  ingress deny }
guardrail b in app order 200 { applies to all()
  ingress deny }
guardrail c in app { applies to all()
  ingress deny }
flows in app {
  web -> api : tcp/80
}
guardrail d in app order 5 { applies to all()
  ingress deny }`);
    expect(p.policies.filter((x) => x.tier === "app").map((x) => `${x.name}@${x.order}`)).toEqual([
      "app.d@5",
      "app.a@100",
      "app.b@200",
      "app.c@300",
      "app.web-egress@400",
      "app.api-ingress@500",
    ]);
  });
});

describe("IR JSON", () => {
  it("is stable and round-trips", () => {
    const p = ir(`${HEADER}\nflows in app {\n  web -> api : tcp/80\n}`);
    const text = irToJson(p);
    expect(irToJson(irFromJson(text))).toBe(text);
    expect(text.endsWith("\n")).toBe(true);
    expect(text.indexOf('"netSets"')).toBeLessThan(text.indexOf('"policies"'));
  });
});

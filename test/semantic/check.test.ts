// Name resolution, types, selector lowering, peers, services and the Model the checker produces.

import { describe, expect, it } from "vitest";
import { check, checkSources, codes, rendered } from "./helpers.js";
import { printSelector } from "../../src/selector/index.js";
import type { Sel } from "../../src/selector/ast.js";
import type { ResolvedPeer } from "../../src/semantic/model.js";

const TIERS = "tier app order 300 default pass\n";
const sel = (s: Sel) => printSelector(s);
const peerText = (p: ResolvedPeer | undefined) =>
  p === undefined
    ? "any"
    : [
        p.include.map((i) => `${i.negated ? "not " : ""}${i.target.kind === "selector" ? sel(i.target.sel) : i.target.net.cidrs.map((c) => c.text).join(",")}`).join(" | "),
        ...(p.exclude.length ? [p.exclude.map((i) => (i.target.kind === "selector" ? sel(i.target.sel) : i.target.net.cidrs.map((c) => c.text).join(","))).join(" | ")] : []),
      ].join(" except ");

describe("scope and resolution", () => {
  it("resolves names regardless of declaration order, across files", () => {
    const r = checkSources({
      "a.pol": `${TIERS}flows in app { web -> api : http }\n`,
      "lib/b.pol": 'group api = app == "api"\ngroup web = app == "web"\nservice http = tcp/80\n',
    });
    expect(codes(r)).toEqual([]);
    expect(r.model!.flows).toHaveLength(1);
    expect(peerText(r.model!.flows[0]!.from)).toBe('app == "web"');
  });

  it("lets nets and services build on each other", () => {
    const r = check('net all-private = rfc1918, fd00::/8\nnet rfc1918 = 10.0.0.0/8, 192.168.0.0/16, 10.0.0.0/8\nservice web = http, tcp/443\nservice http = tcp/80\n');
    expect(codes(r)).toEqual([]);
    const net = r.model!.nets.find((n) => n.name === "all-private")!;
    expect(net.cidrs.map((c) => c.text)).toEqual(["10.0.0.0/8", "192.168.0.0/16", "fd00::/8"]);
    const svc = r.model!.services.find((s) => s.name === "web")!;
    expect(svc.entries).toMatchObject([{ protocol: "tcp", ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }] }]);
  });

  it("reports duplicates with both places", () => {
    const r = checkSources({ "a.pol": 'group web = app == "web"\n', "b.pol": "net web = 10.0.0.0/8\n" });
    const d = r.diagnostics.find((x) => x.code === "POL1010")!;
    expect(d.primary.span.file).toBe("b.pol");
    expect(d.secondary![0]!.span.file).toBe("a.pol");
    expect(d.secondary![0]!.message).toBe("first declared here as a group");
  });

  it("reports reference cycles with the chain", () => {
    const r = check('group a = b && x == "1"\ngroup b = c\ngroup c = a\n');
    const d = r.diagnostics.filter((x) => x.code === "POL1032");
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toBe("group `a` refers to itself: `a` -> `b` -> `c` -> `a`");
    expect(d[0]!.secondary).toHaveLength(3);
  });

  it("suggests names of the expected type first", () => {
    const r = check(`${TIERS}group htpz = app == "x"\ngroup web = app == "web"\nservice https = tcp/443\nflows in app { web -> web : htps }\n`);
    const d = r.diagnostics.find((x) => x.code === "POL1020")!;
    expect(d.message).toBe("unknown name `htps`");
    expect(d.help).toBe("did you mean `https`?");
  });

  it("records references for go-to-definition", () => {
    const text = `${TIERS}group web = app == "web"\nflows in app { web -> web : tcp/80 }\n`;
    const r = check(text);
    const ref = text.lastIndexOf("web ->");
    const sym = r.symbols.at("main.pol", ref + 1)!;
    expect(sym.name).toBe("web");
    expect(sym.kind).toBe("group");
    expect(sym.nameSpan!.start).toBe(text.indexOf("web ="));
    expect(r.symbols.referencesTo(sym)).toHaveLength(2);
  });
});

describe("types", () => {
  it("explains a group used as a service", () => {
    const r = check(`${TIERS}group web = app == "web"\nguardrail g in app {\n  applies to all()\n  ingress allow web\n}\n`);
    const d = r.diagnostics.find((x) => x.code === "POL1030")!;
    expect(d.message).toBe("expected a service, found a group `web`");
    expect(d.help).toBe("`web` is a group; to allow traffic from it write `ingress allow from web`");
  });

  it("rejects a net in applies to, a service as a peer, a tier as a group", () => {
    const r = check(`${TIERS}net office = 10.0.0.0/8\nservice http = tcp/80\nguardrail g in app {\n  applies to office\n  egress allow to http\n}\ngroup x = app && y == "1"\n`);
    const msgs = r.diagnostics.filter((x) => x.code === "POL1030").map((x) => x.message);
    expect(msgs).toEqual(["expected a group or a namespaces list, found a net `office`", "expected a group, a namespaces list or a net, found a service `http`", "expected a group or a namespaces list, found a tier `app`"]);
  });

  it("allows a net only as a whole peer item", () => {
    const r = check(`${TIERS}net office = 10.0.0.0/8\ngroup web = app == "web"\nguardrail g in app {\n  applies to all()\n  egress allow to office, web\n  egress allow to (web || office)\n}\n`);
    expect(codes(r)).toEqual(["POL1031"]);
  });
});

describe("selector lowering", () => {
  const subject = (applies: string, extra = "") => {
    const r = check(`import "std/k8s"\n${TIERS}${extra}guardrail g in app {\n  applies to ${applies}\n  ingress allow\n}\n`);
    expect(rendered(r)).toBe("");
    return sel(r.model!.policies[0]!.subject);
  };
  it("lowers namespace terms to Calico's namespace label", () => {
    expect(subject('namespace "shop"')).toBe('projectcalico.org/namespace == "shop"');
    expect(subject('namespace in {"b", "a"}')).toBe('projectcalico.org/namespace in {"a", "b"}');
    expect(subject("namespace in system")).toBe(subject("system"));
    expect(subject('namespace(team == "pay")')).toBe('pcns.team == "pay"');
    expect(subject("namespace(all())")).toBe("has(projectcalico.org/namespace)");
  });
  it("inlines groups as their own node", () => {
    expect(subject('web && b == "2"', 'group web = app == "web" && tier == "fe"\n')).toBe('((app == "web" && tier == "fe") && b == "2")');
  });
  it("applies except as and-not, and collapses double negation", () => {
    expect(subject('all() except namespace in {"kube-system"}')).toContain('!projectcalico.org/namespace in {"kube-system"}');
    expect(subject('!!has(a)')).toBe("has(a)");
  });
  it("parses raw selectors and maps their errors into the string", () => {
    expect(subject(`selector("app == 'web' && has(x)")`)).toBe('(app == "web" && has(x))');
    const text = `${TIERS}group g = selector("app = 'web'")\n`;
    const r = check(text);
    const d = r.diagnostics.find((x) => x.code === "POL2044")!;
    expect(d.primary.span.start).toBeGreaterThan(text.indexOf('selector("'));
    expect(d.primary.span.end).toBeLessThanOrEqual(text.indexOf('")'));
  });
});

describe("peers, services and flows", () => {
  it("resolves peers with nets, selectors, negation and except", () => {
    const r = check(`import "std/nets"\n${TIERS}group web = app == "web"\nguardrail g in app {\n  applies to all()\n  egress deny to not private\n  egress allow tcp/443 to web, 10.1.2.3 except 10.1.2.0/31\n}\n`);
    expect(rendered(r)).toBe("");
    const [a, b] = r.model!.policies[0]!.rules;
    expect(peerText(a!.peer)).toBe("not 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7");
    expect(a!.peer!.include[0]!.target).toMatchObject({ kind: "nets", net: { name: "private" } });
    expect(peerText(b!.peer)).toBe('app == "web" | 10.1.2.3/32 except 10.1.2.0/31');
    expect(b!.peer!.include[0]!.target).toMatchObject({ kind: "selector", group: "web" });
  });

  it("merges services per protocol", () => {
    const r = check(`import "std/k8s"\n${TIERS}guardrail g in app {\n  applies to all()\n  ingress allow tcp/80, tcp/81, dns, tcp/8000-8080, tcp/http, icmp/8, icmp\n}\n`);
    expect(rendered(r)).toBe("");
    const s = r.model!.policies[0]!.rules[0]!.services;
    expect(s.map((e) => e.protocol)).toEqual(["tcp", "udp", "icmp"]);
    expect(s[0]).toMatchObject({ ports: [{ from: 53, to: 53 }, { from: 80, to: 81 }, { from: 8000, to: 8080 }], namedPorts: ["http"] });
    expect(s[2]!.icmp).toBeUndefined();
  });

  it("puts a flow without tier in Calico's built-in default tier", () => {
    const r = check('group web = app == "web"\ngroup api = app == "api"\nflow web -> api : tcp/80\nstaged flow web -> api : tcp/81\n');
    expect(rendered(r)).toBe("");
    expect(r.model!.tiers).toEqual([expect.objectContaining({ name: "default", order: 1000000, defaultAction: "Deny", builtin: true })]);
    expect(r.model!.flows.map((f) => [f.tier, f.staged])).toEqual([["default", false], ["default", true]]);
  });

  it("accepts a flow to a net and rejects one between nets", () => {
    expect(codes(check(`${TIERS}group web = app == "web"\nflows in app { web -> 203.0.113.0/24 : tcp/443 }\n`))).toEqual([]);
    expect(codes(check(`${TIERS}flows in app { 10.0.0.0/8 -> 203.0.113.0/24 : tcp/443 }\n`))).toEqual(["POL2033"]);
  });

  it("rejects icmp with only IPv6 addresses and icmpv6 with only IPv4", () => {
    expect(codes(check(`${TIERS}guardrail g in app {\n  applies to all()\n  egress allow icmp to fd00::/8\n  egress allow icmpv6 to 10.0.0.0/8\n  egress allow icmp, icmpv6 to 10.0.0.0/8, fd00::/8\n}\n`))).toEqual(["POL2025", "POL2025"]);
  });

  it("never widens: catch-alls in negations and emptied peers are errors", () => {
    const r = check(`${TIERS}guardrail g in app {\n  applies to all()\n  egress deny to not 0.0.0.0/0\n  egress deny to 10.0.0.0/8, fd00::/8 except 0.0.0.0/0\n  egress deny to 10.1.0.0/16, 10.2.0.0/16 except 10.0.0.0/8\n}\n`);
    expect(codes(r)).toEqual(["POL2031", "POL2031", "POL2032", "POL2032"]);
  });
});

describe("tiers and policies", () => {
  it("requires applies to for cluster-wide policies only", () => {
    expect(codes(check(`${TIERS}policy p in app {\n  ingress deny\n}\n`))).toEqual(["POL1040"]);
    const r = check(`${TIERS}policy p in app namespace "shop" {\n  ingress deny\n}\n`);
    expect(codes(r)).toEqual([]);
    expect(r.model!.policies[0]).toMatchObject({ namespace: "shop", subject: { op: "all" } });
  });

  it("checks a namespaced policy's subject together with its namespace", () => {
    const r = check(`${TIERS}policy p in app namespace "shop" {\n  applies to namespace "other"\n  ingress deny\n}\n`);
    expect(codes(r)).toEqual(["POL3001"]);
  });

  it("orders tiers, then policies and flows by tier, file and offset", () => {
    const r = checkSources({
      "b.pol": 'tier late order 500 default pass\ntier early order 10 default pass\nguardrail b1 in late {\n  applies to all()\n  ingress allow\n}\nguardrail b2 in early {\n  applies to all()\n  ingress allow\n}\n',
      "a.pol": "guardrail a1 in late {\n  applies to all()\n  ingress allow\n}\n",
    });
    expect(rendered(r)).toBe("");
    expect(r.model!.tiers.map((t) => t.name)).toEqual(["early", "late"]);
    expect(r.model!.policies.map((p) => p.name)).toEqual(["b2", "a1", "b1"]);
  });

  it("does not depend on the order of entries", () => {
    const files = { "x.pol": `${TIERS}group web = app == "web"\n`, "y.pol": "flows in app { web -> web : tcp/1 }\n" };
    const a = checkSources(files, { entries: ["x.pol", "y.pol"] });
    const b = checkSources(files, { entries: ["y.pol", "x.pol"] });
    expect(JSON.stringify(a.model)).toBe(JSON.stringify(b.model));
    expect(a.diagnostics).toEqual(b.diagnostics);
  });
});

describe("warnings", () => {
  it("warns about a tier that ends in deny before a later allow", () => {
    const r = check('import "std/k8s"\ntier app order 100 default deny\ntier platform order 200 default pass\ngroup web = app == "web"\ngroup api = app == "api"\nflows in app { web -> api : tcp/80 }\nguardrail dns in platform {\n  applies to all()\n  egress allow dns to coredns\n}\n');
    const d = r.diagnostics.filter((x) => x.code === "POL3008");
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toBe("endpoints selected by `web` (the source of this flow) lose every egress flow not allowed in tier `app`; later tiers never see it");
    expect(r.model).toBeDefined();
  });

  it("checks labels against an inventory", () => {
    const r = check('group web = app == "web"\ngroup api = application == "api"\ngroup db = app == "db"\n', { inventoryLabels: [{ app: "web" }, { app: "api" }] });
    expect(codes(r)).toEqual(["POL3004", "POL3005"]);
  });

  it("does not call different digits a typo", () => {
    expect(codes(check('group a = version == "v1"\ngroup b = version == "v2"\ngroup c = zone == "zone-1"\ngroup d = zone == "zone-10"\n'))).toEqual([]);
    expect(codes(check('group a = tier == "frontend"\ngroup b = tier == "frontend"\ngroup c = tier == "fronted"\n'))).toEqual(["POL3003"]);
  });
});

// The Model of the two examples: tiers, subjects, rules, flows, resolved to Calico selectors and CIDRs.

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/semantic/index.js";
import { renderText } from "../../src/diag/render.js";
import { printSelector } from "../../src/selector/index.js";
import type { Model, ResolvedPeer } from "../../src/semantic/model.js";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

/** The example's model (it must check without any diagnostic). */
function modelOf(example: string): Model {
  const r = checkPaths([join(root, "examples", example, "policy.pol")], { projectRoot: root });
  expect(renderText(r.diagnostics, r.sources)).toBe("");
  return r.model!;
}

const peer = (p: ResolvedPeer | undefined) =>
  p === undefined
    ? "any"
    : p.include
        .map((i) => `${i.negated ? "not " : ""}${i.target.kind === "selector" ? printSelector(i.target.sel) : (i.target.net.name ?? "") + "[" + i.target.net.cidrs.map((c) => c.text).join(",") + "]"}`)
        .join(" | ") + (p.exclude.length ? " except …" : "");

describe("three-tier model", () => {
  const m = modelOf("three-tier");

  it("has the four tiers in order", () => {
    expect(m.tiers.map((t) => [t.name, t.order, t.defaultAction, t.builtin])).toEqual([
      ["security", 100, "Pass", false],
      ["platform", 200, "Pass", false],
      ["app", 300, "Pass", false],
      ["baseline", 2000, "Deny", false],
    ]);
  });

  it("orders policies by tier, then source", () => {
    expect(m.policies.map((p) => `${p.tier}/${p.name}`)).toEqual(["security/pci-egress", "platform/dns", "platform/coredns", "baseline/default-deny"]);
  });

  it("resolves subjects", () => {
    const subject = Object.fromEntries(m.policies.map((p) => [p.name, printSelector(p.subject)]));
    expect(subject).toEqual({
      "pci-egress": 'pci == "true"',
      dns: "all()",
      coredns: '(projectcalico.org/namespace == "kube-system" && k8s-app == "kube-dns")',
      "default-deny": '!projectcalico.org/namespace in {"calico-apiserver", "calico-system", "kube-system", "tigera-operator"}',
    });
  });

  it("resolves rules: services, peers, nets", () => {
    const coredns = m.policies.find((p) => p.name === "coredns")!;
    expect(coredns.rules.map((r) => [r.direction, r.action, r.services.map((s) => `${s.protocol}:${(s.ports ?? []).map((x) => x.from).join(",")}`).join(" "), peer(r.peer)])).toEqual([
      ["Ingress", "Allow", "udp:53 tcp:53", "any"],
      ["Egress", "Allow", "tcp:443", "kube-api[10.96.0.1/32]"],
      ["Egress", "Allow", "udp:53 tcp:53", "upstream-dns[0.0.0.0/0,::/0]"],
    ]);
    const pci = m.policies.find((p) => p.name === "pci-egress")!;
    expect(peer(pci.rules[0]!.peer)).toBe("not cluster-internal[10.0.0.0/8]");
    const deny = m.policies.find((p) => p.name === "default-deny")!;
    expect(deny.rules.map((r) => [r.direction, r.action, r.services.length, r.peer])).toEqual([
      ["Ingress", "Deny", 0, undefined],
      ["Egress", "Deny", 0, undefined],
    ]);
  });

  it("resolves flows to the groups' selectors", () => {
    expect(m.flows.map((f) => [f.tier, f.staged, peer(f.from), peer(f.to), f.services.map((s) => `${s.protocol}/${s.ports![0]!.from}`).join()])).toEqual([
      ["app", false, '(projectcalico.org/namespace == "frontend" && app == "web")', '(projectcalico.org/namespace == "backend" && app == "api")', "tcp/80"],
      ["app", false, '(projectcalico.org/namespace == "backend" && app == "api")', '(projectcalico.org/namespace == "db" && app == "db")', "tcp/5432"],
    ]);
    expect(m.flows[0]!.from.include[0]!.target).toMatchObject({ kind: "selector", group: "web" });
  });

  it("lists declarations of every loaded file, sorted by name", () => {
    expect(m.groups.map((g) => g.name)).toEqual(["api", "coredns", "db", "kube-system", "node-local-dns", "pci", "web"]);
    expect(m.nets.map((n) => n.name)).toEqual(["cluster-internal", "kube-api", "node-local-dns-ip", "upstream-dns"]);
    expect(m.namespaces.map((n) => n.name)).toEqual(["system"]);
    expect(m.services.map((s) => s.name)).toEqual(["dns", "http", "https", "kube-api-server", "postgres"]);
  });
});

describe("security-hierarchy model", () => {
  const m = modelOf("security-hierarchy");

  it("keeps staged guardrails, namespaced policies and flows", () => {
    expect(m.tiers.map((t) => t.name)).toEqual(["security", "platform", "application", "database"]);
    expect(m.policies.map((p) => [p.name, p.tier, p.staged, p.namespace ?? null])).toEqual([
      ["pci-no-internet", "security", false, null],
      ["no-telnet", "security", true, null],
      ["dns", "platform", false, null],
      ["db-access", "database", false, "data"],
    ]);
    const db = m.policies.find((p) => p.name === "db-access")!;
    expect(printSelector(db.subject)).toBe('(projectcalico.org/namespace == "data" && role == "db")');
    expect(peer(db.rules[0]!.peer)).toBe('(projectcalico.org/namespace == "ops" && team == "dba")');
    expect(m.flows.map((f) => f.services.map((s) => `${s.protocol}/${s.ports![0]!.from}`).join())).toEqual(["tcp/80", "tcp/443", "tcp/5432"]);
  });

  it("resolves `not private` to a negated named net", () => {
    const pci = m.policies.find((p) => p.name === "pci-no-internet")!;
    expect(pci.rules[0]!.peer!.include).toEqual([
      expect.objectContaining({ negated: true, target: expect.objectContaining({ kind: "nets", net: expect.objectContaining({ name: "private" }) }) }),
    ]);
  });
});

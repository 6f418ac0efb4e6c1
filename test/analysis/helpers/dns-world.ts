// test/analysis/fixtures/dns-lost.pol as an analysis world, built by hand (what the IR lowering yields).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { World, WPolicy } from "../../../src/analysis/world.js";
import { makeSourceFile, SourceMap } from "../../../src/source.js";
import { ALL, ALL_V6, and, eq, inSet, not, ns, rule, spanner, tcp, udp, v4 } from "./build.js";

export const FILE = "test/analysis/fixtures/dns-lost.pol";
const text = readFileSync(fileURLToPath(new URL("../fixtures/dns-lost.pol", import.meta.url)), "utf8");
export const sources = new SourceMap();
sources.add(makeSourceFile(FILE, text));
const at = spanner(FILE, text);

const web = and(ns("frontend"), eq("app", "web"));
const api = and(ns("backend"), eq("app", "api"));
const db = and(ns("db"), eq("app", "db"));
const coredns = and(ns("kube-system"), eq("k8s-app", "kube-dns"));
const system = inSet("projectcalico.org/namespace", ["kube-system", "calico-system", "calico-apiserver", "tigera-operator"]);
const dns = [udp(53), tcp(53)];

function flowPolicies(name: string, src: typeof web, dst: typeof web, svc: ReturnType<typeof tcp>, text: string): WPolicy[] {
  const origin = at(text);
  return [
    { name: `${name}-egress`, tier: "app", flavor: "flows", staged: false, subject: src, egress: [rule("Allow", 0, origin, [svc], [{ selector: dst }], { flow: text })], origin, nameSpan: origin },
    { name: `${name}-ingress`, tier: "app", flavor: "flows", staged: false, subject: dst, ingress: [rule("Allow", 0, origin, [svc], [{ selector: src }], { flow: text })], origin, nameSpan: origin },
  ];
}

export function dnsLostWorld(appDefault: "Deny" | "Pass" = "Deny"): World {
  return {
    tiers: [
      { name: "security", defaultAction: "Pass", origin: at("tier security") },
      { name: "app", defaultAction: appDefault, origin: at("tier app") },
      { name: "platform", defaultAction: "Pass", origin: at("tier platform") },
      { name: "baseline", defaultAction: "Deny", origin: at("tier baseline") },
    ],
    policies: [
      ...flowPolicies("web-api", web, api, tcp(80), "web -> api : http"),
      ...flowPolicies("api-db", api, db, tcp(5432), "api -> db  : postgres"),
      {
        name: "dns",
        tier: "platform",
        flavor: "guardrail",
        staged: false,
        subject: ALL,
        egress: [rule("Allow", 0, at("egress allow dns to coredns"), dns, [{ selector: coredns }], { text: "egress allow dns to coredns" })],
        origin: at("guardrail dns"),
        nameSpan: at("guardrail dns"),
      },
      {
        name: "coredns",
        tier: "platform",
        flavor: "guardrail",
        staged: false,
        subject: coredns,
        ingress: [rule("Allow", 0, at("ingress allow dns"), dns, [], { text: "ingress allow dns" })],
        egress: [
          rule("Allow", 0, at("egress allow https to kube-api"), [tcp(443)], [{ nets: [v4("10.96.0.1/32")] }], { text: "egress allow https to kube-api" }),
          rule("Allow", 1, at("egress allow dns to upstream-dns"), dns, [{ nets: [v4("0.0.0.0/0"), ALL_V6] }], { text: "egress allow dns to upstream-dns" }),
        ],
        origin: at("guardrail coredns"),
        nameSpan: at("guardrail coredns"),
      },
      {
        name: "default-deny",
        tier: "baseline",
        flavor: "guardrail",
        staged: false,
        subject: and(ALL, not(system)),
        ingress: [rule("Deny", 0, at("ingress deny"), [], [], { text: "ingress deny" })],
        egress: [rule("Deny", 0, at("egress deny"), [], [], { text: "egress deny" })],
        origin: at("guardrail default-deny"),
        nameSpan: at("default-deny"),
      },
    ],
  };
}

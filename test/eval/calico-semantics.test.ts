// The evaluator against hand-written Calico objects: each case is one rule of calico-reference.md
// §c.6 / §d written as a policy, independent of polc's own emitter.

import { describe, expect, it } from "vitest";
import type { CalicoObject, CalicoPolicy, CalicoRule } from "../../src/backends/calico/objects.js";
import { loadInventoryText } from "../../src/inventory/load.js";
import { evalProgram, evaluateFlow, hitToString, type FlowSpec, type FlowVerdict } from "../../src/eval/index.js";

const CLUSTER = `
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: a, labels: {team: red}}}
- {apiVersion: v1, kind: Namespace, metadata: {name: b, labels: {team: blue}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: a1, namespace: a, labels: {app: x}}
  spec:
    containers:
    - name: c
      ports: [{name: http, containerPort: 8080, protocol: TCP}]
  status: {podIP: 10.1.0.1, podIPs: [{ip: 10.1.0.1}, {ip: "fd00::1"}]}
- {apiVersion: v1, kind: Pod, metadata: {name: a2, namespace: a, labels: {app: y}}, status: {podIP: 10.1.0.2}}
- {apiVersion: v1, kind: Pod, metadata: {name: b1, namespace: b, labels: {app: x}}, status: {podIP: 10.2.0.1}}
- {apiVersion: v1, kind: Pod, metadata: {name: a3, namespace: a, labels: {app: x}}, status: {podIP: 10.1.0.3}}
`;
const inv = loadInventoryText("cluster.yaml", CLUSTER);

const tier = (name: string, order: number | undefined, defaultAction: "Deny" | "Pass" = "Deny"): CalicoObject => ({
  apiVersion: "projectcalico.org/v3",
  kind: "Tier",
  metadata: { name },
  spec: { ...(order !== undefined ? { order } : {}), defaultAction },
});

function pol(kind: CalicoPolicy["kind"], name: string, spec: CalicoPolicy["spec"], namespace?: string): CalicoPolicy {
  return { apiVersion: "projectcalico.org/v3", kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { tier: "t", ...spec } };
}

function run(objects: CalicoObject[], from: string, to: string, extra: Partial<FlowSpec> = {}): FlowVerdict {
  const end = (s: string) => (s.includes("/") ? { pod: s } : { ip: s });
  const r = evaluateFlow(evalProgram(objects), inv.inventory, { source: end(from), destination: end(to), protocol: "tcp", port: 80, ...extra });
  if (!r.ok) throw new Error(r.error);
  return r;
}

const allowTo = (destination: CalicoRule["destination"]): CalicoRule => ({ action: "Allow", ...(destination ? { destination } : {}) });

/** An egress-only policy on a/a1 in tier `t` (default Deny): allowed iff the rule matches. */
function egressFromA1(rule: CalicoRule, kind: CalicoPolicy["kind"] = "NetworkPolicy"): CalicoObject[] {
  const namespaced = kind === "NetworkPolicy" || kind === "StagedNetworkPolicy";
  return [tier("t", 10), pol(kind, "p", { order: 1, selector: 'app == "x"', types: ["Egress"], egress: [rule] }, namespaced ? "a" : undefined)];
}

describe("rule selectors and namespaces (§c.6)", () => {
  it("the inventory loads without diagnostics", () => {
    expect(inv.diagnostics).toEqual([]);
  });

  it("an NP rule selector is confined to the policy's namespace", () => {
    const objs = egressFromA1(allowTo({ selector: 'app == "x"' }));
    expect(run(objs, "a/a1", "b/b1").enforced).toBe("Deny");
    expect(run(objs, "a/a1", "a/a3").enforced).toBe("Allow");
  });

  it("namespaceSelector all() opens an NP rule to every namespace", () => {
    const objs = egressFromA1(allowTo({ selector: 'app == "x"', namespaceSelector: "all()" }));
    expect(run(objs, "a/a1", "b/b1").enforced).toBe("Allow");
    expect(run(objs, "a/a1", "8.8.8.8").enforced).toBe("Deny");
  });

  it("namespaceSelector matches namespace labels", () => {
    const objs = egressFromA1(allowTo({ selector: "all()", namespaceSelector: 'team == "blue"' }));
    expect(run(objs, "a/a1", "b/b1").enforced).toBe("Allow");
    expect(run(objs, "a/a1", "a/a2").enforced).toBe("Deny");
  });

  it("an NP rule with only a notSelector matches only its own namespace's other pods", () => {
    const objs = egressFromA1(allowTo({ notSelector: 'app == "x"' }));
    expect(run(objs, "a/a1", "a/a2").enforced).toBe("Allow");
    expect(run(objs, "a/a1", "b/b1").enforced).toBe("Deny");
    expect(run(objs, "a/a1", "8.8.8.8").enforced).toBe("Deny");
  });

  it("a GNP rule with only a notSelector matches the internet too", () => {
    const objs = egressFromA1(allowTo({ notSelector: 'app == "x"' }), "GlobalNetworkPolicy");
    expect(run(objs, "a/a1", "a/a2").enforced).toBe("Allow");
    expect(run(objs, "a/a1", "8.8.8.8").enforced).toBe("Allow");
    expect(run(objs, "a/a1", "b/b1").enforced).toBe("Deny");
  });

  it("selector all() matches known endpoints only, never the internet", () => {
    const objs = egressFromA1(allowTo({ selector: "all()" }), "GlobalNetworkPolicy");
    expect(run(objs, "a/a1", "b/b1").enforced).toBe("Allow");
    expect(run(objs, "a/a1", "8.8.8.8").enforced).toBe("Deny");
  });

  it("namespaceSelector global() reaches network sets, not pods", () => {
    const set: CalicoObject = { apiVersion: "projectcalico.org/v3", kind: "GlobalNetworkSet", metadata: { name: "s", labels: { k: "v" } }, spec: { nets: ["8.8.8.0/24"] } };
    const objs = [set, ...egressFromA1(allowTo({ selector: "all()", namespaceSelector: "global()" }))];
    expect(run(objs, "a/a1", "8.8.8.8").enforced).toBe("Allow");
    expect(run(objs, "a/a1", "a/a2").enforced).toBe("Deny");
    expect(run(objs, "a/a1", "9.9.9.9").enforced).toBe("Deny");
  });

  it("a GNP with namespaceSelector applies to pods of matching namespaces only", () => {
    const objs = [tier("t", 10), pol("GlobalNetworkPolicy", "p", { order: 1, selector: "all()", namespaceSelector: 'team == "blue"', types: ["Egress"], egress: [{ action: "Deny" }] })];
    expect(run(objs, "b/b1", "8.8.8.8").enforced).toBe("Deny");
    expect(run(objs, "a/a1", "8.8.8.8").enforced).toBe("Allow");
  });
});

describe("matching fields (§a.3, §a.4, §d.5)", () => {
  it("nets / notNets / ipVersion", () => {
    expect(run(egressFromA1(allowTo({ nets: ["8.8.8.0/24"] })), "a/a1", "8.8.8.8").enforced).toBe("Allow");
    expect(run(egressFromA1(allowTo({ notNets: ["8.8.8.0/24"] })), "a/a1", "8.8.8.8").enforced).toBe("Deny");
    expect(run(egressFromA1({ action: "Allow", ipVersion: 6 }), "a/a1", "8.8.8.8").enforced).toBe("Deny");
    expect(run(egressFromA1({ action: "Allow", ipVersion: 6 }), "a/a1", "2001:db8::1").enforced).toBe("Allow");
  });

  it("protocol, ports and ranges", () => {
    const rule: CalicoRule = { action: "Allow", protocol: "TCP", destination: { ports: [443, "8000:8080"] } };
    expect(run(egressFromA1(rule), "a/a1", "8.8.8.8", { port: 443 }).enforced).toBe("Allow");
    expect(run(egressFromA1(rule), "a/a1", "8.8.8.8", { port: 8080 }).enforced).toBe("Allow");
    expect(run(egressFromA1(rule), "a/a1", "8.8.8.8", { port: 8081 }).enforced).toBe("Deny");
    expect(run(egressFromA1(rule), "a/a1", "8.8.8.8", { protocol: "udp", port: 443 }).enforced).toBe("Deny");
  });

  it("named ports resolve on the destination endpoints", () => {
    const rule: CalicoRule = { action: "Allow", protocol: "TCP", destination: { ports: ["http"] } };
    const objs = [tier("t", 10), pol("GlobalNetworkPolicy", "p", { order: 1, selector: "all()", types: ["Ingress"], ingress: [rule] })];
    expect(run(objs, "b/b1", "a/a1", { port: 8080 }).enforced).toBe("Allow");
    expect(run(objs, "b/b1", "a/a1", { port: 80 }).enforced).toBe("Deny");
    expect(run(objs, "b/b1", "a/a2", { port: 8080 }).enforced).toBe("Deny");
  });

  it("ICMP type and code", () => {
    const rule: CalicoRule = { action: "Allow", protocol: "ICMP", icmp: { type: 3, code: 4 } };
    expect(run(egressFromA1(rule), "a/a1", "8.8.8.8", { protocol: "icmp", icmp: { type: 3, code: 4 } }).enforced).toBe("Allow");
    expect(run(egressFromA1(rule), "a/a1", "8.8.8.8", { protocol: "icmp", icmp: { type: 3, code: 1 } }).enforced).toBe("Deny");
    expect(run(egressFromA1({ action: "Allow", protocol: "ICMP", icmp: { type: 8 } }), "a/a1", "8.8.8.8", { protocol: "icmp", icmp: { type: 8, code: 0 } }).enforced).toBe("Allow");
  });
});

describe("tiers, orders, actions (§d.3, §d.4, §d.7)", () => {
  it("Pass skips the rest of the tier, its end of tier included", () => {
    const objs = [
      tier("t", 10),
      tier("u", 20, "Pass"),
      pol("GlobalNetworkPolicy", "p1", { order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Pass" }] }),
      pol("GlobalNetworkPolicy", "p2", { order: 2, selector: "all()", types: ["Egress"], egress: [{ action: "Deny" }] }),
    ];
    const v = run(objs, "a/a1", "8.8.8.8");
    expect(v.enforced).toBe("Allow");
    expect(v.egress!.enforced.hits.map(hitToString)).toEqual(["0|t|gnp:p1|pass|0", "1|__PROFILE__|pro:kns.a|allow|0"]);
  });

  it("Log falls through to the next rule", () => {
    const v = run(egressFromA1({ action: "Log" }), "a/a1", "8.8.8.8");
    expect(v.egress!.enforced.hits.map(hitToString)).toEqual(["0|t|np:a/p|deny|-1"]);
  });

  it("a policy that matches nothing falls through to the next policy of the tier", () => {
    const objs = [
      tier("t", 10),
      pol("GlobalNetworkPolicy", "p1", { order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Deny", protocol: "UDP" }] }),
      pol("GlobalNetworkPolicy", "p2", { order: 2, selector: "all()", types: ["Egress"], egress: [{ action: "Allow" }] }),
    ];
    expect(run(objs, "a/a1", "8.8.8.8").egress!.enforced.hits.map(hitToString)).toEqual(["0|t|gnp:p2|allow|0"]);
  });

  it("policies by order, unset order last, ties by name/namespace/kind", () => {
    const objs = [
      tier("t", 10),
      pol("GlobalNetworkPolicy", "a-unordered", { selector: "all()", types: ["Egress"], egress: [{ action: "Allow" }] }),
      pol("GlobalNetworkPolicy", "z", { order: 5, selector: "all()", types: ["Egress"], egress: [{ action: "Deny" }] }),
      pol("NetworkPolicy", "z", { order: 5, selector: "all()", types: ["Egress"], egress: [{ action: "Allow" }] }, "a"),
    ];
    // `z//GlobalNetworkPolicy` < `z/a/NetworkPolicy`: the GNP decides.
    expect(run(objs, "a/a1", "8.8.8.8").egress!.enforced.hits.map(hitToString)).toEqual(["0|t|gnp:z|deny|0"]);
  });

  it("tiers by order, a tier without order last", () => {
    const objs = [
      tier("early", undefined),
      tier("late", 50),
      pol("GlobalNetworkPolicy", "e", { tier: "early", order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Deny" }] }),
      pol("GlobalNetworkPolicy", "l", { tier: "late", order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Allow" }] }),
    ];
    expect(run(objs, "a/a1", "8.8.8.8").enforced).toBe("Allow");
  });

  it("a direction not in types is ignored, and the end of tier applies only to selected endpoints", () => {
    const objs = [tier("t", 10), pol("GlobalNetworkPolicy", "p", { order: 1, selector: "all()", types: ["Ingress"], egress: [{ action: "Deny" }] })];
    const v = run(objs, "a/a1", "a/a2");
    expect(v.egress!.enforced.hits.map(hitToString)).toEqual(["0|__PROFILE__|pro:kns.a|allow|0"]);
    expect(v.ingress!.enforced.hits.map(hitToString)).toEqual(["0|t|gnp:p|deny|-1"]);
    expect(v.enforced).toBe("Deny");
  });

  it("staged policies: ignored for enforced (their tier skipped), evaluated for pending", () => {
    const objs = [tier("t", 10), pol("StagedGlobalNetworkPolicy", "s", { stagedAction: "Set", order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", protocol: "UDP" }] })];
    const v = run(objs, "a/a1", "8.8.8.8");
    expect(v.enforced).toBe("Allow");
    expect(v.pending).toBe("Deny");
    expect(v.egress!.enforced.hits.map(hitToString)).toEqual(["0|__PROFILE__|pro:kns.a|allow|0"]);
    expect(v.egress!.pending.hits.map(hitToString)).toEqual(["0|t|sgnp:s|deny|-1"]);
  });

  it("end-of-tier trigger: the first selecting policy for pending, the last for enforced", () => {
    const objs = [
      tier("t", 10),
      pol("GlobalNetworkPolicy", "p1", { order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", protocol: "UDP" }] }),
      pol("GlobalNetworkPolicy", "p2", { order: 2, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", protocol: "UDP" }] }),
    ];
    const v = run(objs, "a/a1", "8.8.8.8");
    expect(v.egress!.enforced.hits.map(hitToString)).toEqual(["0|t|gnp:p2|deny|-1"]);
    expect(v.egress!.pending.hits.map(hitToString)).toEqual(["0|t|gnp:p1|deny|-1"]);
  });

  it("both directions must allow; traffic between outside addresses is not evaluated", () => {
    const objs = [tier("t", 10), pol("NetworkPolicy", "p", { order: 1, selector: "all()", types: ["Ingress"], ingress: [] }, "b")];
    expect(run(objs, "a/a1", "b/b1").enforced).toBe("Deny");
    expect(run(objs, "a/a1", "a/a2").enforced).toBe("Allow");
    const r = evaluateFlow(evalProgram(objs), inv.inventory, { source: { ip: "1.1.1.1" }, destination: { ip: "8.8.8.8" }, protocol: "tcp", port: 80 });
    expect(r.ok).toBe(false);
  });

  it("an address of an inventory pod is that pod", () => {
    const objs = [tier("t", 10), pol("NetworkPolicy", "p", { order: 1, selector: "all()", types: ["Ingress"], ingress: [] }, "b")];
    const v = run(objs, "10.1.0.1", "10.2.0.1");
    expect(v.egress?.endpoint).toBe("a/a1");
    expect(v.ingress?.endpoint).toBe("b/b1");
  });
});

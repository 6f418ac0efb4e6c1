// The inventory loader: kubectl Lists (YAML and JSON), multi-document streams, effective labels, and
// a diagnostic with the document path for every malformed object.

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadInventoryFile, loadInventoryText } from "../../src/inventory/load.js";
import { renderText } from "../../src/diag/render.js";
import { SourceMap } from "../../src/source.js";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

function rendered(r: ReturnType<typeof loadInventoryText>): string {
  const sources = new SourceMap();
  sources.add(r.file);
  return renderText(r.diagnostics, sources);
}

describe("the examples' inventories", () => {
  it("three-tier loads cleanly with the pods the brief lists", () => {
    const r = loadInventoryFile(join(REPO, "examples/three-tier/cluster.yaml"), "examples/three-tier/cluster.yaml");
    expect(r.diagnostics).toEqual([]);
    expect(r.inventory.namespaces.map((n) => n.name)).toEqual(["backend", "db", "default", "frontend", "kube-system", "payments"]);
    expect(r.inventory.endpoints.map((e) => `${e.namespace}/${e.name} ${e.addresses.map((a) => a.text).join(",")}`)).toEqual([
      "backend/api-1 10.0.2.10",
      "db/db-1 10.0.3.10",
      "default/test-1 10.0.4.10",
      "frontend/web-1 10.0.1.10",
      "kube-system/coredns-1 10.0.0.10",
      "payments/pay-1 10.0.5.10",
    ]);
    const pay = r.inventory.endpoints.find((e) => e.name === "pay-1")!;
    expect(pay.effectiveLabels).toEqual({
      app: "pay",
      "pcns.kubernetes.io/metadata.name": "payments",
      "pcns.projectcalico.org/name": "payments",
      "pcns.team": "payments",
      "pcsa.projectcalico.org/name": "pay",
      pci: "true",
      "pod-template-hash": "84c6b5d9f",
      "projectcalico.org/namespace": "payments",
      "projectcalico.org/orchestrator": "k8s",
      "projectcalico.org/serviceaccount": "pay",
    });
    const dns = r.inventory.endpoints.find((e) => e.name === "coredns-1")!;
    expect(dns.namedPorts).toEqual([
      { name: "dns", port: 53, protocol: "UDP" },
      { name: "dns-tcp", port: 53, protocol: "TCP" },
      { name: "metrics", port: 9153, protocol: "TCP" },
    ]);
  });

  it("security-hierarchy has dual-stack pods", () => {
    const r = loadInventoryFile(join(REPO, "examples/security-hierarchy/cluster.yaml"), "cluster.yaml");
    expect(r.diagnostics).toEqual([]);
    const checkout = r.inventory.endpoints.find((e) => e.name === "checkout-1")!;
    expect(checkout.addresses.map((a) => `${a.family} ${a.text}`)).toEqual(["4 10.0.1.20", "6 fd00:10:1::20"]);
  });
});

describe("formats", () => {
  it("JSON, as `kubectl -o json` prints it", () => {
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "a", labels: { "kubernetes.io/metadata.name": "a", env: "prod" } } },
        { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "a", labels: { app: "x", env: "mine" } }, spec: {}, status: { podIP: "10.0.0.1" } },
      ],
    });
    const r = loadInventoryText("c.json", json);
    expect(r.diagnostics).toEqual([]);
    const p = r.inventory.endpoints[0]!;
    // The pod's own labels win over nothing here, and the namespace label shows with its prefix.
    expect(p.effectiveLabels["env"]).toBe("mine");
    expect(p.effectiveLabels["pcns.env"]).toBe("prod");
    expect(p.serviceAccount).toBe("default");
  });

  it("a multi-document stream, nested lists, and IPv6 written loosely", () => {
    const text = `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: PodList
items:
- kind: Pod
  metadata: {name: p, namespace: a}
  status: {podIPs: [{ip: "FD00:0:0::1"}, {ip: 10.0.0.1}]}
`;
    const r = loadInventoryText("c.yaml", text);
    expect(r.diagnostics).toEqual([]);
    expect(r.inventory.endpoints[0]!.addresses.map((a) => a.text)).toEqual(["fd00::1", "10.0.0.1"]);
    expect(r.inventory.namespaces[0]!.labels).toEqual({ "kubernetes.io/metadata.name": "a" });
  });

  it("pod labels win over the labels Calico adds", () => {
    const r = loadInventoryText("c.yaml", `kind: Pod\nmetadata: {name: p, namespace: a, labels: {projectcalico.org/orchestrator: custom}}\nstatus: {podIP: 10.0.0.1}\n`);
    expect(r.inventory.endpoints[0]!.effectiveLabels["projectcalico.org/orchestrator"]).toBe("custom");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["POL5006"]);
  });
});

describe("problems", () => {
  it("not YAML at all (POL5001)", () => {
    const r = loadInventoryText("c.yaml", "items: [1,\n");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["POL5001"]);
    expect(r.inventory.endpoints).toEqual([]);
  });

  it("a binary file (POL5001), without its bytes in the code frame", () => {
    const r = loadInventoryText("c.yaml", "\u0089PNG\r\n\u001a\n\u0000\u0000\u001b[2J");
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["POL5001 the inventory is a binary file, not YAML or JSON"]);
    expect(rendered(r)).not.toContain("PNG");
  });

  it("an unreadable file (POL5001)", () => {
    const r = loadInventoryFile("/nonexistent/polc/cluster.yaml", "cluster.yaml");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["POL5001"]);
  });

  it("unknown kinds are reported and ignored (POL5002)", () => {
    const r = loadInventoryText("c.yaml", `kind: List\nitems:\n- kind: Deployment\n  metadata: {name: d}\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["POL5002"]);
    expect(r.diagnostics[0]!.message).toContain("`items[0]` is a Deployment");
  });

  it("malformed entries name their document path and point into the file (POL5003)", () => {
    const text = `apiVersion: v1
kind: List
items:
- kind: Namespace
  metadata: {name: a}
- kind: Pod
  metadata: {name: p1, namespace: a}
  status: {podIP: 10.0.0.1}
- kind: Pod
  metadata:
    name: p2
    namespace: a
    labels:
      pci: true
  status: {podIP: 10.0.0.2}
- kind: Pod
  metadata: {namespace: a}
- kind: Pod
  metadata: {name: p4, namespace: a}
  status: {podIP: 10.0.0.999}
- kind: Pod
  metadata: {name: p5}
`;
    const r = loadInventoryText("cluster.yaml", text);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'POL5003 `items[2].metadata.labels.pci`: the value of label `pci` must be a string (quote it: `"true"`)',
      "POL5003 `items[3].metadata.name`: `metadata.name` is missing or not a string",
      "POL5003 `items[4].status.podIP`: `10.0.0.999` is not an IP address",
      "POL5003 `items[5].metadata.namespace`: a Pod needs `metadata.namespace`",
    ]);
    expect(r.inventory.endpoints.map((e) => e.name)).toEqual(["p1"]);
    const out = rendered(r);
    expect(out).toContain("cluster.yaml:14:");
    expect(out).toContain("pci: true");
  });

  it("pods without an address, on the host network or finished are skipped with a warning (POL5004)", () => {
    const r = loadInventoryText(
      "c.yaml",
      `kind: List
items:
- {kind: Namespace, metadata: {name: a}}
- {kind: Pod, metadata: {name: pending, namespace: a}, status: {phase: Pending}}
- {kind: Pod, metadata: {name: host, namespace: a}, spec: {hostNetwork: true}, status: {podIP: 192.168.1.1}}
- {kind: Pod, metadata: {name: done, namespace: a}, status: {phase: Succeeded, podIP: 10.0.0.3}}
`,
    );
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["POL5004", "warning"],
      ["POL5004", "warning"],
      ["POL5004", "warning"],
    ]);
    expect(r.inventory.endpoints).toEqual([]);
  });

  it("duplicates are reported and the first one kept (POL5005)", () => {
    const r = loadInventoryText(
      "c.yaml",
      `kind: List
items:
- {kind: Namespace, metadata: {name: a}}
- {kind: Namespace, metadata: {name: a}}
- {kind: Pod, metadata: {name: p, namespace: a}, status: {podIP: 10.0.0.1}}
- {kind: Pod, metadata: {name: p, namespace: a}, status: {podIP: 10.0.0.2}}
- {kind: Pod, metadata: {name: q, namespace: a}, status: {podIP: 10.0.0.1}}
`,
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(["POL5005", "POL5005", "POL5005"]);
    expect(r.inventory.endpoints.map((e) => e.name)).toEqual(["p"]);
  });

  it("bad named ports are malformed (POL5003)", () => {
    const r = loadInventoryText(
      "c.yaml",
      `kind: Pod
metadata: {name: p, namespace: a}
spec:
  containers:
  - name: c
    ports: [{name: web, containerPort: 99999}]
status: {podIP: 10.0.0.1}
`,
    );
    expect(r.diagnostics.map((d) => `${d.code} ${d.message.split(":")[0]}`)).toEqual(["POL5003 `spec.containers[0].ports[0].containerPort`"]);
  });
});

// `polc check --inventory FILE`: the analysis in inventory mode, with the inventory's own diagnostics
// rendered like any other (spans into the inventory file). The golden is the whole output as the user
// sees it.

import { describe, expect, it } from "vitest";
import { run } from "../cli/run.js";


const DNS_LOST = "test/analysis/fixtures/dns-lost.pol";
const CLUSTER = "examples/three-tier/cluster.yaml";

describe("polc check --inventory", () => {
  it("reports what is dead for the cluster's pods (golden)", async () => {
    const r = await run(["check", DNS_LOST, "--inventory", CLUSTER, "--color", "never"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0); // warnings only
    expect(r.out).toContain("for frontend/web-1 (and 1 more group of endpoints), `egress allow dns to coredns` in guardrail `dns` never takes effect");
    await expect(r.out).toMatchFileSnapshot("fixtures/dns-lost.check-inventory.txt");
  });

  it("differs from symbolic mode: inventory findings name pods, symbolic ones label combinations", async () => {
    const symbolic = await run(["check", DNS_LOST, "--color", "never"]);
    const inventory = await run(["check", DNS_LOST, "--inventory", CLUSTER, "--color", "never"]);
    expect(symbolic.out).toContain("for endpoints like {namespace=frontend, app=web}");
    expect(symbolic.out).not.toContain("frontend/web-1");
    expect(inventory.out).not.toBe(symbolic.out);
  });

  it("--deny-warnings makes inventory findings fail CI", async () => {
    const r = await run(["check", DNS_LOST, "--inventory", CLUSTER, "--deny-warnings"]);
    expect(r.code).toBe(1);
  });

  it("renders the inventory's own errors with their lines and does not analyse against a broken inventory", async () => {
    const r = await run(["check", DNS_LOST, "--inventory", "test/analysis/fixtures/bad-cluster.yaml", "--color", "never"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("error[POL5003]");
    expect(r.out).toContain("--> test/analysis/fixtures/bad-cluster.yaml:18:12");
    expect(r.out).not.toContain("POL3213");
    await expect(r.out).toMatchFileSnapshot("fixtures/bad-cluster.check-inventory.txt");
  });

  it("json output carries the inventory diagnostics with the inventory file", async () => {
    const r = await run(["check", DNS_LOST, "--inventory", "test/analysis/fixtures/bad-cluster.yaml", "--format", "json"]);
    const doc = JSON.parse(r.out) as { diagnostics: { code: string; file?: string; primary?: { file?: string } }[] };
    const inv = doc.diagnostics.find((d) => d.code === "POL5003");
    expect(JSON.stringify(inv)).toContain("test/analysis/fixtures/bad-cluster.yaml");
  });

  it("a missing inventory file is a usage error", async () => {
    const r = await run(["check", DNS_LOST, "--inventory", "no/such/cluster.yaml"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: no such inventory file: no/such/cluster.yaml\n");
    const dir = await run(["check", DNS_LOST, "--inventory", "examples/three-tier"]);
    expect(dir.code).toBe(2);
    expect(dir.err).toContain("--inventory expects a file");
  });
});

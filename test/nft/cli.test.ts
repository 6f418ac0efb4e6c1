// `polc compile --target nft|all` in-process: outputs, usage errors, and nothing written on error.

import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { REPO } from "./worlds.js";
import { run } from "../cli/run.js";


const INV = "examples/three-tier/cluster.yaml";

describe("polc compile --target nft", () => {
  it("writes the ruleset to --out, the same bytes as to stdout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-nft-cli-"));
    const file = join(dir, "ruleset.nft");
    const r = await run(["compile", "examples/three-tier", "--target", "nft", "--inventory", INV, "--out", file]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("table inet polc {");
    expect(text).toContain('comment "np:frontend/app.web-egress egress 0 allow @ examples/three-tier/policy.pol:45"');
    const s = await run(["compile", "examples/three-tier", "--target", "nft", "--inventory", INV, "--out", "-"]);
    expect(s.out).toBe(text);
    expect(readdirSync(dir)).toEqual(["ruleset.nft"]);
  });

  it("--target all writes calico.yaml and ruleset.nft into --out-dir from one run", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "polc-nft-cli-")), "out");
    const r = await run(["compile", "examples/three-tier", "--target", "all", "--inventory", INV, "--out-dir", dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["calico.yaml", "ruleset.nft"]);
    const yaml = await run(["compile", "examples/three-tier", "--out", "-"]);
    expect(readFileSync(join(dir, "calico.yaml"), "utf8")).toBe(yaml.out);
    const nft = await run(["compile", "examples/three-tier", "--target", "nft", "--inventory", INV, "--out", "-"]);
    expect(readFileSync(join(dir, "ruleset.nft"), "utf8")).toBe(nft.out);
  });

  it("usage errors exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--target", "nft", "--out", "x.nft"], /needs --inventory/],
      [["--target", "nft", "--inventory", INV], /--out FILE/],
      [["--target", "nft", "--inventory", INV, "--split", "d"], /--split goes with --target calico/],
      [["--target", "all", "--inventory", INV, "--out", "x"], /--out-dir DIR/],
      [["--inventory", INV, "--out", "x.yaml"], /go with --target nft or all/],
      [["--target", "nft", "--inventory", "no-such.yaml", "--out", "x.nft"], /no such inventory file/],
    ];
    for (const [args, msg] of cases) {
      const r = await run(["compile", "examples/three-tier", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });

  it("an inventory with errors: its diagnostics with the document path, exit 1, nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-nft-cli-"));
    const inv = join(dir, "bad.yaml");
    writeFileSync(inv, "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: p, namespace: a, labels: {n: 1}}\n  status: {podIP: 10.0.0.1}\n- kind: Pod\n  metadata: {name: q, namespace: a}\n  status: {}\n");
    const out = join(dir, "ruleset.nft");
    const r = await run(["compile", "examples/three-tier", "--target", "nft", "--inventory", inv, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("POL5003");
    expect(r.err).toContain("items[0].metadata.labels.n");
    expect(r.err).toContain("nothing was written");
    expect(existsSync(out)).toBe(false);
  });

  it("a pod without an IP is reported (POL5004) and skipped; the ruleset is still written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-nft-cli-"));
    const inv = join(dir, "cluster.yaml");
    const list = YAML.parse(readFileSync(join(REPO, INV), "utf8")) as { items: object[] };
    list.items.push({ apiVersion: "v1", kind: "Pod", metadata: { name: "pending-1", namespace: "frontend", labels: { app: "web" } }, status: { phase: "Pending" } });
    writeFileSync(inv, JSON.stringify(list));
    const out = join(dir, "ruleset.nft");
    const r = await run(["compile", "examples/three-tier", "--target", "nft", "--inventory", inv, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("POL5004");
    expect(r.err).toContain("pending-1");
    expect(readFileSync(out, "utf8")).not.toContain("pending-1");
  });

  it("a policy error: exit 1 and no ruleset", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-nft-cli-"));
    writeFileSync(join(dir, "p.pol"), "tier t order 1 default deny\nguardrail g in t {\n  applies to nosuchgroup\n}\n");
    const out = join(dir, "ruleset.nft");
    const r = await run(["compile", "p.pol", "--target", "nft", "--inventory", join(REPO, INV), "--out", out], dir);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

// The command line run in-process: exit codes, usage errors, help and the main commands.

import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot, run } from "./run.js";


describe("polc usage", () => {
  it("prints its version", async () => {
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")).version);
  });

  it("prints help with examples", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("polc check examples/three-tier");
    expect(r.out).toContain("Exit codes: 0 ok, 1 errors or findings, 2 usage error.");
  });

  it("exits 2 on an unknown command or option", async () => {
    expect((await run(["frobnicate"])).code).toBe(2);
    expect((await run(["check", "--no-such-flag", "examples"])).code).toBe(2);
    expect((await run(["check", "--format", "xml", "examples"])).code).toBe(2);
  });

  it("exits 2 when a path does not exist", async () => {
    const r = await run(["check", "no/such/file.pol"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no such file or directory: no/such/file.pol");
  });

  it("explains a registered code and rejects an unknown one", async () => {
    const unknown = await run(["explain", "POL0000"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown diagnostic code");
    const { allCodes } = await import("../../src/diag/codes.js");
    const codes = allCodes();
    expect(codes.length).toBeGreaterThan(0);
    for (const info of codes) {
      const r = await run(["explain", info.code.toLowerCase()]);
      expect(r.code).toBe(0);
      expect(r.out.startsWith(`${info.code}: ${info.title}`)).toBe(true);
      expect(info.explanation.length).toBeGreaterThan(80);
    }
  });

  it("compile demands an output and refuses both --out and --split", async () => {
    expect((await run(["compile", "examples/three-tier"])).code).toBe(2);
    expect((await run(["compile", "examples/three-tier", "--out", "-", "--split", "x"])).code).toBe(2);
  });
});

describe("polc check", () => {
  it("is clean on the examples", async () => {
    const r = await run(["check", "examples/"]);
    expect(r.out).toBe("no problems found\n");
    expect(r.code).toBe(0);
  });

  it("reports every error of a broken file with a code frame and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-cli-"));
    writeFileSync(
      join(dir, "broken.pol"),
      ['tier app order 100 default pass', 'group web = app == "web"', 'flows in app {', '  web -> api : http', '}', 'tier t2 order default pass', ''].join("\n"),
    );
    const r = await run(["check", "broken.pol"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error\[POL\d{4}\]/);
    expect(r.out).toContain("--> broken.pol:");
    expect(r.out).toMatch(/\n\s*\d+ \| /);
    const json = await run(["check", "broken.pol", "--format", "json"], dir);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out) as { diagnostics: { code: string; location: { line: number } }[] };
    expect(parsed.diagnostics.length).toBeGreaterThanOrEqual(2);
    for (const d of parsed.diagnostics) expect(d.location.line).toBeGreaterThan(0);
  });
});

describe("polc compile", () => {
  it("writes YAML for an example and nothing on error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-out-"));
    const out = join(dir, "calico.yaml");
    const ok = await run(["compile", "examples/three-tier", "--target", "calico", "--out", out]);
    expect(ok.code).toBe(0);
    const yaml = readFileSync(out, "utf8");
    expect(yaml).toContain("kind: Tier");
    expect(yaml).toContain("kind: GlobalNetworkPolicy");

    const src = mkdtempSync(join(tmpdir(), "polc-src-"));
    mkdirSync(join(src, "p"));
    writeFileSync(join(src, "p", "bad.pol"), "tier app order 100 default pass\nguardrail g in nope {\n  applies to all()\n  ingress deny\n}\n");
    writeFileSync(out, "previous contents\n");
    const bad = await run(["compile", "p", "--out", out], src);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("nothing was written");
    expect(readFileSync(out, "utf8")).toBe("previous contents\n");
    const splitDir = join(dir, "split");
    const bad2 = await run(["compile", "p", "--split", splitDir], src);
    expect(bad2.code).toBe(1);
    expect(existsSync(splitDir)).toBe(false);
  });
});

describe("polc compile: what reaches stdout, and the analysis", () => {
  it("with --out -, stdout holds only the YAML stream; JSON and SARIF diagnostics go to stderr", async () => {
    for (const format of ["json", "sarif", "github"]) {
      const r = await run(["compile", "examples/three-tier", "--out", "-", "--format", format]);
      expect(r.code).toBe(0);
      expect(r.out.startsWith("# Generated by polc")).toBe(true);
      expect(r.out).not.toContain('"diagnostics"');
      expect(r.out).not.toContain('"runs"');
      if (format !== "github") expect(r.err).not.toBe("");
    }
  });

  it("an error the analysis finds keeps compile from writing, as it fails check; --no-analysis skips it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-an-"));
    const out = join(dir, "calico.yaml");
    const args = ["compile", "test/analysis/fixtures/guardrail-flow.pol", "--root", "test/analysis/fixtures", "--out", out];
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[POL3212]");
    expect(r.err).toContain("nothing was written");
    expect(existsSync(out)).toBe(false);
    expect((await run([...args, "--severity", "POL3212=warning"])).code).toBe(0);
    expect((await run([...args.slice(0, -1), join(dir, "b.yaml"), "--no-analysis"])).code).toBe(0);
  });

  it("refuses a folder of several projects (exit 2), naming them", async () => {
    const r = await run(["compile", "examples", "--out", "-"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("2 separate projects (examples/security-hierarchy, examples/three-tier)");
  });
});

describe("usage errors common to check and compile", () => {
  it("a directory without .pol files, a --root that does not exist, a malformed or forbidden --severity", async () => {
    const empty = mkdtempSync(join(tmpdir(), "polc-empty-"));
    const r = await run(["check", empty]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no .pol files in");
    expect((await run(["check", "examples", "--root", "/no/such/root"])).code).toBe(2);
    for (const bad of ["POL3250=bogus", "XYZ=off", "POL9999=off", "POL2030=off"]) {
      const s = await run(["check", "examples", "--severity", bad]);
      expect(s.code, bad).toBe(2);
      expect(s.err, bad).toContain("--severity");
    }
  });

  it("--severity reaches every warning, not only analysis findings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-sev-"));
    writeFileSync(join(dir, "t.pol"), "tier lonely order 100 default pass\n");
    const plain = await run(["check", "t.pol", "--deny-warnings"], dir);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain("warning[POL3006]");
    const off = await run(["check", "t.pol", "--deny-warnings", "--severity", "POL3006=off"], dir);
    expect(off.code).toBe(0);
    expect(off.out).toBe("no problems found\n");
    const up = await run(["check", "t.pol", "--severity", "POL3006=error"], dir);
    expect(up.code).toBe(1);
    expect(up.out).toContain("error[POL3006]");
  });
});

// docs/github-actions.yml runs: its `polc` steps, run as the workflow runs them (bash, the same
// command lines, `npx polc` being this checkout's dist/cli/bin.js), against a copy of
// examples/three-tier; and the same steps against a project with an error fail with annotations.

import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ensureBuilt, repoRoot } from "../lsp/client.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  "continue-on-error"?: boolean;
}

const workflow = parse(readFileSync(join(repoRoot, "docs/github-actions.yml"), "utf8")) as {
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: { polc: { steps: Step[] } };
};
const steps = workflow.jobs.polc.steps;
const polcSteps = steps.filter((s) => s.run?.includes("npx polc"));

function runStep(step: Step, cwd: string): { status: number; stdout: string; stderr: string } {
  const cmd = step.run!.replaceAll("npx polc", `"${process.execPath}" "${join(repoRoot, "dist/cli/bin.js")}"`);
  const r = spawnSync("bash", ["-e", "-c", cmd], { cwd, env: { ...process.env, ...workflow.env }, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "polc-ci-"));
  cpSync(join(repoRoot, "examples/three-tier"), join(dir, workflow.env.POLICIES!), { recursive: true });
  // The repository's prettier options (polc fmt brings the plugin itself).
  const { plugins: _plugins, ...options } = JSON.parse(readFileSync(join(repoRoot, ".prettierrc"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, ".prettierrc"), JSON.stringify(options));
  return dir;
}

beforeAll(() => ensureBuilt());

describe("docs/github-actions.yml", () => {
  it("checks, uploads SARIF, checks formatting, compiles and publishes the YAML", () => {
    expect(workflow.permissions["security-events"]).toBe("write");
    const uses = steps.map((s) => s.uses?.split("@")[0]).filter(Boolean);
    expect(uses).toEqual(["actions/checkout", "actions/setup-node", "github/codeql-action/upload-sarif", "actions/upload-artifact"]);
    expect(polcSteps.map((s) => s.run!.split(" ").slice(0, 3).join(" "))).toEqual(["npx polc check", "npx polc check", "npx polc fmt", "npx polc compile"]);
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!;
    expect(upload.with!.sarif_file).toBe("polc.sarif");
    const artifact = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(artifact.with!.path).toBe("calico.yaml");
  });

  it("passes on a clean project, leaving polc.sarif and calico.yaml for the upload steps", () => {
    const dir = project();
    for (const step of polcSteps) {
      const r = runStep(step, dir);
      expect(r.status, `${step.name}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    const sarif = JSON.parse(readFileSync(join(dir, "polc.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results).toEqual([]);
    expect(readFileSync(join(dir, "calico.yaml"), "utf8")).toContain("kind: GlobalNetworkPolicy");
  });

  it("fails the gate on an error, with an annotation, while the SARIF step still writes its log", () => {
    const dir = project();
    appendFileSync(join(dir, workflow.env.POLICIES!, "policy.pol"), "\nflows in app {\n  web -> apu : http\n}\n");
    const [sarifStep, gate] = polcSteps;
    expect(sarifStep!["continue-on-error"]).toBe(true);
    expect(runStep(sarifStep!, dir).status).toBe(1);
    const sarif = JSON.parse(readFileSync(join(dir, "polc.sarif"), "utf8"));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(["POL1020"]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("policies/policy.pol");
    const r = runStep(gate!, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error file=policies\/policy\.pol,line=\d+,col=10,endLine=\d+,endColumn=13,title=POL1020::unknown name `apu`/m);
  });
});

// The analysis on real .pol files: check -> lower -> analyze -> render. The goldens are what a user of
// `polc check --info` sees from the analysis (checker findings are left out, so these goldens only
// change when the analysis does).
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { checkPaths } from "../../src/semantic/index.js";
import { lower } from "../../src/ir/lower.js";
import { analyze, type AnalyzeOptions } from "../../src/analysis/index.js";
import { hasErrors, sortDiagnostics } from "../../src/diag/diagnostic.js";
import { renderText } from "../../src/diag/render.js";
import type { Diagnostic } from "../../src/diag/diagnostic.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

export function analyseFixture(name: string, opts: Omit<AnalyzeOptions, "sources"> = {}): { diags: Diagnostic[]; text: string } {
  const checked = checkPaths([join(FIXTURES, `${name}.pol`)], { projectRoot: FIXTURES });
  expect(hasErrors(checked.diagnostics), renderText(checked.diagnostics, checked.sources)).toBe(false);
  const lowered = lower(checked.model!);
  expect(lowered.ir).toBeDefined();
  const diags = sortDiagnostics(analyze(lowered.ir!, { ...opts, sources: checked.sources }).diagnostics);
  return { diags, text: renderText(diags, checked.sources) };
}

describe("analysis on .pol fixtures", () => {
  it("dns-lost: the app tier ends in deny, DNS is allowed only in a later tier (language.md scenario 1)", async () => {
    const { diags, text } = analyseFixture("dns-lost");
    const dns = diags.find((d) => d.code === "POL3213");
    expect(dns?.message).toContain("`egress allow dns to coredns` in guardrail `dns` never takes effect: tier `app` ends in deny");
    expect(dns?.primary.span.file).toBe("dns-lost.pol");
    await expect(text).toMatchFileSnapshot("fixtures/dns-lost.txt");
  });

  it("dns-lost, corrected (app defaults to pass): no DNS finding", () => {
    const { diags } = analyseFixture("dns-fixed");
    expect(diags.filter((d) => ["POL3210", "POL3211", "POL3212", "POL3213", "POL3214"].includes(d.code))).toEqual([]);
  });

  it("guardrail-flow: a flow defeated by a guardrail in an earlier tier", async () => {
    const { diags, text } = analyseFixture("guardrail-flow");
    expect(diags.find((d) => d.code === "POL3212")?.message).toBe(
      'flow `web -> api : http` can never take effect: guardrail `frontend-isolation` in tier `security` denies it (ingress rule 1: `ingress deny from namespace "frontend"`)',
    );
    await expect(text).toMatchFileSnapshot("fixtures/guardrail-flow.txt");
  });

  it("shadowing: conflicting shadow, dead duplicate, partial override, correlation, pass to nowhere", async () => {
    const { diags, text } = analyseFixture("shadowing");
    const codes = new Set(diags.map((d) => d.code));
    for (const c of ["POL3210", "POL3211", "POL3213", "POL3230", "POL3240"]) expect(codes.has(c), c).toBe(true);
    await expect(text).toMatchFileSnapshot("fixtures/shadowing.txt");
  });

  it("staged: a staged guardrail's effect is reported as the pending verdict", async () => {
    const { diags, text } = analyseFixture("staged");
    const pending = diags.find((d) => d.code === "POL3212");
    expect(pending?.severity).toBe("warning");
    expect(pending?.message).toMatch(/^once the staged policies are enforced, /);
    await expect(text).toMatchFileSnapshot("fixtures/staged.txt");
  });

  it("severities can be changed or switched off", () => {
    const { diags } = analyseFixture("shadowing", { severities: { POL3210: "warning", POL3220: "off" } });
    expect(diags.find((d) => d.code === "POL3210")?.severity).toBe("warning");
    expect(diags.some((d) => d.code === "POL3220")).toBe(false);
  });

  it("a tiny work budget reports rules as not fully analysed instead of hanging", () => {
    const { diags } = analyseFixture("shadowing", { budget: 1 });
    expect(diags.length).toBeGreaterThan(0);
    expect(diags.every((d) => d.code === "POL3290")).toBe(true);
  });
});

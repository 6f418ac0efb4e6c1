// The analysis on real .pol files: check -> lower -> analyze -> render. The goldens are what a user of
// `polc check --info` sees from the analysis (checker findings are left out, so these goldens only
// change when the analysis does).
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { checkPaths } from "../../src/semantic/index.js";
import { lower } from "../../src/ir/lower.js";
import { analyze, type AnalyzeOptions, type AnalysisStats } from "../../src/analysis/index.js";
import { hasErrors, sortDiagnostics } from "../../src/diag/diagnostic.js";
import { renderText } from "../../src/diag/render.js";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { loadInventoryFile } from "../../src/inventory/load.js";
import { pathologicalPol } from "./helpers/pathological.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const REPO = resolve(FIXTURES, "../../..");

function analyseFile(file: string, root: string, opts: Omit<AnalyzeOptions, "sources"> = {}): { diags: Diagnostic[]; text: string; stats: AnalysisStats } {
  const checked = checkPaths([file], { projectRoot: root });
  expect(hasErrors(checked.diagnostics), renderText(checked.diagnostics, checked.sources)).toBe(false);
  const lowered = lower(checked.model!);
  expect(lowered.ir).toBeDefined();
  const res = analyze(lowered.ir!, { ...opts, sources: checked.sources });
  const diags = sortDiagnostics(res.diagnostics);
  return { diags, text: renderText(diags, checked.sources), stats: res.stats };
}

export function analyseFixture(name: string, opts: Omit<AnalyzeOptions, "sources"> = {}): { diags: Diagnostic[]; text: string; stats: AnalysisStats } {
  return analyseFile(join(FIXTURES, `${name}.pol`), FIXTURES, opts);
}

/** The inventory of an example (examples/NAME/cluster.yaml). */
function exampleInventory(name: string): NonNullable<AnalyzeOptions["inventory"]> {
  const inv = loadInventoryFile(join(REPO, "examples", name, "cluster.yaml"), `examples/${name}/cluster.yaml`);
  expect(inv.diagnostics).toEqual([]);
  return inv.inventory;
}

const SHADOW_CODES = ["POL3210", "POL3211", "POL3212", "POL3213", "POL3214"];

describe("analysis on .pol fixtures", () => {
  it("dns-lost is examples/three-tier with exactly the mistake of language.md scenario 1 seeded", () => {
    const example = readFileSync(join(REPO, "examples/three-tier/policy.pol"), "utf8").split("\n");
    const seeded = readFileSync(join(FIXTURES, "dns-lost.pol"), "utf8").split("\n");
    expect(seeded.length).toBe(example.length);
    const changed = example.flatMap((line, i) => (line === seeded[i] ? [] : [[line, seeded[i]!.replace(/\s*\/\/.*$/, "")]]));
    expect(changed).toEqual([
      // DNS is allowed in `platform`; it now comes after `app` ...
      ["tier platform order 200  default pass", "tier platform order 400  default pass"],
      // ... and `app` ends in deny (the article's tiered variant).
      ["tier app      order 300  default pass", "tier app      order 300  default deny"],
    ]);
  });

  it("dns-lost: the app tier ends in deny, DNS is allowed only in a later tier (language.md scenario 1)", async () => {
    const { diags, text } = analyseFixture("dns-lost");
    const dns = diags.find((d) => d.code === "POL3213");
    expect(dns?.message).toContain("`egress allow dns to coredns` in guardrail `dns` never takes effect: tier `app` ends in deny");
    expect(dns?.primary.span.file).toBe("dns-lost.pol");
    // The rule that loses its traffic, the tier end that takes it, and the flow that selects the pods there.
    expect(dns?.primary.span.start).toBe(readFileSync(join(FIXTURES, "dns-lost.pol"), "utf8").indexOf("egress allow dns to coredns"));
    expect(dns?.secondary?.map((l) => l.message)).toEqual(["tier `app` ends in deny", "selects these endpoints in tier `app`, so its end applies"]);
    await expect(text).toMatchFileSnapshot("fixtures/dns-lost.txt");
  });

  it("dns-lost with the cluster inventory: the real pods that lose DNS", async () => {
    const { diags, text, stats } = analyseFixture("dns-lost", { inventory: exampleInventory("three-tier") });
    expect(stats.mode).toBe("inventory");
    const dns = diags.find((d) => d.code === "POL3213");
    expect(dns?.message).toContain("for frontend/web-1 (and 1 more group of endpoints), `egress allow dns to coredns` in guardrail `dns` never takes effect: tier `app` ends in deny");
    await expect(text).toMatchFileSnapshot("fixtures/dns-lost.inventory.txt");
  });

  it("examples/three-tier (the corrected version): no DNS finding, symbolic or for its cluster", () => {
    const file = join(REPO, "examples/three-tier/policy.pol");
    for (const opts of [{}, { inventory: exampleInventory("three-tier") }]) {
      const { diags } = analyseFile(file, REPO, opts);
      expect(diags.filter((d) => SHADOW_CODES.includes(d.code))).toEqual([]);
    }
  });

  it("empty-match: a contradictory rule (POL3201) and a policy that applies to nothing (POL3202)", async () => {
    const { diags, text } = analyseFixture("empty-match");
    expect(diags.find((d) => d.code === "POL3201")?.severity).toBe("error");
    expect(diags.find((d) => d.code === "POL3202")?.message).toBe("policy `nobody` applies to no endpoint: no combination of labels satisfies its selector");
    await expect(text).toMatchFileSnapshot("fixtures/empty-match.txt");
  });

  it("partial-shadow: a rule lost for some endpoints within its own tier (POL3214)", async () => {
    const { diags, text } = analyseFixture("partial-shadow");
    const d = diags.find((x) => x.code === "POL3214");
    expect(d?.message).toMatch(/^for endpoints like \{namespace=frontend, app=web\}, `ingress allow tcp\/80` in policy `http-in` never takes effect: policy `web-no-http` denies it/);
    expect(d?.secondary?.[0]?.message).toBe("denies it first (policy `web-no-http`, tier `app`)");
    await expect(text).toMatchFileSnapshot("fixtures/partial-shadow.txt");
  });

  it("inventory: what is dead for the real cluster only (warnings), nothing in symbolic mode", async () => {
    const symbolic = analyseFixture("inventory");
    expect(symbolic.diags.filter((d) => d.code === "POL3201" || d.code === "POL3202")).toEqual([]);
    const { diags, text } = analyseFixture("inventory", { inventory: exampleInventory("three-tier") });
    const unused = diags.find((d) => d.code === "POL3202");
    expect(unused?.severity).toBe("warning");
    expect(unused?.message).toBe("policy `legacy-in` applies to no endpoint: no workload of the inventory matches its selector");
    const dead = diags.find((d) => d.code === "POL3201");
    expect(dead?.severity).toBe("warning");
    expect(dead?.message).toBe("`ingress allow http from legacy` in policy `api-from-legacy` matches no packet in this cluster: no workload of the inventory matches its peers");
    await expect(text).toMatchFileSnapshot("fixtures/inventory.inventory.txt");
  });

  it("guardrail-flow: a flow defeated by a guardrail in an earlier tier", async () => {
    const { diags, text } = analyseFixture("guardrail-flow");
    expect(diags.find((d) => d.code === "POL3212")?.message).toBe(
      'flow `web -> api : http` can never take effect on its ingress half (ingress of `api`): guardrail `frontend-isolation` in tier `security` denies it (ingress rule 1: `ingress deny from namespace "frontend"`)',
    );
    // The overridden half is the finding; the other half is not reported again as one-sided.
    expect(diags.filter((d) => d.code === "POL3250")).toEqual([]);
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

  it("pass-verdict: a rule behind a pass is judged by where the passed traffic ends (QA p1)", async () => {
    const { diags, text } = analyseFixture("pass-verdict");
    // api: passed, then allowed by the profile — dead (same verdict), not a conflicting shadow.
    const dead = diags.find((d) => d.code === "POL3211");
    expect(dead?.message).toBe(
      "`ingress allow tcp/80 from web` in policy `p2` is dead: policy `p2` passes it to the next tier (ingress rule 1: `ingress pass from web`), where it is allowed, so it never matches anything",
    );
    // admin: passed, then denied by `baseline` — another verdict: POL3210.
    const conflict = diags.filter((d) => d.code === "POL3210");
    expect(conflict.map((d) => d.message)).toEqual([
      "`ingress allow tcp/22 from web` in policy `admin-in` is shadowed: policy `admin-in` passes it to the next tier (ingress rule 1: `ingress pass from web`), where it is denied, so it never matches anything",
    ]);
    await expect(text).toMatchFileSnapshot("fixtures/pass-verdict.txt");
  });

  it("dns-deny-tier: a deny-default tier selecting every pod drops DNS and isolates system pods (P2)", async () => {
    const { diags, text } = analyseFixture("dns-deny-tier");
    const dns = diags.find((d) => d.code === "POL3260");
    expect(dns?.severity).toBe("warning");
    expect(dns?.message).toMatch(/cannot resolve names: their egress DNS \(udp\/53 and tcp\/53\) to CoreDNS ends in deny: tier `app` ends in deny/);
    expect(diags.find((d) => d.code === "POL3261")?.message).toMatch(/^the egress half of the flows in tier `app` \(egress of `all\(\)`\) applies to pods of the system namespaces/);
    await expect(text).toMatchFileSnapshot("fixtures/dns-deny-tier.txt");
  });

  it("system-isolated: `web -> not api` in a deny tier selects kube-system for ingress", async () => {
    const { diags, text } = analyseFixture("system-isolated");
    expect(diags.find((d) => d.code === "POL3261")?.message).toMatch(/^the ingress half of the flows in tier `app` .* applies to pods of the system namespaces \(e\.g\. \{namespace=[a-z-]+-system\}\) and tier `app` ends in deny for their ingress: this isolates system pods$/);
    expect(diags.find((d) => d.code === "POL3260")?.message).toMatch(/^endpoints like \{namespace=frontend, app=web\} cannot resolve names/);
    await expect(text).toMatchFileSnapshot("fixtures/system-isolated.txt");
  });

  it("dns-guardrail: a cluster-wide egress deny with no DNS allow anywhere", async () => {
    const { diags, text } = analyseFixture("dns-guardrail");
    const dns = diags.filter((d) => d.code === "POL3260");
    expect(dns.map((d) => d.message)).toEqual([
      "endpoints like {namespace=other} cannot resolve names: their egress DNS (udp/53 and tcp/53) to CoreDNS ends in deny: guardrail `default-deny` in tier `security` denies it (egress rule 1: `egress deny`)",
    ]);
    // It exempts the system namespaces: not isolating.
    expect(diags.some((d) => d.code === "POL3261")).toBe(false);
    await expect(text).toMatchFileSnapshot("fixtures/dns-guardrail.txt");
  });

  it("the examples allow DNS and exempt the system namespaces: no POL3260 / POL3261", () => {
    for (const ex of ["three-tier", "security-hierarchy"]) {
      const file = join(REPO, `examples/${ex}/policy.pol`);
      for (const opts of [{}, { inventory: exampleInventory(ex) }]) {
        const { diags } = analyseFile(file, REPO, opts);
        expect(diags.filter((d) => d.code === "POL3260" || d.code === "POL3261")).toEqual([]);
      }
    }
  });

  it("deny-kept: a default deny's only rules are never called deletable (POL3222 only with other rules)", async () => {
    const { diags, text } = analyseFixture("deny-kept");
    const repeats = diags.filter((d) => d.code === "POL3222");
    expect(repeats.map((d) => d.message)).toEqual([
      "`ingress deny` in policy `web-in` repeats the default of tier `frontend`: the tier already ends in deny for this traffic",
    ]);
    expect(diags.filter((d) => d.code.startsWith("POL322")).every((d) => !d.message.includes("default-deny"))).toBe(true);
    // examples/three-tier: its default-deny guardrail is not reported either.
    const three = analyseFile(join(REPO, "examples/three-tier/policy.pol"), REPO);
    expect(three.diags.filter((d) => d.code === "POL3222" || d.code === "POL3220")).toEqual([]);
    await expect(text).toMatchFileSnapshot("fixtures/deny-kept.txt");
  });

  it("last-rule: an overridden rule that is its policy's only egress rule in a deny tier is not called deletable", async () => {
    const { diags, text } = analyseFixture("last-rule");
    const d = diags.find((x) => x.code === "POL3212");
    expect(d?.help).toMatch(/otherwise keep the rule \(or replace it with another egress rule\): it is what makes tier `team` select these endpoints for egress$/);
    expect(d?.notes?.some((n) => n.startsWith("this is the only egress rule of policy `mailer-out`"))).toBe(true);
    await expect(text).toMatchFileSnapshot("fixtures/last-rule.txt");
  });

  it("flow-override-once: a flow half overridden by an earlier tier is one POL3212 naming the half, no POL3250 (QA l1)", async () => {
    const { diags, text } = analyseFixture("flow-override-once");
    expect(diags.find((d) => d.code === "POL3212")?.message).toBe(
      "flow `web -> api : tcp/80` can never take effect on its ingress half (ingress of `api`): tier `debug` ends in deny for these endpoints (its default action)",
    );
    expect(diags.some((d) => d.code === "POL3250")).toBe(false);
    await expect(text).toMatchFileSnapshot("fixtures/flow-override-once.txt");
  });

  it("no-effect: partly overridden and allowed anyway elsewhere is one finding, not POL3213 + POL3221 (QA df)", async () => {
    const { diags, text } = analyseFixture("no-effect");
    const onRule = diags.filter((d) => d.message.includes("`egress allow tcp/443` in guardrail `late-dns`"));
    expect(onRule.map((d) => d.code)).toEqual(["POL3213"]);
    expect(onRule[0]!.notes?.some((n) => n.startsWith("where the rule is reached it changes nothing"))).toBe(true);
    await expect(text).toMatchFileSnapshot("fixtures/no-effect.txt");
  });

  it("flow-typo with an inventory: the half of the flow and the end that matches nothing are named", async () => {
    const inv = loadInventoryFile(join(FIXTURES, "flow-typo.yaml"), "flow-typo.yaml");
    expect(inv.diagnostics).toEqual([]);
    const { diags, text } = analyseFixture("flow-typo", { inventory: inv.inventory });
    expect(diags.find((d) => d.code === "POL3202")?.message).toBe(
      "the ingress half of the flows in tier `app` applies to no endpoint: no workload of the inventory matches `api`, their destination",
    );
    expect(diags.find((d) => d.code === "POL3201")?.message).toBe(
      "flow `web -> api : tcp/80` matches no packet in this cluster on its egress half (egress of `web`): no workload of the inventory matches `api`, its destination",
    );
    await expect(text).toMatchFileSnapshot("fixtures/flow-typo.inventory.txt");
  });

  it("empty-label: an empty label value prints as `team=\"\"`", async () => {
    const { diags, text } = analyseFixture("empty-label");
    expect(diags.some((d) => (d.notes ?? []).some((n) => n.includes('team=""')) || d.message.includes('team=""'))).toBe(true);
    expect(text).not.toMatch(/team=[,}\s]/);
    await expect(text).toMatchFileSnapshot("fixtures/empty-label.txt");
  });

  it("severities can be changed or switched off", () => {
    const { diags } = analyseFixture("shadowing", { severities: { POL3210: "warning", POL3220: "off" } });
    expect(diags.find((d) => d.code === "POL3210")?.severity).toBe("warning");
    expect(diags.some((d) => d.code === "POL3220")).toBe(false);
  });

  it("a tiny work budget reports rules as not fully analysed instead of hanging", async () => {
    const { diags, text, stats } = analyseFixture("shadowing", { budget: 1 });
    expect(stats.budgetExceeded).toBe(true);
    // Every policy with rules, once each; nothing else.
    expect(diags.map((d) => d.message)).toEqual([
      "guardrail `no-smtp` was not fully analysed: the analysis stopped at its work budget",
      "guardrail `legacy-web` was not fully analysed: the analysis stopped at its work budget",
      "policy `api-in` was not fully analysed: the analysis stopped at its work budget",
      "guardrail `default-deny` was not fully analysed: the analysis stopped at its work budget",
    ]);
    expect(diags.every((d) => d.code === "POL3290" && d.severity === "info")).toBe(true);
    await expect(text).toMatchFileSnapshot("fixtures/budget.txt");
  });

  it("on a pathological input the budget stops the analysis quickly and says which policies are affected", () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-pathological-"));
    const file = join(dir, "pathological.pol");
    writeFileSync(file, pathologicalPol(400));
    const full = analyseFile(file, dir);
    expect(full.stats.budgetExceeded).toBe(false);
    expect(full.diags.some((d) => d.code === "POL3290")).toBe(false);
    expect(full.stats.steps).toBeGreaterThan(100_000);

    const t0 = performance.now();
    const bounded = analyseFile(file, dir, { budget: 20_000 });
    const ms = performance.now() - t0;
    expect(bounded.stats.budgetExceeded).toBe(true);
    // Each pass stops at its bound (two passes share the findings' own bound): far below the full run.
    expect(bounded.stats.steps).toBeLessThan(4 * 20_000 + 1000);
    const notAnalysed = bounded.diags.filter((d) => d.code === "POL3290");
    expect(notAnalysed.length).toBeGreaterThan(0);
    expect(notAnalysed[0]!.message).toMatch(/^policy `p\d+` was not fully analysed: the analysis stopped at its work budget$/);
    expect(ms).toBeLessThan(5000);
    // What a bounded run does report is exact: every other finding is one the full run reports too.
    const full_ = new Set(full.diags.map((d) => `${d.code} ${d.message}`));
    const others = bounded.diags.filter((d) => d.code !== "POL3290");
    for (const d of others) expect(full_.has(`${d.code} ${d.message}`), d.message).toBe(true);
  });
});

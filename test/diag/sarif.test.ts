// `--format sarif`: the log validates against the SARIF 2.1.0 JSON schema (the schema shipped by
// Microsoft's @microsoft/jest-sarif npm package, 2.1.0-rtm.5, a draft-04 schema: validated with
// ajv-draft-04, and as draft-07 with ajv), and carries rules with `polc explain` help, exact regions,
// related locations, the standard-library base and fixes.

import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { toSarif, pathToUriReference, SRCROOT, STDLIB_BASE } from "../../src/diag/render-sarif.js";
import { codeInfo } from "../../src/diag/codes.js";
import { makeSourceFile, SourceMap } from "../../src/source.js";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { run } from "../cli/run.js";

const schemaPath = resolve(import.meta.dirname, "../fixtures/sarif-schema-2.1.0-rtm.5.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
// The schema's `language` pattern has a stray `]`, legal only outside unicode mode.
const draft04 = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(draft04);
// The same schema read as draft-07 (the dialect of later copies of the 2.1.0 schema): only the
// identifier keyword differs.
const { id, $schema: _dialect, ...body } = schema;
const draft07 = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(draft07);
const validators = [draft04.compile(schema), draft07.compile({ $schema: "http://json-schema.org/draft-07/schema#", $id: id, ...body })];
const validate = (log: unknown): boolean => validators.map((v) => v(log)).every(Boolean);

function expectValid(log: unknown): void {
  for (const v of validators) {
    const ok = v(log);
    expect(v.errors ?? [], JSON.stringify(v.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  }
}


// A project with a typo (POL1020), a duplicate of a standard-library name (POL1010, whose secondary
// span is in std/k8s.pol), and a net with host bits set (a diagnostic with a fix), in a folder whose
// name needs percent-encoding.
function project(): string {
  const root = mkdtempSync(join(tmpdir(), "polc-sarif-"));
  mkdirSync(join(root, "team a"));
  writeFileSync(
    join(root, "team a", "policy.pol"),
    ['import "std/k8s"', "tier app order 100 default pass", 'group web = app == "web"', "service dns = udp/53", "net odd = 10.0.0.1/8", "flows in app {", "  wbe -> coredns : dns", "}", ""].join("\n"),
  );
  return root;
}

describe("SARIF from polc check", () => {
  it("the schema validator rejects what SARIF forbids", () => {
    for (const v of validators) expect(v({ version: "2.1.0", runs: [{ tool: { driver: { name: "polc" } }, results: [{ message: { text: "x" }, level: "fatal" }] }] })).toBe(false);
    expect(validate({ version: "2.0.0", runs: [] })).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "polc" } }, results: [{ message: { text: "x" }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] })).toBe(false);
  });

  it("is a valid SARIF 2.1.0 log with rules, regions, related locations and fixes", async () => {
    const root = project();
    const r = await run(["check", "--format", "sarif", "--root", root, join(root, "team a")], root);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out);
    expectValid(log);
    expect(log.version).toBe("2.1.0");
    const run0 = log.runs[0];
    expect(run0.tool.driver.name).toBe("polc");
    expect(run0.columnKind).toBe("utf16CodeUnits");
    expect(run0.originalUriBaseIds[SRCROOT].uri).toBe(`file://${root}/`);

    const ruleIds = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ruleIds).toEqual([...ruleIds].sort());
    for (const rule of run0.tool.driver.rules) {
      const info = codeInfo(rule.id)!;
      expect(rule.shortDescription.text).toBe(info.title);
      expect(rule.help.text).toBe(info.explanation.trim());
    }

    const typo = run0.results.find((x: { ruleId: string }) => x.ruleId === "POL1020");
    expect(typo.level).toBe("error");
    expect(run0.tool.driver.rules[typo.ruleIndex].id).toBe("POL1020");
    expect(typo.message.text).toContain("unknown name `wbe`");
    expect(typo.message.text).toContain("help: did you mean `web`?");
    const loc = typo.locations[0].physicalLocation;
    expect(loc.artifactLocation).toMatchObject({ uri: "team%20a/policy.pol", uriBaseId: SRCROOT });
    expect(run0.artifacts[loc.artifactLocation.index].location.uri).toBe("team%20a/policy.pol");
    expect(loc.region).toMatchObject({ startLine: 7, startColumn: 3, endLine: 7, endColumn: 6, snippet: { text: "wbe" } });

    const dup = run0.results.find((x: { ruleId: string }) => x.ruleId === "POL1010");
    expect(dup.locations[0].physicalLocation.region).toMatchObject({ startLine: 4, startColumn: 9, endColumn: 12 });
    expect(dup.relatedLocations).toHaveLength(1);
    const rel = dup.relatedLocations[0];
    expect(rel.physicalLocation.artifactLocation).toMatchObject({ uri: "std/k8s.pol", uriBaseId: STDLIB_BASE });
    expect(rel.message.text).toMatch(/first declared here/);
    const std = readFileSync(resolve(import.meta.dirname, "../../stdlib/std/k8s.pol"), "utf8");
    const line = std.split("\n").findIndex((l) => l.startsWith("service dns ")) + 1;
    expect(rel.physicalLocation.region).toMatchObject({ startLine: line, startColumn: 9, snippet: { text: "dns" } });

    const hostBits = run0.results.find((x: { fixes?: unknown[] }) => x.fixes);
    expect(hostBits).toBeDefined();
    const change = hostBits.fixes[0].artifactChanges[0];
    expect(change.artifactLocation.uri).toBe("team%20a/policy.pol");
    expect(change.replacements[0]).toEqual({
      deletedRegion: { startLine: 5, startColumn: 11, endLine: 5, endColumn: 21, charOffset: expect.any(Number), charLength: 10 },
      insertedContent: { text: "10.0.0.0/8" },
    });
  });

  it("is a valid, empty log for a clean project, and compile prints it too", async () => {
    const root = resolve(import.meta.dirname, "../..");
    const c = await run(["check", "--format", "sarif", "examples/three-tier"], root);
    expect(c.code).toBe(0);
    const log = JSON.parse(c.out);
    expectValid(log);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
    const out = mkdtempSync(join(tmpdir(), "polc-sarif-out-"));
    const k = await run(["compile", "--format", "sarif", "examples/three-tier", "--out", join(out, "x.yaml")], root);
    expect(k.code).toBe(0);
    expectValid(JSON.parse(k.out));
  });
});

describe("toSarif on hand-made diagnostics", () => {
  const text = "net a = 10.0.0.1/8\nnet b = 1.2.3.4\n";
  const file = makeSourceFile("x y/ü.pol", text);
  const sources = new SourceMap();
  sources.add(file);

  it("encodes paths as URI references and maps severities to levels", () => {
    expect(pathToUriReference("x y/ü.pol")).toBe("x%20y/%C3%BC.pol");
    const diags: Diagnostic[] = (["error", "warning", "info"] as const).map((severity, i) => ({
      code: "POL9999",
      severity,
      message: `m${i}`,
      primary: { span: { file: "x y/ü.pol", start: 0, end: 3 } },
    }));
    const log = toSarif(diags, sources, { toolVersion: "1.2.3", projectRoot: "/p" }) as any;
    expectValid(log);
    expect(log.runs[0].results.map((r: { level: string }) => r.level)).toEqual(["error", "warning", "note"]);
    // Unregistered codes still get a rule, so every ruleIndex is valid.
    expect(log.runs[0].tool.driver.rules).toEqual([{ id: "POL9999", shortDescription: { text: "POL9999" }, defaultConfiguration: { level: "error" } }]);
    expect(log.runs[0].artifacts).toHaveLength(1);
  });

  it("spans across lines, empty spans and files without text stay valid", () => {
    const diags: Diagnostic[] = [
      { code: "POL2001", severity: "error", message: "multi", primary: { span: { file: "x y/ü.pol", start: 8, end: 26 } } },
      { code: "POL2001", severity: "error", message: "empty", primary: { span: { file: "x y/ü.pol", start: 19, end: 19 } } },
      { code: "POL1001", severity: "error", message: "cannot read", primary: { span: { file: "gone.pol", start: 0, end: 0 } } },
    ];
    const log = toSarif(diags, sources, { toolVersion: "dev", projectRoot: "/p" }) as any;
    expectValid(log);
    const [multi, empty, gone] = log.runs[0].results;
    expect(multi.locations[0].physicalLocation.region).toMatchObject({ startLine: 1, startColumn: 9, endLine: 2, endColumn: 8 });
    expect(empty.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 1, endLine: 2, endColumn: 1, charOffset: 19, charLength: 0 });
    expect(gone.locations[0].physicalLocation.region).toBeUndefined();
    expect(log.runs[0].tool.driver.semanticVersion).toBeUndefined();
  });
});

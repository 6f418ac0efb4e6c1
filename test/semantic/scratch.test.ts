import { it } from "vitest";
import { parseSource } from "../../src/syntax/parse.js";
import { makeSourceFile } from "../../src/source.js";
import { loadProgram } from "../../src/semantic/load.js";
it("scratch", () => {
  const r = loadProgram(["examples/three-tier/policy.pol"], { projectRoot: process.cwd() });
  console.log(r.files.map((f) => f.absPath));
  const inputs = [
    "service a = icmp/80-90", "service a = tcp/8/0", "service a = udplite/http", "service a = udplite/5000", "service a = icmp/http",
    "guardrail g in t {\n applies to all()\n ingress allow tcp/1 to web\n}", "guardrail g in t namespace \"x\" {\n applies to all()\n}",
    "tier a default pass", "tier a order 1", "tier Abc order 1 default pass", "guardrail Allow-DNS in t { applies to all() }",
    'group g = a/b/c == "x"', 'group g = -app == "x"', 'group g = app == "it\'s \\"x\\""', "tier default order 1 default pass",
    "service tcp = tcp/80", "group g = x_y == \"1\"", "guardrail a_b in t { applies to all() }", "flow a -> b : c in default",
    'policy p in t namespace "Data" { }', "net n = 10.0.0.1/8", "guardrail g in t { applies to all() \n egress allow to not private except not web }",
  ];
  for (const t of inputs) {
    const p = parseSource(makeSourceFile("x.pol", t));
    console.log(JSON.stringify(t), "=>", p.diagnostics.map((d) => `${d.code} ${d.message}`).join(" | ") || "ok");
  }
});

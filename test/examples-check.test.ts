// The two examples check cleanly, and each typical mistake seeded into a copy is caught with the
// right code. Copies are served in memory through `readFile` (the examples themselves are not edited).

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../src/semantic/index.js";
import { renderText } from "../src/diag/render.js";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const threeTier = join(root, "examples/three-tier/policy.pol");
const hierarchy = join(root, "examples/security-hierarchy/policy.pol");

function checkEdited(file: string, edit: (text: string) => string) {
  const original = readFileSync(file, "utf8");
  const edited = edit(original);
  expect(edited, "the seeded edit must change the file").not.toBe(original);
  const bytes = new TextEncoder().encode(edited);
  return checkPaths([file], { projectRoot: root, readFile: (abs) => (abs === file ? bytes : undefined) });
}

function replaceOnce(from: string | RegExp, to: string) {
  return (text: string) => text.replace(from, to);
}

describe("examples", () => {
  for (const [name, file] of [
    ["three-tier", threeTier],
    ["security-hierarchy", hierarchy],
  ] as const) {
    it(`${name} checks without diagnostics`, () => {
      const r = checkPaths([file], { projectRoot: root });
      expect(renderText(r.diagnostics, r.sources)).toBe("");
      expect(r.model).toBeDefined();
    });
  }
});

describe("seeded mistakes", () => {
  const cases: { what: string; file: string; edit: (t: string) => string; code: string; message?: RegExp }[] = [
    { what: "a typo in a group name", file: threeTier, edit: replaceOnce("web -> api : http", "wbe -> api : http"), code: "POL1020", message: /unknown name `wbe`/ },
    { what: "a net used as a service", file: threeTier, edit: replaceOnce("egress allow https to kube-api", "egress allow kube-api"), code: "POL1030", message: /expected a service, found a net `kube-api`/ },
    { what: "host bits in a CIDR", file: threeTier, edit: replaceOnce("net cluster-internal = 10.0.0.0/8", "net cluster-internal = 10.0.0.1/8"), code: "POL2030" },
    { what: "a tier order clash", file: threeTier, edit: replaceOnce(/tier platform order 200/, "tier platform order 100"), code: "POL2007" },
    { what: "a duplicate declaration", file: threeTier, edit: replaceOnce('group pci = pci == "true"', 'group pci = pci == "true"\ngroup web = app == "web"'), code: "POL1010" },
    { what: "a duplicate of a standard-library name", file: hierarchy, edit: replaceOnce("net partners", "service https = tcp/8443\nnet partners"), code: "POL1010", message: /already declared by the standard library/ },
    // `icmp/23-24` cannot even be written: ICMP takes a type and code, and the front end says so.
    { what: "ports on icmp", file: hierarchy, edit: replaceOnce("ingress deny tcp/23", "ingress deny icmp/23-24"), code: "POL0115" },
    { what: "ports on a protocol without ports", file: hierarchy, edit: replaceOnce("ingress deny tcp/23", "ingress deny udplite/23"), code: "POL2020" },
    { what: "an unknown tier", file: threeTier, edit: replaceOnce("flows in app {", "flows in ap {"), code: "POL1021", message: /unknown tier `ap`/ },
    { what: "a missing import", file: threeTier, edit: replaceOnce('import "std/k8s"', ""), code: "POL1020", message: /unknown name `coredns`/ },
  ];
  for (const c of cases) {
    it(`catches ${c.what} (${c.code})`, () => {
      const r = checkEdited(c.file, c.edit);
      const hit = r.diagnostics.find((d) => d.code === c.code && (!c.message || c.message.test(d.message)));
      expect(hit, renderText(r.diagnostics, r.sources)).toBeDefined();
      if (c.message) expect(hit!.message).toMatch(c.message);
      expect(hit!.help).toBeTruthy();
      expect(r.model).toBeUndefined();
    });
  }

  it("names the import that declares a missing standard-library name", () => {
    const r = checkEdited(threeTier, replaceOnce('import "std/k8s"', ""));
    const d = r.diagnostics.find((x) => x.message === "unknown name `coredns`")!;
    expect(d.help).toBe('`coredns` is declared in the standard library: add `import "std/k8s"`');
  });
});

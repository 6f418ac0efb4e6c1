// Loading: entries (files and directories), imports (standard library, relative, confined to the
// root), each file once, display paths, order independence, cycles.

import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProgram } from "../../src/semantic/load.js";
import { checkSources, codes, ROOT } from "./helpers.js";

describe("loading from disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "polc-load-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "policy/lib"), { recursive: true });
  mkdirSync(join(dir, "policy/node_modules/x"), { recursive: true });
  mkdirSync(join(dir, "policy/.hidden"), { recursive: true });
  writeFileSync(join(dir, "policy/main.pol"), 'import "./lib/nets"\nimport "std/k8s"\n');
  writeFileSync(join(dir, "policy/lib/nets.pol"), "net office = 192.168.0.0/16\n");
  writeFileSync(join(dir, "policy/node_modules/x/skip.pol"), "this is not parsed\n");
  writeFileSync(join(dir, "policy/.hidden/skip.pol"), "this is not parsed\n");
  writeFileSync(join(dir, "policy/notes.txt"), "not a pol file\n");

  it("walks directories, skipping node_modules and dot-directories, and loads each file once", () => {
    const r = loadProgram([join(dir, "policy")], { projectRoot: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => [f.ast.path, f.origin])).toEqual([
      ["policy/lib/nets.pol", "project"],
      ["policy/main.pol", "project"],
      ["std/k8s.pol", "stdlib"],
    ]);
    expect(r.sources.get("std/k8s.pol")).toBeDefined();
    expect(r.stdlibIndex.get("coredns")).toBe("std/k8s");
    expect(r.stdlibIndex.get("https")).toBe("std/services");
  });

  it("does not loop on a symbolic link to a parent directory", () => {
    const loopDir = join(dir, "looped");
    mkdirSync(join(loopDir, "sub"), { recursive: true });
    writeFileSync(join(loopDir, "a.pol"), "service a = tcp/1\n");
    symlinkSync(loopDir, join(loopDir, "sub", "back"));
    const r = loadProgram([loopDir], { projectRoot: dir });
    expect(r.files.map((f) => f.ast.path)).toEqual(["looped/a.pol"]);
  });

  it("gives the same result whatever the order of entries", () => {
    const a = loadProgram([join(dir, "policy/main.pol"), join(dir, "policy/lib/nets.pol")], { projectRoot: dir });
    const b = loadProgram([join(dir, "policy/lib/nets.pol"), join(dir, "policy/main.pol")], { projectRoot: dir });
    expect(a.files.map((f) => f.ast.path)).toEqual(b.files.map((f) => f.ast.path));
  });

  it("reports entries outside the root and unreadable entries", () => {
    const r = loadProgram([join(dir, "policy/missing.pol")], { projectRoot: join(dir, "policy") });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["POL1001"]);
    const o = loadProgram([join(dir, "policy/main.pol")], { projectRoot: join(dir, "policy/lib") });
    expect(o.diagnostics.map((d) => d.code)).toEqual(["POL1002"]);
  });

  it("suggests a similar file for a missing import", () => {
    writeFileSync(join(dir, "policy/typo.pol"), 'import "./lib/nts"\n');
    const r = loadProgram([join(dir, "policy/typo.pol")], { projectRoot: dir });
    expect(r.diagnostics.map((d) => [d.code, d.help])).toEqual([["POL1005", "did you mean `./lib/nets`?"]]);
  });
});

describe("imports", () => {
  it("confines imports to the project root and refuses absolute paths", () => {
    const r = checkSources({ "a/main.pol": 'import "../../outside"\nimport "/etc/x"\nimport "std/k9s"\n' });
    expect(codes(r)).toEqual(["POL1004", "POL1003", "POL1006"]);
    expect(r.diagnostics[2]!.help).toBe("did you mean `std/k8s`?");
  });

  it("loads `.pol`-less relative imports once and shares one scope", () => {
    const r = checkSources(
      {
        "main.pol": 'import "./lib/a"\nimport "./lib/b.pol"\n',
        "lib/a.pol": 'import "./b"\ngroup web = app == "web"\n',
        "lib/b.pol": "net office = 10.0.0.0/8\n",
      },
      { entries: ["main.pol"] },
    );
    expect(codes(r)).toEqual([]);
    expect(r.files.map((f) => f.ast.path)).toEqual(["lib/a.pol", "lib/b.pol", "main.pol"]);
    expect(r.files.find((f) => f.ast.path === "main.pol")!.imports.map((i) => i.target)).toEqual(["lib/a.pol", "lib/b.pol"]);
  });

  it("reports a cycle once, with the whole chain", () => {
    const r = checkSources({ "a.pol": 'import "./b"\n', "b.pol": 'import "./c"\n', "c.pol": 'import "./a"\n' }, { entries: ["a.pol"] });
    expect(codes(r)).toEqual(["POL1007"]);
    expect(r.diagnostics[0]!.message).toBe("import cycle: `a.pol` -> `b.pol` -> `c.pol` -> `a.pol`");
    expect(r.diagnostics[0]!.primary.span.file).toBe("c.pol");
  });

  it("uses the virtual root for display paths", () => {
    const r = checkSources({ "x/y.pol": "service s = tcp/1\n" });
    expect(r.files[0]!.ast.path).toBe("x/y.pol");
    expect(r.files[0]!.absPath).toBe(join(ROOT, "x/y.pol"));
  });
});

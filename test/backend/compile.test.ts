// compile() end to end: determinism (twice, and with the entries shuffled), the atomic writers, and
// nothing written when there is an error.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compile, splitFileNames, writeOutputsAtomically, writeOutputs } from "../../src/compile.js";
import { compileSources } from "./helpers.js";
import { STREAM_HEADER } from "../../src/backends/calico/yaml.js";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const work = mkdtempSync(join(tmpdir(), "polc-compile-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LIB = `tier app order 300 default pass
group web = namespace "shop" && app == "web"
group api = namespace "shop" && app == "api"
`;
const A = `import "./lib"
flows in app {
  web -> api : tcp/80
}
`;
const B = `import "./lib"
guardrail g in app {
  applies to all()
  egress deny to not 10.0.0.0/8
}
`;

describe("determinism", () => {
  it("compiling twice gives the same bytes", () => {
    const entry = join(REPO, "examples/three-tier/policy.pol");
    const a = compile([entry], { projectRoot: REPO });
    const b = compile([entry], { projectRoot: REPO });
    expect(a.outputs!.yaml).toBe(b.outputs!.yaml);
    expect(a.outputs!.files).toEqual(b.outputs!.files);
  });

  it("the order of the entry files does not matter", () => {
    const files = { "lib.pol": LIB, "a.pol": A, "b.pol": B };
    const one = compileSources(files, ["a.pol", "b.pol"]);
    const two = compileSources(files, ["b.pol", "a.pol"]);
    const three = compileSources(files, ["b.pol", "lib.pol", "a.pol"]);
    expect(one.outputs).toBeDefined();
    expect(two.outputs!.yaml).toBe(one.outputs!.yaml);
    expect(three.outputs!.yaml).toBe(one.outputs!.yaml);
  });

  it("every permutation of three entry files gives the same bytes", () => {
    const C = `import "./lib"\nflow api -> web : tcp/8080 in app\n`;
    const files = { "lib.pol": LIB, "a.pol": A, "b.pol": B, "c.pol": C };
    const perms = [
      ["a.pol", "b.pol", "c.pol"],
      ["a.pol", "c.pol", "b.pol"],
      ["b.pol", "a.pol", "c.pol"],
      ["b.pol", "c.pol", "a.pol"],
      ["c.pol", "a.pol", "b.pol"],
      ["c.pol", "b.pol", "a.pol"],
    ];
    const outputs = perms.map((p) => compileSources(files, p).outputs?.yaml);
    expect(outputs[0]).toContain("app.api-egress");
    for (const o of outputs) expect(o).toBe(outputs[0]);
  });
});

describe("outputs", () => {
  const r = compile([join(REPO, "examples/security-hierarchy/policy.pol")], { projectRoot: REPO });

  it("split file names are numbered, with kind and (namespace.)name", () => {
    const names = splitFileNames(r.outputs!.objects);
    expect(names[0]).toBe("01-tier-security.yaml");
    expect(names).toContain("12-networkpolicy-data.application.db-ingress.yaml");
    expect(new Set(names).size).toBe(names.length);
    expect(r.outputs!.files.map((f) => f.name)).toEqual(names);
  });

  it("--out writes the whole stream", () => {
    const out = join(work, "all.yaml");
    expect(writeOutputsAtomically(r.outputs!, { out }).diagnostics).toEqual([]);
    expect(readFileSync(out, "utf8")).toBe(r.outputs!.yaml);
    expect(readdirSync(work).filter((f) => f.startsWith(".all.yaml"))).toEqual([]);
  });

  it("--split replaces a directory an earlier --split wrote, stale objects included", () => {
    const dir = join(work, "split");
    mkdirSync(dir);
    writeFileSync(join(dir, "99-tier-stale.yaml"), `${STREAM_HEADER}kind: Tier\n`);
    expect(writeOutputs(r.outputs!, { split: dir }).diagnostics).toEqual([]);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(r.outputs!.files.map((f) => f.name).sort());
    for (const f of r.outputs!.files) expect(readFileSync(join(dir, f.name), "utf8")).toBe(f.text);
    expect(readdirSync(work).filter((f) => f.startsWith(".split"))).toEqual([]);
    // Splitting again over its own output is fine.
    expect(writeOutputs(r.outputs!, { split: dir }).diagnostics).toEqual([]);
  });

  it("--split refuses a directory that holds anything polc did not write (POL4091), and changes nothing", () => {
    const dir = join(work, "mixed");
    mkdirSync(join(dir, "policies"), { recursive: true });
    writeFileSync(join(dir, "README.md"), "mine");
    writeFileSync(join(dir, "policies", "a.pol"), "tier t order 1 default pass\n");
    const w = writeOutputs(r.outputs!, { split: dir });
    expect(w.diagnostics.map((d) => d.code)).toEqual(["POL4091"]);
    expect(w.diagnostics[0]!.message).toContain("it holds `README.md`, which polc did not write");
    expect(readdirSync(dir).sort()).toEqual(["README.md", "policies"]);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("mine");
    expect(readdirSync(work).filter((f) => f.startsWith(".mixed"))).toEqual([]);
  });

  it("no output replaces a source of the compilation or a directory (POL4091)", () => {
    const src = join(work, "policy.pol");
    writeFileSync(src, "source");
    const onSource = writeOutputsAtomically(r.outputs!, { out: src }, [src]);
    expect(onSource.diagnostics.map((d) => d.code)).toEqual(["POL4091"]);
    expect(readFileSync(src, "utf8")).toBe("source");
    const occupied = join(work, "occupied");
    mkdirSync(occupied);
    writeFileSync(join(occupied, "inside.txt"), "previous");
    expect(writeOutputsAtomically(r.outputs!, { out: occupied }).diagnostics.map((d) => d.code)).toEqual(["POL4091"]);
    expect(readdirSync(occupied)).toEqual(["inside.txt"]);
    const plain = join(work, "plain-file");
    writeFileSync(plain, "x");
    expect(writeOutputs(r.outputs!, { split: plain }).diagnostics.map((d) => d.code)).toEqual(["POL4091"]);
    expect(readFileSync(plain, "utf8")).toBe("x");
  });

  it("a failed write reports POL4090 and leaves nothing behind", () => {
    const w = writeOutputsAtomically(r.outputs!, { out: join(work, "no-such-dir", "all.yaml") });
    expect(w.diagnostics.map((d) => d.code)).toEqual(["POL4090"]);
    expect(existsSync(join(work, "no-such-dir"))).toBe(false);
  });

  it("a --split directory gets the usual permissions (the umask), not a private temp directory's", () => {
    const dir = join(work, "perm");
    expect(writeOutputs(r.outputs!, { split: dir }).diagnostics).toEqual([]);
    const umask = process.umask();
    expect(statSync(dir).mode & 0o777).toBe(0o777 & ~umask);
  });

  it("a --split into a missing parent directory fails without creating anything", () => {
    const w = writeOutputs(r.outputs!, { split: join(work, "missing", "dir") });
    expect(w.diagnostics.map((d) => d.code)).toEqual(["POL4090"]);
    expect(existsSync(join(work, "missing"))).toBe(false);
  });
});

describe("nothing on error", () => {
  it("a source with an error has no outputs, and writes nothing", () => {
    const bad = compileSources({ "main.pol": `${LIB}\nflows in nowhere {\n  web -> api : tcp/80\n}\n` });
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.some((d) => d.severity === "error")).toBe(true);
    expect(bad.outputs).toBeUndefined();
  });

  it("an error found by lowering also withholds the outputs", () => {
    const bad = compileSources({ "main.pol": `${LIB}\npolicy p in app namespace "shop" {\n  egress deny to not web\n}\n` });
    expect(bad.diagnostics.map((d) => d.code)).toContain("POL4003");
    expect(bad.outputs).toBeUndefined();
    expect(bad.ok).toBe(false);
  });

  it("an existing output file is left untouched when the program has errors", () => {
    const out = join(work, "keep.yaml");
    writeFileSync(out, "previous output");
    const bad = compileSources({ "main.pol": "tier x order" });
    // The CLI only writes when outputs exist; there is nothing to write.
    expect(bad.outputs).toBeUndefined();
    expect(readFileSync(out, "utf8")).toBe("previous output");
  });
});

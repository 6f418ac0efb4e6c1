// Golden tests of the checker's diagnostics: every `POLnnnn-case.pol` here is checked on its own (with
// the real standard library) and its rendered diagnostics are compared with `POLnnnn-case.txt`.
// A first-line comment `// test: …` adjusts a case: `root DIR` (project root, relative to this
// directory), `entry PATH` (an extra command-line entry), `inventory JSON` (inventory label maps).

import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../../src/semantic/index.js";
import { renderText } from "../../../src/diag/render.js";
import { codeInfo } from "../../../src/diag/codes.js";
import { SEMANTIC_CODES } from "../../../src/semantic/codes.js";
import type { Labels } from "../../../src/selector/ast.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => /^POL\d{4}-[a-z0-9-]+\.pol$/.test(f))
  .sort();

function run(name: string) {
  const text = readFileSync(join(dir, name), "utf8");
  let root = dir;
  const entries = [join(dir, name)];
  let inventoryLabels: Labels[] | undefined;
  for (const line of text.split("\n")) {
    const m = /^\/\/ test: (root|entry|inventory) (.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === "root") root = resolve(dir, m[2]!);
    else if (m[1] === "entry") entries.push(resolve(dir, m[2]!));
    else inventoryLabels = JSON.parse(m[2]!) as Labels[];
  }
  return checkPaths(entries, { projectRoot: root, ...(inventoryLabels ? { inventoryLabels } : {}) });
}

describe("semantic diagnostics goldens", () => {
  for (const name of cases) {
    it(name, async () => {
      const result = run(name);
      const code = name.slice(0, 7);
      expect(result.diagnostics.map((d) => d.code)).toContain(code);
      for (const d of result.diagnostics) expect(codeInfo(d.code), `${d.code} is registered`).toBeDefined();
      if (result.diagnostics.some((d) => d.severity === "error")) expect(result.model).toBeUndefined();
      await expect(renderText(result.diagnostics, result.sources) + "\n").toMatchFileSnapshot(join(dir, name.replace(/\.pol$/, ".txt")));
    });
  }

  it("has a case for every registered semantic code", () => {
    const covered = new Set(cases.map((c) => c.slice(0, 7)));
    const missing = SEMANTIC_CODES.map((c) => c.code).filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  it("lists every code in docs/calico-validation.md", () => {
    const doc = readFileSync(join(dir, "../../../docs/calico-validation.md"), "utf8");
    expect(SEMANTIC_CODES.map((c) => c.code).filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });

  it("registers every code with a title, an explanation and a known range", () => {
    for (const c of SEMANTIC_CODES) {
      expect(c.code).toMatch(/^POL(1\d{3}|2\d{3}|30\d\d|31\d\d)$/);
      expect(c.title.length).toBeGreaterThan(3);
      expect(c.explanation.length).toBeGreaterThan(60);
      for (const line of c.explanation.split("\n")) expect(line.length, `${c.code}: ${line}`).toBeLessThanOrEqual(100);
    }
  });
});

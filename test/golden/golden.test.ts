// Golden outputs: every test/golden/<case>/input.pol compiles to the checked-in expected.yaml, and
// every example to examples/<name>/expected/calico.yaml, byte for byte. Run without CI=true to
// create a missing golden, then read it: it is a reviewed artefact.

import { readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { renderText } from "../../src/diag/render.js";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const HERE = join(REPO, "test/golden");

export const GOLDEN_CASES = readdirSync(HERE, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(HERE, d.name, "input.pol")))
  .map((d) => d.name)
  .sort();

export const EXAMPLES = ["three-tier", "security-hierarchy"];

/** Diagnostics each case is expected to produce (all warnings; none of them is polc's output). */
const EXPECTED_CODES: Record<string, string[]> = {
  "log-pass": ["POL3006"],
  "nets-v4-v6": ["POL4001"],
};

describe("golden cases", () => {
  it("there are golden cases for every construct", () => {
    expect(GOLDEN_CASES.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of GOLDEN_CASES) {
    it(name, async () => {
      const r = compile([join(HERE, name, "input.pol")], { projectRoot: REPO });
      expect(r.diagnostics.map((d) => d.code), renderText(r.diagnostics, r.sources)).toEqual(EXPECTED_CODES[name] ?? []);
      expect(r.outputs).toBeDefined();
      await expect(r.outputs!.yaml).toMatchFileSnapshot(join(HERE, name, "expected.yaml"));
    });
  }
});

describe("examples", () => {
  for (const name of EXAMPLES) {
    it(name, async () => {
      const r = compile([join(REPO, "examples", name, "policy.pol")], { projectRoot: REPO });
      expect(renderText(r.diagnostics, r.sources)).toBe("");
      await expect(r.outputs!.yaml).toMatchFileSnapshot(join(REPO, "examples", name, "expected", "calico.yaml"));
    });
  }
});

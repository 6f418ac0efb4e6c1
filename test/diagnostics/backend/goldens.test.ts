// Golden tests of the backend's diagnostics (lowering and emission): every `POLnnnn-case.pol` here is
// compiled on its own (with the real standard library) and its rendered diagnostics are compared with
// `POLnnnn-case.txt`. Codes that only a hand-built model can reach (the checker rejects their inputs
// first) are unit-tested in test/backend/ instead; this file lists them so none is forgotten.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile.js";
import { renderText } from "../../../src/diag/render.js";
import { codeInfo } from "../../../src/diag/codes.js";
import { BACKEND_CODES } from "../../../src/backends/codes.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => /^POL\d{4}-[a-z0-9-]+\.pol$/.test(f))
  .sort();

/** Defence in depth: the checker refuses these inputs before lowering sees them (test/backend/*). */
const MODEL_ONLY: Record<string, string> = {
  POL4002: "the checker's POL2025 refuses ICMP towards addresses of the other family first",
  POL4005: "the checker refuses an `except` of addresses on a flow end first",
  POL4006: "the checker's POL2020 refuses ports on UDPLite first",
  POL4007: "the checker's POL2047 refuses such a value first, at the value itself",
  POL4010: "the checker's POL2043 limits selector length first",
  POL4020: "needs an inventory (the nftables backend): tested in test/nft/emit.test.ts",
  POL4021: "the Calico emitter never produces these fields: tested on hand-built objects in test/nft/emit.test.ts",
  POL4090: "an I/O failure, tested through the writer in test/backend/compile.test.ts",
  POL4091: "an output path that would destroy files, tested through the writer in test/backend/compile.test.ts",
};

describe("backend diagnostics goldens", () => {
  for (const name of cases) {
    it(name, async () => {
      const r = compile([join(dir, name)], { projectRoot: dir });
      const code = name.slice(0, 7);
      expect(r.diagnostics.map((d) => d.code)).toContain(code);
      for (const d of r.diagnostics) expect(codeInfo(d.code), `${d.code} is registered`).toBeDefined();
      if (r.diagnostics.some((d) => d.severity === "error")) expect(r.outputs).toBeUndefined();
      await expect(renderText(r.diagnostics, r.sources) + "\n").toMatchFileSnapshot(join(dir, name.replace(/\.pol$/, ".txt")));
    });
  }

  it("has a golden case (or a stated reason) for every registered backend code", () => {
    const covered = new Set(cases.map((c) => c.slice(0, 7)));
    const missing = BACKEND_CODES.map((c) => c.code).filter((c) => c.startsWith("POL4") && !covered.has(c) && !(c in MODEL_ONLY));
    expect(missing).toEqual([]);
  });
});

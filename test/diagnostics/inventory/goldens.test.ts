// Golden tests of the inventory loader's diagnostics (POL5xxx), rendered as `polc` shows them: every
// `POLnnnn-case.yaml` here is loaded on its own and compared with `POLnnnn-case.txt`.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadInventoryFile } from "../../../src/inventory/load.js";
import { renderText } from "../../../src/diag/render.js";
import { BACKEND_CODES } from "../../../src/backends/codes.js";
import { SourceMap } from "../../../src/source.js";

const dir = fileURLToPath(new URL(".", import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => /^POL5\d{3}-[a-z0-9-]+\.yaml$/.test(f))
  .sort();

describe("inventory diagnostics goldens", () => {
  for (const name of cases) {
    it(name, async () => {
      const r = loadInventoryFile(join(dir, name), name);
      expect(r.diagnostics.map((d) => d.code)).toContain(name.slice(0, 7));
      const sources = new SourceMap();
      sources.add(r.file);
      await expect(renderText(r.diagnostics, sources) + "\n").toMatchFileSnapshot(join(dir, name.replace(/\.yaml$/, ".txt")));
    });
  }

  it("has a case for every inventory code", () => {
    const covered = new Set(cases.map((c) => c.slice(0, 7)));
    expect(BACKEND_CODES.map((c) => c.code).filter((c) => c.startsWith("POL5") && !covered.has(c))).toEqual([]);
  });
});

// Golden tests: every syntax diagnostic rendered exactly as the user sees it.
// Inputs: test/diagnostics/syntax/<CODE>-<case>.pol; goldens: the sibling .txt files.

import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSource } from "../../src/syntax/parse.js";
import { decodeSource } from "../../src/syntax/read.js";
import { SourceMap } from "../../src/source.js";
import { renderText } from "../../src/diag/render.js";
import { sortDiagnostics } from "../../src/diag/diagnostic.js";
import { SYNTAX_CODES } from "../../src/syntax/codes.js";

const dir = join(import.meta.dirname, "../diagnostics/syntax");
const cases = readdirSync(dir).filter((f) => f.endsWith(".pol")).sort();

function render(name: string, bytes: Uint8Array): { text: string; codes: string[] } {
  const decoded = decodeSource(name, bytes);
  const sources = new SourceMap();
  const diags = [...decoded.diagnostics];
  if (decoded.file) {
    sources.add(decoded.file);
    if (!decoded.diagnostics.some((d) => d.code === "POL0001")) diags.push(...parseSource(decoded.file).diagnostics);
  }
  const sorted = sortDiagnostics(diags);
  return { text: renderText(sorted, sources) + "\n", codes: sorted.map((d) => d.code) };
}

describe("syntax diagnostics (golden)", () => {
  for (const f of cases) {
    it(f, async () => {
      const { text, codes } = render(f, readFileSync(join(dir, f)));
      expect(codes.length).toBeGreaterThan(0);
      const expectedCode = f.slice(0, 7);
      if (/^POL\d{4}$/.test(expectedCode)) expect(codes).toContain(expectedCode);
      await expect(text).toMatchFileSnapshot(join(dir, f.replace(/\.pol$/, ".txt")));
    });
  }

  it("binary and invalid UTF-8 input", async () => {
    const bin = render("image.pol", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    expect(bin.codes).toEqual(["POL0001"]);
    const bad = render("latin1.pol", new Uint8Array([...Buffer.from('group a = x == "caf'), 0xe9, ...Buffer.from('"\n')]));
    expect(bad.codes).toEqual(["POL0002"]);
    await expect(bin.text + "\n" + bad.text).toMatchFileSnapshot(join(dir, "encoding.txt"));
  });

  it("covers every registered syntax code except the internal one", () => {
    const seen = new Set<string>();
    for (const f of cases) for (const c of render(f, readFileSync(join(dir, f))).codes) seen.add(c);
    seen.add("POL0001").add("POL0002"); // encoding test above
    seen.add("POL0204"); // generated input (500 errors) in parser.test.ts
    const missing = SYNTAX_CODES.map((c) => c.code).filter((c) => c !== "POL0299" && !seen.has(c));
    expect(missing).toEqual([]);
  });
});

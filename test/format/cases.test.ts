// Golden input/output pairs: test/format/cases/<case>/input.pol formats to output.pol (with the
// options in options.json, if any), output.pol formats to itself and parses cleanly. Run with
// POL_FMT_UPDATE=1 to write missing or changed outputs, then review them.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commentTexts, format, REPO, syntaxErrors } from "./helpers.js";

const DIR = join(REPO, "test/format/cases");
const CASES = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("format cases", () => {
  it("cover every construct and comment position", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of CASES) {
    it(name, async () => {
      const dir = join(DIR, name);
      const input = readFileSync(join(dir, "input.pol"), "utf8");
      const optionsFile = join(dir, "options.json");
      const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as Record<string, unknown>) : {};
      const out = await format(input, options);
      const outputFile = join(dir, "output.pol");
      if (process.env.POL_FMT_UPDATE && (!existsSync(outputFile) || readFileSync(outputFile, "utf8") !== out)) writeFileSync(outputFile, out);
      expect(out).toBe(readFileSync(outputFile, "utf8"));
      expect(await format(out, options)).toBe(out);
      expect(syntaxErrors(out)).toEqual([]);
      expect(commentTexts(out)).toEqual(commentTexts(input.replace(/\r\n?/g, "\n")));
    });
  }
});

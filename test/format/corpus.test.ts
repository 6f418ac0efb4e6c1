// Every example, standard-library file and golden source: already formatted (so `prettier --check`
// in CI passes), formatting is idempotent, the output parses, compiles to the identical IR and keeps
// every comment.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { commentTexts, format, meaning, REPO, syntaxErrors } from "./helpers.js";

function polFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? polFiles(p) : name.endsWith(".pol") ? [p] : [];
    })
    .sort();
}

const FILES = [...polFiles(join(REPO, "examples")), ...polFiles(join(REPO, "stdlib")), ...polFiles(join(REPO, "test/golden"))];

describe("formatting the repository's sources", () => {
  it("finds the examples, the standard library and the goldens", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of FILES) {
    it(relative(REPO, file), async () => {
      const src = readFileSync(file, "utf8");
      const out = await format(src, { filepath: file, printWidth: 100 });
      expect(out, "run `polc fmt --write` on it").toBe(src);
      expect(await format(out, { filepath: file, printWidth: 100 })).toBe(out);
      expect(syntaxErrors(out)).toEqual([]);
      expect(commentTexts(out)).toEqual(commentTexts(src));
      // Also the meaning of a deliberately squashed copy: every construct re-laid out.
      const squashed = src
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => (l.trimStart().startsWith("//") ? l.trimStart() : l.trim().replace(/[ \t]+/g, " ")))
        .join("\n");
      const before = meaning(src, file);
      expect(before.errors).toBeUndefined();
      const reformatted = await format(squashed, { filepath: file, printWidth: 100 });
      expect(reformatted).toBe(src.replace(/\n\s*\n/g, "\n"));
      expect(meaning(reformatted, file).ir).toBe(before.ir);
      expect(meaning(out, file).ir).toBe(before.ir);
    });
  }
});

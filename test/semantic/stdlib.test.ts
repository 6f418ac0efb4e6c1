// The standard library: every module checks cleanly on its own and together with the others, and
// every declaration has a doc comment (a `//` comment on the line right above it).

import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/semantic/index.js";
import { renderText } from "../../src/diag/render.js";
import { lineColOf } from "../../src/source.js";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const stdDir = join(root, "stdlib/std");
const modules = readdirSync(stdDir).filter((f) => f.endsWith(".pol")).sort();

describe("standard library", () => {
  it("has the documented modules", () => {
    expect(modules).toEqual(["k8s.pol", "nets.pol", "services.pol"]);
  });

  for (const m of modules) {
    it(`std/${m} checks on its own`, () => {
      const r = checkPaths([join(stdDir, m)], { projectRoot: root });
      expect(renderText(r.diagnostics, r.sources)).toBe("");
      expect(r.model).toBeDefined();
      expect(r.files.map((f) => [f.ast.path, f.origin])).toEqual([[`std/${m}`, "stdlib"]]);
    });

    it(`std/${m}: every declaration has a doc comment`, () => {
      const r = checkPaths([join(stdDir, m)], { projectRoot: root });
      const file = r.files[0]!;
      const source = r.sources.get(file.ast.path)!;
      const commentEndLines = new Set(file.ast.comments.filter((c) => !c.block).map((c) => lineColOf(source, c.span.end).line));
      const undocumented = file.ast.items
        .filter((i) => i.kind !== "Import")
        .filter((i) => !commentEndLines.has(lineColOf(source, i.span.start).line - 1))
        .map((i) => ("name" in i && i.name && "name" in i.name ? String(i.name.name) : i.kind));
      expect(undocumented).toEqual([]);
    });
  }

  it("modules can be imported together without conflicts", () => {
    const r = checkPaths([stdDir], { projectRoot: root });
    expect(renderText(r.diagnostics, r.sources)).toBe("");
  });
});

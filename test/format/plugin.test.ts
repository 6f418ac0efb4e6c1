// The plugin as prettier sees it: the language and its extension, parser inference from a `.pol`
// path, the `polAlign` option, and its default print width.

import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import plugin from "../../src/format/plugin.js";

describe("prettier plugin", () => {
  it("declares the Pol language for .pol files", async () => {
    const info = await prettier.getSupportInfo({ plugins: [plugin] } as never);
    const pol = info.languages.find((l) => l.name === "Pol");
    expect(pol?.extensions).toEqual([".pol"]);
    expect(pol?.parsers).toEqual(["pol"]);
    expect(info.options.find((o) => o.name === "polAlign")?.default).toBe(true);
  });

  it("infers the parser from a .pol path", async () => {
    const out = await prettier.format("tier   a order 1 default pass", { filepath: "x/policy.pol", plugins: [plugin] });
    expect(out).toBe("tier a order 1 default pass\n");
  });

  it("defaults to 100 columns", async () => {
    const items = Array.from({ length: 12 }, (_, i) => `10.${i}.0.0/16`).join(", ");
    const src = `net n = ${items}\n`; // 8 + 12 items: 155 columns
    const out = await prettier.format(src, { filepath: "a.pol", plugins: [plugin] });
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe("net n =");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines.length).toBe(3);
  });

  it("output is deterministic across runs", async () => {
    const src = 'group web = namespace "frontend" && app == "web"\nflows in a { web -> web : tcp/1 }\n';
    const a = await prettier.format(src, { filepath: "a.pol", plugins: [plugin] });
    const b = await prettier.format(src, { filepath: "a.pol", plugins: [plugin] });
    expect(a).toBe(b);
  });
});

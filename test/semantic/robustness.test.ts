// Bad input never crashes the checker: random edits of the examples (characters deleted, duplicated or
// replaced by .pol punctuation and keywords) always yield diagnostics, never an exception; and an
// error-free result always carries a model.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/semantic/index.js";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const sources = ["three-tier", "security-hierarchy"].map((e) => readFileSync(join(root, "examples", e, "policy.pol"), "utf8"));
const pieces = ["{", "}", "(", ")", ",", "->", ":", "!", "&&", "||", "not ", "except ", "in ", "= ", '"', "/", "0.0.0.0/0", "::/0", "10.0.0.1/8", "icmp/8", "udplite/9", "selector(\"a = 'b'\")", "namespace(", "web", "tier ", "flow ", "staged ", "order 1000 "];

const edit = fc.record({
  source: fc.integer({ min: 0, max: sources.length - 1 }),
  edits: fc.array(fc.record({ at: fc.nat(), len: fc.integer({ min: 0, max: 12 }), insert: fc.constantFrom(...pieces, "") }), { minLength: 1, maxLength: 4 }),
});

describe("robustness", () => {
  it("never throws on edited examples", () => {
    fc.assert(
      fc.property(edit, ({ source, edits }) => {
        let text = sources[source]!;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.len);
        }
        const file = join(root, "examples/edited.pol");
        const bytes = new TextEncoder().encode(text);
        const r = checkPaths([file], { projectRoot: root, readFile: (abs) => (abs === file ? bytes : undefined) });
        const errors = r.diagnostics.filter((d) => d.severity === "error");
        expect(errors.length === 0).toBe(r.model !== undefined);
        for (const d of errors) expect(d.help, `${d.code} ${d.message}`).toBeTruthy();
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});

// The front end's fast path (src/syntax/fast-parse.ts, clean input straight from tokens to the AST)
// must build exactly what the full chevrotain path builds: same AST (JSON, property order included)
// and same diagnostics. Checked on every .pol file of the repository, on generated programs, and on
// random token-level mutations of them — the fast path must either agree or hand over. A grammar
// change made in parser.ts/cst-to-ast.ts but not in fast-parse.ts fails here.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/syntax/parse.js";
import { fastParse } from "../../src/syntax/fast-parse.js";
import { polLexer } from "../../src/syntax/tokens.js";
import { makeSourceFile } from "../../src/source.js";
import { generateProgram } from "../format/gen.js";
import { projectRoot } from "../cli/run.js";

function polFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) polFiles(p, out);
    else if (name.endsWith(".pol")) out.push(p);
  }
  return out;
}

/** Both paths on one text; true when the fast path took it (rather than handing over). */
function agree(text: string): boolean {
  const file = makeSourceFile("x.pol", text);
  const fast = parseSource(file);
  const full = parseSource(file, { fast: false });
  expect(JSON.stringify(fast)).toBe(JSON.stringify(full));
  return full.diagnostics.length === 0 && fastParse(polLexer().tokenize(text).tokens, "x.pol", text.length, []) !== undefined;
}

const PIECES = ["not", "in", "==", "!=", "=", "!", "&&", "||", "(", ")", "{", "}", "[", "]", ",", ":", "->", "except", "to", "from", "all()", "has(a)", "namespace", "selector", "staged", "x", "a.b/c", '"v"', "10.0.0.0/8", "fd00::/8", "tcp/80", "starts with", "ends with", "contains", "applies to", "ingress", "egress", "allow", "tier", "order", "1", "default", "pass", "deny", "group", "net", "service", "flow", "flows", "policy", "guardrail", "log", "import"];

describe("front end: fast path = full path", () => {
  it("on every .pol file of the repository, most of them through the fast path", () => {
    const files = ["examples", "stdlib", "test"].flatMap((d) => polFiles(join(projectRoot, d)));
    expect(files.length).toBeGreaterThan(100);
    let fast = 0;
    for (const f of files) if (agree(readFileSync(f, "utf8"))) fast++;
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  it("on generated programs and random token mutations of them", () => {
    let fastCount = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.nat()), { maxLength: 3 }), (seed, edits) => {
        let text = generateProgram(seed);
        if (agree(text)) fastCount++;
        for (const [at, kind, what] of edits) {
          const toks = polLexer().tokenize(text).tokens;
          if (toks.length === 0) break;
          const t = toks[at % toks.length]!;
          const s = t.startOffset;
          const e = t.endOffset + 1;
          const other = toks[what % toks.length]!.image;
          text =
            kind === 0 ? text.slice(0, s) + text.slice(e)
            : kind === 1 ? text.slice(0, e) + " " + t.image + text.slice(e)
            : kind === 2 ? text.slice(0, s) + other + text.slice(e)
            : text.slice(0, s) + PIECES[what % PIECES.length] + " " + text.slice(s);
          agree(text);
        }
      }),
      { numRuns: 600, seed: 20261125 },
    );
    expect(fastCount).toBeGreaterThan(300);
  });
});

// Incremental re-parsing gives exactly the AST of a full parse: random edits (typing, deleting,
// pasting .pol fragments) on every example, standard-library file and a generated file, each compared
// with a full parse of the edited text, whenever the incremental parse answers at all.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeSourceFile } from "../../src/source.js";
import { parseFile } from "../../src/semantic/frontend.js";
import { reparse, shiftSpans } from "../../src/lsp/reparse.js";

const root = resolve(import.meta.dirname, "../..");
const polFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? polFiles(join(dir, e.name)) : e.name.endsWith(".pol") ? [join(dir, e.name)] : []));

function generated(n: number): string {
  const out = ["tier app order 300 default pass", ""];
  for (let i = 0; i < n; i++) {
    out.push(
      `// team ${i}`,
      `group g${i} = namespace "ns-${i}" && app == "a${i}"`,
      `service s${i} = tcp/${1000 + i}, udp/${2000 + i}`,
      `net n${i} = 10.0.${i}.0/24`,
      `guardrail p${i} in app {`,
      `  applies to g${i}`,
      `  ingress allow s${i} from g${Math.max(0, i - 1)}`,
      "}",
      `flows in app {`,
      `  g${i} -> g${i + 1} : s${i} /* block */`,
      "}",
      "",
    );
  }
  return out.join("\n");
}

const texts: [string, string][] = [
  ...[...polFiles(join(root, "examples")), ...polFiles(join(root, "stdlib"))].map((f): [string, string] => [f.slice(root.length + 1), readFileSync(f, "utf8")]),
  ["generated.pol", generated(12)],
  ["crlf.pol", generated(8).replace(/\n/g, "\r\n")],
  // Every item on one line: what a typed `//` or a missing line break does at item boundaries.
  ["one-line.pol", generated(6).replace(/\/\/ team \d+/g, "").replace(/\n/g, " ")],
];

const FRAGMENTS = ["x", "-", " ", "\n", "\r\n", "tier", "group g = app == \"v\"\n", ", tcp/81", "10.1.0.0/16", "/*", "*/", "//", "\"", "{", "}", "->", ":", "&&", "staged ", "flows in app {\n  a -> b : c\n}\n", "net m = 1.2.3.0/24\n"];

const edit = (len: number) =>
  fc.record({
    at: fc.integer({ min: 0, max: len }),
    remove: fc.integer({ min: 0, max: 40 }),
    insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })),
  });

function full(path: string, text: string) {
  return parseFile(makeSourceFile(path, text));
}

describe("reparse", () => {
  it("shifts every span of a node, and nothing else", () => {
    const node = { kind: "X", span: { file: "a", start: 1, end: 2 }, inner: [{ name: "n", span: { file: "a", start: 3, end: 4 } }], n: 5 };
    expect(shiftSpans(node, 10)).toEqual({ kind: "X", span: { file: "a", start: 11, end: 12 }, inner: [{ name: "n", span: { file: "a", start: 13, end: 14 } }], n: 5 });
  });

  it.each(texts)("%s: random edits give the full parse's AST", (path, text) => {
    const prev = full(path, text);
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(edit(text.length), ({ at, remove, insert }) => {
        runs++;
        const next = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + remove));
        const inc = reparse(text, prev, makeSourceFile(path, next));
        if (!inc) return;
        answered++;
        const want = full(path, next);
        expect(want.diagnostics).toEqual([]);
        expect(inc.ast).toEqual(want.ast);
      }),
      { numRuns: 300, seed: 42 },
    );
    // Many random edits leave a syntax error (then only a full parse will do), but not all: the
    // comparison above has really been made. (On one line, only edits of the last items can be.)
    expect(runs).toBe(300);
    if (prev.ast.items.length >= 8 && text.split("\n").length > 20) expect(answered).toBeGreaterThan(15);
    else expect(answered).toBeGreaterThan(0);
  });

  it("a `//` typed before items on the same line is never answered from the kept items", () => {
    const text = "net a = 1.0.0.0/8\nnet b = 2.0.0.0/8 net c = 3.0.0.0/8 net d = 4.0.0.0/8 net e = 5.0.0.0/8\nnet f = 6.0.0.0/8\n";
    const prev = full("c.pol", text);
    const at = text.indexOf("net b");
    const next = text.slice(0, at) + "// " + text.slice(at);
    const inc = reparse(text, prev, makeSourceFile("c.pol", next));
    if (inc) expect(inc.ast).toEqual(full("c.pol", next).ast);
    expect(full("c.pol", next).ast.items.map((i) => i.kind)).toEqual(["Net", "Net"]);
  });

  it("a chain of edits, each re-parsed from the last, stays equal to a full parse", () => {
    let text = generated(20);
    let prev = full("chain.pol", text);
    let answered = 0;
    for (let k = 0; k < 60; k++) {
      const at = text.indexOf(`service s${k % 20} = tcp/`) + `service s${k % 20} = tcp/`.length;
      const next = text.slice(0, at) + String(3000 + k) + text.slice(at + 4);
      const inc = reparse(text, prev, makeSourceFile("chain.pol", next));
      const want = full("chain.pol", next);
      if (inc) {
        answered++;
        expect(inc.ast).toEqual(want.ast);
      }
      text = next;
      prev = inc ?? want;
    }
    expect(answered).toBe(60);
  });
});

// Parser throughput on a generated 5 MB source: lexing, parsing (CST) and the whole front end
// (lex + parse + AST), median of several runs, in MB/s. Run after `npm run build`:
//   node bench/parse.mjs [megabytes=5] [runs=5] [--dist DIR]
//
// `--dist DIR` measures another build (e.g. `npx tsc -p . --outDir .polc-tmp-bench-dist`), so that two
// builds can be compared side by side under the same conditions.
// parseSource takes a fast path on clean input (src/syntax/fast-parse.ts: tokens straight to the AST);
// "front end, full path" is the chevrotain CST path every input with a problem takes.

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { generateSource } from "./gen-source.mjs";

const args = process.argv.slice(2);
const distAt = args.indexOf("--dist");
const dist = distAt >= 0 ? resolve(args.splice(distAt, 2)[1]) : new URL("../dist", import.meta.url).pathname;
const load = (p) => import(pathToFileURL(`${dist}/${p}`).href);
const { parseSource } = await load("syntax/parse.js");
const { polLexer } = await load("syntax/tokens.js");
const { polParser } = await load("syntax/parser.js");
const { makeSourceFile } = await load("source.js");

const mb = Number(args[0] ?? 5);
const runs = Number(args[1] ?? 5);
const text = generateSource(mb * 1_000_000);
const file = makeSourceFile("bench.pol", text);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

parseSource(file); // warm up
const lex = [], cst = [], all = [], full = [];
for (let i = 0; i < runs; i++) {
  let tokens;
  lex.push(time(() => (tokens = polLexer().tokenize(text).tokens)));
  cst.push(time(() => {
    const p = polParser();
    p.input = tokens;
    p.file();
  }));
  all.push(time(() => {
    const r = parseSource(file);
    if (r.diagnostics.length) throw new Error(`generated source has diagnostics: ${r.diagnostics[0].message}`);
  }));
  full.push(time(() => parseSource(file, { fast: false })));
}
const size = text.length / 1e6;
const row = (name, xs) => `${name.padEnd(30)} median ${median(xs).toFixed(0).padStart(6)} ms   ${(size / (median(xs) / 1000)).toFixed(2).padStart(6)} MB/s`;
console.log(`source: ${size.toFixed(2)} MB, ${file.lineStarts.length} lines, ${runs} runs, ${dist}`);
console.log(row("lex", lex));
console.log(row("parse (CST)", cst));
console.log(row("front end (parseSource)", all));
console.log(row("front end, full path (CST)", full));

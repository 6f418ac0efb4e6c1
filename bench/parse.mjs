// Parser throughput on a generated 5 MB source: lexing, parsing (CST) and the whole front end
// (lex + parse + AST), median of several runs, in MB/s. Run after `npm run build`:
//   node bench/parse.mjs [megabytes=5] [runs=5]

import { generateSource } from "./gen-source.mjs";
import { parseSource } from "../dist/syntax/parse.js";
import { polLexer } from "../dist/syntax/tokens.js";
import { polParser } from "../dist/syntax/parser.js";
import { makeSourceFile } from "../dist/source.js";

const mb = Number(process.argv[2] ?? 5);
const runs = Number(process.argv[3] ?? 5);
const text = generateSource(mb * 1_000_000);
const file = makeSourceFile("bench.pol", text);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

parseSource(file); // warm up
const lex = [], cst = [], all = [];
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
}
const size = text.length / 1e6;
const row = (name, xs) => `${name.padEnd(22)} median ${median(xs).toFixed(0).padStart(6)} ms   ${(size / (median(xs) / 1000)).toFixed(2).padStart(6)} MB/s`;
console.log(`source: ${size.toFixed(2)} MB, ${file.lineStarts.length} lines, ${runs} runs`);
console.log(row("lex", lex));
console.log(row("parse (CST)", cst));
console.log(row("front end (lex+CST+AST)", all));

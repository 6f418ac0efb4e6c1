#!/usr/bin/env node
// Differential check of the front end's fast path (src/syntax/fast-parse.ts) against the full
// chevrotain path: for every .pol file of the repository, the generated benchmark sources, and
// random token-level mutations of them, parseSource with and without the fast path must return the
// same AST (same JSON, property order included) and the same diagnostics. Run after a build:
//
//   node bench/parse-fastpath.mjs [mutations=20000] [seed=1]
//
// Prints how many inputs took the fast path; exits 1 on the first difference.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSource } from "./gen-source.mjs";
import { generate } from "./gen-policies.mjs";
import { parseSource } from "../dist/syntax/parse.js";
import { polLexer } from "../dist/syntax/tokens.js";
import { fastParse } from "../dist/syntax/fast-parse.js";
import { makeSourceFile } from "../dist/source.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mutations = Number(process.argv[2] ?? 20000);
let seed = Number(process.argv[3] ?? 1) >>> 0;
const rnd = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 8) % n);

function polFiles(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) polFiles(p, out);
    else if (name.endsWith(".pol")) out.push(p);
  }
  return out;
}

const corpus = [];
for (const d of ["examples", "stdlib", "test", "docs"]) {
  try {
    for (const f of polFiles(join(root, d), [])) corpus.push({ name: f.slice(root.length + 1), text: readFileSync(f, "utf8") });
  } catch {}
}
corpus.push({ name: "gen-source 200k", text: generateSource(200_000) });
for (const n of [300, 3000]) corpus.push({ name: `gen-policies ${n}`, text: generate(n, 1).text });

let fast = 0, total = 0;
const missed = [];
function check(name, text) {
  total++;
  const file = makeSourceFile("x.pol", text);
  const a = parseSource(file);
  const b = parseSource(file, { fast: false });
  const ja = JSON.stringify(a), jb = JSON.stringify(b);
  if (ja !== jb) {
    console.error(`DIFFERENCE for ${name}:\n--- input\n${text.length > 2000 ? text.slice(0, 2000) + "…" : text}\n--- fast\n${ja.slice(0, 3000)}\n--- full\n${jb.slice(0, 3000)}`);
    process.exit(1);
  }
  const lex = polLexer().tokenize(text);
  if (b.diagnostics.length === 0) {
    if (fastParse(lex.tokens, "x.pol", text.length, []) !== undefined) fast++;
    else missed.push(name);
  }
}

for (const c of corpus) check(c.name, c.text);
console.log(`corpus: ${corpus.length} sources, ${fast} on the fast path; clean but not on it: ${missed.join(", ") || "none"}`);
missed.length = 0;

// Token-level mutations of small sources: delete, duplicate, swap, or replace a token by another's text.
const small = corpus.filter((c) => c.text.length < 20000);
const pieces = ["not", "in", "==", "=", "!", "&&", "||", "(", ")", "{", "}", "[", "]", ",", ":", "->", "except", "to", "from", "all", "has", "namespace", "selector", "staged", "x", "a.b/c", '"v"', "10.0.0.0/8", "fd00::/8", "tcp/80", "starts", "with", "ends", "contains", "applies", "ingress", "allow", "tier", "order", "1", "default", "pass", "deny", "group", "net", "service", "flow", "flows", "policy", "guardrail", "log"];
let clean = 0;
fast = 0; total = 0;
for (let i = 0; i < mutations; i++) {
  const c = small[rnd(small.length)];
  const toks = polLexer().tokenize(c.text).tokens;
  if (toks.length === 0) continue;
  let text = c.text;
  const edits = 1 + rnd(2);
  for (let e = 0; e < edits; e++) {
    const ts = polLexer().tokenize(text).tokens;
    if (ts.length === 0) break;
    const t = ts[rnd(ts.length)];
    const s = t.startOffset, en = t.endOffset + 1;
    switch (rnd(4)) {
      case 0: text = text.slice(0, s) + text.slice(en); break;
      case 1: text = text.slice(0, en) + " " + t.image + text.slice(en); break;
      case 2: { const u = ts[rnd(ts.length)]; text = text.slice(0, s) + u.image + text.slice(en); break; }
      default: text = text.slice(0, s) + pieces[rnd(pieces.length)] + " " + text.slice(s);
    }
  }
  check(`mutation ${i} of ${c.name}`, text);
  const b = parseSource(makeSourceFile("x.pol", text), { fast: false });
  if (b.diagnostics.length === 0) clean++;
}
console.log(`mutations: ${total} checked, ${clean} clean for the full parser, ${fast} on the fast path; no difference`);

// Formatter throughput: generates a .pol file of about 10,000 lines (bench/gen-source.mjs), then
// formats it with the prettier plugin, median of several runs, in ms and lines/s; also the same file
// re-laid out (indentation and alignment removed), and formatting already formatted output. Run after
// `npm run build`:
//   node bench/format.mjs [lines=10000] [runs=7]

import * as prettier from "prettier";
import plugin from "../dist/format/plugin.js";
import { generateSource } from "./gen-source.mjs";

const targetLines = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 7);

/** The smallest generated source with at least `n` lines (the generator grows by whole chunks). */
function sourceWithLines(n) {
  let lo = 0;
  let hi = n * 100;
  while (hi - lo > 64) {
    const mid = Math.floor((lo + hi) / 2);
    if (generateSource(mid).split("\n").length >= n) hi = mid;
    else lo = mid;
  }
  return generateSource(hi);
}

const text = sourceWithLines(targetLines);
const lines = text.split("\n").length;
const squashed = text
  .split("\n")
  .map((l) => (l.trimStart().startsWith("//") ? l : l.trim().replace(/\s+/g, " ")))
  .join("\n");
const options = { parser: "pol", plugins: [plugin], printWidth: 100 };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(name, src) {
  await prettier.format(src, options); // warm up
  const times = [];
  let out = "";
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = await prettier.format(src, options);
    times.push(performance.now() - t);
  }
  const ms = median(times);
  console.log(`${name.padEnd(28)} median ${ms.toFixed(0).padStart(6)} ms   ${Math.round(lines / (ms / 1000)).toLocaleString("en-US").padStart(9)} lines/s`);
  return out;
}

console.log(`source: ${lines} lines, ${(text.length / 1e6).toFixed(2)} MB, ${runs} runs each`);
const formatted = await measure("generated source", text);
await measure("re-laid-out source", squashed);
const again = await measure("already formatted", formatted);
if (again !== formatted) throw new Error("formatting is not idempotent on the benchmark source");

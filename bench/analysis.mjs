#!/usr/bin/env node
// Analysis benchmark: generates policy sets (bench/gen-policies.mjs) and times check + lower + analysis
// from dist/ (run `npx tsc -p .` first). Each run is a fresh child process, so peak memory is per run.
//
//   node bench/analysis.mjs [SIZES…] [--runs N] [--dist DIR]   default sizes 1000 10000 100000, 3 runs
//
// Prints, per size: rules, classes, median times per phase, median peak RSS, and the growth ratio of
// the analysis time against the previous size (about 10 = linear for 10x the rules).

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "./gen-policies.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// `--dist DIR`: a build of its own, so that a rebuild of dist/ by someone else during a long run cannot
// change the code under measurement. DIR must sit directly in the repository (packages and the standard
// library are found from it as from dist/): `npx tsc -p . --outDir .polc-tmp-bench-dist` (git-ignored).
const distArg = process.argv.indexOf("--dist");
const dist = distArg > 0 ? resolve(process.argv[distArg + 1]) : resolve(here, "..", "dist");

async function one(file) {
  const { checkPaths } = await import(pathToFileURL(join(dist, "semantic/index.js")).href);
  const { lower } = await import(pathToFileURL(join(dist, "ir/lower.js")).href);
  const { analyze } = await import(pathToFileURL(join(dist, "analysis/index.js")).href);
  const t0 = performance.now();
  const checked = checkPaths([file], { projectRoot: dirname(file) });
  const t1 = performance.now();
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (!checked.model || errors.length > 0) throw new Error(`check failed: ${errors.slice(0, 3).map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const lowered = lower(checked.model);
  const t2 = performance.now();
  if (!lowered.ir) throw new Error("lowering failed");
  const cpu0 = process.cpuUsage();
  const res = analyze(lowered.ir, { sources: checked.sources });
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const findings = {};
  for (const d of res.diagnostics) findings[d.code] = (findings[d.code] ?? 0) + 1;
  return {
    check: t1 - t0,
    lower: t2 - t1,
    analysis: t3 - t2,
    // CPU time of the analysis (user + system, all threads: V8's GC helpers included). On a shared
    // machine it is less disturbed by other processes than wall-clock time.
    analysisCpu: (cpu.user + cpu.system) / 1000,
    total: t3 - t0,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    rules: res.stats.rules,
    classes: res.stats.classes.ingress + res.stats.classes.egress,
    steps: res.stats.steps,
    budgetExceeded: res.stats.budgetExceeded,
    findings,
  };
}

if (process.argv[2] === "--one") {
  const r = await one(process.argv[3]);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const args = process.argv.slice(2);
let runs = 3;
const sizes = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else if (args[i] === "--dist") i++;
  else sizes.push(Number(args[i]));
}
if (sizes.length === 0) sizes.push(1000, 10000, 100000);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const n of sizes) {
  const dir = join(tmpdir(), "polc-bench-analysis", String(n));
  mkdirSync(dir, { recursive: true });
  const g = generate(n, 1);
  const file = join(dir, "policy.pol");
  writeFileSync(file, g.text);
  const results = [];
  for (let k = 0; k < runs; k++) {
    const p = spawnSync(process.execPath, ["--max-old-space-size=4096", fileURLToPath(import.meta.url), "--one", file, "--dist", dist], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (p.status !== 0) {
      process.stderr.write(p.stderr);
      throw new Error(`run failed for ${n} rules`);
    }
    results.push(JSON.parse(p.stdout));
  }
  const m = (k) => median(results.map((r) => r[k]));
  rows.push({ size: n, rules: results[0].rules, classes: results[0].classes, check: m("check"), lower: m("lower"), analysis: m("analysis"), analysisCpu: m("analysisCpu"), total: m("total"), rss: m("maxRssMB"), steps: results[0].steps, budgetExceeded: results[0].budgetExceeded, findings: results[0].findings, planted: g.planted });
}

const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
console.log(`polc analysis benchmark — ${runs} runs per size, medians; node ${process.version}\n`);
console.log("| rules | classes | check | lower | analysis | analysis CPU | check + lower + analysis | peak RSS | analysis growth |");
console.log("|------:|--------:|------:|------:|---------:|-------------:|-----------------:|---------:|----------------:|");
rows.forEach((r, i) => {
  const growth = i === 0 ? "" : `×${(r.analysis / rows[i - 1].analysis).toFixed(1)} for ×${(r.rules / rows[i - 1].rules).toFixed(1)} rules`;
  console.log(`| ${r.rules} | ${r.classes} | ${ms(r.check)} | ${ms(r.lower)} | ${ms(r.analysis)} | ${ms(r.analysisCpu)} | ${ms(r.total)} | ${Math.round(r.rss)} MB | ${growth} |`);
});
console.log("");
for (const r of rows) {
  console.log(`${r.rules} rules: findings ${JSON.stringify(r.findings)}; planted ${JSON.stringify(r.planted)}; set-engine steps ${r.steps}${r.budgetExceeded ? " (budget exceeded)" : ""}`);
}

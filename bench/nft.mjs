#!/usr/bin/env node
// nftables backend benchmark: generates policy sets of about N rules (bench/gen-policies.mjs) with an
// inventory that has one pod per group (every namespace's web, api, db, cache and worker, CoreDNS,
// Prometheus; every fourth pod dual-stack), then measures, from dist/ (run `npx tsc -p .` first):
//
//   compile   check + lower + Calico objects and YAML (the input of the backend)
//   generate  the nftables emitter (emitNft from those objects): the evaluated program, selector
//             resolution, sets, chains, text
//   load      `nft -f` of the ruleset into a fresh network namespace (root only): elapsed time, and
//             the CPU time (user + system) nft used, which does not grow when other work competes for
//             the cores
//
//   node bench/nft.mjs [SIZES…] [--runs N]      default sizes 1000 10000 50000, 3 runs; medians
//
// Target: a 10k-rule policy loads in under 1 s.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "./gen-policies.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "..", "dist");
const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const sizes = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--runs").map(Number);
if (sizes.length === 0) sizes.push(1000, 10000, 50000);

const { compile } = await import(pathToFileURL(join(dist, "compile.js")).href);
const { loadInventoryText } = await import(pathToFileURL(join(dist, "inventory/load.js")).href);
const { emitNft } = await import(pathToFileURL(join(dist, "backends/nft/emit.js")).href);

const APPS = ["web", "api", "db", "cache", "worker"];

function inventory(namespaces) {
  const items = [];
  const ns = (name) => items.push({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } } });
  let n = 0;
  const pod = (namespace, name, labels) => {
    n++;
    const v4 = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    const ips = n % 4 === 0 ? [v4, `fd00::${n.toString(16)}`] : [v4];
    items.push({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, status: { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } });
  };
  ns("kube-system");
  pod("kube-system", "coredns-1", { "k8s-app": "kube-dns" });
  ns("monitoring");
  pod("monitoring", "prometheus-1", { app: "prometheus" });
  for (let i = 0; i < namespaces; i++) {
    const name = `team-${String(i).padStart(4, "0")}`;
    ns(name);
    for (const app of APPS) pod(name, `${app}-1`, { app, ...(i % 10 === 0 && app === "api" ? { pci: "true" } : {}) });
  }
  return { text: JSON.stringify({ apiVersion: "v1", kind: "List", items }), pods: n };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** CPU time of this process's finished children, in ms (/proc/self/stat cutime + cstime). */
function childCpuMs() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}
const ms = (x) => `${x.toFixed(0)} ms`;
const root = process.getuid?.() === 0;

console.log(`nft benchmark: ${runs} runs per size, medians; node ${process.version}; nft ${root ? execFileSync("nft", ["--version"]).toString().trim() : "(load skipped: not root)"}`);
for (const size of sizes) {
  const g = generate(size, 1);
  const dir = mkdtempSync(join(tmpdir(), "polc-bench-nft-"));
  try {
    writeFileSync(join(dir, "policy.pol"), g.text);
    const inv = inventory(g.namespaces);
    const compileTimes = [];
    const genTimes = [];
    const loadTimes = [];
    const loadCpu = [];
    let out;
    let result;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      result = compile([join(dir, "policy.pol")], { projectRoot: dir });
      const t1 = performance.now();
      if (!result.ir) throw new Error(`does not compile: ${result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).slice(0, 3).join("; ")}`);
      const loaded = loadInventoryText("cluster.json", inv.text);
      const t2 = performance.now();
      // The Calico objects compile emitted are the backend's input (as in `polc compile --target nft`).
      out = emitNft(result.ir, loaded.inventory, { sources: result.sources, objects: result.outputs.objects });
      const t3 = performance.now();
      compileTimes.push(t1 - t0);
      genTimes.push(t3 - t2);
    }
    const file = join(dir, "ruleset.nft");
    writeFileSync(file, out.text);
    if (root) {
      for (let r = 0; r < runs; r++) {
        const ns = `polcbench${process.pid}x${r}`;
        execFileSync("ip", ["netns", "add", ns]);
        try {
          const c0 = childCpuMs();
          const t0 = performance.now();
          execFileSync("ip", ["netns", "exec", ns, "nft", "-f", file]);
          loadTimes.push(performance.now() - t0);
          loadCpu.push(childCpuMs() - c0);
        } finally {
          execFileSync("ip", ["netns", "del", ns]);
        }
      }
    }
    const s = out.stats;
    console.log(
      `${String(g.rules).padStart(6)} rules, ${inv.pods} pods: ruleset ${s.rules} nft rules, ${s.chains} chains, ${s.sets} sets, ${(out.text.length / 1e6).toFixed(1)} MB; ` +
        `compile ${ms(median(compileTimes))}, generate ${ms(median(genTimes))}, load ${root ? `${ms(median(loadTimes))} (nft CPU ${ms(median(loadCpu))})` : "skipped"}; load average ${loadavg()[0].toFixed(1)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

#!/usr/bin/env node
// Diagnostics latency of the language server: builds a workspace of about 5,000 lines in several
// files (one project, free of errors, so every edit runs the whole pipeline), starts
// `polc lsp --stdio`, applies edits to one file and measures, per edit:
//   - didChange -> that version's first publishDiagnostics (phase 1: the edited file re-parsed around
//     the edit, the other files reused from the parse cache, and the whole-program check);
//   - didChange -> the server's `polc/checked` "complete" event (phase 2 done: lowering and the
//     tier-chain analysis, published with it).
//
//   node bench/lsp.mjs [LINES=5000] [FILES=5] [EDITS=20]
//
// The debounce is excluded (debounceMs 0) for the main figures and measured separately with the
// default debounce. Needs dist/ (npm run build). KEEP=1 keeps the generated workspace.

import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LINES = Number(process.argv[2] ?? 5000);
const FILES = Number(process.argv[3] ?? 5);
const EDITS = Number(process.argv[4] ?? 20);

/** One file of a team: groups, services, nets, guardrails and flows, about `lines` lines. */
function teamFile(t, lines) {
  const out = [`// team ${t}`, 'import "./tiers"', ""];
  for (let i = 0; out.length < lines; i++) {
    const g = `t${t}-g${i}`;
    const prev = i === 0 ? "shared" : `t${t}-g${i - 1}`;
    out.push(
      `group ${g} = namespace "ns-${t}-${i % 40}" && app == "app-${i}"`,
      `service t${t}-s${i} = tcp/${1000 + ((i * 37) % 60000)}, udp/${2000 + ((i * 53) % 60000)}`,
      `net t${t}-n${i} = 10.${t}.${i % 256}.0/24`,
      `guardrail t${t}-p${i} in ${["security", "platform", "app"][i % 3]} {`,
      `  applies to ${g}`,
      `  ingress allow t${t}-s${i} from ${prev}`,
      `  egress deny tcp/25 to not t${t}-n${i}`,
      "}",
      "flows in app {",
      `  ${g} -> ${prev} : t${t}-s${i}`,
      "}",
      "",
    );
  }
  return out.join("\n");
}

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "polc-lsp-bench-"));
  const tiers = ["tier security order 100 default pass", "tier platform order 200 default pass", "tier app order 300 default pass", "tier baseline order 2000 default deny", 'group shared = namespace "shared" && app == "shared"', ""].join("\n");
  writeFileSync(join(dir, "tiers.pol"), tiers);
  let total = tiers.split("\n").length;
  const per = Math.ceil((LINES - total) / FILES);
  const files = [];
  for (let t = 0; t < FILES; t++) {
    const text = teamFile(t, per);
    const path = join(dir, `team-${t}.pol`);
    writeFileSync(path, text);
    total += text.split("\n").length;
    files.push({ path, text });
  }
  return { dir, files, total };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function session(ws, debounceMs, edits, mutate, complete) {
  const proc = spawn(process.execPath, [join(root, "dist/cli/bin.js"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiting = new Map();
  const events = [];
  let onComplete;
  conn.onNotification("polc/checked", (e) => {
    events.push(e);
    if (e.phase === "complete" && onComplete) {
      const f = onComplete;
      onComplete = undefined;
      f(e);
    }
  });
  conn.onNotification("window/logMessage", (m) => console.error(`server: ${m.message}`));
  conn.onNotification("textDocument/publishDiagnostics", (p) => {
    const w = waiting.get(`${p.uri}@${p.version}`);
    if (w) {
      waiting.delete(`${p.uri}@${p.version}`);
      w(p);
    }
  });
  conn.listen();
  const published = (uri, version) => new Promise((res) => waiting.set(`${uri}@${version}`, res));
  await conn.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(ws.dir).href, workspaceFolders: [{ uri: pathToFileURL(ws.dir).href, name: "bench" }], capabilities: {}, initializationOptions: { debounceMs } });
  conn.sendNotification("initialized", {});
  const target = ws.files[Math.floor(ws.files.length / 2)];
  const uri = pathToFileURL(target.path).href;
  let t0 = performance.now();
  let p = published(uri, 1);
  conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "pol", version: 1, text: target.text } });
  const first = await p;
  const openMs = performance.now() - t0;
  if (first.diagnostics.length) console.error(`warning: the workspace has ${first.diagnostics.length} diagnostics on open`);
  if (complete) await new Promise((res) => (events.some((e) => e.phase === "complete") ? res() : (onComplete = res)));
  const times = [];
  const full = [];
  const counts = [];
  for (let v = 2; v < 2 + edits; v++) {
    const change = mutate(target.text, v);
    p = published(uri, v);
    const done = complete ? new Promise((res) => (onComplete = res)) : undefined;
    t0 = performance.now();
    conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [change] });
    const got = await p;
    times.push(performance.now() - t0);
    counts.push(got.diagnostics.length);
    if (done) {
      await done;
      full.push(performance.now() - t0);
    }
  }
  const serverCheck = events.filter((e) => e.phase === "check").slice(1).map((e) => e.millis);
  const serverCpu = events.filter((e) => e.phase === "check").slice(1).map((e) => e.cpuMillis);
  const serverLate = events.filter((e) => e.phase === "complete").slice(1).map((e) => e.millis);
  const parsed = events.filter((e) => e.phase === "check").slice(1).map((e) => `${e.parsed} whole + ${e.reparsed ?? 0} around the edit + ${e.reused} reused`);
  await conn.sendRequest("shutdown");
  conn.sendNotification("exit");
  await new Promise((res) => proc.on("exit", res));
  conn.dispose();
  return { openMs, times, full, counts, serverCheck, serverCpu, serverLate, parsed };
}

/** Change the TCP port of the first service: the program stays valid. */
const validEdit = (text, v) => {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.startsWith("service "));
  const start = lines[i].indexOf("tcp/") + 4;
  const end = lines[i].indexOf(",", start);
  return { range: { start: { line: i, character: start }, end: { line: i, character: end } }, text: String(3000 + v) };
};

/** Misspell a group reference on the first flow line: the program has an error (no analysis). */
const errorEdit = (text, v) => {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.includes(" -> "));
  const col = lines[i].indexOf("t");
  return { range: { start: { line: i, character: col }, end: { line: i, character: col + 1 } }, text: v % 2 ? "t" : "x" };
};

const ws = workspace();
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} CPUs (wall-clock figures grow with load; CPU figures do not)`);
const fmt = (x) => `${x.toFixed(1)} ms`;
console.log(`workspace: ${ws.total} lines in ${ws.files.length + 1} files (${ws.dir})`);
const stats = (xs) => `median ${fmt(median(xs))}, min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))}`;
try {
  const valid = await session(ws, 0, EDITS, validEdit, true);
  console.log(`open (first check, every file parsed):   ${fmt(valid.openMs)}`);
  console.log(`valid edits (${valid.times.length}), debounce excluded; files per check: ${[...new Set(valid.parsed)].join("; ")}`);
  console.log(`  didChange -> publishDiagnostics (parse + check):            ${stats(valid.times)}  [server: ${stats(valid.serverCheck)}; CPU ${stats(valid.serverCpu)}]`);
  console.log(`  didChange -> complete (+ lowering and tier-chain analysis): ${stats(valid.full)}  [server phase 2: ${stats(valid.serverLate)}]`);
  const broken = await session(ws, 0, EDITS, errorEdit, false);
  console.log(`edits that toggle an error (${broken.times.length}; no analysis while there is an error), debounce excluded:`);
  console.log(`  didChange -> publishDiagnostics:                            ${stats(broken.times)}  (diagnostics: ${[...new Set(broken.counts)].join("/")})`);
  const debounced = await session(ws, 150, Math.min(EDITS, 8), validEdit, true);
  console.log(`with the default 150 ms debounce (valid edits): publishDiagnostics ${stats(debounced.times)}`);
  const m = median(valid.times);
  console.log(m < 100 ? `target met: median didChange -> publishDiagnostics ${fmt(m)} < 100 ms` : `target missed: median ${fmt(m)} >= 100 ms`);
} finally {
  if (!process.env.KEEP) rmSync(ws.dir, { recursive: true, force: true });
}

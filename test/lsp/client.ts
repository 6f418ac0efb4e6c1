// A real LSP client for the tests: spawns `node dist/cli/bin.js lsp --stdio` and talks JSON-RPC over
// its stdin/stdout with vscode-languageserver-protocol. dist/ is rebuilt first when a source file is
// newer than it (a fresh clone builds it in `npm ci`, through the `prepare` script).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";

export const repoRoot = resolve(import.meta.dirname, "../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/lsp/ (type errors elsewhere do not stop tsc
 *  from emitting). */
export function ensureBuilt(): void {
  const server = join(repoRoot, "dist/lsp/server.js");
  if (existsSync(server) && statSync(server).mtimeMs >= newestMtime(join(repoRoot, "src/lsp"))) return;
  const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
  spawnSync(process.execPath, [tsc, "-p", join(repoRoot, "tsconfig.json")], { cwd: repoRoot, stdio: "ignore" });
  if (!existsSync(server)) throw new Error("dist/lsp/server.js was not built");
}

export interface Client {
  conn: ProtocolConnection;
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves with the next publication for `uri` that satisfies `pred`: the first not yet handed
   *  out for that URI, whether it has arrived already or arrives later. */
  diagnostics(uri: string, pred?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  /** Every publication received so far, in order. */
  published: PublishDiagnosticsParams[];
  /** Resolves with the next `polc/checked` event of phase `phase` after this call. */
  nextChecked(phase: "check" | "complete", timeoutMs?: number): Promise<{ dir: string; phase: string; millis: number }>;
  /** Capabilities the server registered dynamically. */
  registrations: { method: string; registerOptions?: unknown }[];
  /** The latest publication for `uri`. */
  latest(uri: string): PublishDiagnosticsParams | undefined;
  close(): Promise<void>;
}

export function startClient(): Client {
  const proc = spawn(process.execPath, [join(repoRoot, "dist/cli/bin.js"), "lsp", "--stdio"], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  proc.stderr!.on("data", (d) => (err += String(d)));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const seen = new Map<string, number>(); // per URI: index after the last publication handed out
  conn.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.pred(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  const checkedWaiters: { phase: string; resolve: (e: { dir: string; phase: string; millis: number }) => void }[] = [];
  conn.onNotification("polc/checked", (e: { dir: string; phase: string; millis: number }) => {
    for (const w of [...checkedWaiters]) {
      if (w.phase === e.phase) {
        checkedWaiters.splice(checkedWaiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  conn.onNotification("window/logMessage", () => {});
  const registrations: { method: string; registerOptions?: unknown }[] = [];
  conn.onRequest("client/registerCapability", (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
    registrations.push(...p.registrations);
    return null;
  });
  conn.listen();
  return {
    conn,
    proc,
    published,
    registrations,
    stderr: () => err,
    latest: (uri) => published.filter((p) => p.uri === uri).at(-1),
    nextChecked(phase, timeoutMs = 20_000) {
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no polc/checked ${phase} in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        checkedWaiters.push({
          phase,
          resolve: (e) => {
            clearTimeout(timer);
            res(e);
          },
        });
      });
    },
    diagnostics(uri, pred = () => true, timeoutMs = 20_000) {
      const already = published.slice(seen.get(uri) ?? 0).find((p) => p.uri === uri && pred(p));
      if (already) {
        seen.set(uri, published.indexOf(already) + 1);
        return Promise.resolve(already);
      }
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no matching diagnostics for ${uri} in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        waiters.push({
          uri,
          pred,
          resolve: (p) => {
            clearTimeout(timer);
            seen.set(uri, published.indexOf(p) + 1);
            res(p);
          },
        });
      });
    },
    async close() {
      try {
        await conn.sendRequest("shutdown");
        conn.sendNotification("exit");
      } catch {
        // already gone
      }
      await new Promise<void>((res) => {
        if (proc.exitCode !== null) return res();
        const t = setTimeout(() => {
          proc.kill();
          res();
        }, 3000);
        proc.on("exit", () => {
          clearTimeout(t);
          res();
        });
      });
      conn.dispose();
    },
  };
}

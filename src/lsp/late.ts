// Phase 2 off the server's thread: one child process (late-worker.ts) per server, at a lower CPU
// priority than the server, so the checks that answer typing always come first. One job at a time,
// the latest request wins: a request made while a job runs waits for it and then runs instead of any
// request that was waiting before it (which resolves as superseded); a finished job whose project has
// been checked again since is simply not used by the caller.

import { fork, type ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import type { LateResult } from "./check.js";

export interface LateRequest {
  readonly id: number;
  readonly entries: readonly string[];
  readonly projectRoot: string;
  readonly stdlibRoot: string;
  /** Open documents' text by absolute path. */
  readonly openTexts: Record<string, string>;
  readonly analysis: boolean;
  readonly info: boolean;
}

export type LateResponse = { readonly id: number; readonly ok: true; readonly late: LateResult } | { readonly id: number; readonly ok: false; readonly error: string };

/** `undefined` when a later request replaced this one before it ran. */
export type LateOutcome = LateResult | undefined;

interface Job {
  req: LateRequest;
  resolve(r: LateOutcome): void;
  reject(e: Error): void;
}

export class LateRunner {
  private worker?: ChildProcess;
  private running?: Job;
  private waiting?: Job;
  private nextId = 1;

  run(req: Omit<LateRequest, "id">): Promise<LateOutcome> {
    return new Promise<LateOutcome>((resolve, reject) => {
      const job: Job = { req: { ...req, id: this.nextId++ }, resolve, reject };
      if (this.waiting) this.waiting.resolve(undefined);
      this.waiting = job;
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || !this.waiting) return;
    const job = this.waiting;
    this.waiting = undefined;
    this.running = job;
    this.ensureWorker().send(job.req);
  }

  private ensureWorker(): ChildProcess {
    if (this.worker) return this.worker;
    const w = fork(fileURLToPath(new URL("./late-worker.js", import.meta.url)), [], {
      serialization: "advanced",
      stdio: ["ignore", "ignore", "inherit", "ipc"], // stdout is the LSP channel: the child never writes there
    });
    try {
      if (w.pid !== undefined) setPriority(w.pid, 10);
    } catch {
      // not permitted here: it runs at the server's priority
    }
    w.on("message", (res: LateResponse) => {
      const job = this.running;
      this.running = undefined;
      if (job && job.req.id === res.id) {
        if (res.ok) job.resolve(res.late);
        else job.reject(new Error(res.error));
      }
      this.pump();
    });
    w.on("error", (e) => this.fail(e));
    w.on("exit", (code, signal) => {
      if (this.worker === w) this.worker = undefined;
      if (this.running) this.fail(new Error(`the analysis process exited (${signal ?? code})`));
    });
    this.worker = w;
    return w;
  }

  private fail(e: Error): void {
    const job = this.running;
    this.running = undefined;
    this.worker = undefined;
    job?.reject(e);
    this.pump();
  }

  /** Stops the process; a job still running or waiting resolves as superseded. */
  dispose(): void {
    this.waiting?.resolve(undefined);
    this.waiting = undefined;
    this.running?.resolve(undefined);
    this.running = undefined;
    const w = this.worker;
    this.worker = undefined;
    w?.kill();
  }
}

// Phase 2 off the main thread: one worker (late-worker.ts) per server, one job at a time, the latest
// request wins. A request made while a job runs waits for it and then runs instead of any request
// that was waiting before it (which resolves as superseded); a finished job whose project has been
// checked again since is simply not used by the caller.

import { Worker } from "node:worker_threads";
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
  private worker?: Worker;
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
    this.ensureWorker().postMessage(job.req);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL("./late-worker.js", import.meta.url));
    w.unref();
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
    w.on("exit", (code) => {
      if (this.worker === w) this.worker = undefined;
      if (code !== 0) this.fail(new Error(`the analysis worker exited with code ${code}`));
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

  async dispose(): Promise<void> {
    this.waiting?.resolve(undefined);
    this.waiting = undefined;
    await this.worker?.terminate();
  }
}

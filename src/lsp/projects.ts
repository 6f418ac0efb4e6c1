// The checked state of each project and its scheduling. A change marks the project dirty and checks
// it after a debounce. Phase 1 (load + check) runs here and is published at once, together with the
// previous analysis findings of files whose text did not change (so they do not flicker); phase 2
// (lowering and analysis) runs in the analysis process and, unless the project was checked again in the
// meantime, publishes the complete set. A request on a dirty or incomplete project waits for it to be
// complete, so answers see the latest text.

import type { PublishDiagnosticsParams } from "vscode-languageserver/node";
import type { Diagnostic } from "../diag/diagnostic.js";
import { sortDiagnostics } from "../diag/diagnostic.js";
import { allDiagnostics, checkProject, completeProject, type ProjectCheck } from "./check.js";
import { LateRunner } from "./late.js";
import { publications } from "./diagnostics.js";
import { ParseCache } from "./parse-cache.js";
import type { ProjectKey, Workspace } from "./workspace.js";

interface ProjectState {
  readonly key: ProjectKey;
  check?: ProjectCheck;
  published: Set<string>;
  timer?: NodeJS.Timeout;
  /** Phase 2 of `check`, while it runs. */
  late?: Promise<void>;
  /** The latest check whose phase 2 completed: its findings stand in while the next one runs. */
  lastComplete?: ProjectCheck;
}

export interface CheckedEvent {
  readonly dir: string;
  readonly phase: "check" | "complete";
  /** Milliseconds of this phase's work (wall clock). */
  readonly millis: number;
  /** CPU milliseconds of phase 1 in the server process (independent of other load on the machine). */
  readonly cpuMillis?: number;
  /** Files parsed whole, re-parsed around an edit, and reused unchanged. */
  readonly parsed: number;
  readonly reparsed?: number;
  readonly reused: number;
}

export interface ProjectsOptions {
  debounceMs: number;
  analysis: boolean;
  /** Publish info-level findings too. */
  info: boolean;
  publish(params: PublishDiagnosticsParams): void;
  /** Told after each phase (the server forwards it as `polc/checked`). */
  onChecked?(event: CheckedEvent): void;
  /** Told when a check throws (a bug): the server logs it and keeps running. */
  onError(e: unknown): void;
}

export class Projects {
  private readonly states = new Map<string, ProjectState>();
  private readonly cache = new ParseCache();
  private readonly runner = new LateRunner();
  private disposed = false;

  constructor(
    private readonly ws: Workspace,
    private readonly opts: ProjectsOptions,
  ) {}

  private state(key: ProjectKey): ProjectState {
    let s = this.states.get(key.dir);
    if (!s) {
      s = { key, published: new Set() };
      this.states.set(key.dir, s);
    }
    return s;
  }

  private statesFor(abs: string): ProjectState[] {
    const key = this.ws.projectOf(abs);
    return key ? [this.state(key)] : [...this.states.values()].filter((s) => s.check?.displayOf(abs) !== undefined);
  }

  /** A file changed: check its project after the debounce (or, for a standard-library file, every
   *  project that loaded it). */
  changed(abs: string, delay = this.opts.debounceMs): void {
    for (const s of this.statesFor(abs)) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = setTimeout(() => {
        try {
          this.run(s);
        } catch (e) {
          this.opts.onError(e);
        }
      }, delay);
    }
  }

  private publish(s: ProjectState, check: ProjectCheck, diagnostics: readonly Diagnostic[]): void {
    const version = (uri: string) => this.ws.openDocuments().find((d) => d.uri === uri)?.version;
    const pubs = publications(check, diagnostics, s.published, version);
    s.published = new Set(pubs.filter((p) => p.diagnostics.length > 0).map((p) => p.uri));
    for (const p of pubs) this.opts.publish(p);
  }

  /** Phase 1, published with the previous analysis findings of unchanged files; phase 2 scheduled. */
  private run(s: ProjectState): ProjectCheck {
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    s.late = undefined; // a phase 2 still running belongs to an older check
    const before = { hits: this.cache.hits, misses: this.cache.misses, incremental: this.cache.incremental, cpu: process.cpuUsage() };
    const check = checkProject({
      entries: this.ws.entries(s.key),
      projectRoot: s.key.root,
      stdlibRoot: this.ws.stdlibRoot,
      openText: this.ws.openText,
      cache: this.cache,
      analysis: this.opts.analysis,
      info: this.opts.info,
    });
    s.check = check;
    const cpu = process.cpuUsage(before.cpu);
    this.opts.onChecked?.({
      dir: s.key.dir,
      phase: "check",
      millis: check.millis,
      cpuMillis: (cpu.user + cpu.system) / 1000,
      parsed: this.cache.misses - before.misses,
      reparsed: this.cache.incremental - before.incremental,
      reused: this.cache.hits - before.hits,
    });
    if (!check.needsLate) {
      this.publish(s, check, check.diagnostics);
      return check;
    }
    const base = s.lastComplete;
    const unchanged = (file: string) => base?.sources.get(file)?.text !== undefined && base.sources.get(file)?.text === check.sources.get(file)?.text;
    const stale = (base?.late?.diagnostics ?? []).filter((d) => [d.primary, ...(d.secondary ?? [])].every((l) => unchanged(l.span.file)));
    this.publish(s, check, sortDiagnostics([...check.diagnostics, ...stale]));
    s.late = this.complete(s, check).catch((e: unknown) => {
      if (s.check === check) s.late = undefined;
      this.opts.onError(e);
    });
    return check;
  }

  /** Phase 2 of `check` in the analysis process (in this thread if that fails), then published. */
  private async complete(s: ProjectState, check: ProjectCheck): Promise<void> {
    const req = { entries: this.ws.entries(s.key), projectRoot: s.key.root, stdlibRoot: this.ws.stdlibRoot, openTexts: this.ws.openTexts(), analysis: this.opts.analysis, info: this.opts.info };
    let late = await this.runner.run(req).catch((e: unknown) => {
      if (this.disposed) return undefined;
      this.opts.onError(e);
      return completeProject(check, { analysis: this.opts.analysis, info: this.opts.info });
    });
    if (this.disposed || s.check !== check) return; // shut down, or checked again since: that check publishes
    if (!late) late = completeProject(check, { analysis: this.opts.analysis, info: this.opts.info });
    check.late = late;
    s.late = undefined;
    s.lastComplete = check;
    this.opts.onChecked?.({ dir: s.key.dir, phase: "complete", millis: late.millis, parsed: 0, reused: 0 });
    this.publish(s, check, allDiagnostics(check));
  }

  /** The up-to-date, complete check that contains `abs`, with the file's display path in it. */
  async checkFor(abs: string): Promise<{ check: ProjectCheck; display: string } | undefined> {
    for (const s of this.statesFor(abs)) {
      if (s.timer || !s.check) this.run(s);
      while (s.late) await s.late;
      const check = s.check!;
      const display = check.displayOf(abs);
      if (display !== undefined) return { check, display };
    }
    return undefined;
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.states.values()) if (s.timer) clearTimeout(s.timer);
    this.runner.dispose();
  }
}

// The checked state of each project and its scheduling: a change marks the project dirty and checks
// it after a debounce; a request on a dirty project checks it at once, so answers see the latest text.

import type { PublishDiagnosticsParams } from "vscode-languageserver/node";
import { checkProject, type ProjectCheck } from "./check.js";
import { publications } from "./diagnostics.js";
import type { ProjectKey, Workspace } from "./workspace.js";

interface ProjectState {
  readonly key: ProjectKey;
  check?: ProjectCheck;
  published: Set<string>;
  timer?: NodeJS.Timeout;
}

export interface ProjectsOptions {
  debounceMs: number;
  analysis: boolean;
  /** Publish info-level findings too. */
  info: boolean;
  publish(params: PublishDiagnosticsParams): void;
  /** Told about every check (for logging). */
  onChecked?(key: ProjectKey, check: ProjectCheck): void;
}

export class Projects {
  private readonly states = new Map<string, ProjectState>();

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

  /** A file changed: check its project after the debounce (or, for a standard-library file, every
   *  project that loaded it). */
  changed(abs: string, delay = this.opts.debounceMs): void {
    const key = this.ws.projectOf(abs);
    const targets = key ? [this.state(key)] : [...this.states.values()].filter((s) => s.check?.displayOf(abs) !== undefined);
    for (const s of targets) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = setTimeout(() => this.run(s), delay);
    }
  }

  private run(s: ProjectState): ProjectCheck {
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    const check = checkProject({
      entries: this.ws.entries(s.key),
      projectRoot: s.key.root,
      stdlibRoot: this.ws.stdlibRoot,
      openText: this.ws.openText,
      analysis: this.opts.analysis,
      info: this.opts.info,
    });
    s.check = check;
    const version = (uri: string) => this.ws.openDocuments().find((d) => d.uri === uri)?.version;
    const pubs = publications(check, s.published, version);
    s.published = new Set(pubs.filter((p) => p.diagnostics.length > 0).map((p) => p.uri));
    this.opts.onChecked?.(s.key, check);
    for (const p of pubs) this.opts.publish(p);
    return check;
  }

  /** The up-to-date check that contains `abs`, with the file's display path in it. */
  checkFor(abs: string): { check: ProjectCheck; display: string } | undefined {
    const key = this.ws.projectOf(abs);
    const candidates = key ? [this.state(key)] : [...this.states.values()].filter((s) => s.check?.displayOf(abs) !== undefined);
    for (const s of candidates) {
      const check = s.timer || !s.check ? this.run(s) : s.check;
      const display = check.displayOf(abs);
      if (display !== undefined) return { check, display };
    }
    return undefined;
  }

  dispose(): void {
    for (const s of this.states.values()) if (s.timer) clearTimeout(s.timer);
  }
}

// Parsed files, kept between checks: a file whose text has not changed is not parsed again, and a
// file that changed is re-parsed incrementally around the edit when that is exact (reparse.ts). One
// entry per display path (its latest text), so the cache never outgrows the workspace.

import type { SourceFile } from "../source.js";
import { parseFile } from "../semantic/frontend.js";
import { reparse, type Parsed } from "./reparse.js";

export class ParseCache {
  private readonly entries = new Map<string, { text: string; parsed: Parsed }>();
  /** Files reused unchanged, re-parsed around an edit, parsed whole. */
  hits = 0;
  incremental = 0;
  misses = 0;

  parse = (file: SourceFile): Parsed => {
    const e = this.entries.get(file.path);
    if (e && e.text === file.text) {
      this.hits++;
      return { ast: e.parsed.ast, diagnostics: [...e.parsed.diagnostics] };
    }
    const inc = e ? reparse(e.text, e.parsed, file) : undefined;
    if (inc) this.incremental++;
    else this.misses++;
    const parsed = inc ?? parseFile(file);
    this.entries.set(file.path, { text: file.text, parsed });
    return { ast: parsed.ast, diagnostics: [...parsed.diagnostics] };
  };
}

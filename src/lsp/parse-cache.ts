// Parsed files, kept between checks: a file whose text has not changed is not parsed again. One
// entry per display path (its latest text), so the cache never outgrows the workspace.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { File } from "../syntax/ast.js";
import type { SourceFile } from "../source.js";
import { parseFile } from "../semantic/frontend.js";

type Parsed = { ast: File; diagnostics: Diagnostic[] };

export class ParseCache {
  private readonly entries = new Map<string, { text: string; parsed: Parsed }>();
  hits = 0;
  misses = 0;

  parse = (file: SourceFile): Parsed => {
    const e = this.entries.get(file.path);
    if (e && e.text === file.text) {
      this.hits++;
      return { ast: e.parsed.ast, diagnostics: [...e.parsed.diagnostics] };
    }
    this.misses++;
    const parsed = parseFile(file);
    this.entries.set(file.path, { text: file.text, parsed });
    return { ast: parsed.ast, diagnostics: [...parsed.diagnostics] };
  };
}

// The editor's workspace: its root folders, the open documents, and which project a file belongs to.
//
// Projects follow the command line's rule (src/cli/projects.ts): under a workspace folder, the first
// directory on the way down to a file that directly contains `.pol` files is that file's project,
// every `.pol` file below it included; imports may not leave the workspace folder (the project root).
// A file outside every workspace folder is a project of its own directory. Open documents count as
// present even before they are saved.

import { readdirSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { uriToPath } from "./positions.js";

export interface ProjectKey {
  /** The project directory (the `polc check` entry). */
  readonly dir: string;
  /** The project root: imports are confined to it and paths are shown relative to it. */
  readonly root: string;
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}

export class Workspace {
  private readonly roots: string[] = [];
  private readonly docs = new Map<string, TextDocument>(); // by absolute path

  constructor(
    roots: readonly string[],
    readonly stdlibRoot: string,
  ) {
    // Longest first, so a nested workspace folder wins.
    this.roots = roots.map((r) => resolve(r)).sort((a, b) => b.length - a.length);
  }

  setDocument(doc: TextDocument): void {
    const abs = uriToPath(doc.uri);
    if (abs) this.docs.set(abs, doc);
  }

  removeDocument(uri: string): void {
    const abs = uriToPath(uri);
    if (abs) this.docs.delete(abs);
  }

  document(abs: string): TextDocument | undefined {
    return this.docs.get(abs);
  }

  openText = (abs: string): string | undefined => this.docs.get(abs)?.getText();

  /** Every open document's text by absolute path. */
  openTexts(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [abs, doc] of this.docs) out[abs] = doc.getText();
    return out;
  }

  openDocuments(): TextDocument[] {
    return [...this.docs.values()];
  }

  isStdlib(abs: string): boolean {
    return inside(this.stdlibRoot, abs);
  }

  private hasPolFiles(dir: string): boolean {
    for (const abs of this.docs.keys()) if (abs.endsWith(".pol") && dirname(abs) === dir) return true;
    try {
      return readdirSync(dir, { withFileTypes: true }).some((e) => e.isFile() && e.name.endsWith(".pol"));
    } catch {
      return false;
    }
  }

  /** The project of a `.pol` file; undefined for standard-library files (they belong to every
   *  project that imports them). */
  projectOf(abs: string): ProjectKey | undefined {
    if (this.isStdlib(abs)) return undefined;
    const root = this.roots.find((r) => inside(r, abs));
    if (!root) return { dir: dirname(abs), root: dirname(abs) };
    const parts = relative(root, dirname(abs)).split(sep).filter(Boolean);
    let dir = root;
    for (let i = 0; ; i++) {
      if (this.hasPolFiles(dir) || i >= parts.length) return { dir, root };
      dir = join(dir, parts[i]!);
    }
  }

  /** Entries to check for a project: its directory, plus open files below it not on disk yet. */
  entries(key: ProjectKey): string[] {
    const extra = [...this.docs.keys()].filter((abs) => abs.endsWith(".pol") && inside(key.dir, abs));
    return [key.dir, ...extra];
  }
}

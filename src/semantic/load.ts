// Loading a program: the entry files (directories: every `.pol` file below them), then everything they
// import, each file once. `import "std/x"` loads stdlib/std/x.pol; any other import is a path relative
// to the importing file, confined to the project root (standard-library files: to the stdlib root).
// Missing files, escaping paths and import cycles are diagnostics; nothing here throws on bad input.

import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { File, Import } from "../syntax/ast.js";
import { makeSourceFile, SourceMap, type SourceFile, type Span } from "../source.js";
import { suggest } from "../diag/suggest.js";
import { Reporter } from "./report.js";
import { parseFile, readSource } from "./frontend.js";

export interface LoadOptions {
  projectRoot: string;
  /** Default: `<package root>/stdlib`. */
  stdlibRoot?: string;
  /** Reads a file by absolute path; undefined = it does not exist. Default: the file system. */
  readFile?: (absPath: string) => Uint8Array | undefined;
  /** Parses a decoded file. Default: the front end's parser. (The language server passes a cache.) */
  parse?: (file: SourceFile) => { ast: File; diagnostics: Diagnostic[] };
}

export interface LoadedFile {
  ast: File;
  origin: "project" | "stdlib";
  /** Absolute path on disk (or in the `readFile` namespace). */
  absPath: string;
  /** Import edges: the import node and the display path of the file it loads. */
  imports: { node: Import; target: string }[];
}

export interface LoadedProgram {
  sources: SourceMap;
  files: LoadedFile[];
  diagnostics: Diagnostic[];
  /** Every name declared by a standard-library module, loaded or not: name -> `std/<module>`. */
  stdlibIndex: Map<string, string>;
}

/** The package root: src/semantic/load.ts and dist/semantic/load.js both sit two levels below it. */
export function defaultStdlibRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "stdlib");
}

function toSlash(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}

interface Fs {
  read(abs: string): Uint8Array | undefined;
  isDir(abs: string): boolean;
  list(abs: string): string[];
}

function makeFs(readFile?: (p: string) => Uint8Array | undefined): Fs {
  return {
    read(abs) {
      if (readFile) {
        const r = readFile(abs);
        if (r !== undefined) return r;
      }
      try {
        return statSync(abs).isFile() ? readFileSync(abs) : undefined;
      } catch {
        return undefined;
      }
    },
    isDir(abs) {
      try {
        return statSync(abs).isDirectory();
      } catch {
        return false;
      }
    },
    list(abs) {
      try {
        return readdirSync(abs).sort();
      } catch {
        return [];
      }
    },
  };
}

/** Every `.pol` file below `dir`, sorted, skipping node_modules and dot-directories (and directories
 *  already visited through a symbolic link). */
function walkDir(fs: Fs, dir: string, out: string[], seen = new Set<string>()): void {
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    // keep the path as given
  }
  if (seen.has(real)) return;
  seen.add(real);
  for (const name of fs.list(dir)) {
    const abs = join(dir, name);
    if (fs.isDir(abs)) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      walkDir(fs, abs, out, seen);
    } else if (name.endsWith(".pol")) out.push(abs);
  }
}

export function loadProgram(entries: readonly string[], opts: LoadOptions): LoadedProgram {
  const projectRoot = resolve(opts.projectRoot);
  const stdlibRoot = resolve(opts.stdlibRoot ?? defaultStdlibRoot());
  const stdDir = join(stdlibRoot, "std");
  const fs = makeFs(opts.readFile);
  const report = new Reporter();
  const diagnostics: Diagnostic[] = [];
  const sources = new SourceMap();
  const loaded = new Map<string, LoadedFile>(); // by absolute path

  const displayOf = (abs: string): { path: string; origin: "project" | "stdlib" } =>
    inside(stdlibRoot, abs) ? { path: toSlash(relative(stdlibRoot, abs)), origin: "stdlib" } : { path: toSlash(relative(projectRoot, abs)), origin: "project" };

  const load = (abs: string, from?: Span): LoadedFile | undefined => {
    const existing = loaded.get(abs);
    if (existing) return existing;
    const { path, origin } = displayOf(abs);
    const bytes = fs.read(abs);
    if (bytes === undefined) {
      report.emit("POL1001", from ?? { file: path, start: 0, end: 0 }, `cannot read \`${path}\``, {
        help: "check that the file exists and is readable",
      });
      return undefined;
    }
    const read = readSource(path, bytes);
    diagnostics.push(...read.diagnostics);
    if (!read.file) {
      // Not text (reported by the front end); register an empty source so the span renders.
      sources.add(makeSourceFile(path, ""));
      return undefined;
    }
    sources.add(read.file);
    const parsed = (opts.parse ?? parseFile)(read.file);
    diagnostics.push(...parsed.diagnostics);
    const file: LoadedFile = { ast: parsed.ast, origin, absPath: abs, imports: [] };
    loaded.set(abs, file);
    for (const item of parsed.ast.items) {
      if (item.kind !== "Import" || item.recovered || item.path.recovered) continue;
      const target = resolveImport(item, abs, origin);
      if (!target) continue;
      const t = load(target, item.path.span);
      if (t) file.imports.push({ node: item, target: t.ast.path });
    }
    return file;
  };

  const resolveImport = (node: Import, importer: string, origin: "project" | "stdlib"): string | undefined => {
    const text = node.path.value;
    const span = node.path.span;
    if (text.startsWith("std/")) {
      const name = text.slice(4).replace(/\.pol$/, "");
      const modules = fs.list(stdDir).filter((f) => f.endsWith(".pol")).map((f) => f.slice(0, -4));
      if (!modules.includes(name)) {
        const close = suggest(name, modules).map((m) => `std/${m}`);
        report.emit("POL1006", span, `no standard library module \`${text}\``, {
          label: "not in the standard library",
          notes: [`the standard library has ${modules.map((m) => `\`std/${m}\``).join(", ")}`],
          help: close.length ? `did you mean \`${close[0]}\`?` : "import one of the modules listed above, or a file of your project (`./path`)",
        });
        return undefined;
      }
      return join(stdDir, `${name}.pol`);
    }
    if (text.trim() === "") {
      report.emit("POL1005", span, "empty import path", { help: 'name a file: `import "./common"` or `import "std/k8s"`' });
      return undefined;
    }
    if (isAbsolute(text) || text.startsWith("/") || /^[A-Za-z]:[\\/]/.test(text)) {
      report.emit("POL1003", span, `import path \`${text}\` is absolute`, {
        label: "absolute path",
        notes: ["imports are relative to the importing file, so that a project compiles the same on every machine"],
        help: "write the path relative to this file, e.g. `./lib/nets`",
      });
      return undefined;
    }
    const root = origin === "stdlib" ? stdlibRoot : projectRoot;
    const withExt = text.endsWith(".pol") ? text : `${text}.pol`;
    const target = resolve(dirname(importer), withExt);
    if (!inside(root, target)) {
      report.emit("POL1004", span, `import \`${text}\` leaves the ${origin === "stdlib" ? "standard library" : "project root"}`, {
        label: `resolves to a file outside the ${origin === "stdlib" ? "standard library" : "project root"}`,
        notes: ["imports are confined to the project root (`--root`, default: the current directory)"],
        help: "move the file into the project, or run polc with a `--root` that contains it",
      });
      return undefined;
    }
    if (fs.read(target) === undefined) {
      const dir = dirname(target);
      const isDir = fs.isDir(resolve(dirname(importer), text));
      const siblings = fs.list(dir).filter((f) => f.endsWith(".pol"));
      const close = suggest(basename(target), siblings);
      const rel = (f: string) => {
        const r = toSlash(relative(dirname(importer), join(dir, f))).replace(/\.pol$/, "");
        return r.startsWith(".") ? r : `./${r}`;
      };
      report.emit("POL1005", span, isDir ? `import \`${text}\` names a directory` : `cannot find \`${toSlash(relative(projectRoot, target))}\``, {
        label: isDir ? "imports name files" : "no such file",
        help: isDir
          ? `import the files in it one by one, e.g. \`import "${text.replace(/\/$/, "")}/common"\``
          : close.length
            ? `did you mean \`${rel(close[0]!)}\`?`
            : "check the path: it is relative to the importing file, and `.pol` may be left out",
      });
      return undefined;
    }
    return target;
  };

  // Entries: files and directories, sorted so the result does not depend on the order given.
  const entryFiles = new Set<string>();
  for (const e of entries) {
    const abs = resolve(projectRoot, e);
    if (fs.isDir(abs)) {
      const found: string[] = [];
      walkDir(fs, abs, found);
      for (const f of found) entryFiles.add(f);
    } else entryFiles.add(abs);
  }
  for (const abs of [...entryFiles].sort()) {
    if (!inside(projectRoot, abs) && !inside(stdlibRoot, abs)) {
      const shown = toSlash(relative(projectRoot, abs));
      report.emit("POL1002", { file: shown, start: 0, end: 0 }, `\`${shown}\` is outside the project root`, {
        notes: ["paths are shown and imports resolved relative to the project root"],
        help: "run polc from the project's directory, or pass `--root` with a directory that contains every file",
      });
      continue;
    }
    load(abs);
  }

  const files = [...loaded.values()].sort((a, b) => (a.ast.path < b.ast.path ? -1 : a.ast.path > b.ast.path ? 1 : 0));
  findCycles(files, report);
  return { sources, files, diagnostics: [...diagnostics, ...report.diagnostics], stdlibIndex: stdlibIndex(fs, stdDir, loaded) };
}

/** Import cycles, each reported once at the import that closes it, with the whole chain. */
function findCycles(files: readonly LoadedFile[], report: Reporter): void {
  const byPath = new Map(files.map((f) => [f.ast.path, f]));
  const state = new Map<string, "active" | "done">();
  const stack: { file: LoadedFile; via?: Import }[] = [];
  const visit = (f: LoadedFile, via?: Import): void => {
    state.set(f.ast.path, "active");
    stack.push({ file: f, via });
    const edges = [...f.imports].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : a.node.span.start - b.node.span.start));
    for (const edge of edges) {
      const s = state.get(edge.target);
      const t = byPath.get(edge.target);
      if (!t) continue;
      if (s === "active") {
        const at = stack.findIndex((x) => x.file === t);
        const chain = stack.slice(at);
        const names = [...chain.map((c) => `\`${c.file.ast.path}\``), `\`${t.ast.path}\``].join(" -> ");
        report.emit("POL1007", edge.node.path.span, `import cycle: ${names}`, {
          label: "this import closes the cycle",
          secondary: chain
            .slice(1)
            .map((c) => c.via)
            .filter((v): v is Import => v !== undefined)
            .map((v) => ({ span: v.path.span, message: "imported here" })),
          notes: ["all files share one scope, so a file never needs to import a file that imports it"],
          help: "remove one of these imports, or move the shared declarations into a file that imports nothing from the cycle",
        });
      } else if (s === undefined) visit(t, edge.node);
    }
    stack.pop();
    state.set(f.ast.path, "done");
  };
  for (const f of files) if (!state.has(f.ast.path)) visit(f);
}

/** Names declared in every standard-library module, for "add `import "std/k8s"`" hints. */
function stdlibIndex(fs: Fs, stdDir: string, loaded: ReadonlyMap<string, LoadedFile>): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fs.list(stdDir)) {
    if (!f.endsWith(".pol")) continue;
    const abs = join(stdDir, f);
    let ast = loaded.get(abs)?.ast;
    if (!ast) {
      const bytes = fs.read(abs);
      if (!bytes) continue;
      const file = readSource(`std/${f}`, bytes).file;
      if (!file) continue;
      ast = parseFile(file).ast;
    }
    const module = `std/${f.slice(0, -4)}`;
    for (const item of ast.items) {
      if (item.kind === "Tier" || item.kind === "Group" || item.kind === "Namespaces" || item.kind === "Net" || item.kind === "Service") {
        if (!out.has(item.name.name)) out.set(item.name.name, module);
      }
    }
  }
  return out;
}

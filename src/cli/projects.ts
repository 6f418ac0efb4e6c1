// How command-line paths become compilation units ("projects").
//
// - Files named on the command line form one project together.
// - A directory that directly contains .pol files is one project (every .pol file below it).
// - A directory without .pol files of its own is a folder of projects: each child directory is
//   considered the same way. So `polc check examples/` checks each example on its own.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** True when some `.pol` file lies below `dir` (hidden folders and node_modules aside). */
function hasPol(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some(
    (e) => (e.isFile() && e.name.endsWith(".pol")) || (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules" && hasPol(join(dir, e.name))),
  );
}

/** A directory without a single `.pol` file below it (a usage error: nothing to do). */
export function isEmptyDir(path: string): boolean {
  return statSync(path).isDirectory() && !hasPol(path);
}

function isPolDir(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) => e.isFile() && e.name.endsWith(".pol"));
}

function expandDir(dir: string, out: string[][]): void {
  if (isPolDir(dir)) {
    out.push([dir]);
    return;
  }
  const children = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules")
    .map((e) => e.name)
    .sort();
  for (const c of children) expandDir(join(dir, c), out);
}

/** Absolute paths in, projects (lists of entries) out, in a stable order. */
export function projectsOf(paths: readonly string[]): string[][] {
  const files = paths.filter((p) => !statSync(p).isDirectory());
  const out: string[][] = [];
  if (files.length) out.push([...files].sort());
  for (const d of paths.filter((p) => statSync(p).isDirectory())) expandDir(d, out);
  return out;
}

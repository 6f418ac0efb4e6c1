// The CI formats of `polc check|compile --format sarif|github`: works out what the renderers need
// (tool version, project and standard-library roots, which files are the standard library's) and
// returns the text to print.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "./diagnostic.js";
import type { SourceMap } from "../source.js";
import { toSarif } from "./render-sarif.js";
import { renderGithub } from "./render-github.js";

export type CiFormat = "sarif" | "github";

export function isCiFormat(f: string | undefined): f is CiFormat {
  return f === "sarif" || f === "github";
}

// src/diag/ and dist/diag/ both sit two levels below the package root. (Not imported from the loader,
// so that loading the CLI does not load the parser.)
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function packageVersion(): string {
  try {
    const pkg = join(packageRoot, "package.json");
    return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

/** A display path is the standard library's when it is `std/…`, exists there and not in the project. */
export function stdlibPredicate(projectRoot: string, stdlibRoot: string): (path: string) => boolean {
  return (path) => path.startsWith("std/") && existsSync(join(stdlibRoot, path)) && !existsSync(join(projectRoot, path));
}

export function renderCi(format: CiFormat, diags: readonly Diagnostic[], sources: SourceMap, projectRoot: string): string {
  const root = resolve(projectRoot);
  const stdlibRoot = join(packageRoot, "stdlib");
  const isStdlib = stdlibPredicate(root, stdlibRoot);
  if (format === "github") return renderGithub(diags, sources, { isStdlib });
  return JSON.stringify(toSarif(diags, sources, { toolVersion: packageVersion(), projectRoot: root, stdlibRoot, isStdlib }), null, 2);
}

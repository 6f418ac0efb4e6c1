// Shared by the formatter tests: format with the plugin, and the meaning of a source as IR JSON with
// every span replaced (formatting moves lines, never meaning).

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import plugin from "../../src/format/plugin.js";
import { checkPaths } from "../../src/semantic/index.js";
import { lower } from "../../src/ir/lower.js";
import { irToJson } from "../../src/ir/json.js";
import { parseSource } from "../../src/syntax/parse.js";
import { makeSourceFile } from "../../src/source.js";
import { renderText } from "../../src/diag/render.js";

export const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

export function format(text: string, options: prettier.Options = {}): Promise<string> {
  return prettier.format(text, { parser: "pol", plugins: [plugin], filepath: "input.pol", ...options });
}

/** Front-end errors of a source (empty when it parses cleanly). */
export function syntaxErrors(text: string): string[] {
  return parsed(text).errors;
}

function stripSpans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSpans);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("file" in o && "start" in o && "end" in o) return "<span>";
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, stripSpans(x)]));
  }
  return v;
}

/** The IR of `text` compiled as the file `path` (imports resolved from the repository), spans
 *  removed; or the rendered diagnostics when it does not check. */
export function meaning(text: string, path = join(REPO, "test/format/virtual/main.pol")): { ir?: string; errors?: string } {
  const bytes = new TextEncoder().encode(text);
  const r = checkPaths([path], {
    projectRoot: REPO,
    readFile: (abs) => (abs === path ? bytes : existsSync(abs) ? readFileSync(abs) : undefined),
  });
  if (!r.model) return { errors: renderText(r.diagnostics, r.sources) };
  const lowered = lower(r.model);
  if (!lowered.ir) return { errors: renderText(lowered.diagnostics, r.sources) };
  return { ir: JSON.stringify(stripSpans(JSON.parse(irToJson(lowered.ir)))) };
}

/** Every comment's text (line comments without trailing blanks), sorted: the multiset to compare. */
export function commentTexts(text: string): string[] {
  return parsed(text).comments;
}

/** One parse: front-end errors and the comment multiset. */
export function parsed(text: string): { errors: string[]; comments: string[] } {
  const r = parseSource(makeSourceFile("input.pol", text));
  return {
    errors: r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`),
    comments: r.ast.comments.map((c) => (c.block ? c.text : c.text.trimEnd())).sort(),
  };
}

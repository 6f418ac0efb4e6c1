// SARIF 2.1.0 output (`--format sarif`): one run of the `polc` driver. Rules are the codes that
// occur, with their title and the long `polc explain` text as help; results point at the primary span
// (1-based regions, UTF-16 columns, artifact URIs relative to the project root), secondary spans
// become related locations, and machine-applicable fixes become SARIF fixes.
//
// Standard-library files live outside the project, so their URIs are relative to a second base,
// `POLC_STDLIB`; project files are relative to `%SRCROOT%` (what GitHub code scanning expects).

import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { Diagnostic, Label, Severity } from "./diagnostic.js";
import { codeInfo } from "./codes.js";
import { lineColOf, type SourceMap } from "../source.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const SRCROOT = "%SRCROOT%";
export const STDLIB_BASE = "POLC_STDLIB";

export interface SarifOptions {
  toolVersion: string;
  /** Absolute project root: project artifact URIs are relative to it. */
  projectRoot: string;
  /** Absolute standard-library root (the directory holding `std/`), for `POLC_STDLIB`. */
  stdlibRoot?: string;
  /** Whether a display path names a standard-library file. Default: none does. */
  isStdlib?: (path: string) => boolean;
}

type Json = Record<string, unknown>;

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** A display path (`/`-separated, relative) as a URI reference: each segment percent-encoded. */
export function pathToUriReference(path: string): string {
  return path
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

function dirUri(abs: string): string {
  const href = pathToFileURL(abs).href;
  return href.endsWith("/") ? href : `${href}/`;
}

class SarifBuilder {
  private readonly artifacts = new Map<string, number>();
  private readonly artifactList: Json[] = [];

  constructor(
    private readonly sources: SourceMap,
    private readonly opts: SarifOptions,
  ) {}

  artifactLocation(path: string): Json {
    const stdlib = this.opts.isStdlib?.(path) ?? false;
    let index = this.artifacts.get(path);
    const loc = { uri: pathToUriReference(path), uriBaseId: stdlib ? STDLIB_BASE : SRCROOT };
    if (index === undefined) {
      index = this.artifactList.length;
      this.artifacts.set(path, index);
      this.artifactList.push({ location: loc, sourceLanguage: "pol", roles: ["analysisTarget"] });
    }
    return { ...loc, index };
  }

  /** 1-based region of a span; undefined when the file's text is unknown. */
  region(label: Label): Json | undefined {
    const f = this.sources.get(label.span.file);
    if (!f) return undefined;
    const startOff = Math.max(0, Math.min(label.span.start, f.text.length));
    const endOff = Math.max(startOff, Math.min(label.span.end, f.text.length));
    const s = lineColOf(f, startOff);
    const e = lineColOf(f, endOff);
    return {
      startLine: s.line,
      startColumn: s.column,
      endLine: e.line,
      endColumn: e.column,
      charOffset: startOff,
      charLength: endOff - startOff,
      ...(endOff > startOff ? { snippet: { text: f.text.slice(startOff, endOff) } } : {}),
    };
  }

  physical(label: Label): Json {
    const region = this.region(label);
    return { artifactLocation: this.artifactLocation(label.span.file), ...(region ? { region } : {}) };
  }

  fixes(d: Diagnostic): Json[] | undefined {
    if (!d.fix || d.fix.edits.length === 0) return undefined;
    const byFile = new Map<string, Json[]>();
    for (const edit of d.fix.edits) {
      const region = this.region({ span: edit.span });
      if (!region) return undefined; // a fix we cannot place is no fix
      const { snippet: _s, ...deletedRegion } = region;
      const list = byFile.get(edit.span.file) ?? [];
      list.push({ deletedRegion, insertedContent: { text: edit.newText } });
      byFile.set(edit.span.file, list);
    }
    const artifactChanges = [...byFile].map(([file, replacements]) => ({ artifactLocation: this.artifactLocation(file), replacements }));
    return [{ description: { text: d.fix.title }, artifactChanges }];
  }

  get artifactsJson(): Json[] {
    return this.artifactList;
  }
}

function messageText(d: Diagnostic): string {
  const lines = [d.message];
  for (const n of d.notes ?? []) lines.push(`note: ${n}`);
  if (d.help) lines.push(`help: ${d.help}`);
  return lines.join("\n");
}

function fingerprint(d: Diagnostic): string {
  return createHash("sha256").update(`${d.code}\u0000${d.primary.span.file}\u0000${d.message}`).digest("hex").slice(0, 32);
}

/** The rule descriptor of a code: title, first paragraph, the whole explanation as help. */
function rule(code: string, fallback: Severity): Json {
  const info = codeInfo(code);
  if (!info) return { id: code, shortDescription: { text: code }, defaultConfiguration: { level: LEVEL[fallback] } };
  const explanation = info.explanation.trim();
  const firstParagraph = explanation.split(/\n\s*\n/)[0]!.replace(/\s*\n\s*/g, " ");
  const name = info.title.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());
  return {
    id: info.code,
    name,
    shortDescription: { text: info.title },
    fullDescription: { text: firstParagraph },
    help: { text: explanation, markdown: "```text\n" + explanation + "\n```\n\nRun `polc explain " + info.code + "` for this text in a terminal." },
    defaultConfiguration: { level: LEVEL[info.severity] },
  };
}

/** The SARIF 2.1.0 log of one polc run over `diags`. */
export function toSarif(diags: readonly Diagnostic[], sources: SourceMap, opts: SarifOptions): Json {
  const b = new SarifBuilder(sources, opts);
  const codes = [...new Set(diags.map((d) => d.code))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((c) => rule(c, diags.find((d) => d.code === c)!.severity));
  const results = diags.map((d) => {
    const fixes = b.fixes(d);
    const related = (d.secondary ?? []).map((l, i) => ({
      id: i + 1,
      physicalLocation: b.physical(l),
      ...(l.message ? { message: { text: l.message } } : {}),
    }));
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: messageText(d) },
      locations: [{ physicalLocation: b.physical(d.primary), ...(d.primary.message ? { message: { text: d.primary.message } } : {}) }],
      ...(related.length ? { relatedLocations: related } : {}),
      ...(fixes ? { fixes } : {}),
      partialFingerprints: { "polcDiagnostic/v1": fingerprint(d) },
    };
  });
  const bases: Json = { [SRCROOT]: { uri: dirUri(opts.projectRoot), description: { text: "The project root." } } };
  if (opts.stdlibRoot) bases[STDLIB_BASE] = { uri: dirUri(opts.stdlibRoot), description: { text: "The polc standard library." } };
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "polc",
            version: opts.toolVersion,
            ...(/^\d+\.\d+\.\d+/.test(opts.toolVersion) ? { semanticVersion: opts.toolVersion } : {}),
            rules,
          },
        },
        invocations: [{ executionSuccessful: true }],
        originalUriBaseIds: bases,
        artifacts: b.artifactsJson,
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

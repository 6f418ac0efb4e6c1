// Diagnostic renderers: rustc-style text with code frames (colour only when asked, i.e. on a TTY),
// and JSON (the same model with 1-based line/column added).

import type { Diagnostic, Label, Severity } from "./diagnostic.js";
import { lineColOf, lineText, type SourceMap, type SourceFile } from "../source.js";

export interface TextOptions {
  color?: boolean;
}

const ANSI = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  blue: "\u001b[34m",
  cyan: "\u001b[36m",
};

function paint(on: boolean, codes: string, s: string): string {
  return on ? `${codes}${s}${ANSI.reset}` : s;
}

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };

/** Expand tabs to 4-column stops so carets line up with what the terminal shows. */
function expandTabs(text: string): { text: string; map: (col0: number) => number } {
  const cols: number[] = [];
  let out = "";
  for (let i = 0; i < text.length; i++) {
    cols.push(out.length);
    if (text[i] === "\t") out += " ".repeat(4 - (out.length % 4));
    else out += text[i];
  }
  cols.push(out.length);
  return { text: out, map: (c) => cols[Math.min(c, cols.length - 1)]! };
}

/** Control characters (other than tab, already expanded) would reach the terminal as they are: a
 *  source could then move the cursor or recolour what CI shows. One visible character stands in for each. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "\ufffd");
}

/** Code-frame lines longer than this are cut around their marks, with `…` where text is left out. */
const MAX_FRAME_WIDTH = 120;
const CONTEXT = 24;

/** The part of a (tab-expanded) line to show and how columns move: the whole line when it is short,
 *  else a window that starts a little before the first mark. */
function frameWindow(text: string, marks: readonly { from: number; to: number }[]): { text: string; col: (c: number) => number } {
  if (text.length <= MAX_FRAME_WIDTH) return { text, col: (c) => c };
  const first = Math.min(...marks.map((m) => m.from));
  const lo = Math.max(0, Math.min(first - CONTEXT, text.length - MAX_FRAME_WIDTH));
  const hi = Math.min(text.length, lo + MAX_FRAME_WIDTH);
  const lead = lo > 0 ? 1 : 0;
  const shown = (lead ? "…" : "") + text.slice(lo, hi) + (hi < text.length ? "…" : "");
  return { text: shown, col: (c) => Math.max(lo, Math.min(c, hi)) - lo + lead };
}

interface FrameLine {
  line: number;
  marks: { from: number; to: number; primary: boolean; message?: string }[];
}

function frameLines(file: SourceFile, labels: { label: Label; primary: boolean }[]): FrameLine[] {
  const byLine = new Map<number, FrameLine>();
  for (const { label, primary } of labels) {
    const start = lineColOf(file, Math.max(0, Math.min(label.span.start, file.text.length)));
    const endOff = Math.max(label.span.start, Math.min(label.span.end, file.text.length));
    const end = lineColOf(file, endOff);
    const text = lineText(file, start.line);
    const from = start.column - 1;
    // Multi-line spans are marked on their first line only, to the end of that line.
    let to = end.line === start.line ? end.column - 1 : Math.max(text.length, from + 1);
    if (to <= from) to = from + 1;
    let fl = byLine.get(start.line);
    if (!fl) {
      fl = { line: start.line, marks: [] };
      byLine.set(start.line, fl);
    }
    fl.marks.push({ from, to, primary, message: label.message });
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

function renderFrame(file: SourceFile, labels: { label: Label; primary: boolean }[], color: boolean, sev: Severity): string[] {
  const lines = frameLines(file, labels);
  if (lines.length === 0) return [];
  const width = String(lines[lines.length - 1]!.line).length;
  const gutter = (n?: number) => paint(color, ANSI.blue + ANSI.bold, `${n === undefined ? " ".repeat(width) : String(n).padStart(width)} |`);
  const out: string[] = [gutter()];
  let prev = -1;
  for (const fl of lines) {
    if (prev !== -1 && fl.line > prev + 1) out.push(paint(color, ANSI.blue + ANSI.bold, "...".padEnd(width + 2)));
    prev = fl.line;
    const raw = lineText(file, fl.line);
    const expanded = expandTabs(raw);
    const map = expanded.map;
    const win = frameWindow(expanded.text, fl.marks.map((m) => ({ from: map(m.from), to: map(m.to) })));
    out.push(`${gutter(fl.line)} ${visible(win.text)}`.trimEnd());
    // One underline row per mark, primary first, ordered by column.
    const marks = [...fl.marks].sort((a, b) => (a.primary === b.primary ? a.from - b.from : a.primary ? -1 : 1));
    for (const m of marks) {
      const from = win.col(map(m.from));
      const to = Math.max(from + 1, win.col(map(m.to)));
      const ch = m.primary ? "^" : "-";
      const col = m.primary ? SEVERITY_COLOR[sev] + ANSI.bold : ANSI.blue + ANSI.bold;
      const underline = " ".repeat(from) + ch.repeat(to - from) + (m.message ? ` ${m.message}` : "");
      out.push(`${gutter()} ${paint(color, col, underline)}`);
    }
  }
  return out;
}

function location(sources: SourceMap, label: Label): string {
  const file = sources.get(label.span.file);
  if (!file) return label.span.file;
  const { line, column } = lineColOf(file, label.span.start);
  return `${label.span.file}:${line}:${column}`;
}

/** Render one diagnostic the way a user sees it in a terminal. */
export function renderDiagnostic(d: Diagnostic, sources: SourceMap, opts: TextOptions = {}): string {
  const color = opts.color ?? false;
  const head = `${paint(color, SEVERITY_COLOR[d.severity] + ANSI.bold, `${d.severity}[${d.code}]`)}${paint(color, ANSI.bold, `: ${d.message}`)}`;
  const out: string[] = [head];
  const arrow = paint(color, ANSI.blue + ANSI.bold, "-->");
  out.push(`  ${arrow} ${location(sources, d.primary)}`);
  const primaryFile = sources.get(d.primary.span.file);
  const sameFile = (d.secondary ?? []).filter((l) => l.span.file === d.primary.span.file);
  const otherFiles = (d.secondary ?? []).filter((l) => l.span.file !== d.primary.span.file);
  if (primaryFile) {
    out.push(...renderFrame(primaryFile, [{ label: d.primary, primary: true }, ...sameFile.map((label) => ({ label, primary: false }))], color, d.severity));
  }
  for (const l of otherFiles) {
    const f = sources.get(l.span.file);
    out.push(`  ${paint(color, ANSI.blue + ANSI.bold, ":::")} ${location(sources, l)}`);
    if (f) out.push(...renderFrame(f, [{ label: l, primary: false }], color, d.severity));
  }
  const eq = paint(color, ANSI.blue + ANSI.bold, "=");
  // Notes line up with the widest gutter of the frame (the largest line number shown with the primary).
  const shown = primaryFile ? [d.primary, ...sameFile].map((l) => lineColOf(primaryFile, Math.min(l.span.start, primaryFile.text.length)).line) : [1];
  const pad = " ".repeat(Math.max(2, String(Math.max(...shown)).length + 1));
  for (const n of d.notes ?? []) out.push(`${pad}${eq} ${paint(color, ANSI.bold, "note")}: ${n}`);
  if (d.help) out.push(`${pad}${eq} ${paint(color, ANSI.bold, "help")}: ${d.help}`);
  return out.join("\n");
}

export function summaryLine(diags: readonly Diagnostic[]): string {
  const e = diags.filter((d) => d.severity === "error").length;
  const w = diags.filter((d) => d.severity === "warning").length;
  const parts: string[] = [];
  if (e) parts.push(`${e} error${e === 1 ? "" : "s"}`);
  if (w) parts.push(`${w} warning${w === 1 ? "" : "s"}`);
  const i = diags.length - e - w;
  if (i) parts.push(`${i} info${i === 1 ? "" : "s"}`);
  if (!e && !w && !i) return "no problems found";
  return `${parts.join(", ")} emitted`;
}

/** All diagnostics as text, separated by blank lines, no summary. */
export function renderText(diags: readonly Diagnostic[], sources: SourceMap, opts: TextOptions = {}): string {
  return diags.map((d) => renderDiagnostic(d, sources, opts)).join("\n\n");
}

export interface JsonPosition {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  start: number;
  end: number;
}

function jsonPos(sources: SourceMap, label: Label): JsonPosition {
  const f = sources.get(label.span.file);
  const s = f ? lineColOf(f, label.span.start) : { line: 0, column: 0 };
  const e = f ? lineColOf(f, label.span.end) : { line: 0, column: 0 };
  return { file: label.span.file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, start: label.span.start, end: label.span.end };
}

/** The diagnostics as a JSON-serialisable array (stable key order). */
export function toJson(diags: readonly Diagnostic[], sources: SourceMap): unknown[] {
  return diags.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    location: jsonPos(sources, d.primary),
    ...(d.primary.message ? { label: d.primary.message } : {}),
    secondary: (d.secondary ?? []).map((l) => ({ location: jsonPos(sources, l), ...(l.message ? { label: l.message } : {}) })),
    notes: d.notes ?? [],
    ...(d.help ? { help: d.help } : {}),
    ...(d.fix ? { fix: { title: d.fix.title, edits: d.fix.edits.map((e) => ({ location: jsonPos(sources, { span: e.span }), newText: e.newText })) } } : {}),
  }));
}

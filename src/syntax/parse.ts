// The front end's entry point: text → tokens → CST (with error recovery) → AST, with every lexical and
// syntax problem as a Diagnostic. Never throws.

import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { SourceFile, Span } from "../source.js";
import type * as A from "./ast.js";
import { AstBuilder } from "./cst-to-ast.js";
import { fastParse } from "./fast-parse.js";
import { polParser, ruleHelp } from "./parser.js";
import * as T from "./tokens.js";

/** Deepest selector nesting (parentheses) accepted; deeper input is reported, not parsed. */
export const MAX_NESTING = 64;
/** Syntax errors reported per file before the rest are summarised. */
export const MAX_SYNTAX_ERRORS = 100;

export interface ParseResult {
  ast: A.File;
  diagnostics: Diagnostic[];
}

const ITEM_START = new Set<string>(["Kw_import", "Kw_tier", "Kw_group", "Kw_namespaces", "Kw_net", "Kw_service", "Kw_guardrail", "Kw_policy", "Kw_flows", "Kw_flow", "Kw_staged"]);

function badTokenDiagnostic(t: IToken, path: string): Diagnostic {
  const span = { file: path, start: t.startOffset, end: t.startOffset + t.image.length };
  switch (t.tokenType) {
    case T.Amp:
      return { code: "POL0103", severity: "error", message: "`&` is not an operator", primary: { span }, help: "did you mean `&&`?" };
    case T.Pipe:
      return { code: "POL0103", severity: "error", message: "`|` is not an operator", primary: { span }, help: "did you mean `||`?" };
    default:
      return {
        code: "POL0105",
        severity: "error",
        message: "unterminated block comment",
        primary: { span: { file: path, start: t.startOffset, end: t.startOffset + 2 }, message: "this `/*` is never closed" },
        help: "close the comment with `*/`",
      };
  }
}

/** Finds selector nesting deeper than MAX_NESTING and removes the whole item around it from the
 *  token stream (chevrotain would otherwise recurse that deep), with one diagnostic. */
function limitNesting(tokens: IToken[], path: string, diags: Diagnostic[]): IToken[] {
  let depth = 0;
  let deepAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const k = tokens[i]!.tokenType;
    if (k === T.LParen) {
      depth++;
      if (depth > MAX_NESTING) {
        deepAt = i;
        break;
      }
    } else if (k === T.RParen) depth = Math.max(0, depth - 1);
  }
  if (deepAt < 0) return tokens;
  let start = deepAt;
  while (start > 0 && !ITEM_START.has(tokens[start]!.tokenType.name)) start--;
  let end = deepAt;
  depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const k = tokens[i]!.tokenType;
    if (k === T.LParen) depth++;
    else if (k === T.RParen) depth--;
    end = i;
    if (depth <= 0 && i > deepAt && i + 1 < tokens.length && ITEM_START.has(tokens[i + 1]!.tokenType.name)) break;
  }
  const t = tokens[deepAt]!;
  diags.push({
    code: "POL0203",
    severity: "error",
    message: `selector nested too deeply (more than ${MAX_NESTING} parentheses)`,
    primary: { span: { file: path, start: t.startOffset, end: t.startOffset + 1 }, message: `nesting level ${MAX_NESTING + 1} starts here` },
    notes: ["the declaration containing it was not parsed"],
    help: "remove redundant parentheses; `&&` binds tighter than `||`, so most selectors need none",
  });
  return [...tokens.slice(0, start), ...tokens.slice(end + 1)];
}

function errorSpan(e: IRecognitionException, path: string, text: string): Span {
  let t = e.token;
  if (t.tokenType === EOF || !Number.isFinite(t.startOffset) || t.startOffset < 0) {
    const prev = (e as { previousToken?: IToken }).previousToken;
    if (prev && Number.isFinite(prev.startOffset) && prev.startOffset >= 0) t = prev;
    else {
      const end = text.trimEnd().length;
      return { file: path, start: Math.max(0, end - 1), end: Math.max(0, end) };
    }
    if (t.tokenType !== EOF) {
      const end = (t.endOffset ?? t.startOffset) + 1;
      return { file: path, start: end, end };
    }
  }
  // Something is missing at the end of a line ("expected …, found `group`" on the next line): point at
  // the end of the line that is incomplete, where the user has to type, not at the next line's token.
  const prev = (e as { previousToken?: IToken }).previousToken;
  if (e.name !== "NotAllInputParsedException" && prev && prev.tokenType !== EOF && Number.isFinite(prev.endOffset)) {
    const prevEnd = (prev.endOffset ?? prev.startOffset) + 1;
    if (prevEnd <= t.startOffset && text.slice(prevEnd, t.startOffset).includes("\n")) return { file: path, start: prevEnd, end: prevEnd };
  }
  return { file: path, start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

function syntaxDiagnostic(e: IRecognitionException, path: string, text: string): Diagnostic {
  const span = errorSpan(e, path, text);
  const stack = e.context?.ruleStack ?? [];
  const rule = [...stack].reverse().find((r) => ruleHelp(r) !== undefined);
  const atEof = e.token.tokenType === EOF;
  const unexpected = e.name === "NotAllInputParsedException" || e.message.startsWith("unexpected ");
  let message = e.message;
  if (atEof) message = message.replace(/found end of file$/, "but the file ended");
  const help =
    (unexpected ? "every top-level item starts with a keyword such as `tier`, `group`, `guardrail` or `flows`" : undefined) ??
    (e.token.image === "=" ? "compare labels with `==`; a single `=` only introduces a declaration's value" : undefined) ??
    ruleHelp(rule) ??
    "see grammar/pol.ebnf for the syntax";
  return { code: unexpected ? "POL0202" : "POL0201", severity: "error", message, primary: { span }, help };
}

export interface ParseOptions {
  /** `false`: always take the full (chevrotain CST) path; for differential testing of the fast path. */
  fast?: boolean;
}

export function parseSource(file: SourceFile, options: ParseOptions = {}): ParseResult {
  const path = file.path;
  const diags: Diagnostic[] = [];
  try {
    const lex = T.polLexer().tokenize(file.text);
    for (const err of lex.errors) {
      const ch = file.text.slice(err.offset, err.offset + (err.length || 1));
      const shown = JSON.stringify(ch).slice(1, -1);
      diags.push({
        code: "POL0101",
        severity: "error",
        message: `unexpected character \`${shown}\``,
        primary: { span: { file: path, start: err.offset, end: err.offset + Math.max(1, err.length) } },
        help: "remove it; names use letters, digits, `-` and `_`, and strings are written in double quotes",
      });
    }
    for (const t of lex.groups["bad"] ?? []) diags.push(badTokenDiagnostic(t, path));
    for (const t of lex.tokens) {
      if (t.tokenType === T.Amp || t.tokenType === T.Pipe) {
        // Report, then parse as the operator that was almost certainly meant.
        diags.push(badTokenDiagnostic(t, path));
        t.tokenType = t.tokenType === T.Amp ? T.AndAnd : T.OrOr;
        t.tokenTypeIdx = t.tokenType.tokenTypeIdx!;
      } else if (t.tokenType === T.UnterminatedString) {
        diags.push({
          code: "POL0102",
          severity: "error",
          message: "unterminated string",
          primary: { span: { file: path, start: t.startOffset, end: t.startOffset + t.image.length }, message: "this string is not closed on its line" },
          help: 'close the string with `"` on the same line; strings cannot span lines',
        });
      }
    }
    const comments: A.Comment[] = (lex.groups["comments"] ?? []).map((t) => ({
      kind: "Comment",
      text: t.image,
      block: t.tokenType === T.BlockComment,
      span: { file: path, start: t.startOffset, end: t.startOffset + t.image.length },
    }));
    const tokens = limitNesting(lex.tokens, path, diags);

    // Fast path: clean input is parsed straight to the AST; anything else (or anything the fast
    // parser does not decide on its own) takes the full path below, which owns every diagnostic.
    if (diags.length === 0 && lex.errors.length === 0 && options.fast !== false) {
      const ast = fastParse(tokens, path, file.text.length, comments);
      if (ast) return { ast, diagnostics: diags };
    }

    const parser = polParser();
    parser.input = tokens;
    const cst = parser.file();
    const errors = parser.errors;
    // A syntax error at an unterminated string is a consequence of it: report the string only.
    const unterminated = new Set(lex.tokens.filter((t) => t.tokenType === T.UnterminatedString).map((t) => t.startOffset));
    let count = 0;
    for (const e of errors) {
      if (unterminated.has(e.token.startOffset)) continue;
      if (count === MAX_SYNTAX_ERRORS) {
        diags.push({
          code: "POL0204",
          severity: "error",
          message: `too many syntax errors; only the first ${MAX_SYNTAX_ERRORS} are shown`,
          primary: { span: errorSpan(e, path, file.text) },
          help: "fix the first errors and check again; later ones are often consequences",
        });
        break;
      }
      diags.push(syntaxDiagnostic(e, path, file.text));
      count++;
    }
    const builder = new AstBuilder(path, file.text.length);
    const ast = builder.file(cst, comments);
    diags.push(...builder.diagnostics);
    return { ast, diagnostics: diags };
  } catch (e) {
    // A parser bug must still not crash the compiler: report it as a diagnostic.
    diags.push({
      code: "POL0299",
      severity: "error",
      message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      primary: { span: { file: path, start: 0, end: 0 } },
      help: "this is a bug in polc; please report it with the input file",
    });
    return { ast: { kind: "File", path, items: [], comments: [], span: { file: path, start: 0, end: file.text.length } }, diagnostics: diags };
  }
}

// The text and JSON renderers on hand-made diagnostics: layout, secondary labels, other files, tabs.

import { describe, expect, it } from "vitest";
import { makeSourceFile, SourceMap, lineColOf, snippet } from "../../src/source.js";
import { renderDiagnostic, toJson, summaryLine } from "../../src/diag/render.js";
import { sortDiagnostics, type Diagnostic } from "../../src/diag/diagnostic.js";
import { didYouMean, editDistance } from "../../src/diag/suggest.js";

const a = makeSourceFile("a.pol", 'group web = app == "web"\nflows in app {\n\twbe -> api : http\n}\n');
const b = makeSourceFile("lib/b.pol", "group api = app == \"api\"\n");
const sources = new SourceMap();
sources.add(a);
sources.add(b);

const at = (file: string, text: string, needle: string, len = needle.length) => {
  const start = text.indexOf(needle);
  return { file, start, end: start + len };
};

describe("renderDiagnostic", () => {
  it("renders a rustc-style frame with help, notes and tab expansion", () => {
    const d: Diagnostic = {
      code: "POL1001",
      severity: "error",
      message: "unknown name `wbe`",
      primary: { span: at("a.pol", a.text, "wbe"), message: "not declared" },
      secondary: [{ span: at("a.pol", a.text, "web"), message: "a group with a similar name" }],
      notes: ["names are declared once per project"],
      help: "did you mean `web`?",
    };
    expect(renderDiagnostic(d, sources)).toBe(
      [
        "error[POL1001]: unknown name `wbe`",
        "  --> a.pol:3:2",
        "  |",
        '1 | group web = app == "web"',
        "  |       --- a group with a similar name",
        "...",
        "3 |     wbe -> api : http",
        "  |     ^^^ not declared",
        "  = note: names are declared once per project",
        "  = help: did you mean `web`?",
      ].join("\n"),
    );
  });

  it("shows labels in other files with their own frame", () => {
    const d: Diagnostic = {
      code: "POL1002",
      severity: "warning",
      message: "x",
      primary: { span: at("a.pol", a.text, "api") },
      secondary: [{ span: at("lib/b.pol", b.text, "api"), message: "declared here" }],
    };
    const text = renderDiagnostic(d, sources);
    expect(text).toContain("  ::: lib/b.pol:1:7");
    expect(text).toContain("  |       --- declared here");
  });

  it("colours only when asked", () => {
    const d: Diagnostic = { code: "POL1", severity: "error", message: "m", primary: { span: { file: "a.pol", start: 0, end: 5 } } };
    expect(renderDiagnostic(d, sources)).not.toContain("\u001b[");
    expect(renderDiagnostic(d, sources, { color: true })).toContain("\u001b[31m");
  });

  it("points at end of file for empty spans", () => {
    const d: Diagnostic = { code: "POL1", severity: "error", message: "m", primary: { span: { file: "a.pol", start: a.text.length, end: a.text.length } } };
    expect(() => renderDiagnostic(d, sources)).not.toThrow();
  });
});

describe("hostile and huge lines", () => {
  it("cuts a long line around its mark, with … where text is left out, and keeps the caret on the token", () => {
    const long = makeSourceFile("long.pol", `group g = ${Array.from({ length: 60 }, (_, i) => `k${i} == "v"`).join(" && ")} && oops\n`);
    const src = new SourceMap();
    src.add(long);
    const start = long.text.indexOf("oops");
    const d: Diagnostic = { code: "POL1", severity: "error", message: "m", primary: { span: { file: "long.pol", start, end: start + 4 }, message: "here" } };
    const lines = renderDiagnostic(d, src).split("\n");
    const code = lines.find((l) => l.startsWith("1 |"))!;
    const caret = lines.find((l) => l.includes("^^^^"))!;
    expect(code.length).toBeLessThanOrEqual(130);
    expect(code).toContain("…");
    expect(code.slice(caret.indexOf("^"), caret.indexOf("^") + 4)).toBe("oops");
  });

  it("never passes control characters (escape sequences) from a source to the terminal", () => {
    const evil = makeSourceFile("evil.pol", 'group g = app == "\u001b[2J\u0007x"\n');
    const src = new SourceMap();
    src.add(evil);
    const d: Diagnostic = { code: "POL1", severity: "error", message: "m", primary: { span: { file: "evil.pol", start: 0, end: 5 } } };
    const out = renderDiagnostic(d, src);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(out).toContain("\ufffd[2J\ufffdx");
  });
});

describe("snippets of source for messages and annotations", () => {
  it("leave out comments, not comment-like text inside strings, and fold whitespace", () => {
    const text = 'egress deny to /* x */ corp // tail\n    , selector("a == \\"//b\\"")  /* y */';
    expect(snippet(makeSourceFile("s.pol", text), { start: 0, end: text.length })).toBe('egress deny to corp , selector("a == \\"//b\\"")');
  });
});

describe("JSON and ordering", () => {
  it("adds 1-based positions and keeps the model", () => {
    const d: Diagnostic = { code: "POL2", severity: "warning", message: "m", primary: { span: at("a.pol", a.text, "flows") }, help: "h" };
    const [j] = toJson([d], sources) as { location: { line: number; column: number } }[];
    expect(j!.location).toMatchObject({ line: 2, column: 1 });
    expect(lineColOf(a, a.text.indexOf("flows"))).toEqual({ line: 2, column: 1 });
  });
  it("sorts by file and offset and drops exact duplicates", () => {
    const mk = (file: string, start: number, code = "POL1"): Diagnostic => ({ code, severity: "error", message: "m", primary: { span: { file, start, end: start + 1 } } });
    const sorted = sortDiagnostics([mk("b", 1), mk("a", 5), mk("a", 1), mk("a", 1)]);
    expect(sorted.map((d) => `${d.primary.span.file}:${d.primary.span.start}`)).toEqual(["a:1", "a:5", "b:1"]);
    expect(summaryLine(sorted)).toBe("3 errors emitted");
  });
});

describe("suggestions", () => {
  it("ranks close names", () => {
    expect(editDistance("wbe", "web")).toBe(1);
    expect(didYouMean("wbe", ["web", "api", "db"])).toBe("did you mean `web`?");
    expect(didYouMean("zzzzzz", ["web", "api"])).toBeUndefined();
  });
});

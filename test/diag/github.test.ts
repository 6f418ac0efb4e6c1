// `--format github`: GitHub Actions workflow commands with the runner's escaping rules.

import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { escapeData, escapeProperty, githubAnnotation, renderGithub } from "../../src/diag/render-github.js";
import { main } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/commands.js";
import { makeSourceFile, SourceMap } from "../../src/source.js";
import type { Diagnostic } from "../../src/diag/diagnostic.js";

const file = makeSourceFile("app/a,b:c.pol", "group web = app == \"web\"\nflows in app {\n  wbe -> api : http\n}\n");
const sources = new SourceMap();
sources.add(file);
const std = makeSourceFile("std/k8s.pol", "service dns = udp/53\n");
sources.add(std);

describe("escaping", () => {
  it("percent-encodes %, CR and LF in data, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext%3A a%2C b");
    // `%` first, so an escape is never escaped twice.
    expect(escapeData("%0A")).toBe("%250A");
  });
});

describe("githubAnnotation", () => {
  const d: Diagnostic = {
    code: "POL1020",
    severity: "error",
    message: "unknown name `wbe`: 50% sure",
    primary: { span: { file: "app/a,b:c.pol", start: 42, end: 45 } },
    notes: ["names are global"],
    help: "did you mean `web`?",
  };

  it("names file, line, columns (end exclusive) and code, with notes and help on their own lines", () => {
    expect(githubAnnotation(d, sources)).toBe(
      "::error file=app/a%2Cb%3Ac.pol,line=3,col=3,endLine=3,endColumn=6,title=POL1020::unknown name `wbe`: 50%25 sure%0Anote: names are global%0Ahelp: did you mean `web`?",
    );
  });

  it("maps warning and info to warning and notice", () => {
    expect(githubAnnotation({ ...d, severity: "warning", notes: [], help: undefined }, sources)).toMatch(/^::warning file=/);
    expect(githubAnnotation({ ...d, severity: "info", notes: [], help: undefined }, sources)).toMatch(/^::notice file=/);
  });

  it("puts standard-library places in the message, not in file=", () => {
    const s: Diagnostic = { code: "POL1010", severity: "error", message: "dup", primary: { span: { file: "std/k8s.pol", start: 8, end: 11 } } };
    expect(githubAnnotation(s, sources, { isStdlib: (p) => p.startsWith("std/") })).toBe("::error title=POL1010::dup (in std/k8s.pol:1:9)");
  });

  it("keeps file= for a file whose text is unknown", () => {
    const s: Diagnostic = { code: "POL1001", severity: "error", message: "cannot read `x.pol`", primary: { span: { file: "x.pol", start: 0, end: 0 } } };
    expect(renderGithub([s, s], sources)).toBe("::error file=x.pol,title=POL1001::cannot read `x.pol`\n::error file=x.pol,title=POL1001::cannot read `x.pol`");
  });
});

describe("polc check --format github", () => {
  it("prints one command per diagnostic, then the summary", async () => {
    const root = mkdtempSync(join(tmpdir(), "polc-gh-"));
    writeFileSync(join(root, "p.pol"), 'tier app order 100 default pass\ngroup web = app == "web"\nflows in app {\n  wbe -> web : tcp/80\n}\n');
    let out = "";
    const io: Io = { out: (s) => void (out += s), err: (s) => void (out += s), cwd: root, isTTY: false };
    const code = await main(["check", "--format", "github", "."], io);
    expect(code).toBe(1);
    expect(out).toBe("::error file=p.pol,line=4,col=3,endLine=4,endColumn=6,title=POL1020::unknown name `wbe`%0Ahelp: did you mean `web`?\n1 error emitted\n");
  });
});

// Which project a file belongs to in the editor (the command line's rule), and service texts in hover.

import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { Workspace } from "../../src/lsp/workspace.js";
import { serviceEntryTexts } from "../../src/lsp/describe.js";
import { defaultStdlibRoot } from "../../src/semantic/load.js";

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "polc-ws-"));
  for (const d of ["teams/a/lib", "teams/b", "flat"]) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, "teams/a/main.pol"), "");
  writeFileSync(join(root, "teams/a/lib/common.pol"), "");
  writeFileSync(join(root, "teams/b/b.pol"), "");
  return root;
}

describe("Workspace.projectOf", () => {
  it("the first directory on the way down that holds .pol files is the project; the folder is the root", () => {
    const root = tree();
    const ws = new Workspace([root], defaultStdlibRoot());
    expect(ws.projectOf(join(root, "teams/a/main.pol"))).toEqual({ dir: join(root, "teams/a"), root });
    expect(ws.projectOf(join(root, "teams/a/lib/common.pol"))).toEqual({ dir: join(root, "teams/a"), root });
    expect(ws.projectOf(join(root, "teams/b/b.pol"))).toEqual({ dir: join(root, "teams/b"), root });
    expect(ws.entries({ dir: join(root, "teams/a"), root })).toEqual([join(root, "teams/a")]);
  });

  it("an open, unsaved file counts, and is an entry of its project", () => {
    const root = tree();
    const ws = new Workspace([root], defaultStdlibRoot());
    const file = join(root, "flat/new.pol");
    ws.setDocument(TextDocument.create(pathToFileURL(file).href, "pol", 1, "tier x order 1 default pass"));
    expect(ws.projectOf(file)).toEqual({ dir: join(root, "flat"), root });
    expect(ws.entries({ dir: join(root, "flat"), root })).toEqual([join(root, "flat"), file]);
    expect(ws.openText(file)).toBe("tier x order 1 default pass");
    ws.removeDocument(pathToFileURL(file).href);
    expect(ws.openText(file)).toBeUndefined();
  });

  it("a file outside every folder is a project of its own directory; the standard library belongs to none", () => {
    const root = tree();
    const other = mkdtempSync(join(tmpdir(), "polc-other-"));
    const ws = new Workspace([join(root, "teams")], defaultStdlibRoot());
    expect(ws.projectOf(join(other, "x.pol"))).toEqual({ dir: other, root: other });
    expect(ws.projectOf(join(defaultStdlibRoot(), "std/k8s.pol"))).toBeUndefined();
    expect(ws.isStdlib(join(defaultStdlibRoot(), "std/k8s.pol"))).toBe(true);
  });

  it("a nested workspace folder wins over its parent", () => {
    const root = tree();
    const ws = new Workspace([root, join(root, "teams/a")], defaultStdlibRoot());
    expect(ws.projectOf(join(root, "teams/a/lib/common.pol"))).toEqual({ dir: join(root, "teams/a"), root: join(root, "teams/a") });
  });
});

describe("serviceEntryTexts", () => {
  const origin = { file: "x.pol", start: 0, end: 0 };
  it("writes each port, range, named port and ICMP match the way .pol does", () => {
    expect(serviceEntryTexts({ protocol: "tcp", ports: [{ from: 80, to: 80 }, { from: 8000, to: 8080 }], namedPorts: ["http"], origin })).toEqual(["tcp/80", "tcp/8000-8080", "tcp/http"]);
    expect(serviceEntryTexts({ protocol: "icmp", icmp: { type: 3, code: 4 }, origin })).toEqual(["icmp/3/4"]);
    expect(serviceEntryTexts({ protocol: "icmpv6", icmp: { type: 128 }, origin })).toEqual(["icmpv6/128"]);
    expect(serviceEntryTexts({ protocol: "udp", origin })).toEqual(["udp (any port)"]);
    expect(serviceEntryTexts({ protocol: 47, origin })).toEqual(["proto/47"]);
  });
});

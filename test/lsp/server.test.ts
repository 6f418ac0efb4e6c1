// The language server end to end, through a real LSP client over stdio: diagnostics as you type
// (published per file, cleared when fixed), hover, definition and references across files and into
// the standard library, document symbols, quick fixes and formatting.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { DocumentSymbol, Hover, Location, MarkupContent, TextEdit } from "vscode-languageserver-protocol";
import { ensureBuilt, repoRoot, startClient, type Client } from "./client.js";

const COMMON = [
  'import "std/k8s"',
  "",
  "tier app order 300 default pass",
  "",
  "// The web front end.",
  'group web = namespace "frontend" && app == "web"',
  "net cluster = 10.0.0.0/8, 172.16.0.0/12",
  "service http = tcp/80, tcp/8080",
  "",
].join("\n");

const POLICY = [
  'import "std/k8s"',
  "",
  'group api = namespace "backend" && app == "api"',
  "",
  "flows in app {",
  "  wbe -> api : http",
  "}",
  "",
  "guardrail dns in app {",
  "  applies to all()",
  "  egress allow dns to coredns",
  "  ingress allow tcp/443 from cluster",
  "}",
  "",
].join("\n");

let client: Client;
let ws: string;
let commonUri: string;
let policyUri: string;
let version = 1;

const uri = (p: string) => pathToFileURL(p).href;
const pos = (text: string, needle: string, nth = 0, delta = 1) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, i + delta);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
};

function open(u: string, text: string): void {
  client.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: u, languageId: "pol", version: 1, text } });
}

beforeAll(async () => {
  ensureBuilt();
  ws = mkdtempSync(join(tmpdir(), "polc-lsp-"));
  mkdirSync(join(ws, "app"));
  writeFileSync(join(ws, "app", "common.pol"), COMMON);
  writeFileSync(join(ws, "app", "policy.pol"), POLICY);
  commonUri = uri(join(ws, "app", "common.pol"));
  policyUri = uri(join(ws, "app", "policy.pol"));
  client = startClient();
  const init = (await client.conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: uri(ws),
    workspaceFolders: [{ uri: uri(ws), name: "ws" }],
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { debounceMs: 20 },
  })) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
  expect(init.serverInfo.name).toBe("polc");
  expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, referencesProvider: true, documentSymbolProvider: true, documentFormattingProvider: true });
  client.conn.sendNotification("initialized", {});
});

afterAll(async () => {
  await client?.close();
});

describe("diagnostics", () => {
  it("publishes the errors of an opened file, and an empty list for the clean file of its project", async () => {
    open(policyUri, POLICY);
    const p = await client.diagnostics(policyUri);
    expect(p.version).toBe(1);
    expect(p.diagnostics).toHaveLength(1);
    const d = p.diagnostics[0]!;
    expect(d).toMatchObject({ code: "POL1020", source: "polc", severity: 1, range: { start: { line: 5, character: 2 }, end: { line: 5, character: 5 } } });
    expect(d.message).toContain("unknown name `wbe`");
    expect(d.message).toContain("help: did you mean `web`?");
    // The one suggestion is a quick fix.
    const actions = (await client.conn.sendRequest("textDocument/codeAction", { textDocument: { uri: policyUri }, range: d.range, context: { diagnostics: [d] } })) as {
      title: string;
      edit: { changes: Record<string, TextEdit[]> };
    }[];
    expect(actions.map((a) => a.title)).toEqual(["replace with `web`"]);
    expect(actions[0]!.edit.changes[policyUri]).toEqual([{ range: d.range, newText: "web" }]);
    const c = await client.diagnostics(commonUri);
    expect(c.diagnostics).toEqual([]);
    // With an error in the project there is no model: hover names the declaration and says so.
    const h = (await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: policyUri }, position: pos(POLICY, "api =") })) as Hover;
    expect(hoverText(h)).toContain("(group) `api`, declared in `app/policy.pol`");
    expect(hoverText(h)).toContain("resolved values are shown when the project has no errors");
  });

  it("an untitled buffer (no file, no project) gets the front end's diagnostics", async () => {
    const untitled = "untitled:Untitled-1";
    client.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: untitled, languageId: "pol", version: 1, text: "group x = \n" } });
    const p = await client.diagnostics(untitled);
    expect(p.diagnostics.map((d) => d.code)).toEqual(["POL0201"]);
    expect(p.diagnostics[0]!.source).toBe("polc");
    client.conn.sendNotification("textDocument/didChange", { textDocument: { uri: untitled, version: 2 }, contentChanges: [{ text: 'group x = app == "a"\n' }] });
    const fixed = await client.diagnostics(untitled, (q) => q.version === 2);
    expect(fixed.diagnostics).toEqual([]);
  });

  it("re-checks on change and clears what was fixed", async () => {
    version++;
    client.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: policyUri, version },
      contentChanges: [{ range: { start: { line: 5, character: 2 }, end: { line: 5, character: 5 } }, text: "web" }],
    });
    const p = await client.diagnostics(policyUri, (x) => x.version === version);
    expect(p.diagnostics).toEqual([]);
  });

  it("reports related locations in other files", async () => {
    version++;
    // A second declaration of `web` in this file: POL1010 with the first declaration as related info.
    client.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: policyUri, version },
      contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'group web = app == "w"\n' }],
    });
    const p = await client.diagnostics(policyUri, (x) => x.version === version);
    const dup = p.diagnostics.find((d) => d.code === "POL1010")!;
    expect(dup.range.start).toEqual({ line: 3, character: 6 });
    expect(dup.relatedInformation?.[0]?.location.uri).toBe(commonUri);
    expect(dup.relatedInformation?.[0]?.location.range.start).toEqual({ line: 5, character: 6 });
    version++;
    client.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: policyUri, version },
      contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: "" }],
    });
    expect((await client.diagnostics(policyUri, (x) => x.version === version)).diagnostics).toEqual([]);
  });

  it("reports the tier-chain analysis' findings as you type, once its phase completes", async () => {
    version++;
    // A deny of all DNS before the allow: the analysis finds the allow shadowed (POL3210).
    let complete = client.nextChecked("complete");
    client.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: policyUri, version },
      contentChanges: [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: "  egress deny dns\n" }],
    });
    const p = await client.diagnostics(policyUri, (x) => x.version === version && x.diagnostics.length > 0);
    await complete;
    expect(client.latest(policyUri)).toEqual(p);
    expect(p.diagnostics.map((d) => d.code)).toEqual(["POL3210"]);
    expect(p.diagnostics[0]).toMatchObject({ severity: 1, range: { start: { line: 11, character: 2 }, end: { line: 11, character: 29 } } });
    expect(p.diagnostics[0]!.message).toContain("is shadowed");
    expect(p.diagnostics[0]!.relatedInformation?.[0]?.location).toEqual({ uri: policyUri, range: { start: { line: 10, character: 2 }, end: { line: 10, character: 17 } } });
    // An edit elsewhere in the project keeps the finding visible while the analysis runs again.
    complete = client.nextChecked("complete");
    client.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: commonUri, languageId: "pol", version: 1, text: COMMON + "\n" } });
    const during = await client.diagnostics(policyUri, (x) => x.version === version);
    expect(during.diagnostics.map((d) => d.code)).toEqual(["POL3210"]);
    // A second edit right away, before or after that analysis finishes: still shown.
    client.conn.sendNotification("textDocument/didChange", { textDocument: { uri: commonUri, version: 2 }, contentChanges: [{ text: COMMON + "\n\n" }] });
    const again = await client.diagnostics(policyUri, (x) => x.version === version);
    expect(again.diagnostics.map((d) => d.code)).toEqual(["POL3210"]);
    await complete;
    expect(client.latest(policyUri)!.diagnostics.map((d) => d.code)).toEqual(["POL3210"]);
    client.conn.sendNotification("textDocument/didClose", { textDocument: { uri: commonUri } });
    // Fixed: cleared, and still clear once the analysis has run.
    await client.nextChecked("complete");
    version++;
    complete = client.nextChecked("complete");
    client.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri: policyUri, version },
      contentChanges: [{ range: { start: { line: 10, character: 0 }, end: { line: 11, character: 0 } }, text: "" }],
    });
    expect((await client.diagnostics(policyUri, (x) => x.version === version)).diagnostics).toEqual([]);
    await complete;
    expect(client.latest(policyUri)!.diagnostics).toEqual([]);
  });

  it("offers the fix of a diagnostic as a quick fix", async () => {
    const text = 'import "./common"\nnet odd = 10.0.0.1/8\n';
    const u = uri(join(ws, "app", "extra.pol"));
    open(u, text);
    const p = await client.diagnostics(u, (x) => x.diagnostics.length > 0);
    const d = p.diagnostics.find((x) => x.data)!;
    expect(d).toBeDefined();
    const actions = (await client.conn.sendRequest("textDocument/codeAction", { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } })) as {
      kind: string;
      edit: { changes: Record<string, TextEdit[]> };
    }[];
    expect(actions[0]!.kind).toBe("quickfix");
    expect(actions[0]!.edit.changes[u]).toEqual([{ range: { start: { line: 1, character: 10 }, end: { line: 1, character: 20 } }, newText: "10.0.0.0/8" }]);
    client.conn.sendNotification("textDocument/didClose", { textDocument: { uri: u } });
    // Closed and never saved: it leaves the project, and its diagnostics are cleared.
    expect((await client.diagnostics(u, (x) => x.diagnostics.length === 0)).diagnostics).toEqual([]);
  });
});

const FIXED = POLICY.replace("wbe", "web");

function hoverText(h: Hover | null): string {
  expect(h).not.toBeNull();
  return (h!.contents as MarkupContent).value;
}

describe("hover", () => {
  it("shows a group's declaration, doc comment, canonical selector and the Calico policies flows make of it", async () => {
    const h = (await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: policyUri }, position: pos(FIXED, "web ->") })) as Hover;
    const text = hoverText(h);
    expect(text).toContain('group web = namespace "frontend" && app == "web"');
    expect(text).toContain("The web front end.");
    expect(text).toContain("(group) `web`, declared in `app/common.pol`");
    expect(text).toContain('selector: `(projectcalico.org/namespace == "frontend" && app == "web")`');
    expect(text).toContain("flows make it: NetworkPolicy `frontend/app.web-egress`");
    expect(h.range).toEqual({ start: { line: 5, character: 2 }, end: { line: 5, character: 5 } });
  });

  it("shows ports for services, CIDRs and the network set for nets, the tier's Calico object", async () => {
    const http = hoverText((await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: policyUri }, position: pos(FIXED, "http") })) as Hover);
    expect(http).toContain("ports: `tcp/80`, `tcp/8080`");
    // A file that is not open: hover on a declaration answers from the project too.
    const net = hoverText((await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: commonUri }, position: pos(COMMON, "cluster") })) as Hover);
    expect(net).toContain("CIDRs: `10.0.0.0/8`, `172.16.0.0/12`");
    expect(net).toMatch(/GlobalNetworkSet `[^`]+`/);
    const tier = hoverText((await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: policyUri }, position: pos(FIXED, "app {") })) as Hover);
    expect(tier).toContain("order 300, default action Pass");
    expect(tier).toContain("Calico: Tier `app`");
    const dns = hoverText((await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: policyUri }, position: pos(FIXED, "dns to") })) as Hover);
    expect(dns).toContain("declared in `std/k8s.pol`");
    expect(dns).toContain("ports: `udp/53`, `tcp/53`");
  });

  it("shows the Calico object a guardrail becomes, and nothing on a keyword", async () => {
    const g = hoverText((await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: policyUri }, position: pos(FIXED, "dns in app") })) as Hover);
    expect(g).toContain("guardrail in tier `app`");
    expect(g).toContain("Calico: GlobalNetworkPolicy `app.dns`");
    expect(await client.conn.sendRequest("textDocument/hover", { textDocument: { uri: policyUri }, position: pos(FIXED, "applies") })).toBeNull();
  });
});

describe("navigation", () => {
  it("goes to a definition in another file and into the standard library", async () => {
    const web = (await client.conn.sendRequest("textDocument/definition", { textDocument: { uri: policyUri }, position: pos(FIXED, "web ->") })) as Location[];
    expect(web).toEqual([{ uri: commonUri, range: { start: { line: 5, character: 6 }, end: { line: 5, character: 9 } } }]);
    const coredns = (await client.conn.sendRequest("textDocument/definition", { textDocument: { uri: policyUri }, position: pos(FIXED, "coredns") })) as Location[];
    const k8s = join(repoRoot, "stdlib", "std", "k8s.pol");
    expect(coredns[0]!.uri).toBe(uri(k8s));
    const k8sText = readFileSync(k8s, "utf8");
    expect(coredns[0]!.range.start).toEqual(pos(k8sText, "group coredns", 0, 6));
    const imp = (await client.conn.sendRequest("textDocument/definition", { textDocument: { uri: policyUri }, position: pos(FIXED, "std/k8s") })) as Location[];
    expect(imp[0]!.uri).toBe(uri(k8s));
  });

  it("finds references across files, with and without the declaration", async () => {
    const params = (includeDeclaration: boolean) => ({ textDocument: { uri: policyUri }, position: pos(FIXED, "web ->"), context: { includeDeclaration } });
    const refs = (await client.conn.sendRequest("textDocument/references", params(true))) as Location[];
    expect(refs).toEqual([
      { uri: commonUri, range: { start: { line: 5, character: 6 }, end: { line: 5, character: 9 } } },
      { uri: policyUri, range: { start: { line: 5, character: 2 }, end: { line: 5, character: 5 } } },
    ]);
    expect((await client.conn.sendRequest("textDocument/references", params(false))) as Location[]).toHaveLength(1);
  });

  it("answers from a standard-library file opened through a definition", async () => {
    const k8s = join(repoRoot, "stdlib", "std", "k8s.pol");
    const text = readFileSync(k8s, "utf8");
    open(uri(k8s), text);
    const refs = (await client.conn.sendRequest("textDocument/references", {
      textDocument: { uri: uri(k8s) },
      position: pos(text, "group coredns", 0, 7),
      context: { includeDeclaration: false },
    })) as Location[];
    expect(refs.map((r) => r.uri)).toContain(policyUri);
  });
});

describe("files changed on disk", () => {
  it("registers a watcher for .pol files and checks again when one changes", async () => {
    expect(client.registrations.map((r) => r.method)).toContain("workspace/didChangeWatchedFiles");
    const file = join(ws, "app", "common.pol");
    writeFileSync(file, COMMON.replace("tcp/8080", "tcp/99999"));
    client.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: commonUri, type: 2 }] });
    const p = await client.diagnostics(commonUri, (x) => x.diagnostics.length > 0);
    expect(p.diagnostics[0]!.range).toEqual({ start: { line: 7, character: 23 }, end: { line: 7, character: 32 } }); // `tcp/99999`
    writeFileSync(file, COMMON);
    client.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: commonUri, type: 2 }] });
    expect((await client.diagnostics(commonUri, (x) => x.diagnostics.length === 0)).diagnostics).toEqual([]);
  });
});

describe("document symbols", () => {
  it("outlines declarations, policies with their rules, and flows", async () => {
    const syms = (await client.conn.sendRequest("textDocument/documentSymbol", { textDocument: { uri: policyUri } })) as DocumentSymbol[];
    expect(syms.map((s) => [s.name, s.detail])).toEqual([
      ["api", "group"],
      ["flows in app", undefined],
      ["dns", "guardrail in app"],
    ]);
    expect(syms[1]!.children!.map((c) => c.name)).toEqual(["web -> api : http"]);
    expect(syms[2]!.children!.map((c) => c.name)).toEqual(["egress allow dns to coredns", "ingress allow tcp/443 from cluster"]);
    expect(syms[2]!.selectionRange).toEqual({ start: { line: 8, character: 10 }, end: { line: 8, character: 13 } });
  });
});

describe("formatting", () => {
  it("formats a document through the prettier plugin", async () => {
    const u = uri(join(ws, "app", "messy.pol"));
    const messy = 'import "./common"\ngroup   db=namespace "data"&&app=="db"\n';
    open(u, messy);
    const edits = (await client.conn.sendRequest("textDocument/formatting", { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    expect(client.stderr()).toBe("");
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toContain('group db = namespace "data" && app == "db"');
    // Formatting is idempotent: the formatted text needs no edits.
    version = 2;
    client.conn.sendNotification("textDocument/didChange", { textDocument: { uri: u, version }, contentChanges: [{ text: edits[0]!.newText }] });
    const again = (await client.conn.sendRequest("textDocument/formatting", { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    expect(again).toEqual([]);
  });
});

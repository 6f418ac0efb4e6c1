// `polc lsp --stdio`: the language server. Wires the LSP connection to the workspace, the project
// checker (diagnostics as you type), hover, go-to-definition, references, document symbols,
// formatting and quick fixes.
//
// initializationOptions: { debounceMs?: number (default 150), analysis?: boolean (default true),
//   info?: boolean (default false: info-level findings are hidden, as in `polc check` without --info) }
//
// Besides publishDiagnostics, the server sends `polc/checked` { dir, phase: "check" | "complete",
// millis, cpuMillis?, parsed, reparsed?, reused } after each phase of a project check (see projects.ts).

import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { defaultStdlibRoot } from "../semantic/load.js";
import { parseSource } from "../syntax/parse.js";
import { makeSourceFile } from "../source.js";
import { Workspace } from "./workspace.js";
import { Projects } from "./projects.js";
import { positionToOffset, spanToRange, uriToPath } from "./positions.js";
import { hoverAt } from "./hover.js";
import { definitionAt, referencesAt } from "./navigation.js";
import { documentSymbols } from "./symbols.js";
import { formatDocument } from "./formatting.js";
import type { FixData } from "./diagnostics.js";

export const DEFAULT_DEBOUNCE_MS = 150;

interface InitOptions {
  debounceMs?: number;
  analysis?: boolean;
  info?: boolean;
}

export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): void {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  let ws: Workspace | undefined;
  let projects: Projects | undefined;
  let canWatch = false;

  connection.onInitialize((params): InitializeResult => {
    const roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (roots.length === 0 && params.rootUri) {
      const p = uriToPath(params.rootUri);
      if (p) roots.push(p);
    }
    const init = (params.initializationOptions ?? {}) as InitOptions;
    canWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    ws = new Workspace(roots, defaultStdlibRoot());
    projects = new Projects(ws, {
      debounceMs: typeof init.debounceMs === "number" && init.debounceMs >= 0 ? init.debounceMs : DEFAULT_DEBOUNCE_MS,
      analysis: init.analysis !== false,
      info: init.info === true,
      publish: (p) => void connection.sendDiagnostics(p),
      onChecked: (e) => void connection.sendNotification("polc/checked", e),
      onError: (e) => connection.console.error(`polc: checking failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: "polc" },
    };
  });

  const changed = (uri: string, delay?: number) => {
    const abs = uriToPath(uri);
    if (abs && ws && projects) projects.changed(abs, delay);
    else if (!abs) publishLoose(uri);
  };

  /** A document that is no file (an editor's `untitled:` buffer) belongs to no project: it gets the
   *  front end's diagnostics, so syntax errors show while it is being written. */
  const publishLoose = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const file = makeSourceFile(uri, doc.getText());
    const diagnostics = parseSource(file).diagnostics.map((d) => ({
      range: spanToRange(file, d.primary.span),
      severity: d.severity === "error" ? DiagnosticSeverity.Error : d.severity === "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
      code: d.code,
      source: "polc",
      message: [d.message, ...(d.help ? [`help: ${d.help}`] : [])].join("\n"),
    }));
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };

  // Opening checks at once; typing checks after the debounce. (TextDocuments reports an open as a
  // content change too: that one is skipped.)
  const openedAt = new Map<string, number>();
  documents.onDidOpen((e) => {
    ws?.setDocument(e.document);
    openedAt.set(e.document.uri, e.document.version);
    changed(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    if (openedAt.get(e.document.uri) === e.document.version) return;
    openedAt.delete(e.document.uri);
    ws?.setDocument(e.document);
    changed(e.document.uri);
  });
  documents.onDidClose((e) => {
    openedAt.delete(e.document.uri);
    ws?.removeDocument(e.document.uri);
    changed(e.document.uri, 0);
  });
  // Files changed on disk (by git, another tool): their projects are checked again.
  connection.onInitialized(() => {
    if (canWatch) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.pol" }] });
  });
  connection.onDidChangeWatchedFiles((e) => {
    for (const c of e.changes) changed(c.uri);
  });

  /** The check containing a document and the offset of a position in it. */
  const at = async (uri: string, pos: { line: number; character: number }) => {
    const abs = uriToPath(uri);
    const found = abs && projects ? await projects.checkFor(abs) : undefined;
    if (!found) return undefined;
    const file = found.check.sources.get(found.display);
    if (!file) return undefined;
    return { ...found, offset: positionToOffset(file, pos) };
  };

  connection.onHover(async (p) => {
    const a = await at(p.textDocument.uri, p.position);
    return a ? (hoverAt(a.check, a.display, a.offset) ?? null) : null;
  });
  connection.onDefinition(async (p) => {
    const a = await at(p.textDocument.uri, p.position);
    return a ? definitionAt(a.check, a.display, a.offset) : [];
  });
  connection.onReferences(async (p) => {
    const a = await at(p.textDocument.uri, p.position);
    return a ? referencesAt(a.check, a.display, a.offset, p.context.includeDeclaration) : [];
  });
  connection.onDocumentSymbol((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const file = makeSourceFile(p.textDocument.uri, doc.getText());
    return documentSymbols(file, parseSource(file).ast);
  });
  connection.onDocumentFormatting(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    try {
      return await formatDocument(doc, uriToPath(doc.uri), p.options);
    } catch (e) {
      connection.console.warn(`polc: cannot format ${doc.uri}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
      return [];
    }
  });
  connection.onCodeAction((p) => {
    const actions: CodeAction[] = [];
    for (const d of p.context.diagnostics) {
      const fix = d.data as FixData | undefined;
      if (d.source !== "polc" || !fix?.edits) continue;
      const changes: Record<string, { range: typeof d.range; newText: string }[]> = {};
      for (const e of fix.edits) (changes[e.uri] ??= []).push({ range: e.range, newText: e.newText });
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes } });
    }
    return actions;
  });
  connection.onShutdown(() => projects?.dispose());

  documents.listen(connection);
  connection.listen();
}

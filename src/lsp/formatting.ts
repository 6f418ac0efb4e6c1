// Document formatting through polc's prettier plugin (src/format/plugin.ts), the same formatter
// `polc fmt` and prettier itself use, with the file's prettier configuration when it has one. The
// plugin is loaded on first use.

import type { TextEdit } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";

interface PrettierPlugin {
  languages?: { parsers?: string[] }[];
  parsers?: Record<string, unknown>;
}

let pluginPromise: Promise<PrettierPlugin> | undefined;

async function loadPlugin(): Promise<PrettierPlugin> {
  // A computed specifier: the plugin is compiled with the rest of polc into dist/format/.
  const spec = new URL("../format/plugin.js", import.meta.url).href;
  const mod = (await import(spec)) as { default?: PrettierPlugin } & PrettierPlugin;
  return mod.parsers || mod.languages ? mod : (mod.default ?? mod);
}

function parserOf(plugin: PrettierPlugin): string {
  const fromLanguage = plugin.languages?.find((l) => l.parsers?.length)?.parsers?.[0];
  const name = fromLanguage ?? Object.keys(plugin.parsers ?? {})[0];
  if (!name) throw new Error("the polc prettier plugin declares no parser");
  return name;
}

/** Edits that format the whole document; empty when it is already formatted. Throws when the
 *  formatter cannot format it (e.g. a syntax error): the editor then leaves the text alone. */
export async function formatDocument(doc: TextDocument, absPath: string | undefined, opts: { tabSize: number; insertSpaces: boolean }): Promise<TextEdit[]> {
  pluginPromise ??= loadPlugin();
  const plugin = await pluginPromise.catch((e: unknown) => {
    pluginPromise = undefined;
    throw e;
  });
  const prettier = await import("prettier");
  const config = absPath ? ((await prettier.resolveConfig(absPath)) ?? {}) : {};
  const text = doc.getText();
  const formatted = await prettier.format(text, {
    tabWidth: opts.tabSize,
    useTabs: !opts.insertSpaces,
    ...config,
    ...(absPath ? { filepath: absPath } : {}),
    parser: parserOf(plugin),
    plugins: [plugin as never],
  });
  if (formatted === text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: formatted }];
}

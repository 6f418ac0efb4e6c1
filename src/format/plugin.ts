// The prettier 3 plugin for `.pol`: `import plugin from "polc/prettier"`, or list
// "./node_modules/polc/dist/format/plugin.js" under `plugins` in a .prettierrc. `polc fmt` uses the
// same object through prettier's API. Rules: docs/formatting.md.

import type { Parser, Plugin, Printer, SupportLanguage, SupportOptions } from "prettier";
import type * as A from "../syntax/ast.js";
import { CHILD_KEYS } from "../syntax/walk.js";
import { canAttachComment, getCommentChildNodes, handleComments, hasPrettierIgnore, isBlockComment, printComment } from "./comments.js";
import { locEnd, locStart, parsePol, type FmtRoot } from "./parse.js";
import { print } from "./print.js";

export const languages: SupportLanguage[] = [
  { name: "Pol", parsers: ["pol"], extensions: [".pol"], vscodeLanguageIds: ["pol"] },
];

export const parsers: Record<string, Parser<FmtRoot>> = {
  pol: {
    astFormat: "pol-ast",
    parse: (text, options) => parsePol(text, { filepath: (options as { filepath?: string }).filepath }),
    locStart,
    locEnd,
  },
};

const pol: Printer<A.AnyNode> = {
  print,
  getVisitorKeys: (node) => (node && typeof node === "object" && "kind" in node ? [...(CHILD_KEYS[node.kind] ?? [])] : []),
  canAttachComment,
  getCommentChildNodes,
  isBlockComment: isBlockComment as never,
  printComment: printComment as never,
  handleComments,
  hasPrettierIgnore,
  willPrintOwnComments: () => true,
};

export const printers: Record<string, Printer<A.AnyNode>> = { "pol-ast": pol };

export const options: SupportOptions = {
  polAlign: {
    category: "Pol",
    type: "boolean",
    default: true,
    description: "Align `=` in runs of declarations and the arrows and colons of consecutive flows.",
  },
};

export const defaultOptions = { printWidth: 100, tabWidth: 2 };

const plugin: Plugin<A.AnyNode> = { languages, parsers: parsers as never, printers, options, defaultOptions };
export default plugin;

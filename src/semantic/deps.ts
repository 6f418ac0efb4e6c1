// The checker's view of the front end, the selector library and the CIDR helpers, in one place, so
// that the rest of src/semantic does not depend on their exact signatures.

import type { Diagnostic } from "../diag/diagnostic.js";
import type { File } from "../syntax/ast.js";
import type { SourceFile } from "../source.js";
import type { Sel } from "../selector/ast.js";
import type { Cidr } from "./model.js";
import { decodeSource } from "../syntax/read.js";
import { parseSource } from "../syntax/parse.js";
import { parseCidr } from "../net/cidr.js";
import * as selector from "../selector/index.js";

export function readSource(displayPath: string, bytes: Uint8Array): { file: SourceFile; diagnostics: Diagnostic[] } {
  const r = decodeSource(displayPath, bytes);
  return { file: r.file, diagnostics: [...r.diagnostics] };
}

export function parseFile(file: SourceFile): { ast: File; diagnostics: Diagnostic[] } {
  const r = parseSource(file);
  return { ast: r.ast, diagnostics: [...r.diagnostics] };
}

export interface CidrInfo {
  /** Canonical masked form. */
  readonly cidr: Cidr;
  readonly hostBits: boolean;
}

/** An address or CIDR literal; a bare address is /32 or /128. Undefined when malformed. */
export function cidrInfo(text: string): CidrInfo | undefined {
  const p = parseCidr(text);
  if (!p) return undefined;
  return { cidr: { text: p.masked, family: p.family }, hostBits: p.hasHostBits };
}

export type RawSelectorResult = { ok: true; sel: Sel } | { ok: false; message: string; offset: number };

/** Parses a raw Calico selector string; `offset` of an error is into `text`. */
export function parseRawSelector(text: string): RawSelectorResult {
  const r = selector.parseCalicoSelector(text);
  if (r.ok) return { ok: true, sel: r.sel };
  return { ok: false, message: r.error.message, offset: r.error.offset };
}

export const printSelector: (sel: Sel) => string = selector.printSelector;
export const satisfiable: (sel: Sel) => "yes" | "no" | "unknown" = selector.satisfiable;
export const prefixLabels: (sel: Sel, prefix: string) => Sel = selector.prefixLabels;
export const selAnd: (...args: Sel[]) => Sel = (...args) => selector.and(...args);
export const selNot: (arg: Sel) => Sel = (arg) => selector.not(arg);

// The checker's view of the selector library and the CIDR helpers, in one place, so that the rest of
// src/semantic does not depend on their exact signatures (the front end's is in frontend.ts).

import type { Sel } from "../selector/ast.js";
import type { Cidr } from "./model.js";
import { parseCidr } from "../net/cidr.js";
import { parseCalicoSelector } from "../selector/parse.js";
import * as selector from "../selector/index.js";

export interface CidrInfo {
  /** Canonical masked form. */
  readonly cidr: Cidr;
  readonly hostBits: boolean;
}

/** An address or CIDR literal; a bare address is /32 or /128. Undefined when malformed. */
export function cidrInfo(text: string): CidrInfo | undefined {
  const p = parseCidr(text);
  if (!p.ok) return undefined;
  return { cidr: { text: p.masked, family: p.family }, hostBits: p.hasHostBits };
}

export type RawSelectorResult = { ok: true; sel: Sel } | { ok: false; message: string; offset: number };

/** Parses a raw Calico selector string; `offset` of an error is into `text`. */
export function parseRawSelector(text: string): RawSelectorResult {
  const r = parseCalicoSelector(text);
  if (r.ok) return { ok: true, sel: r.sel };
  return { ok: false, message: r.error, offset: r.offset };
}

/** The canonical string, memoised per Sel object: the checker never mutates a Sel once built, and a
 *  resolved group's Sel is printed again at every use (selector lengths, flow ends). */
const printed = new WeakMap<Sel, string>();
export const printSelector = (sel: Sel): string => {
  let s = printed.get(sel);
  if (s === undefined) {
    s = selector.printSelector(sel);
    printed.set(sel, s);
  }
  return s;
};
export const satisfiable: (sel: Sel) => "yes" | "no" | "unknown" = selector.satisfiable;
export const labelRestrictions: (sel: Sel) => selector.Restrictions = selector.labelRestrictions;
export type Restrictions = selector.Restrictions;
export const prefixLabels: (sel: Sel, prefix: string) => Sel = selector.prefixLabels;
export const selAnd: (...args: Sel[]) => Sel = (...args) => selector.and(...args);
export const selNot: (arg: Sel) => Sel = (arg) => selector.not(arg);

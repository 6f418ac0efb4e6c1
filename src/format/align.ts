// Column padding decided by a list printer (file, flows block) and read by the statement printers.

import type { Doc, ParserOptions } from "prettier";
import type * as A from "../syntax/ast.js";
import { flatWidth } from "./layout.js";

const pads = new WeakMap<object, number[]>();

export function setPads(node: object, p: number[]): void {
  pads.set(node, p);
}

/** Spaces to add after column `i` of this statement (0 when it is not aligned). */
export function padOf(node: object, i: number): number {
  return pads.get(node)?.[i] ?? 0;
}

/** Whether plain alignment is on (the `polAlign` option, default true). */
export function alignOn(options: ParserOptions): boolean {
  return (options as { polAlign?: boolean }).polAlign !== false;
}

/** The widths of a flow's `from` and `to` columns when the whole flow fits on one line of
 *  `available` columns, else undefined (a flow that breaks does not align). */
export function flowColumns(flow: A.FlowLine, measure: (key: "from" | "to" | "services") => Doc[], available: number): number[] | undefined {
  const from = flatWidth(measure("from"));
  const to = flatWidth(measure("to"));
  const services = flatWidth(measure("services"));
  if (from === undefined || to === undefined || services === undefined) return undefined;
  const commas = Math.max(0, flow.services.length - 1) * 2;
  if (from + 4 + to + 3 + services + commas > available) return undefined;
  return [from, to];
}

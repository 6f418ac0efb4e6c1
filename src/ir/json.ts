// Stable JSON for the IR (tests, `polc ir`): object keys sorted, arrays in IR order, two-space
// indentation, a final newline. The same IR always gives the same bytes.

import type { IrProgram } from "./types.js";

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export function irToJson(ir: IrProgram): string {
  return JSON.stringify(sortKeys(ir), null, 2) + "\n";
}

/** Parses what `irToJson` printed (no validation beyond JSON syntax). */
export function irFromJson(text: string): IrProgram {
  return JSON.parse(text) as IrProgram;
}

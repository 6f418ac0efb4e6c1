// Collects the checker's diagnostics. The severity of a code comes from its registration in
// codes.ts, so a code cannot be an error in one place and a warning in another; emitting an
// unregistered code is a programming error caught by the tests (it throws).

import type { Diagnostic, Fix, Label } from "../diag/diagnostic.js";
import type { Span } from "../source.js";
import { SEMANTIC_CODES } from "./codes.js";

const SEVERITY = new Map(SEMANTIC_CODES.map((c) => [c.code, c.severity]));

export interface Extras {
  /** Text under the primary caret. */
  label?: string;
  secondary?: Label[];
  notes?: string[];
  /** Required for errors (enforced by `error`). */
  help?: string;
  fix?: Fix;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  emit(code: string, span: Span, message: string, extras: Extras = {}): void {
    const severity = SEVERITY.get(code);
    if (!severity) throw new Error(`unregistered diagnostic code ${code}`);
    if (severity === "error" && !extras.help) throw new Error(`error ${code} without a help line`);
    const d: Diagnostic = { code, severity, message, primary: { span, ...(extras.label ? { message: extras.label } : {}) } };
    if (extras.secondary?.length) d.secondary = extras.secondary;
    if (extras.notes?.length) d.notes = extras.notes;
    if (extras.help) d.help = extras.help;
    if (extras.fix) d.fix = extras.fix;
    this.diagnostics.push(d);
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === "error").length;
  }
}

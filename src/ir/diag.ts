// Diagnostics of lowering and the backends, with the severity registered for their code.

import type { Diagnostic, Label } from "../diag/diagnostic.js";
import type { Span } from "../source.js";
import { BACKEND_CODES } from "../backends/codes.js";

const SEVERITY = new Map(BACKEND_CODES.map((c) => [c.code, c.severity]));

export interface DiagExtras {
  label?: string;
  secondary?: Label[];
  notes?: string[];
  help?: string;
}

export function makeDiag(code: string, span: Span, message: string, extras: DiagExtras = {}): Diagnostic {
  const severity = SEVERITY.get(code);
  if (!severity) throw new Error(`diagnostic code ${code} is not registered in src/backends/codes.ts`);
  return {
    code,
    severity,
    message,
    primary: { span, ...(extras.label ? { message: extras.label } : {}) },
    ...(extras.secondary?.length ? { secondary: extras.secondary } : {}),
    ...(extras.notes?.length ? { notes: extras.notes } : {}),
    ...(extras.help ? { help: extras.help } : {}),
  };
}

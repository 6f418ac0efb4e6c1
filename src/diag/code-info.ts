// Shape of one entry of the diagnostic-code registry. Each stage keeps its own table
// (src/syntax/codes.ts, src/semantic/codes.ts, …); src/diag/codes.ts merges them.

import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  /** `POLnnnn`. Ranges: 0xxx syntax, 1xxx names and imports, 2xxx values, types and Calico validation,
   *  3xxx policy semantics and analysis, 4xxx backends, 5xxx inventory, 9xxx command line and I/O. */
  readonly code: string;
  /** Short title, e.g. "unknown name". */
  readonly title: string;
  readonly severity: Severity;
  /** The long explanation printed by `polc explain CODE`: what it means, why Calico cares, an example
   *  that triggers it and how to fix it. Plain text, wrapped at 100 columns. */
  readonly explanation: string;
}

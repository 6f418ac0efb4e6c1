// Diagnostic codes of this stage. See src/diag/code-info.ts for the ranges.

import type { CodeInfo } from "../diag/code-info.js";

export const SYNTAX_CODES: readonly CodeInfo[] = [];

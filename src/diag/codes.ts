// The single registry of diagnostic codes, merged from each stage's own table.

import type { CodeInfo } from "./code-info.js";
import { SYNTAX_CODES } from "../syntax/codes.js";
import { SEMANTIC_CODES } from "../semantic/codes.js";
import { BACKEND_CODES } from "../backends/codes.js";
import { ANALYSIS_CODES } from "../analysis/codes.js";

export type { CodeInfo } from "./code-info.js";

const ALL: readonly CodeInfo[] = [...SYNTAX_CODES, ...SEMANTIC_CODES, ...BACKEND_CODES, ...ANALYSIS_CODES];

const BY_CODE = new Map<string, CodeInfo>();
for (const info of ALL) {
  if (BY_CODE.has(info.code)) throw new Error(`diagnostic code ${info.code} registered twice`);
  BY_CODE.set(info.code, info);
}

export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code.toUpperCase());
}

export function allCodes(): CodeInfo[] {
  return [...BY_CODE.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
}

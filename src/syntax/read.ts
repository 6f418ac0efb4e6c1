// Bytes → SourceFile: BOM stripping, UTF-8 validation and binary detection, as diagnostics.

import type { Diagnostic } from "../diag/diagnostic.js";
import { makeSourceFile, type SourceFile } from "../source.js";

export function decodeSource(path: string, bytes: Uint8Array): { file?: SourceFile; diagnostics: Diagnostic[] } {
  const at = (start: number) => ({ file: path, start, end: start });
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return {
      diagnostics: [
        {
          code: "POL0001",
          severity: "error",
          message: "this is a binary file, not a .pol source",
          primary: { span: at(0), message: `NUL byte at offset ${nul}` },
          help: "pass only .pol text files to polc",
        },
      ],
    };
  }
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    return { file: makeSourceFile(path, text), diagnostics: [] };
  } catch {
    // Find the first invalid byte to point at it; show the valid prefix as the file.
    let valid = 0;
    for (let end = 1; end <= body.length; end++) {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(body.subarray(valid, end));
      } catch {
        continue;
      }
      valid = end;
    }
    const prefix = new TextDecoder("utf-8").decode(body.subarray(0, valid));
    const file = makeSourceFile(path, new TextDecoder("utf-8").decode(body));
    return {
      file,
      diagnostics: [
        {
          code: "POL0002",
          severity: "error",
          message: `invalid UTF-8 at byte ${valid + (body === bytes ? 0 : 3)}`,
          primary: { span: { file: path, start: prefix.length, end: prefix.length + 1 } },
          help: "save the file as UTF-8; .pol sources are UTF-8 text",
        },
      ],
    };
  }
}

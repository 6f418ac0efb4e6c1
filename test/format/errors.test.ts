// Broken source is never formatted: the parser throws an error that prettier reports with a code
// frame (from `loc`) and that carries polc's own diagnostics.

import { describe, expect, it } from "vitest";
import { PolSyntaxError } from "../../src/format/parse.js";
import { format } from "./helpers.js";

async function failure(text: string): Promise<PolSyntaxError> {
  try {
    await format(text);
  } catch (e) {
    return e as PolSyntaxError;
  }
  throw new Error("formatted broken source");
}

describe("syntax errors", () => {
  it("a syntax error throws with the position and the diagnostic", async () => {
    const e = await failure('tier a order 1 default pass\ngroup x = app = "b"\n');
    expect(e).toBeInstanceOf(PolSyntaxError);
    expect(e.loc).toEqual({ start: { line: 2, column: 15 } });
    expect(e.diagnostics.map((d) => d.code)).toEqual(["POL0202"]);
    expect(e.message).toContain("POL0202");
    expect(e.message).toContain("group x = app"); // prettier appends a code frame
  });

  it("literal errors found by the front end also stop formatting", async () => {
    const bad = await failure('group x = app == "a\\q"\n');
    expect(bad.diagnostics.map((d) => d.code)).toEqual(["POL0104"]);
    const cidr = await failure("net n = 10.0.0.300/8\n");
    expect(cidr.diagnostics.map((d) => d.code)).toEqual(["POL0110"]);
  });

  it("an unterminated comment or string is reported, not formatted", async () => {
    expect((await failure("tier a order 1 default pass /* open\n")).diagnostics[0]!.code).toBe("POL0105");
    expect((await failure('group x = app == "open\n')).diagnostics[0]!.code).toBe("POL0102");
  });

  it("counts further errors in the message", async () => {
    const e = await failure("group = \nnet = \n");
    expect(e.diagnostics.length).toBeGreaterThan(1);
    expect(e.message).toMatch(/and \d+ more/);
  });
});

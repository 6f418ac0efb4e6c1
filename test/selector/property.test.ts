// Property tests: printing is a parse fixed point that preserves meaning; satisfiability and label
// restrictions agree with brute force over small label domains.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluate, labelRestrictions, parseCalicoSelector, printSelector, satisfiable, witnessLabels, type Sel } from "../../src/selector/index.js";

const KEYS = ["a", "b", "c"];
const VALUES = ["x", "y", "z"];

const selArb: fc.Arbitrary<Sel> = fc.letrec<{ sel: Sel }>((tie) => ({
  sel: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant<Sel>({ op: "all" }),
    fc.constantFrom(...KEYS).map((key): Sel => ({ op: "has", key })),
    fc.record({ op: fc.constantFrom("eq" as const, "ne" as const), key: fc.constantFrom(...KEYS), value: fc.constantFrom(...VALUES) }),
    fc.record({ op: fc.constantFrom("in" as const, "notIn" as const), key: fc.constantFrom(...KEYS), values: fc.array(fc.constantFrom(...VALUES), { maxLength: 3 }) }),
    tie("sel").map((arg): Sel => ({ op: "not", arg: arg.op === "not" ? { op: "has", key: "a" } : arg })),
    fc.record({ op: fc.constantFrom("and" as const, "or" as const), args: fc.array(tie("sel"), { minLength: 2, maxLength: 3 }) }),
  ),
})).sel;

/** Every label map over KEYS with values from VALUES or absent (4^3 = 64 maps). */
const ALL_LABELS: Record<string, string>[] = (() => {
  const out: Record<string, string>[] = [];
  const choices = [undefined, ...VALUES, "w"];
  for (const a of choices) for (const b of choices) for (const c of choices) {
    const m: Record<string, string> = {};
    if (a) m.a = a;
    if (b) m.b = b;
    if (c) m.c = c;
    out.push(m);
  }
  return out;
})();

describe("selector properties", () => {
  it("print → parse → print is a fixed point and keeps the meaning", () => {
    fc.assert(
      fc.property(selArb, (sel) => {
        const printed = printSelector(sel);
        const re = parseCalicoSelector(printed);
        expect(re.ok).toBe(true);
        if (!re.ok) return;
        expect(printSelector(re.sel)).toBe(printed);
        for (const l of ALL_LABELS) expect(evaluate(re.sel, l)).toBe(evaluate(sel, l));
      }),
      { numRuns: 400 },
    );
  });

  it("satisfiable agrees with brute force, and witnesses really match", () => {
    fc.assert(
      fc.property(selArb, (sel) => {
        const brute = ALL_LABELS.some((l) => evaluate(sel, l));
        expect(satisfiable(sel)).toBe(brute ? "yes" : "no");
        const w = witnessLabels(sel);
        if (brute) expect(evaluate(sel, w!)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("label restrictions are sound", () => {
    fc.assert(
      fc.property(selArb, (sel) => {
        const r = labelRestrictions(sel);
        for (const l of ALL_LABELS) {
          if (!evaluate(sel, l)) continue;
          for (const [k, x] of r) {
            if (x.mustBePresent) expect(k in l).toBe(true);
            if (x.mustBeAbsent) expect(k in l).toBe(false);
            if (x.mustHaveOneOfValues) expect(x.mustHaveOneOfValues).toContain(l[k]);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("pathological input is an error, not a crash", () => {
    expect(parseCalicoSelector("(".repeat(10_000) + "a == 'b'" + ")".repeat(10_000)).ok).toBe(false);
    expect(parseCalicoSelector("!".repeat(10_000) + "has(a)").ok).toBe(true);
    expect(parseCalicoSelector("a == 'b' && ".repeat(5_000) + "all()").ok).toBe(true);
    expect(parseCalicoSelector("a\nb").ok).toBe(false);
  });
});

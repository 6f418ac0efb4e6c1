// Label-atom domains, including the string-operator buckets: every value (mentioned or not) lands in a
// bucket whose truth vector is its own, samples really belong to their bucket, and no realisable
// combination is dropped.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LabelAtomCollector, testPredicate, type StringPredicate } from "../../src/analysis/labels.js";
import type { Sel } from "../../src/selector/ast.js";

const arbPred = fc.record({
  op: fc.constantFrom("contains" as const, "startsWith" as const, "endsWith" as const),
  value: fc.constantFrom("", "a", "b", "ab", "ba", "x"),
});

describe("label domains", () => {
  it("collects keys and mentioned values, sorted", () => {
    const c = new LabelAtomCollector();
    const sel: Sel = { op: "and", args: [{ op: "eq", key: "app", value: "web" }, { op: "in", key: "tier", values: ["b", "a"] }, { op: "has", key: "pci" }] };
    c.addSelector(sel);
    const ds = c.domains();
    expect(ds.map((d) => [d.key, d.values, d.others.length])).toEqual([
      ["app", ["web"], 1],
      ["pci", [], 1],
      ["tier", ["a", "b"], 1],
    ]);
  });

  it("string-operator buckets are exact where samples exist and never lose a realisable value", () => {
    fc.assert(
      fc.property(fc.array(arbPred, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom("a", "ab", "bab", "xa"), { maxLength: 2 }), (preds, mentioned) => {
        const c = new LabelAtomCollector();
        for (const p of preds) c.addSelector({ op: p.op, key: "k", value: p.value });
        for (const v of mentioned) c.addValue("k", v);
        const d = c.domains()[0]!;
        // samples satisfy their truth vector and are not mentioned values
        for (const o of d.others) {
          if (o.sample === undefined) continue;
          expect(d.values.includes(o.sample)).toBe(false);
          d.predicates.forEach((p: StringPredicate, i) => expect(testPredicate(p, o.sample!)).toBe(o.truth[i]));
        }
        // any string not mentioned has a bucket with its truth vector
        for (const v of ["", "a", "b", "ab", "ba", "abx", "xab", "q", "bbb", "axb"]) {
          if (d.values.includes(v)) continue;
          const truth = d.predicates.map((p) => testPredicate(p, v));
          expect(d.others.some((o) => o.truth.every((t, i) => t === truth[i]))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

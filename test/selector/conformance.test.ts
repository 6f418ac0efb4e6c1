// Calico's own selector test vectors (shared/calico/selector-vectors.json): every table, every case.

import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { evaluate, labelRestrictions, parseCalicoSelector, prefixLabels, printSelector, tokenizeSelector, uidOfCanonical } from "../../src/selector/index.js";

const file = resolve(import.meta.dirname, "../../../shared/calico/selector-vectors.json");

interface Vectors {
  evaluation_cases: { selector: string; labels: Record<string, string>; expect: boolean }[];
  invalid_selectors: string[];
  canonical_cases: { input: string; canonical: string; uid?: string }[];
  prefix_visitor_cases: { input: string; prefix: string; output: string }[];
  tokenizer_cases: { input: string; error?: boolean; tokens?: unknown[] }[];
  label_restriction_cases: { selector: string; restrictions: Record<string, { mustBePresent: boolean; mustBeAbsent: boolean; mustHaveOneOfValues: string[] | null }> | null }[];
  validator_cases: { selector: string; parses: boolean }[];
  supplementary: { evaluation_cases: Vectors["evaluation_cases"]; invalid_selectors: (string | { selector: string })[]; canonical_cases: Vectors["canonical_cases"] };
}

describe("Calico selector conformance vectors", () => {
  it("has the vectors file", () => {
    if (!existsSync(file)) throw new Error(`Calico selector vectors are missing: expected ${file} (the shared/ folder beside the project root)`);
  });
  if (!existsSync(file)) return;
  const v = JSON.parse(readFileSync(file, "utf8")) as Vectors;
  const sel = (s: string) => {
    const r = parseCalicoSelector(s);
    if (!r.ok) throw new Error(`failed to parse ${JSON.stringify(s)}: ${r.error}`);
    return r.sel;
  };
  const invalid = (x: string | { selector: string }) => (typeof x === "string" ? x : x.selector);

  it(`evaluation_cases (${v.evaluation_cases.length}) and supplementary (${v.supplementary.evaluation_cases.length})`, () => {
    for (const c of [...v.evaluation_cases, ...v.supplementary.evaluation_cases]) {
      expect([c.selector, evaluate(sel(c.selector), c.labels)]).toEqual([c.selector, c.expect]);
    }
  });

  it(`invalid_selectors (${v.invalid_selectors.length}) and supplementary (${v.supplementary.invalid_selectors.length})`, () => {
    for (const s of [...v.invalid_selectors, ...v.supplementary.invalid_selectors.map(invalid)]) {
      expect([s, parseCalicoSelector(s).ok]).toEqual([s, false]);
    }
  });

  it(`canonical_cases (${v.canonical_cases.length}) and supplementary (${v.supplementary.canonical_cases.length}) with UIDs`, () => {
    for (const c of [...v.canonical_cases, ...v.supplementary.canonical_cases]) {
      const printed = printSelector(sel(c.input));
      expect([c.input, printed]).toEqual([c.input, c.canonical]);
      if (c.uid) expect(uidOfCanonical(printed)).toBe(c.uid);
      // the canonical form is a fixed point
      expect(printSelector(sel(printed))).toBe(printed);
    }
  });

  it(`prefix_visitor_cases (${v.prefix_visitor_cases.length})`, () => {
    for (const c of v.prefix_visitor_cases) expect(printSelector(prefixLabels(sel(c.input), c.prefix))).toBe(c.output);
  });

  it(`tokenizer_cases (${v.tokenizer_cases.length}): errors error, the rest tokenize`, () => {
    for (const c of v.tokenizer_cases) {
      let threw = false;
      try {
        tokenizeSelector(c.input);
      } catch {
        threw = true;
      }
      expect([c.input, threw]).toEqual([c.input, Boolean(c.error)]);
    }
  });

  it(`label_restriction_cases (${v.label_restriction_cases.length})`, () => {
    for (const c of v.label_restriction_cases) {
      const r = labelRestrictions(sel(c.selector));
      const got = r.size === 0 ? null : Object.fromEntries([...r].map(([k, x]) => [k, { mustBePresent: x.mustBePresent, mustBeAbsent: x.mustBeAbsent, mustHaveOneOfValues: x.mustHaveOneOfValues ? [...x.mustHaveOneOfValues].sort() : null }]));
      const want = c.restrictions === null ? null : Object.fromEntries(Object.entries(c.restrictions).map(([k, x]) => [k, { ...x, mustHaveOneOfValues: x.mustHaveOneOfValues ? [...x.mustHaveOneOfValues].sort() : null }]));
      expect([c.selector, got]).toEqual([c.selector, want]);
    }
  });

  it(`validator_cases (${v.validator_cases.length}): parses as recorded`, () => {
    for (const c of v.validator_cases) expect([c.selector, parseCalicoSelector(c.selector).ok]).toEqual([c.selector, c.parses]);
  });
});

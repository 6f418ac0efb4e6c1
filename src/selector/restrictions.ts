// What a selector implies about individual labels (Calico's LabelRestrictions, §c.5), and an exact
// satisfiability test with a witness label map (for "this group can match nothing").

import type { Labels, Sel } from "./ast.js";
import { evaluate } from "./evaluate.js";
import { labelValues } from "./transform.js";

export interface LabelRestriction {
  mustBePresent: boolean;
  mustBeAbsent: boolean;
  /** undefined: no constraint on the value; []: no value can satisfy it. Sorted. */
  mustHaveOneOfValues?: string[];
}

export type Restrictions = Map<string, LabelRestriction>;

function intersect(a: Restrictions, b: Restrictions): Restrictions {
  const out: Restrictions = new Map(a);
  for (const [k, r] of b) {
    const q = out.get(k);
    if (!q) {
      out.set(k, r);
      continue;
    }
    let values: string[] | undefined;
    if (q.mustHaveOneOfValues && r.mustHaveOneOfValues) values = q.mustHaveOneOfValues.filter((v) => r.mustHaveOneOfValues!.includes(v));
    else values = q.mustHaveOneOfValues ?? r.mustHaveOneOfValues;
    out.set(k, {
      mustBePresent: q.mustBePresent || r.mustBePresent,
      mustBeAbsent: q.mustBeAbsent || r.mustBeAbsent,
      ...(values ? { mustHaveOneOfValues: values } : {}),
    });
  }
  return out;
}

function union(a: Restrictions, b: Restrictions): Restrictions {
  const out: Restrictions = new Map();
  for (const [k, q] of a) {
    const r = b.get(k);
    if (!r) continue;
    const present = q.mustBePresent && r.mustBePresent;
    const absent = q.mustBeAbsent && r.mustBeAbsent;
    const values = q.mustHaveOneOfValues && r.mustHaveOneOfValues ? [...new Set([...q.mustHaveOneOfValues, ...r.mustHaveOneOfValues])].sort() : undefined;
    if (!present && !absent && !values) continue;
    out.set(k, { mustBePresent: present, mustBeAbsent: absent, ...(values ? { mustHaveOneOfValues: values } : {}) });
  }
  return out;
}

export function labelRestrictions(sel: Sel): Restrictions {
  switch (sel.op) {
    case "eq":
      return new Map([[sel.key, { mustBePresent: true, mustBeAbsent: false, mustHaveOneOfValues: [sel.value] }]]);
    case "in":
      return new Map([[sel.key, { mustBePresent: true, mustBeAbsent: false, mustHaveOneOfValues: [...new Set(sel.values)].sort() }]]);
    case "has":
    case "contains":
    case "startsWith":
    case "endsWith":
      return new Map([[sel.key, { mustBePresent: true, mustBeAbsent: false }]]);
    case "not":
      return sel.arg.op === "has" ? new Map([[sel.arg.key, { mustBePresent: false, mustBeAbsent: true }]]) : new Map();
    case "and":
      return sel.args.map(labelRestrictions).reduce(intersect);
    case "or":
      return sel.args.map(labelRestrictions).reduce(union);
    default:
      return new Map();
  }
}

export type Satisfiable = "yes" | "no" | "unknown";

/** Enumeration budget: label assignments tried before answering "unknown". */
const BUDGET = 200_000;

function hasStringOps(sel: Sel): boolean {
  const stack: Sel[] = [sel];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.op === "contains" || x.op === "startsWith" || x.op === "endsWith") return true;
    if (x.op === "not") stack.push(x.arg);
    if (x.op === "and" || x.op === "or") stack.push(...x.args);
  }
  return false;
}

/** Searches label maps over, per key, {absent, every value mentioned, a fresh value}: exact for every
 *  operator except contains/starts with/ends with (there a miss is "unknown", never "no"). */
export function findWitness(sel: Sel): { result: Satisfiable; labels?: Labels } {
  const keys = [...labelValues(sel)].sort(([a], [b]) => (a < b ? -1 : 1));
  const domains: (string | undefined)[][] = keys.map(([, vals]) => {
    const sorted = [...vals].sort();
    let fresh = "other";
    while (vals.has(fresh)) fresh += "-x";
    return [undefined, ...sorted, fresh];
  });
  let tried = 0;
  const idx = new Array(keys.length).fill(0);
  for (;;) {
    if (++tried > BUDGET) return { result: "unknown" };
    const labels: Record<string, string> = {};
    keys.forEach(([k], i) => {
      const v = domains[i]![idx[i]];
      if (v !== undefined) labels[k] = v;
    });
    if (evaluate(sel, labels)) return { result: "yes", labels };
    let i = 0;
    while (i < keys.length) {
      idx[i]++;
      if (idx[i] < domains[i]!.length) break;
      idx[i] = 0;
      i++;
    }
    if (i === keys.length) return { result: hasStringOps(sel) ? "unknown" : "no" };
  }
}

/** The answer findWitness gives, computed directly, for the most common shape: `all()`, `has` and `==`
 *  tests joined by one `&&` (a typical group). Undefined for anything else, and when the search space
 *  exceeds the budget (findWitness may then answer "unknown"). */
function conjunctionOfEqualities(sel: Sel): Satisfiable | undefined {
  const atoms = sel.op === "and" ? sel.args : [sel];
  const values = new Map<string, string[]>(); // key -> distinct values tested with ==
  let conflict = false;
  for (const a of atoms) {
    if (a.op === "all") continue;
    if (a.op !== "eq" && a.op !== "has") return undefined;
    let vs = values.get(a.key);
    if (!vs) values.set(a.key, (vs = []));
    if (a.op === "eq" && !vs.includes(a.value)) {
      vs.push(a.value);
      if (vs.length > 1) conflict = true;
    }
  }
  // findWitness tries every label map over {absent, each value, a fresh value} per key: exact when
  // all of them fit in the budget.
  let space = 1;
  for (const vs of values.values()) {
    space *= vs.length + 2;
    if (space > BUDGET) return undefined;
  }
  return conflict ? "no" : "yes";
}

export function satisfiable(sel: Sel): Satisfiable {
  return conjunctionOfEqualities(sel) ?? findWitness(sel).result;
}

/** A label map the selector matches, if one was found. */
export function witnessLabels(sel: Sel): Labels | undefined {
  return findWitness(sel).labels;
}

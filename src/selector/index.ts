// The Calico selector library: parse Calico selector strings, print canonically, evaluate, analyse.

export type { Sel, Labels } from "./ast.js";
export { NAMESPACE_LABEL, SERVICE_ACCOUNT_LABEL, ORCHESTRATOR_LABEL, NAMESPACE_LABEL_PREFIX, SERVICE_ACCOUNT_LABEL_PREFIX } from "./ast.js";
export { parseCalicoSelector, tokenizeSelector, MAX_LABEL_LENGTH, type SelectorParse } from "./parse.js";
export { printSelector, selectorUid, uidOfCanonical, unrepresentableValue } from "./print.js";
export { evaluate } from "./evaluate.js";
export { and, or, not, prefixLabels, labelKeys, labelValues, selEquals } from "./transform.js";
export { labelRestrictions, satisfiable, witnessLabels, findWitness, type LabelRestriction, type Restrictions, type Satisfiable } from "./restrictions.js";

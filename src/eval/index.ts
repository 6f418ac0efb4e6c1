// The reference evaluator: Calico's verdict and trace for a flow, computed from the emitted Calico
// objects (what the cluster sees) and an inventory of pods.

import type { IrProgram } from "../ir/types.js";
import { emitCalico } from "../backends/calico/emit.js";
import { evalProgram, type EvalProgram } from "./program.js";

export { evalProgram, type EvalProgram } from "./program.js";
export { evaluateFlow, directionTrace, type FlowSpec, type FlowEnd, type FlowEvaluation, type FlowVerdict, type DirectionResult, type DirectionTrace } from "./verdict.js";
export { World } from "./match.js";
export { hitToString, type PolicyHit, type PolicyRef, type HitKind } from "./trace.js";

/** The program the cluster would run after applying the YAML emitted for `ir`. */
export function evalProgramFromIr(ir: IrProgram): EvalProgram {
  return evalProgram(emitCalico(ir).objects, { ir });
}

// Runs flow cases through a lab loaded with a ruleset and compares the kernel's verdict (the flow got
// through or not) with the reference evaluator's enforced verdict.

import { Lab, type LabHostSpec } from "./lab.js";
import { describeCase, type FlowCase } from "./flows.js";

export interface DifferentialResult {
  readonly flows: number;
  readonly allowed: number;
  readonly mismatches: string[];
  /** Flows that should pass, timed out once and were sent again. */
  readonly retried: number;
}

export async function runDifferential(hosts: readonly LabHostSpec[], ruleset: string, cases: readonly FlowCase[]): Promise<DifferentialResult> {
  const lab = await Lab.create(hosts);
  try {
    await lab.load(ruleset);
    const results = await lab.run(cases.map((c) => c.probe));
    // A flow that should pass but timed out is sent once more with a longer timeout: on a loaded
    // machine a handshake can be slow. (A flow that got through is never retried: delay cannot let
    // a dropped packet through.)
    const slow = cases.map((c, i) => (c.expected === "Allow" && results[i] === "timeout" ? i : -1)).filter((i) => i >= 0);
    if (slow.length) {
      const again = await lab.run(slow.map((i) => cases[i]!.probe), 4000);
      slow.forEach((i, k) => (results[i] = again[k]!));
    }
    const mismatches: string[] = [];
    let allowed = 0;
    cases.forEach((c, i) => {
      const r = results[i];
      const kernel = r === "open" ? "Allow" : r === "timeout" ? "Deny" : undefined;
      if (kernel === "Allow") allowed++;
      if (kernel !== c.expected) mismatches.push(`${describeCase(c)}: kernel ${r}, evaluator ${c.expected}`);
    });
    return { flows: cases.length, allowed, mismatches, retried: slow.length };
  } finally {
    await lab.destroy();
  }
}

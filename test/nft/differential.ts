// Runs flow cases through a lab loaded with a ruleset and compares the kernel's verdict (the flow got
// through or not) with the reference evaluator's enforced verdict.

import { Lab, type LabHostSpec } from "./lab.js";
import { describeCase, type FlowCase } from "./flows.js";

export interface DifferentialResult {
  readonly flows: number;
  readonly allowed: number;
  readonly mismatches: string[];
}

export async function runDifferential(hosts: readonly LabHostSpec[], ruleset: string, cases: readonly FlowCase[]): Promise<DifferentialResult> {
  const lab = await Lab.create(hosts);
  try {
    await lab.load(ruleset);
    const results = await lab.run(cases.map((c) => c.probe));
    const mismatches: string[] = [];
    let allowed = 0;
    cases.forEach((c, i) => {
      const r = results[i];
      const kernel = r === "open" ? "Allow" : r === "timeout" ? "Deny" : undefined;
      if (kernel === "Allow") allowed++;
      if (kernel !== c.expected) mismatches.push(`${describeCase(c)}: kernel ${r}, evaluator ${c.expected}`);
    });
    return { flows: cases.length, allowed, mismatches };
  } finally {
    await lab.destroy();
  }
}

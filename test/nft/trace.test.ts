// `polc trace` against the kernel: for the examples, the rules that decided each flow in the kernel
// (`nft monitor trace`, matched by the key at the front of each rule's comment) are the hits of the
// reference evaluator's enforced trace (what `polc trace` prints): the source's egress hits, then,
// when egress allowed, the destination's ingress hits.

import { describe, expect, it } from "vitest";
import { canRunLab } from "./prereq.js";
import { compileExample } from "./worlds.js";
import { flowCases, labHosts, probePorts, describeCase, type FlowCase } from "./flows.js";
import { Lab } from "./lab.js";
import { TRACE_TABLE, traceProbes } from "./trace.js";
import { hitKey } from "../../src/backends/nft/keys.js";

function expectedKeys(c: FlowCase): string[] {
  const v = c.verdict;
  const keys: string[] = [];
  if (v.egress) keys.push(...v.egress.enforced.hits.map((h) => hitKey(h, "Egress")));
  if ((!v.egress || v.egress.enforced.action === "Allow") && v.ingress) keys.push(...v.ingress.enforced.hits.map((h) => hitKey(h, "Ingress")));
  return keys;
}

describe("nft trace agrees with the reference evaluator's trace", () => {
  for (const name of ["three-tier", "security-hierarchy"]) {
    it.skipIf(!canRunLab)(`${name}: the deciding rules of every flow`, async () => {
      const w = compileExample(name);
      const hosts = labHosts(w.inv, [["10.96.0.1"], ["198.51.100.7", "2001:db8::7"]]);
      // One flow per (source, destination address, protocol, port): the trace is matched by those.
      const cases = flowCases(w.prog, w.inv, hosts, [53, 80, 443, 5432, 9]);
      const lab = await Lab.create(hosts);
      try {
        await lab.load(w.nft.text, TRACE_TABLE);
        const { results, keys } = await traceProbes(lab, cases.map((c) => c.probe));
        // As in differential.ts: a flow that should pass and timed out is re-sent with a longer timeout.
        const slow = cases.map((c, i) => (c.expected === "Allow" && results[i] === "timeout" ? i : -1)).filter((i) => i >= 0);
        if (slow.length) (await lab.run(slow.map((i) => cases[i]!.probe), 4000)).forEach((r, k) => (results[slow[k]!] = r));
        const problems: string[] = [];
        let withIngress = 0;
        cases.forEach((c, i) => {
          const want = expectedKeys(c);
          if (keys[i] === undefined) problems.push(`${describeCase(c)}: no kernel trace`);
          else if (JSON.stringify(keys[i]) !== JSON.stringify(want)) problems.push(`${describeCase(c)}: kernel ${keys[i]!.join(" | ")}; evaluator ${want.join(" | ")}`);
          if (want.some((k) => k.includes(" ingress "))) withIngress++;
          const kernel = results[i] === "open" ? "Allow" : "Deny";
          if (kernel !== c.expected) problems.push(`${describeCase(c)}: kernel ${results[i]}, evaluator ${c.expected}`);
        });
        console.log(`nft trace ${name}: ${cases.length} flows traced, ${problems.length} disagreements`);
        expect(problems).toEqual([]);
        expect(withIngress).toBeGreaterThan(0);
      } finally {
        await lab.destroy();
      }
    }, 90_000);
  }
});

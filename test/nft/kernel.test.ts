// The nftables ruleset on a real kernel: for both examples and for seeded random policy worlds, every
// flow between the lab's hosts gets the kernel verdict the reference evaluator gives (enforced), and
// every generated ruleset passes `nft -c`. A ruleset with one verdict flipped must disagree, so the
// comparison itself is shown to detect a wrong ruleset.

import { describe, expect, it } from "vitest";
import { canRunLab, missing } from "./prereq.js";
import { compileExample, compileText } from "./worlds.js";
import { flowCases, labHosts, probePorts, sampleCases } from "./flows.js";
import { runDifferential } from "./differential.js";
import { generateWorld } from "./generate.js";
import { Rng } from "./rng.js";
import { run } from "./lab.js";

/** Outside hosts of the examples: kube-api's address, an address in 10/8 that no pod has, a partner
 *  (203.0.113.0/24), and documentation addresses for "the Internet", IPv4 and IPv6. */
const EXAMPLE_EXTERNALS = [["10.96.0.1"], ["10.200.0.1", "fd00:10::ff"], ["203.0.113.7"], ["198.51.100.7", "2001:db8::7"]];
/** Outside hosts of generated worlds: inside the pods' ranges but no pod, and in the documentation ranges. */
const WORLD_EXTERNALS = [["10.9.250.1", "fd00:9::ff:1"], ["198.51.100.7", "2001:db8::7"], ["203.0.113.9"]];
const WORLDS = 15;
const FLOWS_PER_WORLD = 500;

describe("kernel prerequisites", () => {
  it("are present under CI (root, ip, nft, ping)", () => {
    if (process.env.CI) expect(missing).toBeUndefined();
    else if (missing) console.log(`not CI: kernel tests skipped (${missing})`);
  });
});

describe("nft -c", () => {
  it.skipIf(!canRunLab)("accepts long names, every protocol form, ranges, named ports, Log and staged rules", async () => {
    const long = "z".repeat(150);
    const pol = [
      "tier t order 10 default pass",
      "tier u order 20 default deny",
      "net far = 198.51.100.0/24, 2001:db8::/32",
      `guardrail ${long} in t {\n  applies to all()\n  egress pass sctp/9, proto/47, udplite, tcp/8000-8100\n  egress log icmp/3/4, icmpv6/128\n}`,
      `staged guardrail s in u {\n  applies to app == "web"\n  ingress deny tcp/http from not far\n}`,
      `policy p in u namespace "alpha" {\n  egress allow tcp/http, udp/dns to app == "api"\n  egress deny to far except 198.51.100.128/25\n}`,
    ].join("\n");
    const w = compileText(pol, generateWorld(3).inventory);
    const ns = `polc${process.pid}chk`;
    await run("ip", ["netns", "add", ns]);
    try {
      await run("ip", ["netns", "exec", ns, "nft", "-c", "-f", "-"], w.nft.text);
    } finally {
      await run("ip", ["netns", "del", ns]);
    }
    expect(w.nft.text).toContain("meta l4proto 47");
    expect(w.nft.text).toContain("meta l4proto sctp th dport 9");
  });
});

describe("nft differential: examples", () => {
  for (const name of ["three-tier", "security-hierarchy"]) {
    it.skipIf(!canRunLab)(`${name}: every flow gets the evaluator's enforced verdict`, async () => {
      const w = compileExample(name);
      const hosts = labHosts(w.inv, EXAMPLE_EXTERNALS);
      const cases = flowCases(w.prog, w.inv, hosts, probePorts(w.prog, w.inv));
      const r = await runDifferential(hosts, w.nft.text, cases);
      console.log(`nft differential ${name}: ${r.flows} flows (${r.allowed} allowed, ${r.retried} slow ones re-sent), ${r.mismatches.length} mismatches`);
      expect(r.mismatches).toEqual([]);
      expect(r.allowed).toBeGreaterThan(0);
      expect(r.allowed).toBeLessThan(r.flows);
    }, 60_000);
  }

  it.skipIf(!canRunLab)("a ruleset with its deny verdicts turned into accept disagrees (the comparison detects a wrong ruleset)", async () => {
    const w = compileExample("three-tier");
    const hosts = labHosts(w.inv, EXAMPLE_EXTERNALS);
    const cases = sampleCases(flowCases(w.prog, w.inv, hosts, probePorts(w.prog, w.inv)), 200, new Rng(7));
    const wrong = w.nft.text.replace(/\bdrop comment "(gnp|eot):baseline/g, 'accept comment "$1:baseline');
    expect(wrong).not.toBe(w.nft.text);
    const r = await runDifferential(hosts, wrong, cases);
    expect(r.mismatches.length).toBeGreaterThan(0);
  }, 60_000);
});

describe("nft differential: generated worlds", () => {
  it.skipIf(!canRunLab)(`${WORLDS} seeded worlds, ${FLOWS_PER_WORLD} flows each, IPv4 and IPv6`, async () => {
    let flows = 0;
    let allowed = 0;
    let retried = 0;
    const mismatches: string[] = [];
    const families = new Set<string>();
    for (let seed = 1; seed <= WORLDS; seed++) {
      const g = generateWorld(seed);
      const w = compileText(g.pol, g.inventory);
      // nft's own check of the generated text, in a fresh namespace (the lab's node loads it next).
      const ns = `polc${process.pid}chk${seed}`;
      await run("ip", ["netns", "add", ns]);
      try {
        await run("ip", ["netns", "exec", ns, "nft", "-c", "-f", "-"], w.nft.text);
      } finally {
        await run("ip", ["netns", "del", ns]);
      }
      const hosts = labHosts(w.inv, WORLD_EXTERNALS);
      const cases = sampleCases(flowCases(w.prog, w.inv, hosts, probePorts(w.prog, w.inv)), FLOWS_PER_WORLD, new Rng(seed));
      const r = await runDifferential(hosts, w.nft.text, cases);
      flows += r.flows;
      allowed += r.allowed;
      retried += r.retried;
      for (const c of cases) families.add(c.probe.dst.includes(":") ? "v6" : "v4");
      mismatches.push(...r.mismatches.map((m) => `world ${seed}: ${m}`));
    }
    console.log(`nft differential generated: ${WORLDS} worlds, ${flows} flows (${allowed} allowed, ${retried} slow ones re-sent), ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
    expect(flows).toBe(WORLDS * FLOWS_PER_WORLD);
    expect([...families].sort()).toEqual(["v4", "v6"]);
    expect(allowed).toBeGreaterThan(flows / 5);
    expect(allowed).toBeLessThan(flows);
  }, 180_000);
});

// The decisive test: random tiered worlds, analysed by the set engine, checked against the naive
// first-match evaluator of helpers/brute.ts on concrete subjects and packets:
//   - the engine's allowed set of every subject class agrees with the brute-force verdict;
//   - no packet reaches a rule reported shadowed (or empty, or whose policy selects nothing);
//   - every reachable rule's witness really reaches it;
//   - deleting a rule reported redundant changes no verdict.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allowedOfClass, runEngine, type EngineResult } from "../../src/analysis/engine.js";
import { blockersOf, summarizeDirection, type RuleSummary } from "../../src/analysis/summary.js";
import { oneSidedRules } from "../../src/analysis/e2e.js";
import type { Space, SpaceEndpoint } from "../../src/analysis/space.js";
import type { ConcretePacket } from "../../src/analysis/witness.js";
import { DIRECTIONS, type Direction, type World } from "../../src/analysis/world.js";
import { evaluate, evalSel, ruleMatches, withoutRule, type LabelMap, type Packet } from "./helpers/brute.js";
import { classifyShadowed, lastRuleSelects } from "../../src/analysis/findings/rules.js";
import type { Ctx } from "../../src/analysis/findings/context.js";
import { concreteWitness } from "../../src/analysis/witness.js";
import { IPS, L4, genWorld, peers, rng, subjects } from "./helpers/gen-world.js";

const SUBJECTS = subjects();
const PEERS = peers();

interface Point {
  subject: LabelMap;
  pkt: Packet;
}

/** Inventory mode: these endpoints are the only subjects and the only workload peers. */
interface Inv {
  readonly endpoints: SpaceEndpoint[];
}

function genInventory(seed: number): Inv {
  const r = rng(seed ^ 0x7f4a7c15);
  const n = 1 + Math.floor(r() * 6);
  const ips = [IPS.a, IPS.c, IPS.e];
  return {
    endpoints: Array.from({ length: n }, (_, i) => ({
      name: `ns/pod-${i}`,
      labels: SUBJECTS[Math.floor(r() * SUBJECTS.length)]!,
      ips: [ips[i % ips.length]!],
    })),
  };
}

function domain(inv?: Inv): { subjects: LabelMap[]; peers: Packet["peer"][] } {
  if (!inv) return { subjects: SUBJECTS, peers: PEERS };
  return {
    subjects: inv.endpoints.map((e) => e.labels),
    peers: [
      ...inv.endpoints.map((e) => ({ kind: "workload" as const, labels: e.labels, ip: e.ips[0]! })),
      ...PEERS.filter((p) => p.kind === "external"),
    ],
  };
}

function samplePoints(seed: number, n: number, inv?: Inv): Point[] {
  const r = rng(seed ^ 0x5bd1e995);
  const { subjects, peers } = domain(inv);
  return Array.from({ length: n }, () => ({
    subject: subjects[Math.floor(r() * subjects.length)]!,
    pkt: { peer: peers[Math.floor(r() * peers.length)]!, ...L4[Math.floor(r() * L4.length)]! },
  }));
}

function fromWitness(w: ConcretePacket): Point {
  const isPortProto = [6, 17, 132, 136].includes(w.protocol);
  const isIcmp = w.protocol === 1 || w.protocol === 58;
  return {
    subject: w.subject,
    pkt: {
      peer: { kind: w.peer.kind, labels: w.peer.labels, ip: w.peer.ip },
      protocol: w.protocol,
      ...(isPortProto && typeof w.port === "number" ? { port: w.port } : {}),
      ...(isIcmp ? { icmpType: w.icmpType, icmpCode: w.icmpCode } : {}),
    },
  };
}

/** Engine coordinates of a concrete point. */
function coords(space: Space, pt: Point): number[] {
  const c: number[] = new Array(space.idd.dims).fill(0);
  space.labels.forEach((d, i) => {
    c[i] = space.segmentOfValue(d, pt.subject[d.key]);
    c[space.K + 1 + i] = pt.pkt.peer.kind === "workload" ? space.segmentOfValue(d, pt.pkt.peer.labels[d.key]) : 0;
  });
  c[space.KIND] = pt.pkt.peer.kind === "workload" ? 0 : 1;
  c[space.IP] = space.ip.segmentOf(pt.pkt.peer.ip);
  c[space.PROTO] = space.proto.segmentOf(pt.pkt.protocol);
  c[space.PORT] = space.port.segmentOf(pt.pkt.port ?? 0);
  c[space.ITYPE] = space.itype.segmentOf(pt.pkt.icmpType ?? 0);
  c[space.ICODE] = space.icode.segmentOf(pt.pkt.icmpCode ?? 0);
  return c;
}

function engineAllows(res: EngineResult, dir: Direction, pt: Point): boolean {
  const idd = res.space.idd;
  const c = coords(res.space, pt);
  const da = res.dirs[dir];
  const classes = da.classes.map((cls, i) => (idd.member(cls.set, c) ? i : -1)).filter((i) => i >= 0);
  expect(classes.length).toBeLessThanOrEqual(1);
  if (classes.length === 0) return res.world.profileAllows !== false;
  return idd.member(allowedOfClass(res, da, classes[0]!), c);
}

/** Deleting a rule the way a `.pol` author does: when it is the policy's last rule of that direction,
 *  the direction leaves the policy's `types` (the policy stops selecting its endpoints for it). */
function withoutPolRule(world: World, policy: number, dir: Direction, index: number): World {
  const w = withoutRule(world, policy, dir, index);
  const p = w.policies[policy]!;
  if ((dir === "ingress" ? p.ingress : p.egress)!.length > 0) return w;
  const { ingress, egress, ...rest } = p;
  const q = dir === "ingress" ? { ...rest, ...(egress ? { egress } : {}) } : { ...rest, ...(ingress ? { ingress } : {}) };
  return { ...w, policies: w.policies.map((x, i) => (i === policy ? q : x)) };
}

const passDead = { count: 0 };

function checkWorld(
  world: World,
  seed: number,
  samples: number,
  inv?: Inv,
  staged = false,
): { rules: number; shadowed: number; redundant: number; oneSided: number } {
  const res = runEngine(world, { ...(inv ? { endpoints: inv.endpoints } : {}), includeStaged: staged });
  const ev = (w: World, subject: LabelMap, dir: Direction, pkt: Packet) => evaluate(w, subject, dir, pkt, { staged });
  const points = samplePoints(seed, samples, inv);
  const dom = domain(inv);
  const ctx: Ctx = { world, res, out: [], opts: inv ? { inventory: true } : {}, pending: false, about: new Map() };
  let shadowed = 0;
  let redundant = 0;
  let rules = 0;
  for (const dir of DIRECTIONS) {
    const sums: RuleSummary[] = summarizeDirection(res, dir);
    const witnessPoints = sums.flatMap((s) => (s.witness ? [fromWitness(s.witness.packet)] : []));
    const all = [...points, ...witnessPoints];
    const traces = all.map((pt) => ev(world, pt.subject, dir, pt.pkt));
    // 1. allowed sets agree with brute force
    all.forEach((pt, k) => {
      const b = traces[k]!.verdict === "allow";
      if (engineAllows(res, dir, pt) !== b)
        throw new Error(`verdict mismatch ${dir} ${JSON.stringify(pt, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
    });
    for (const s of sums) {
      rules++;
      const key = s.info.key;
      // 0. blockers partition exactly the part of the match that never reaches the rule
      const idd = res.space.idd;
      const da = res.dirs[dir];
      for (const n of da.occurrences.get(key) ?? []) {
        const lost = idd.diff(s.info.M, da.trie.nodes[n]!.E);
        const bs = blockersOf(res, da, n, s.info.M, { limit: Number.POSITIVE_INFINITY });
        expect(idd.orAll(bs.map((b) => b.overlap))).toBe(lost);
      }
      expect(s.status).not.toBe("unknown");
      if (s.status !== "reached") {
        // 2. nothing reaches a shadowed / empty / unselected rule
        if (s.status === "shadowed") {
          shadowed++;
          // 2b. the classification follows the final verdict of the witness it shows: conflicting
          // (POL3210 / POL3212) only when the packet ends with another verdict than the rule's action,
          // dead (POL3211) when it ends with the same one — a Pass is judged by where the traffic ends.
          const a = s.info.rule.action;
          const v = a === "Allow" || a === "Deny" ? classifyShadowed(ctx, da, s) : undefined;
          if (v) {
            const w = concreteWitness(res.space, da.classes[v.cls]!.set, v.overlap);
            expect(w).toBeDefined();
            const wp = fromWitness(w!);
            const verdict = ev(world, wp.subject, dir, wp.pkt).verdict;
            const want = a === "Allow" ? "allow" : "deny";
            if ((v.code === "POL3211") !== (verdict === want))
              throw new Error(`rule ${key} classified ${v.code} but its witness ends in ${verdict}`);
            if (v.code === "POL3211" && v.main.el.t === "rule" && v.main.el.info.rule.action === "Pass") passDead.count++;
          }
        }
        all.forEach((pt, k) => {
          if (traces[k]!.reached.includes(key)) throw new Error(`rule ${key} reported ${s.status} but reached by a packet`);
        });
        if (s.status === "empty") all.forEach((pt) => expect(ruleMatches(s.info.rule, pt.pkt)).toBe(false));
        if (s.status === "unselected")
          dom.subjects.forEach((subj) => expect(evalSel(world.policies[s.info.policy]!.subject, subj)).toBe(false));
        continue;
      }
      // 3. the witness reaches the rule
      expect(s.witness).toBeDefined();
      const wp = fromWitness(s.witness!.packet);
      const t = ev(world, wp.subject, dir, wp.pkt);
      if (!t.reached.includes(key)) throw new Error(`witness for ${key} does not reach it`);
      // 4. deleting a redundant rule changes no verdict; and where the findings call it deletable (not
      // the last rule of its direction that makes a default-deny tier select its endpoints), deleting
      // it as in `.pol` — the direction leaves the policy with its last rule — changes none either.
      if (s.redundant) {
        redundant++;
        const w2 = withoutRule(world, s.info.policy, dir, s.info.index);
        all.forEach((pt, k) => {
          const v2 = ev(w2, pt.subject, dir, pt.pkt).verdict;
          if (v2 !== traces[k]!.verdict) throw new Error(`rule ${key} reported redundant but deleting it changes a verdict`);
        });
        if (!lastRuleSelects(ctx, s.info)) {
          const w3 = withoutPolRule(world, s.info.policy, dir, s.info.index);
          all.forEach((pt, k) => {
            const v3 = ev(w3, pt.subject, dir, pt.pkt).verdict;
            if (v3 !== traces[k]!.verdict) throw new Error(`rule ${key} reported deletable but deleting its last ${dir} rule changes a verdict`);
          });
        }
      }
    }
  }
  // 5. one-sided rules: wherever the rule allows a workload connection, the other side denies it.
  let oneSided = 0;
  for (const dir of DIRECTIONS) {
    const reached = summarizeDirection(res, dir, {})
      .filter((s) => s.status === "reached")
      .map((s) => s.info);
    for (const o of oneSidedRules(res, reached)) {
      oneSided++;
      const r = rng(seed ^ 0x1234);
      const ends = inv ? inv.endpoints.map((e) => ({ labels: e.labels, ip: e.ips[0]! })) : SUBJECTS.map((labels) => ({ labels, ip: IPS.a }));
      for (let k = 0; k < 150; k++) {
        const src = ends[Math.floor(r() * ends.length)]!;
        const dst = ends[Math.floor(r() * ends.length)]!;
        const l4 = L4[Math.floor(r() * L4.length)]!;
        const [here, there] = dir === "egress" ? [src, dst] : [dst, src];
        const t = ev(world, here.labels, dir, { peer: { kind: "workload", labels: there.labels, ip: inv ? there.ip : IPS.a }, ...l4 });
        if (t.verdict !== "allow" || t.reached[t.reached.length - 1] !== o.info.key) continue;
        const od = dir === "egress" ? "ingress" : "egress";
        const back = ev(world, there.labels, od, { peer: { kind: "workload", labels: here.labels, ip: inv ? here.ip : IPS.c }, ...l4 });
        if (back.verdict !== "deny") throw new Error(`rule ${o.info.key} reported one-sided but the other side allows a connection`);
      }
    }
  }
  return { rules, shadowed, redundant, oneSided };
}

describe("analysis engine vs brute-force first match", () => {
  it("agrees on thousands of random tiered worlds", () => {
    const totals = { worlds: 0, rules: 0, shadowed: 0, redundant: 0, oneSided: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const world = genWorld(seed);
        const r = checkWorld(world, seed, 300);
        totals.worlds++;
        totals.rules += r.rules;
        totals.shadowed += r.shadowed;
        totals.redundant += r.redundant;
        totals.oneSided += r.oneSided;
      }),
      { numRuns: 2000, seed: 42 },
    );
    // The generator must actually exercise the interesting cases.
    expect(totals.shadowed).toBeGreaterThan(200);
    expect(totals.redundant).toBeGreaterThan(200);
    expect(totals.oneSided).toBeGreaterThan(20);
    // Rules shadowed by a Pass whose traffic ends with the rule's own verdict (dead, not conflicting).
    expect(passDead.count).toBeGreaterThan(5);
    console.log(`engine property: ${JSON.stringify({ ...totals, passDead: passDead.count })}`);
  });

  it("agrees on the pending verdict (staged policies evaluated as enforced)", () => {
    let staged = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const world = genWorld(seed);
        staged += world.policies.filter((p) => p.staged).length;
        checkWorld(world, seed, 150, undefined, true);
      }),
      { numRuns: 400, seed: 11 },
    );
    expect(staged).toBeGreaterThan(50);
  });

  it("agrees in inventory mode (subjects and workload peers = the inventory's endpoints)", () => {
    const totals = { worlds: 0, rules: 0, shadowed: 0, redundant: 0, oneSided: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = checkWorld(genWorld(seed), seed, 200, genInventory(seed));
        totals.worlds++;
        totals.rules += r.rules;
        totals.shadowed += r.shadowed;
        totals.redundant += r.redundant;
        totals.oneSided += r.oneSided;
      }),
      { numRuns: 600, seed: 7 },
    );
    expect(totals.shadowed).toBeGreaterThan(100);
    expect(totals.redundant).toBeGreaterThan(100);
    console.log(`inventory property: ${JSON.stringify(totals)}`);
  });
});

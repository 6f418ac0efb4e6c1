// Random tiered policy worlds over small label / port / address domains, and the concrete points
// (subjects and packets) that cover those domains, for differential tests against brute force.

import type { Sel } from "../../../src/selector/ast.js";
import type { Action, IpRange, Match, World, WPolicy, WRule, WTier } from "../../../src/analysis/world.js";
import { V6_OFFSET } from "../../../src/analysis/world.js";
import type { LabelMap, Packet, Peer } from "./brute.js";

export const NS = "projectcalico.org/namespace";

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const v4 = (a: number, b: number, c: number, d: number) => BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);
const cidr4 = (a: number, b: number, c: number, d: number, len: number): IpRange => {
  const lo = v4(a, b, c, d);
  return { lo, hi: lo + (1n << BigInt(32 - len)) - 1n };
};
const FD00 = V6_OFFSET + (0xfdn << 120n);
export const CIDRS: IpRange[] = [
  cidr4(10, 0, 0, 0, 8),
  cidr4(10, 1, 0, 0, 16),
  cidr4(192, 168, 0, 0, 16),
  { lo: FD00, hi: FD00 + (1n << 120n) - 1n },
  cidr4(8, 8, 8, 8, 32),
];

export const IPS = {
  a: v4(10, 1, 2, 3),
  b: v4(10, 200, 0, 1),
  c: v4(192, 168, 1, 1),
  d: v4(8, 8, 8, 8),
  e: FD00 + 5n,
  f: V6_OFFSET + (0x20010db8n << 96n) + 1n,
};

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function subset<T>(r: () => number, xs: readonly T[], min = 1): T[] {
  for (;;) {
    const s = xs.filter(() => r() < 0.5);
    if (s.length >= min) return s;
  }
}

export function genSel(r: () => number, depth = 0): Sel {
  const x = r();
  if (depth < 2 && x < 0.25) {
    const n = 2 + Math.floor(r() * 2);
    return { op: r() < 0.5 ? "and" : "or", args: Array.from({ length: n }, () => genSel(r, depth + 1)) };
  }
  if (depth < 2 && x < 0.32) return { op: "not", arg: genSel(r, depth + 1) };
  const atoms: (() => Sel)[] = [
    () => ({ op: "all" }),
    () => ({ op: "has", key: "app" }),
    () => ({ op: "not", arg: { op: "has", key: "app" } }),
    () => ({ op: "eq", key: "app", value: pick(r, ["a", "b"]) }),
    () => ({ op: "ne", key: "app", value: pick(r, ["a", "b"]) }),
    () => ({ op: "in", key: "app", values: subset(r, ["a", "b"]) }),
    () => ({ op: "notIn", key: "app", values: subset(r, ["a", "b"]) }),
    () => ({ op: "eq", key: NS, value: pick(r, ["n1", "n2"]) }),
    () => ({ op: "in", key: NS, values: subset(r, ["n1", "n2"]) }),
    () => ({ op: "ne", key: NS, value: "n1" }),
    () => ({ op: "startsWith", key: "app", value: "a" }),
    () => ({ op: "contains", key: "app", value: "x" }),
  ];
  const weights = [3, 2, 1, 4, 2, 2, 1, 3, 2, 1, 1, 1];
  let w = r() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < atoms.length; i++) {
    w -= weights[i]!;
    if (w < 0) return atoms[i]!();
  }
  return { op: "all" };
}

function genMatch(r: () => number): Match {
  const m: { -readonly [K in keyof Match]: Match[K] } = {};
  const p = r();
  if (p < 0.3) m.protocol = 6;
  else if (p < 0.45) m.protocol = 17;
  else if (p < 0.55) m.protocol = 1;
  else if (p < 0.58) m.notProtocol = pick(r, [6, 17]);
  if ((m.protocol === 6 || m.protocol === 17) && r() < 0.5) {
    m.ports = subset(r, [
      { from: 80, to: 80 },
      { from: 443, to: 443 },
      { from: 8000, to: 8080 },
      { from: 1, to: 1024 },
    ]);
  }
  if ((m.protocol === 6 || m.protocol === 17) && r() < 0.1)
    m.notPorts = [
      pick(r, [
        { from: 80, to: 80 },
        { from: 22, to: 443 },
      ]),
    ];
  if (m.protocol === 1 && r() < 0.4) m.icmp = r() < 0.7 ? { type: pick(r, [0, 8]) } : { type: 8, code: 0 };
  if (m.protocol === 1 && !m.icmp && r() < 0.1) m.notIcmp = { type: 8 };
  const s = r();
  if (s < 0.4) m.selector = genSel(r);
  else if (s < 0.5) m.notSelector = genSel(r);
  if (r() < 0.3) m.nets = subset(r, CIDRS);
  if (r() < 0.1) m.notNets = subset(r, CIDRS);
  if (r() < 0.05) m.ipVersion = pick(r, [4, 6] as const);
  return m;
}

const SPAN = { file: "gen.pol", start: 0, end: 1 };

function genRules(r: () => number): WRule[] | undefined {
  if (r() < 0.2) return undefined;
  const n = Math.floor(r() * 5);
  return Array.from({ length: n }, (_, index) => {
    const a = r();
    const action: Action = a < 0.35 ? "Allow" : a < 0.65 ? "Deny" : a < 0.87 ? "Pass" : "Log";
    const matches = r() < 0.15 ? [genMatch(r), genMatch(r)] : r() < 0.03 ? [] : [genMatch(r)];
    return { action, matches, origin: SPAN, index };
  });
}

export function genWorld(seed: number): World {
  const r = rng(seed);
  const nt = 1 + Math.floor(r() * 3);
  const tiers: WTier[] = Array.from({ length: nt }, (_, i) => ({ name: `t${i}`, defaultAction: r() < 0.5 ? "Deny" : "Pass" }));
  const np = 1 + Math.floor(r() * 5);
  const policies: WPolicy[] = Array.from({ length: np }, (_, i) => {
    const ingress = genRules(r);
    const egress = genRules(r);
    return {
      name: `p${i}`,
      tier: pick(r, tiers).name,
      flavor: "policy",
      staged: r() < 0.1,
      subject: genSel(r),
      ...(ingress ? { ingress } : {}),
      ...(egress ? { egress } : {}),
      origin: SPAN,
      nameSpan: SPAN,
    };
  });
  return { tiers, policies, ...(r() < 0.1 ? { profileAllows: false } : {}) };
}

// ---- concrete points ---------------------------------------------------------------------------

const APPS: (string | undefined)[] = [undefined, "a", "b", "ax", "zz", "xb"];
const NSS = ["n1", "n2", "n3"];

export function subjects(): LabelMap[] {
  const out: LabelMap[] = [];
  for (const ns of NSS) for (const app of APPS) out.push(app === undefined ? { [NS]: ns } : { [NS]: ns, app });
  return out;
}

export function peers(): Peer[] {
  const out: Peer[] = [];
  for (const labels of subjects()) for (const ip of [IPS.a, IPS.c, IPS.e]) out.push({ kind: "workload", labels, ip });
  for (const ip of Object.values(IPS)) out.push({ kind: "external", labels: {}, ip });
  return out;
}

export const L4: Omit<Packet, "peer">[] = [
  { protocol: 6, port: 80 },
  { protocol: 6, port: 443 },
  { protocol: 6, port: 8000 },
  { protocol: 6, port: 22 },
  { protocol: 6, port: 9000 },
  { protocol: 17, port: 53 },
  { protocol: 17, port: 80 },
  { protocol: 1, icmpType: 8, icmpCode: 0 },
  { protocol: 1, icmpType: 8, icmpCode: 3 },
  { protocol: 1, icmpType: 0, icmpCode: 0 },
  { protocol: 47 },
];

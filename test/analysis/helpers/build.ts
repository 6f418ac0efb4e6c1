// Small builders for hand-written analysis worlds in tests (spans located in a fixture text).
import type { Sel } from "../../../src/selector/ast.js";
import type { Span } from "../../../src/source.js";
import type { Action, IpRange, Match, PortRange, WRule } from "../../../src/analysis/world.js";
import { V6_OFFSET } from "../../../src/analysis/world.js";

export const NSKEY = "projectcalico.org/namespace";

export const eq = (key: string, value: string): Sel => ({ op: "eq", key, value });
export const and = (...args: Sel[]): Sel => ({ op: "and", args });
export const or = (...args: Sel[]): Sel => ({ op: "or", args });
export const not = (arg: Sel): Sel => ({ op: "not", arg });
export const inSet = (key: string, values: string[]): Sel => ({ op: "in", key, values });
export const ALL: Sel = { op: "all" };
export const ns = (n: string): Sel => eq(NSKEY, n);

export function v4(text: string): IpRange {
  const [addr, len] = text.split("/");
  const n = addr!.split(".").reduce((acc, x) => acc * 256n + BigInt(Number(x)), 0n);
  const bits = BigInt(32 - Number(len ?? 32));
  return { lo: n, hi: n + (1n << bits) - 1n };
}
export const ALL_V6: IpRange = { lo: V6_OFFSET, hi: V6_OFFSET + (1n << 128n) - 1n };

export const tcp = (...ports: number[]): Match => ({ protocol: 6, ...(ports.length ? { ports: ports.map((p): PortRange => ({ from: p, to: p })) } : {}) });
export const udp = (...ports: number[]): Match => ({ protocol: 17, ...(ports.length ? { ports: ports.map((p): PortRange => ({ from: p, to: p })) } : {}) });

/** Spans of substrings of a fixture text (the n-th occurrence, 0-based). */
export function spanner(file: string, text: string) {
  return (needle: string, nth = 0): Span => {
    let at = -1;
    for (let i = 0; i <= nth; i++) {
      at = text.indexOf(needle, at + 1);
      if (at < 0) throw new Error(`fixture has no ${JSON.stringify(needle)} #${nth}`);
    }
    return { file, start: at, end: at + needle.length };
  };
}

/** A rule: the cross product of services and peer matches. */
export function rule(action: Action, index: number, origin: Span, services: Match[], peers: Match[], extra: Partial<WRule> = {}): WRule {
  const svc = services.length ? services : [{}];
  const pr = peers.length ? peers : [{}];
  const matches = svc.flatMap((s) => pr.map((p) => ({ ...s, ...p })));
  return { action, index, origin, matches, ...extra };
}

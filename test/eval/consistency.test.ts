// The emitted Calico fields mean what the IR says. For every example and golden program, and for
// many synthetic pods and the emitted network sets, the IR meaning of each subject and each rule's
// peer selector (scope + selector over effective labels; notSelector over pods) equals what Calico
// computes from the emitted YAML (namespaceSelector rewriting, NetworkPolicy scoping, §c.6).

import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { evalProgram, type EvalEntity, type EvalPolicy } from "../../src/eval/program.js";
import { netSetLabels, policyKind } from "../../src/backends/calico/emit.js";
import { effectiveLabels } from "../../src/inventory/load.js";
import { evaluate, labelValues } from "../../src/selector/index.js";
import { NAMESPACE_LABEL, type Labels, type Sel } from "../../src/selector/ast.js";
import type { IrEntity, IrPolicy, IrProgram, IrScope } from "../../src/ir/types.js";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

function programs(): { name: string; path: string }[] {
  const golden = join(REPO, "test/golden");
  return [
    ...["three-tier", "security-hierarchy"].map((n) => ({ name: `examples/${n}`, path: join(REPO, "examples", n, "policy.pol") })),
    ...readdirSync(golden)
      .filter((d) => existsSync(join(golden, d, "input.pol")))
      .map((d) => ({ name: `golden/${d}`, path: join(golden, d, "input.pol") })),
  ];
}

function sels(ir: IrProgram): Sel[] {
  const out: Sel[] = [];
  for (const p of ir.policies) {
    out.push(p.subject.sel);
    for (const r of [...p.ingress, ...p.egress]) {
      if (r.peer.selector) out.push(r.peer.selector.sel);
      if (r.peer.notSelector) out.push(r.peer.notSelector);
    }
  }
  return out;
}

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Synthetic pods: every namespace any scope or label test names (plus one more), labels drawn from
 *  the keys and values the selectors mention (plus an unrelated value). */
function pods(ir: IrProgram, count: number): Labels[] {
  const namespaces = new Set(["elsewhere"]);
  const values = new Map<string, Set<string>>();
  for (const s of sels(ir)) {
    for (const [k, vs] of labelValues(s)) {
      if (k === NAMESPACE_LABEL) vs.forEach((v) => namespaces.add(v));
      else if (!k.startsWith("pcns.")) {
        const set = values.get(k) ?? new Set<string>();
        vs.forEach((v) => set.add(v));
        values.set(k, set);
      }
    }
  }
  for (const p of ir.policies) {
    if (p.namespace) namespaces.add(p.namespace);
    const scopes: IrScope[] = [p.subject.scope, ...[...p.ingress, ...p.egress].flatMap((r) => (r.peer.selector ? [r.peer.selector.scope] : []))];
    for (const s of scopes) if (s.kind === "namespaces") s.names.forEach((n) => namespaces.add(n));
  }
  const nsList = [...namespaces].sort();
  const keys = [...values.keys()].sort();
  const rand = rng(42);
  const out: Labels[] = [];
  for (let i = 0; i < count; i++) {
    const own: Record<string, string> = {};
    for (const k of keys) {
      if (rand() < 0.5) continue;
      const vs = [...values.get(k)!, "other"];
      own[k] = vs[Math.floor(rand() * vs.length)]!;
    }
    const ns = nsList[Math.floor(rand() * nsList.length)]!;
    out.push(effectiveLabels(own, ns, { "kubernetes.io/metadata.name": ns }, "default"));
  }
  return out;
}

function inScope(scope: IrScope, labels: Labels): boolean {
  const ns = labels[NAMESPACE_LABEL];
  if (ns === undefined) return false;
  return scope.kind === "all-namespaces" || scope.names.includes(ns);
}

/** IR meaning: may this object (pod or network set) be the peer, as far as selectors go? */
function irPeerMatches(e: IrEntity, labels: Labels, netSet?: string): boolean {
  if (e.selector && !(inScope(e.selector.scope, labels) && evaluate(e.selector.sel, labels))) return false;
  if (e.netSets && !(netSet !== undefined && e.netSets.includes(netSet))) return false;
  return true;
}

function irNotSelectorExcludes(e: IrEntity, labels: Labels): boolean {
  return e.notSelector !== undefined && labels[NAMESPACE_LABEL] !== undefined && evaluate(e.notSelector, labels);
}

function evalPeerMatches(e: EvalEntity, labels: Labels): boolean {
  return e.selector === undefined || evaluate(e.selector, labels);
}

describe("emitted Calico fields mean what the IR says", () => {
  for (const { name, path } of programs()) {
    it(name, () => {
      const r = compile([path], { projectRoot: REPO });
      const ir = r.ir!;
      const prog = evalProgram(r.outputs!.objects, { ir });
      const byKey = new Map<string, EvalPolicy>(prog.policies.map((p) => [`${p.kind}|${p.namespace ?? ""}|${p.name}`, p]));
      const objects: { labels: Labels; netSet?: string }[] = [...pods(ir, 300).map((labels) => ({ labels })), ...ir.netSets.map((s) => ({ labels: netSetLabels(s), netSet: s.net }))];
      let checks = 0;
      for (const p of ir.policies) {
        const e = byKey.get(`${policyKind(p)}|${p.namespace ?? ""}|${p.name}`)!;
        expect(e, p.name).toBeDefined();
        expect([...e.types].sort()).toEqual([...p.types].sort());
        for (const { labels, netSet } of objects) {
          const subjectIr = netSet === undefined && inScope(p.subject.scope, labels) && evaluate(p.subject.sel, labels);
          expect(evaluate(e.selector, labels), `${p.name} subject on ${JSON.stringify(labels)}`).toBe(subjectIr);
          checks++;
          checkRules(p, e, labels, netSet);
        }
      }
      expect(checks).toBeGreaterThan(0);
    });
  }
});

function checkRules(p: IrPolicy, e: EvalPolicy, labels: Labels, netSet: string | undefined): void {
  for (const [dir, irRules, evRules] of [
    ["ingress", p.ingress, e.ingress],
    ["egress", p.egress, e.egress],
  ] as const) {
    expect(evRules.length).toBe(irRules.length);
    irRules.forEach((ir, i) => {
      const ev = evRules[i]!;
      const peer = dir === "ingress" ? ev.source : ev.destination;
      const what = `${p.name} ${dir}[${i}] on ${JSON.stringify(labels)}`;
      expect(evalPeerMatches(peer, labels), `${what}: selector`).toBe(irPeerMatches(ir.peer, labels, netSet));
      const excluded = peer.notSelector !== undefined && evaluate(peer.notSelector, labels);
      expect(excluded, `${what}: notSelector`).toBe(irNotSelectorExcludes(ir.peer, labels));
      expect(ev.ipVersion).toBe(ir.ipVersion);
    });
  }
}

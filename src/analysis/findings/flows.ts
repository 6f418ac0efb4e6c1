// Findings about pairs of rules and about both ends of a connection: correlated rules (order decides
// their overlap) and one-sided flows (allowed on one end, denied on the other).

import type { SetId } from "../sets/idd.js";
import type { DirectionAnalysis, EngineResult, RuleInfo } from "../engine.js";
import { classOfNode } from "../summary.js";
import { concreteWitness, formatPacket } from "../witness.js";
import type { Direction } from "../world.js";
import { dedupeLabels, emit, ruleName, type Ctx, verb3 } from "./context.js";

export function correlated(ctx: Ctx, da: DirectionAnalysis): void {
  const { world, res } = ctx;
  const seen = new Set<string>();
  for (const [ki, kj, node] of da.correlated) {
    const k = `${ki}|${kj}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const ri = da.rules.get(ki)!;
    const rj = da.rules.get(kj)!;
    // The earlier rule is an ancestor of `node`: find its node on that path for the overlap.
    let ni = da.trie.nodes[node]!.parent;
    while (ni >= 0 && !(da.trie.nodes[ni]!.el.t === "rule" && (da.trie.nodes[ni]!.el as { info: RuleInfo }).info.key === ki))
      ni = da.trie.nodes[ni]!.parent;
    const overlap = res.space.idd.and(da.trie.nodes[ni]!.E, rj.M);
    const w = concreteWitness(res.space, da.classes[classOfNode(da, node)]!.set, overlap);
    emit(ctx, "POL3230", {
      message: `${ruleName(world, rj)} overlaps ${ruleName(world, ri)} with the opposite action: their order decides the shared traffic`,
      primary: { span: rj.rule.origin, message: rj.rule.action.toLowerCase() },
      secondary: dedupeLabels(
        [
          {
            span: ri.rule.origin,
            message: `${verb3(ri.rule.action)} the overlap first`,
          },
        ],
        rj.rule.origin,
      ),
      notes: w
        ? [
            `for example \`${formatPacket(w, rj.dir)}\` matches both and is ${ri.rule.action === "Allow" ? "allowed" : "denied"} by the earlier rule`,
          ]
        : [],
      help: "nothing to do if the order is intended; otherwise make the two rules disjoint",
    });
  }
}

export function oneSided(ctx: Ctx, info: RuleInfo, flow: SetId): void {
  const { world, res } = ctx;
  const space = res.space;
  const other: Direction = info.dir === "egress" ? "ingress" : "egress";
  const pt = space.idd.witness(flow);
  let example = "";
  if (pt) {
    // `flow` is oriented for the other side: A = the other side's endpoint, B = this rule's subject.
    const there = labelsAt(res, pt, 0);
    const here = labelsAt(res, pt, space.K + 1);
    const w = concreteWitness(space, space.labelPoint(here, "A"), space.idd.and(space.labelPoint(there, "B"), l4Of(res, pt)));
    if (w) {
      example = `for example \`${formatPacket({ ...w, subject: here, peer: { ...w.peer, labels: there } }, info.dir)}\` is allowed here but denied by the ${other} policy of ${other === "ingress" ? "the destination" : "the source"}`;
    }
  }
  emit(
    ctx,
    "POL3250",
    {
      message: `${ruleName(world, info)} is one-sided: every connection its ${info.dir} rule allows is denied by the ${other === "ingress" ? "destination's ingress" : "source's egress"} policy`,
      primary: {
        span: info.rule.origin,
        message: `${info.dir} allowed, ${other} denied`,
      },
      notes: example ? [example] : [],
      help: `allow the traffic on the ${other} side too (a \`flow\` statement writes both halves), or delete this rule`,
    },
    info,
  );
}

function labelsAt(res: EngineResult, pt: number[], offset: number): Record<string, string> {
  const out: Record<string, string> = {};
  res.space.labels.forEach((d, i) => {
    const seg = pt[offset + i]!;
    if (seg === 0) return;
    if (seg <= d.values.length) out[d.key] = d.values[seg - 1]!;
    else out[d.key] = d.others[seg - 1 - d.values.length]?.sample ?? "other";
  });
  return out;
}

function l4Of(res: EngineResult, pt: number[]): SetId {
  const s = res.space;
  const box: (readonly number[] | undefined)[] = new Array(s.idd.dims).fill(undefined);
  for (const d of [s.PROTO, s.PORT, s.ITYPE, s.ICODE]) box[d] = [pt[d]!, pt[d]! + 1];
  return s.idd.box(box);
}

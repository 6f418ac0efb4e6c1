// End-to-end join (shadow-analysis.md §5.1, "ineffective flow"): a pod-to-pod connection needs the
// source's egress chain AND the destination's ingress chain to allow it. An Allow rule whose workload
// traffic is always denied by the other side is one-sided: it never carries a connection.
//
// Flow sets reuse the analysis dims with the kind and IP dims projected away (workload addresses are
// independent of labels, and each side constrains a different address): A labels = the subject of the
// *other* direction's chains, B labels = its peer, then L4. Each direction's allowed flows are kept in
// that direction's own orientation (A = its subjects), so the union over classes needs no renaming
// (classes are disjoint on A); only the candidate rule's own small set is moved across.

import { FALSE, type SetId } from "./sets/idd.js";
import { allowedOfClass, subjectsBelow, type DirectionAnalysis, type EngineResult, type RuleInfo } from "./engine.js";
import { KIND_WORKLOAD, type Space } from "./space.js";
import type { Direction } from "./world.js";

export interface OneSided {
  readonly info: RuleInfo;
  /** The flows the rule allows, in the orientation of the other direction (A = its subject). */
  readonly flow: SetId;
}

/** What a set says about workload peers, as a label+L4 set (B = peer labels). */
function workloadPart(space: Space, s: SetId): SetId {
  return space.dropKindAndIp(space.idd.and(s, space.kindIs(KIND_WORKLOAD)));
}

/** Flows a direction's chains allow, in its own orientation (A = subject, B = peer). */
function allowedFlows(res: EngineResult, da: DirectionAnalysis): SetId {
  const space = res.space;
  const idd = space.idd;
  const pieces: SetId[] = da.classes.map((c, i) => idd.and(c.set, workloadPart(space, allowedOfClass(res, da, i))));
  // Endpoints no policy selects in this direction: everything is allowed (profiles).
  const covered = idd.orAll(da.classes.map((c) => c.set));
  const free = idd.diff(space.subjects, covered);
  if (free !== FALSE) pieces.push(idd.and(free, space.moveLabels(space.subjects, "A")));
  return idd.orAll(pieces);
}

/** Allow rules with workload-only peers whose every allowed connection the other side denies. */
export function oneSidedRules(res: EngineResult, candidates: readonly RuleInfo[]): OneSided[] {
  const space = res.space;
  const idd = space.idd;
  const workloadOnly = space.kindIs(KIND_WORKLOAD);
  const other: Record<Direction, SetId | undefined> = { ingress: undefined, egress: undefined };
  const out: OneSided[] = [];
  for (const info of candidates) {
    if (info.rule.action !== "Allow" || !idd.subset(info.M, workloadOnly)) continue;
    const da = res.dirs[info.dir];
    const od: Direction = info.dir === "egress" ? "ingress" : "egress";
    if (res.dirs[od].failed === "forward") continue;
    // The rule's flows seen from the other side: its peer becomes the subject (A), its subject the peer (B).
    const pieces: SetId[] = [];
    for (const n of da.occurrences.get(info.key) ?? []) {
      const E = da.trie.nodes[n]!.E;
      if (E !== FALSE) pieces.push(idd.and(space.moveLabels(workloadPart(space, E), "B"), space.moveLabels(subjectsBelow(res, da, n), "A")));
    }
    const flows = idd.orAll(pieces);
    if (flows === FALSE) continue;
    const allowedOther = (other[od] ??= allowedFlows(res, res.dirs[od]));
    if (!idd.intersects(flows, allowedOther)) out.push({ info, flow: flows });
  }
  return out;
}

// End-to-end join (shadow-analysis.md §5.1, "ineffective flow"): a pod-to-pod connection needs the
// source's egress chain AND the destination's ingress chain to allow it. An Allow rule whose workload
// traffic is always denied by the other side is one-sided: it never carries a connection.
//
// Flow sets reuse the analysis dims with the kind and IP dims projected away (workload addresses are
// independent of labels, and each side constrains a different address): A labels = the subject of the
// *other* direction's chains, B labels = its peer, then L4. The other side's allowed flows are kept in
// its own orientation (A = its subjects) as one piece per class (classes are disjoint on A); a rule is
// compared only with the pieces of the classes its peers can belong to, found through an index on the
// namespace label (rules name their peers' namespace almost always), or with all pieces otherwise.

import { FALSE, type SetId } from "./sets/idd.js";
import { allowedOfClass, subjectsBelow, type DirectionAnalysis, type EngineResult, type RuleInfo } from "./engine.js";
import { KIND_WORKLOAD, type Space } from "./space.js";
import { NAMESPACE_LABEL } from "../selector/ast.js";
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

/** The other side of the join: per-class allowed flows (A = subject, B = peer), built on demand. */
class OtherSide {
  private readonly pieces: (SetId | undefined)[];
  private free: SetId | undefined;
  private all: SetId | undefined;
  /** Namespace segment -> classes whose subjects can be in that namespace. */
  private readonly byNs = new Map<number, number[]>();
  /** Memo: namespace segments -> union of the pieces of their classes. */
  private readonly byNsUnion = new Map<string, SetId>();
  private readonly nsDim: number | undefined;

  constructor(
    private readonly res: EngineResult,
    private readonly da: DirectionAnalysis,
  ) {
    const space = res.space;
    this.pieces = new Array(da.classes.length).fill(undefined);
    this.nsDim = space.labelDim(NAMESPACE_LABEL, "A");
    if (this.nsDim !== undefined) {
      da.classes.forEach((c, i) => {
        const proj = space.idd.project(c.set, this.nsDim!);
        for (let k = 0; k < proj.length; k += 2) {
          for (let seg = proj[k]!; seg < proj[k + 1]!; seg++) {
            let l = this.byNs.get(seg);
            if (!l) this.byNs.set(seg, (l = []));
            l.push(i);
          }
        }
      });
    }
  }

  private piece(i: number): SetId {
    let p = this.pieces[i];
    if (p === undefined) {
      const space = this.res.space;
      p = space.idd.and(this.da.classes[i]!.set, workloadPart(space, allowedOfClass(this.res, this.da, i)));
      this.pieces[i] = p;
    }
    return p;
  }

  /** Endpoints no policy selects in this direction: the profiles allow everything. */
  private freePiece(): SetId {
    if (this.free === undefined) {
      const space = this.res.space;
      const idd = space.idd;
      const covered = idd.orAll(this.da.classes.map((c) => c.set));
      this.free = idd.and(idd.diff(space.subjects, covered), space.moveLabels(space.subjects, "A"));
    }
    return this.free;
  }

  /**
   * Is this single packet allowed on this side? `pt`: coordinates with A = this side's subject, B = its
   * peer. Point membership along the subject's chain only (no set operations): a cheap way to prove that
   * a rule is *not* one-sided before the exact join.
   */
  allowsPoint(pt: number[]): boolean {
    const idd = this.res.space.idd;
    const nsSeg = this.nsDim !== undefined ? pt[this.nsDim]! : undefined;
    const candidates = nsSeg !== undefined ? (this.byNs.get(nsSeg) ?? []) : this.da.classes.map((_, i) => i);
    const cls = candidates.find((i) => idd.member(this.da.classes[i]!.set, pt));
    if (cls === undefined) return idd.member(this.res.space.subjects, pt); // selected by nothing: profile allow
    const nodes = this.da.trie.nodes;
    const profileAllows = this.res.world.profileAllows ?? true;
    for (let n = this.da.leaves[cls]!; n >= 0; n = nodes[n]!.parent) {
      const el = nodes[n]!.el;
      const allows = el.t === "rule" ? el.info.rule.action === "Allow" : el.t === "profile" && profileAllows;
      if (allows && idd.member(nodes[n]!.E, pt)) return true;
    }
    return false;
  }

  /** Allowed flows of the classes that `flows` (A = this side's subject) can concern. */
  relevant(flows: SetId): SetId {
    const idd = this.res.space.idd;
    if (this.nsDim !== undefined) {
      const proj = idd.project(flows, this.nsDim);
      let segs = 0;
      for (let k = 0; k < proj.length; k += 2) segs += proj[k + 1]! - proj[k]!;
      if (segs <= 16) {
        const key = proj.join(",");
        let u = this.byNsUnion.get(key);
        if (u === undefined) {
          const cls = new Set<number>();
          for (let k = 0; k < proj.length; k += 2)
            for (let seg = proj[k]!; seg < proj[k + 1]!; seg++) for (const i of this.byNs.get(seg) ?? []) cls.add(i);
          u = idd.orAll([...[...cls].sort((a, b) => a - b).map((i) => this.piece(i)), this.freePiece()]);
          this.byNsUnion.set(key, u);
        }
        return u;
      }
    }
    this.all ??= idd.orAll([...this.da.classes.map((_, i) => this.piece(i)), this.freePiece()]);
    return this.all;
  }
}

/** Allow rules with workload-only peers whose every allowed connection the other side denies. */
export function oneSidedRules(res: EngineResult, candidates: readonly RuleInfo[]): OneSided[] {
  const space = res.space;
  const idd = space.idd;
  const workloadOnly = space.kindIs(KIND_WORKLOAD);
  const other: Partial<Record<Direction, OtherSide>> = {};
  const out: OneSided[] = [];
  for (const info of candidates) {
    if (info.rule.action !== "Allow" || !idd.subset(info.M, workloadOnly)) continue;
    const da = res.dirs[info.dir];
    const od: Direction = info.dir === "egress" ? "ingress" : "egress";
    if (res.dirs[od].failed === "forward") continue;
    const side = (other[od] ??= new OtherSide(res, res.dirs[od]));
    // Quick proof of two-sidedness: one packet the rule allows, reversed, allowed by the other side.
    if (!space.endpoints && reversedWitnessAllowed(res, da, info, side)) continue;
    // The rule's flows seen from the other side: its peer becomes the subject (A), its subject the peer (B).
    const pieces: SetId[] = [];
    for (const n of da.occurrences.get(info.key) ?? []) {
      const E = da.trie.nodes[n]!.E;
      if (E !== FALSE)
        pieces.push(idd.and(space.moveLabels(workloadPart(space, E), "B"), space.moveLabels(subjectsBelow(res, da, n), "A")));
    }
    const flows = idd.orAll(pieces);
    if (flows === FALSE) continue;
    if (!idd.intersects(flows, side.relevant(flows))) out.push({ info, flow: flows });
  }
  return out;
}

/** Symbolic mode: take one workload packet the rule allows (at its most ordinary class), swap subject and
 *  peer labels, and test it on the other side. True proves the rule is not one-sided. */
function reversedWitnessAllowed(res: EngineResult, da: DirectionAnalysis, info: RuleInfo, side: OtherSide): boolean {
  const space = res.space;
  const idd = space.idd;
  for (const n of da.occurrences.get(info.key) ?? []) {
    const E = da.trie.nodes[n]!.E;
    if (E === FALSE) continue;
    const cls = da.trie.nodes[da.trie.nodes[n]!.rep]!.classes[0]!;
    // E ⊆ M consists of workload packets only (checked by the caller), and the class (A dims) and E
    // (packet dims) constrain disjoint dimensions: the witness of their product is the class's witness
    // on A and E's on the rest — without building the product.
    const pc = idd.witness(da.classes[cls]!.set);
    const pe = idd.witness(E);
    if (!pc || !pe) continue;
    const pt = [...pc.slice(0, space.K), ...pe.slice(space.K)];
    const rev = [...pt];
    for (let i = 0; i < space.K; i++) {
      rev[i] = pt[space.K + 1 + i]!;
      rev[space.K + 1 + i] = pt[i]!;
    }
    rev[space.KIND] = 0; // the subject of this rule is a workload peer on the other side
    return side.allowsPoint(rev);
  }
  return false;
}

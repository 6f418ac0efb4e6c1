// The analysis space: one interval decision diagram over
//
//   [A labels (one dim per key)] [peer kind] [B labels (one dim per key)] [protocol]
//   [destination port] [ICMP type] [ICMP code] [peer IP]
//
// The address comes last on purpose: guardrails split the address line finely (many CIDRs), and a
// dimension high in the order would make every later port rule rewrite those wide nodes.
//
// In the per-direction passes, A is the subject endpoint (the one whose chain it is) and B the remote
// peer; the end-to-end join reuses the same dims with A = source and B = destination. Label dims of A
// and B share one domain per key, so a subject set can be moved to the peer side by a monotone rename.
// Values are compressed per dimension (domain.ts); BigInt only appears when rules are compiled and
// witnesses are printed.

import type { Labels, Sel } from "../selector/ast.js";
import { NAMESPACE_LABEL } from "../selector/ast.js";
import { DomainBuilder, SegmentDomain, decBig, incBig, incNumber } from "./sets/domain.js";
import { FALSE, Idd, TRUE, type SetId } from "./sets/idd.js";
import { complement, fromRanges, intersect, type IntervalSet } from "./sets/interval-set.js";
import { LabelAtomCollector, domainSize, testPredicate, type LabelDomain } from "./labels.js";
import { IP_MAX, V6_OFFSET, type IpRange, type Match, type World } from "./world.js";
import { PROTOCOL_NAME } from "../net/protocols.js";

export const KIND_WORKLOAD = 0;
export const KIND_EXTERNAL = 1;

/** Keys that always carry the endpoint's namespace name. */
export const NAMESPACE_NAME_KEYS = [NAMESPACE_LABEL, "pcns.projectcalico.org/name", "pcns.kubernetes.io/metadata.name"];


/** An endpoint of an inventory, with effective labels and addresses on the combined line. */
export interface SpaceEndpoint {
  readonly name: string;
  readonly labels: Labels;
  readonly ips: readonly bigint[];
}

export interface SpaceOptions {
  /** Inventory mode: subjects and workload peers are exactly these endpoints. */
  readonly endpoints?: readonly SpaceEndpoint[];
}

export class Space {
  readonly idd: Idd;
  readonly labels: readonly LabelDomain[];
  readonly keyIndex: ReadonlyMap<string, number>;
  readonly K: number;
  readonly KIND: number;
  readonly IP: number;
  readonly PROTO: number;
  readonly PORT: number;
  readonly ITYPE: number;
  readonly ICODE: number;
  readonly ip: SegmentDomain<bigint>;
  readonly proto: SegmentDomain<number>;
  readonly port: SegmentDomain<number>;
  readonly itype: SegmentDomain<number>;
  readonly icode: SegmentDomain<number>;
  readonly namedPorts: readonly string[];
  /** Possible subjects (A dims only). */
  readonly subjects: SetId;
  /** Possible packets of one direction (kind, B, IP, L4 dims). */
  readonly packets: SetId;
  /** Label keys whose string predicates exceed what the analysis splits exactly. */
  readonly tooComplexKeys: readonly string[];
  readonly endpoints: readonly SpaceEndpoint[] | undefined;

  private readonly selMemo = new Map<string, SetId>();
  private readonly selByObjA = new WeakMap<Sel, SetId>();
  private readonly selByObjB = new WeakMap<Sel, SetId>();
  private readonly renameMemo = new Map<string, SetId>();
  private readonly existsMemo = new Map<string, SetId>();

  constructor(world: World, opts: SpaceOptions = {}) {
    const atoms = new LabelAtomCollector();
    const ipB = new DomainBuilder<bigint>(0n, IP_MAX, incBig);
    const protoB = new DomainBuilder<number>(0, 255, incNumber);
    const typeB = new DomainBuilder<number>(0, 255, incNumber);
    const codeB = new DomainBuilder<number>(0, 255, incNumber);
    const named = new Set<string>();
    const portRanges: [number, number][] = [];
    ipB.add(0n, V6_OFFSET - 1n); // the two families are always distinct segments
    let ruleCount = 0;
    for (const p of world.policies) {
      atoms.addSelector(p.subject);
      for (const rules of [p.ingress ?? [], p.egress ?? []]) {
        for (const r of rules) {
          ruleCount++;
          for (const m of r.matches) {
            if (m.selector) atoms.addSelector(m.selector);
            if (m.notSelector) atoms.addSelector(m.notSelector);
            for (const n of [...(m.nets ?? []), ...(m.notNets ?? [])]) ipB.add(n.lo, n.hi);
            for (const pr of [m.protocol, m.notProtocol]) if (pr !== undefined) protoB.add(pr, pr);
            for (const pt of [...(m.ports ?? []), ...(m.notPorts ?? [])]) portRanges.push([pt.from, pt.to]);
            for (const n of [...(m.namedPorts ?? []), ...(m.notNamedPorts ?? [])]) named.add(n);
            for (const ic of [m.icmp, m.notIcmp]) {
              if (!ic) continue;
              typeB.add(ic.type, ic.type);
              if (ic.code !== undefined) codeB.add(ic.code, ic.code);
            }
          }
        }
      }
    }
    for (const pr of Object.keys(PROTOCOL_NAME)) protoB.add(Number(pr), Number(pr));
    for (const e of opts.endpoints ?? []) {
      for (const [k, v] of Object.entries(e.labels)) if (atoms.hasKey(k) || NAMESPACE_NAME_KEYS.includes(k)) atoms.addValue(k, v);
      for (const ip of e.ips) ipB.add(ip, ip);
    }
    atoms.link(NAMESPACE_NAME_KEYS);
    this.labels = atoms.domains();
    this.tooComplexKeys = this.labels.filter((d) => d.tooComplex).map((d) => d.key);
    this.keyIndex = new Map(this.labels.map((d, i) => [d.key, i]));
    this.namedPorts = [...named].sort();
    const portB = new DomainBuilder<number>(0, 65535 + this.namedPorts.length, incNumber);
    portB.add(0, 65535);
    for (const [a, b] of portRanges) portB.add(a, b);
    this.namedPorts.forEach((_, i) => portB.add(65536 + i, 65536 + i));
    this.ip = ipB.freeze();
    this.proto = protoB.freeze();
    this.port = portB.freeze();
    this.itype = typeB.freeze();
    this.icode = codeB.freeze();

    const K = this.labels.length;
    this.K = K;
    this.KIND = K;
    this.PROTO = 2 * K + 1;
    this.PORT = 2 * K + 2;
    this.ITYPE = 2 * K + 3;
    this.ICODE = 2 * K + 4;
    this.IP = 2 * K + 5;
    const sizes = [
      ...this.labels.map(domainSize),
      2,
      ...this.labels.map(domainSize),
      this.proto.size,
      this.port.size,
      this.itype.size,
      this.icode.size,
      this.ip.size,
    ];
    // Measured on bench/gen-policies.mjs (1k to 100k rules): the diagram's heap ends at 230-650 int32
    // slots per rule and its unique table at about 23 nodes per rule.
    this.idd = new Idd(sizes, { heap: ruleCount * 640, unique: ruleCount * 24 });
    this.endpoints = opts.endpoints;
    if (opts.endpoints) {
      let subj = FALSE;
      let peers = FALSE;
      for (const e of opts.endpoints) {
        subj = this.idd.or(subj, this.labelPoint(e.labels, "A"));
        const ips = e.ips.length === 0 ? TRUE : this.idd.dimIn(this.IP, fromRanges(e.ips.map((ip) => this.ip.rangeOf(ip, ip))));
        peers = this.idd.or(peers, this.idd.and(this.labelPoint(e.labels, "B"), ips));
      }
      this.subjects = subj;
      this.packets = this.idd.or(this.idd.and(this.kindIs(KIND_WORKLOAD), peers), this.externalPeers());
    } else {
      this.subjects = this.workloadLabels("A");
      this.packets = this.idd.or(this.idd.and(this.kindIs(KIND_WORKLOAD), this.workloadLabels("B")), this.externalPeers());
    }
  }

  private weights: number[][] | undefined;

  /** How much real traffic a set stands for: addresses and ports count by their width, label values and
   *  protocols by one. Only for ranking (which rule takes most of a rule's traffic). */
  volume(s: SetId): number {
    if (!this.weights) {
      const w: number[][] = this.idd.sizes.map((n) => new Array<number>(n).fill(1));
      const widths = <V extends number | bigint>(dom: SegmentDomain<V>, pred: (v: V) => V) =>
        Array.from({ length: dom.size }, (_, i) => Number(dom.last(i, pred)) - Number(dom.first(i)) + 1);
      w[this.IP] = widths(this.ip, decBig);
      w[this.PORT] = widths(this.port, (v: number) => v - 1);
      this.weights = w;
    }
    return this.idd.weightedVolume(s, this.weights);
  }

  labelDim(key: string, side: "A" | "B"): number | undefined {
    const i = this.keyIndex.get(key);
    if (i === undefined) return undefined;
    return side === "A" ? i : this.K + 1 + i;
  }

  kindIs(kind: number): SetId {
    return this.idd.dimIn(this.KIND, [kind, kind + 1]);
  }

  /** External peers: no labels (every B label dim absent), any address. */
  private externalPeers(): SetId {
    const box: (IntervalSet | undefined)[] = new Array(this.idd.dims).fill(undefined);
    box[this.KIND] = [KIND_EXTERNAL, KIND_EXTERNAL + 1];
    for (let i = 0; i < this.K; i++) box[this.K + 1 + i] = [0, 1];
    return this.idd.box(box);
  }

  /** Label combinations a workload endpoint can have: a namespace, and the namespace-name keys agree. */
  private workloadLabels(side: "A" | "B"): SetId {
    const idd = this.idd;
    const keys = NAMESPACE_NAME_KEYS.filter((k) => this.keyIndex.has(k));
    const nsDim = this.labelDim(NAMESPACE_LABEL, side);
    let u = nsDim === undefined ? TRUE : idd.dimIn(nsDim, [1, domainSize(this.labels[this.keyIndex.get(NAMESPACE_LABEL)!]!)]);
    // Linked keys share their value list, so equal values have equal segment indices; "other" values
    // agree only when each key has a single, predicate-free "other" bucket.
    const linkable = keys.filter((k) => this.labels[this.keyIndex.get(k)!]!.predicates.length === 0);
    if (linkable.length >= 2 && keys.includes(NAMESPACE_LABEL) && linkable.includes(NAMESPACE_LABEL)) {
      const size = domainSize(this.labels[this.keyIndex.get(NAMESPACE_LABEL)!]!);
      let same = FALSE;
      for (let s = 1; s < size; s++) {
        let cube = TRUE;
        for (const k of linkable) cube = idd.and(cube, idd.dimIn(this.labelDim(k, side)!, [s, s + 1]));
        same = idd.or(same, cube);
      }
      u = idd.and(u, same);
    }
    return u;
  }

  /** The exact point (per label dim) of a concrete label map. */
  labelPoint(labels: Labels, side: "A" | "B"): SetId {
    const box: (IntervalSet | undefined)[] = new Array(this.idd.dims).fill(undefined);
    this.labels.forEach((d, i) => {
      const v = labels[d.key];
      const seg = this.segmentOfValue(d, v);
      box[side === "A" ? i : this.K + 1 + i] = [seg, seg + 1];
    });
    if (side === "B") box[this.KIND] = [KIND_WORKLOAD, KIND_WORKLOAD + 1];
    return this.idd.box(box);
  }

  segmentOfValue(d: LabelDomain, v: string | undefined): number {
    if (v === undefined) return 0;
    const i = binarySearch(d.values, v);
    if (i >= 0) return 1 + i;
    const truth = d.predicates.map((p) => testPredicate(p, v));
    const j = d.others.findIndex((o) => o.truth.every((t, k) => t === truth[k]));
    return 1 + d.values.length + Math.max(0, j);
  }

  // ---- selectors --------------------------------------------------------------------------------

  /** The set of label combinations a selector matches, on side A (subject) or B (peer; includes
   *  "the peer is a known workload endpoint"). */
  selector(sel: Sel, side: "A" | "B"): SetId {
    // Selector objects are usually shared (a group used by many rules): memoise by identity first.
    const byObj = side === "A" ? this.selByObjA : this.selByObjB;
    const hit = byObj.get(sel);
    if (hit !== undefined) return hit;
    const key = `${side}${JSON.stringify(sel)}`;
    let s = this.selMemo.get(key);
    if (s === undefined) {
      s = this.sel(sel, side);
      // Peer side: known workload endpoints only, within the possible packets (so rule matches built
      // from it need no further intersection with the universe).
      if (side === "B") s = this.idd.and(this.idd.and(s, this.kindIs(KIND_WORKLOAD)), this.packets);
      this.selMemo.set(key, s);
    }
    byObj.set(sel, s);
    return s;
  }

  private sel(sel: Sel, side: "A" | "B"): SetId {
    const idd = this.idd;
    switch (sel.op) {
      case "all":
      case "global":
        return TRUE;
      case "has":
        return this.valuesWhere(sel.key, side, (seg) => seg !== 0);
      case "eq":
        return this.valuesIn(sel.key, side, [sel.value]);
      case "ne":
        return idd.not(this.valuesIn(sel.key, side, [sel.value]));
      case "in":
        return this.valuesIn(sel.key, side, sel.values);
      case "notIn":
        return idd.not(this.valuesIn(sel.key, side, sel.values));
      case "contains":
      case "startsWith":
      case "endsWith": {
        const d = this.labels[this.keyIndex.get(sel.key)!]!;
        const pred = { op: sel.op, value: sel.value };
        const pi = d.predicates.findIndex((p) => p.op === pred.op && p.value === pred.value);
        return this.valuesWhere(sel.key, side, (seg, v) => {
          if (seg === 0) return false;
          if (v !== undefined) return testPredicate(pred, v);
          return d.others[seg - 1 - d.values.length]!.truth[pi] ?? false;
        });
      }
      case "not":
        return idd.not(this.sel(sel.arg, side));
      case "and": {
        let acc = TRUE;
        for (const a of sel.args) {
          acc = idd.and(acc, this.sel(a, side));
          if (acc === FALSE) break;
        }
        return acc;
      }
      case "or": {
        let acc = FALSE;
        for (const a of sel.args) {
          acc = idd.or(acc, this.sel(a, side));
          if (acc === TRUE) break;
        }
        return acc;
      }
    }
  }

  /** Label dim of `key` restricted to segments satisfying `pred(segment, value or undefined)`. */
  private valuesWhere(key: string, side: "A" | "B", pred: (seg: number, v: string | undefined) => boolean): SetId {
    const i = this.keyIndex.get(key)!;
    const d = this.labels[i]!;
    const ranges: [number, number][] = [];
    const size = domainSize(d);
    for (let s = 0; s < size; s++) {
      const v = s >= 1 && s <= d.values.length ? d.values[s - 1] : undefined;
      if (pred(s, v)) ranges.push([s, s + 1]);
    }
    return this.idd.dimIn(side === "A" ? i : this.K + 1 + i, fromRanges(ranges));
  }

  /** Label dim of `key` restricted to the given mentioned values (binary search, no scan). */
  private valuesIn(key: string, side: "A" | "B", values: readonly string[]): SetId {
    const i = this.keyIndex.get(key)!;
    const d = this.labels[i]!;
    const ranges: [number, number][] = [];
    for (const v of values) {
      const j = binarySearch(d.values, v);
      if (j >= 0) ranges.push([1 + j, 2 + j]);
    }
    return this.idd.dimIn(side === "A" ? i : this.K + 1 + i, fromRanges(ranges));
  }

  // ---- rule matches -----------------------------------------------------------------------------

  /** Packets (kind, B, IP, L4 dims) one Calico rule match accepts, within the possible packets. */
  match(m: Match): SetId {
    const idd = this.idd;
    // Every per-dimension constraint (including the negated ones) goes into one box.
    const box: (IntervalSet | undefined)[] = new Array(idd.dims).fill(undefined);
    const narrow = (d: number, set: IntervalSet) => {
      box[d] = box[d] === undefined ? set : intersect(box[d]!, set);
    };
    if (m.protocol !== undefined) narrow(this.PROTO, this.protoSet(m.protocol));
    if (m.notProtocol !== undefined) narrow(this.PROTO, complement(this.protoSet(m.notProtocol), this.proto.size));
    if (m.ports !== undefined || m.namedPorts !== undefined) narrow(this.PORT, this.portSet(m.ports ?? [], m.namedPorts ?? []));
    if (m.notPorts !== undefined || m.notNamedPorts !== undefined) {
      narrow(this.PORT, complement(this.portSet(m.notPorts ?? [], m.notNamedPorts ?? []), this.port.size));
    }
    if (m.icmp) {
      narrow(this.ITYPE, fromRanges([this.itype.rangeOf(m.icmp.type, m.icmp.type)]));
      if (m.icmp.code !== undefined) narrow(this.ICODE, fromRanges([this.icode.rangeOf(m.icmp.code, m.icmp.code)]));
    }
    if (m.nets) narrow(this.IP, this.ipSet(m.nets));
    if (m.notNets) narrow(this.IP, complement(this.ipSet(m.notNets), this.ip.size));
    if (m.ipVersion === 4) narrow(this.IP, this.ipSet([{ lo: 0n, hi: V6_OFFSET - 1n }]));
    if (m.ipVersion === 6) narrow(this.IP, this.ipSet([{ lo: V6_OFFSET, hi: IP_MAX }]));
    let s = idd.and(m.selector ? this.selector(m.selector, "B") : this.packets, idd.box(box));
    if (m.notIcmp) s = idd.diff(s, this.icmpSet(m.notIcmp));
    if (m.notSelector) s = idd.diff(s, this.selector(m.notSelector, "B"));
    return s;
  }

  private protoSet(p: number): IntervalSet {
    return fromRanges([this.proto.rangeOf(p, p)]);
  }

  private portSet(ports: readonly { from: number; to: number }[], named: readonly string[]): IntervalSet {
    const rs: [number, number][] = ports.map((p) => this.port.rangeOf(p.from, p.to));
    for (const n of named) {
      const i = this.namedPorts.indexOf(n);
      if (i >= 0) rs.push(this.port.rangeOf(65536 + i, 65536 + i));
    }
    return fromRanges(rs);
  }

  private icmpSet(ic: { type: number; code?: number }): SetId {
    let s = this.idd.dimIn(this.ITYPE, fromRanges([this.itype.rangeOf(ic.type, ic.type)]));
    if (ic.code !== undefined) s = this.idd.and(s, this.idd.dimIn(this.ICODE, fromRanges([this.icode.rangeOf(ic.code, ic.code)])));
    return s;
  }

  ipSet(nets: readonly IpRange[]): IntervalSet {
    return fromRanges(nets.map((n) => this.ip.rangeOf(n.lo, n.hi)));
  }

  // ---- moving sets between sides ----------------------------------------------------------------

  /** A subject set (A dims) as a peer-label set (B dims), or back. Memoised. */
  moveLabels(s: SetId, from: "A" | "B"): SetId {
    const key = `${from}:${s}`;
    let r = this.renameMemo.get(key);
    if (r === undefined) {
      const map: number[] = [];
      for (let d = 0; d < this.idd.dims; d++) map.push(d);
      for (let i = 0; i < this.K; i++) {
        if (from === "A") map[i] = this.K + 1 + i;
        else map[this.K + 1 + i] = i;
      }
      r = this.idd.rename(s, map);
      this.renameMemo.set(key, r);
    }
    return r;
  }

  /** ∃ over the kind and IP dims (projection used by the end-to-end join). */
  dropKindAndIp(s: SetId): SetId {
    const key = `k:${s}`;
    let r = this.existsMemo.get(key);
    if (r === undefined) {
      r = this.idd.exists(s, (d) => d === this.KIND || d === this.IP, "kind+ip");
      this.existsMemo.set(key, r);
    }
    return r;
  }
}

function binarySearch(xs: readonly string[], v: string): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = xs[mid]!;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export { decBig };

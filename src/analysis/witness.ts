// Witnesses: one concrete point of a set, translated back from segment indices to a packet a person
// can read (and a test can replay): subject labels, peer labels or address, protocol, port.

import ipaddr from "ipaddr.js";
import { NAMESPACE_LABEL } from "../selector/ast.js";
import type { SetId } from "./sets/idd.js";
import { KIND_EXTERNAL, KIND_WORKLOAD, NAMESPACE_NAME_KEYS, type Space } from "./space.js";
import { V6_OFFSET, type Direction } from "./world.js";
import { PORT_PROTOCOLS, PROTOCOL_NAME } from "../net/protocols.js";

export interface ConcretePeer {
  readonly kind: "workload" | "external";
  /** Effective labels (workloads only). */
  readonly labels: Readonly<Record<string, string>>;
  /** Always a concrete address; `ipMatters` says whether the set constrained it. */
  readonly ip: bigint;
  readonly ipMatters: boolean;
  /** Inventory mode: the endpoint's name. */
  readonly endpoint?: string;
}

export interface ConcretePacket {
  readonly subject: Readonly<Record<string, string>>;
  readonly subjectEndpoint?: string;
  readonly peer: ConcretePeer;
  readonly protocol: number;
  /** Destination port: a number, or a named port. */
  readonly port: number | string;
  readonly icmpType: number;
  readonly icmpCode: number;
  /** True when a label value had to be invented for an approximate string-operator bucket. */
  readonly approximate: boolean;
}

const DOC_V4 = 0xc6336401n; // 198.51.100.1 (documentation range), used for "any address"

/** Choose a point of `packets` (kind, B, IP, L4 dims) and `subject` (A dims) and make it concrete. */
export function concreteWitness(space: Space, subject: SetId, packets: SetId): ConcretePacket | undefined {
  const idd = space.idd;
  const both = idd.and(subject, packets);
  let ipFree = true;
  const pt = idd.witness(
    both,
    (d, lo, hi) => {
      if (d === space.IP) ipFree = lo === 0 && hi === space.ip.size;
      return pick(space, d, lo, hi);
    },
    (d, lo, hi) => prefer(space, d, lo, hi),
  );
  if (!pt) return undefined;
  return concretise(space, pt, !ipFree);
}

function prefer(space: Space, d: number, lo: number, hi: number): number {
  if (d === space.KIND) return lo === KIND_EXTERNAL ? 1 : 0;
  if (d === space.PROTO) {
    for (const [p, score] of [
      [6, 3],
      [17, 2],
      [1, 1],
    ] as const) {
      const s = space.proto.segmentOf(p);
      if (s >= lo && s < hi) return score;
    }
    return -lo;
  }
  if (d === space.IP) return lo === 0 ? 0 : 1;
  return -lo; // labels: absent first, then mentioned values in order; ports/types: lowest first
}

function pick(space: Space, d: number, lo: number, hi: number): number {
  if (d === space.PROTO) {
    for (const p of [6, 17, 1]) {
      const s = space.proto.segmentOf(p);
      if (s >= lo && s < hi) return s;
    }
  }
  if (d === space.PORT) {
    // Prefer a port some rule names on its own (a single-value segment), e.g. 80 over 0..79; then a
    // familiar port; never port 0 when there is a choice.
    for (let s = lo; s < hi; s++) if (space.port.last(s, (v) => v - 1) === space.port.first(s) && space.port.first(s) !== 0) return s;
    for (const p of [443, 80, 8080, 1024]) {
      const s = space.port.segmentOf(p);
      if (s >= lo && s < hi) return s;
    }
  }
  return lo;
}

function concretise(space: Space, pt: readonly number[], ipMatters: boolean): ConcretePacket {
  let approximate = false;
  const labelsOf = (offset: number): Record<string, string> => {
    const out: Record<string, string> = {};
    space.labels.forEach((dom, i) => {
      const seg = pt[offset + i]!;
      if (seg === 0) return;
      if (seg <= dom.values.length) out[dom.key] = dom.values[seg - 1]!;
      else {
        const b = dom.others[seg - 1 - dom.values.length]!;
        if (b.sample !== undefined) out[dom.key] = b.sample;
        else {
          approximate = true;
          out[dom.key] = "?";
        }
      }
    });
    return out;
  };
  const subject = labelsOf(0);
  const kind = pt[space.KIND] === KIND_WORKLOAD ? "workload" : "external";
  const peerLabels = kind === "workload" ? labelsOf(space.K + 1) : {};
  const ipSeg = pt[space.IP]!;
  // Does the set constrain the address? (Would another segment also be in the set?)
  const ip = chooseIp(space, ipSeg, ipMatters);
  const portSeg = pt[space.PORT]!;
  const portVal = portIn(space, portSeg);
  const port: number | string = portVal > 65535 ? space.namedPorts[portVal - 65536]! : portVal;
  const sub = endpointNamed(space, subject);
  const peerEp = kind === "workload" ? endpointNamed(space, peerLabels) : undefined;
  return {
    subject,
    ...(sub !== undefined ? { subjectEndpoint: sub } : {}),
    peer: { kind, labels: peerLabels, ip, ipMatters, ...(peerEp !== undefined ? { endpoint: peerEp } : {}) },
    protocol: space.proto.first(pt[space.PROTO]!),
    port,
    icmpType: space.itype.first(pt[space.ITYPE]!),
    icmpCode: space.icode.first(pt[space.ICODE]!),
    approximate,
  };
}

/** A representative port of a segment: a familiar one if the segment holds it, never 0 if avoidable. */
function portIn(space: Space, seg: number): number {
  const first = space.port.first(seg);
  const last = space.port.last(seg, (v) => v - 1);
  for (const p of [443, 80, 8080, 1024]) if (p >= first && p <= last) return p;
  return first === 0 && last > 0 ? 1 : first;
}

/** Addresses a reader recognises (documentation ranges first), tried in order. */
const NICE_IPS = [
  DOC_V4,
  0xcb007101n /* 203.0.113.1 */,
  0xc0000201n /* 192.0.2.1 */,
  0x08080808n /* 8.8.8.8 */,
  0x0a000001n /* 10.0.0.1 */,
];

function chooseIp(space: Space, seg: number, matters: boolean): bigint {
  if (!matters) return DOC_V4;
  const lo = space.ip.first(seg);
  const hi = space.ip.last(seg, (v) => v - 1n);
  for (const ip of NICE_IPS) if (ip >= lo && ip <= hi) return ip;
  // Avoid network addresses where we can: 10.1.0.0/16 -> 10.1.0.1.
  return hi > lo && (lo & 0xffn) === 0n ? lo + 1n : lo;
}

/** In inventory mode, the name of an endpoint with exactly these (projected) labels. */
function endpointNamed(space: Space, labels: Record<string, string>): string | undefined {
  if (!space.endpoints) return undefined;
  for (const e of space.endpoints) {
    let same = true;
    for (const dom of space.labels) {
      if (space.segmentOfValue(dom, e.labels[dom.key]) !== space.segmentOfValue(dom, labels[dom.key])) {
        same = false;
        break;
      }
    }
    if (same) return e.name;
  }
  return undefined;
}

// ---- text -----------------------------------------------------------------------------------------

export function formatIp(v: bigint): string {
  if (v < V6_OFFSET) {
    const n = Number(v);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  let x = v - V6_OFFSET;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** `{namespace=frontend, app=web}`; namespace-name aliases of the namespace are not repeated. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const ns = labels[NAMESPACE_LABEL];
  const keys = Object.keys(labels)
    .filter((k) => !(k !== NAMESPACE_LABEL && NAMESPACE_NAME_KEYS.includes(k) && labels[k] === ns))
    .sort((a, b) => (a === NAMESPACE_LABEL ? -1 : b === NAMESPACE_LABEL ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const parts = keys.map((k) => `${k === NAMESPACE_LABEL ? "namespace" : k}=${labelValueText(labels[k]!)}`);
  return `{${parts.join(", ")}}`;
}

/** A label value as written in a witness: bare when it is a plain Kubernetes label value, quoted
 *  otherwise (the empty value prints as `""`, so `team=""` is not mistaken for a missing value). */
export function labelValueText(v: string): string {
  return /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v) ? v : JSON.stringify(v);
}

export function formatService(p: ConcretePacket): string {
  const name = PROTOCOL_NAME[p.protocol];
  if (PORT_PROTOCOLS.has(p.protocol)) return `${name}/${p.port}`;
  if (p.protocol === 1 || p.protocol === 58) return `${name}/${p.icmpType}/${p.icmpCode}`;
  return name ?? `proto/${p.protocol}`;
}

function formatPeer(p: ConcretePeer): string {
  if (p.kind === "external") return formatIp(p.ip);
  const who = p.endpoint ?? formatLabels(p.labels);
  return p.ipMatters ? `${who} at ${formatIp(p.ip)}` : who;
}

/** `SRC -> DST : SERVICE`, the way a `.pol` flow is written. */
export function formatPacket(p: ConcretePacket, dir: Direction): string {
  const subject = p.subjectEndpoint ?? formatLabels(p.subject);
  const peer = formatPeer(p.peer);
  const [src, dst] = dir === "egress" ? [subject, peer] : [peer, subject];
  return `${src} -> ${dst} : ${formatService(p)}`;
}

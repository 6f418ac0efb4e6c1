// The key each decision rule carries at the front of its comment: it names the Calico policy and rule
// (or end of tier, or profile) exactly as the reference evaluator's trace hits do, so a kernel trace
// (`nft monitor trace` prints each rule with its comment) can be compared with `polc trace`.
//
//   gnp:security.pci-egress egress 0 deny      policy rule: kind:[ns/]name direction index action
//   eot:baseline ingress deny                  end of tier
//   profile:kns.frontend egress allow          the Kubernetes profile at the end
//
// Names that would make a comment too long keep their start and get a short hash.

import type { Direction } from "../../eval/program.js";
import type { HitKind, PolicyHit } from "../../eval/index.js";
import { HIT_KIND_SHORT } from "../../eval/trace.js";


const MAX_NAME = 72;

/** A short stable hash (FNV-1a, 32 bits, hex). */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** A name short enough for a comment, still unique in practice. */
export function shortName(name: string): string {
  return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 9)}~${fnv1a(name)}`;
}

function dir(d: Direction): string {
  return d === "Ingress" ? "ingress" : "egress";
}

/** Calico's short kind name: `gnp`, `np`, `sgnp`, `snp`. */
export function kindShort(kind: HitKind): string {
  return HIT_KIND_SHORT[kind];
}

export function policyRef(kind: HitKind, namespace: string, name: string): string {
  return `${HIT_KIND_SHORT[kind]}:${shortName(namespace ? `${namespace}/${name}` : name)}`;
}

export function ruleKey(kind: HitKind, namespace: string, name: string, d: Direction, index: number, action: string): string {
  return `${policyRef(kind, namespace, name)} ${dir(d)} ${index} ${action.toLowerCase()}`;
}

export function endOfTierKey(tier: string, d: Direction, action: "Deny" | "Pass"): string {
  return `eot:${shortName(tier)} ${dir(d)} ${action.toLowerCase()}`;
}

export function profileKey(profile: string, d: Direction): string {
  return `profile:${shortName(profile)} ${dir(d)} allow`;
}

/** The key of a reference-evaluator trace hit of direction `d`. */
export function hitKey(h: PolicyHit, d: Direction): string {
  if (h.kind === "EndOfTier") return endOfTierKey(h.tier, d, h.action === "Pass" ? "Pass" : "Deny");
  if (h.kind === "Profile") return profileKey(h.name, d);
  return ruleKey(h.kind, h.namespace, h.name, d, h.rule_index, h.action);
}

/** Whether a comment starts with a decision key (policy rule, end of tier, profile; not staged or log). */
export function decisionKeyOf(comment: string): string | undefined {
  return /^(np|gnp|eot|profile):\S+ (ingress|egress) (\d+ )?(allow|deny|pass)(?= |$)/.exec(comment)?.[0];
}

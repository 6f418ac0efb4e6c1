// The chains of the ruleset (docs/nftables.md):
//
//   ep/<ns>/<pod>/<dir>      one per endpoint and direction: a jump to each active tier, then the profile
//   tier/<tier>/<dir>/<n>    one per distinct list of active policies of a tier: a jump to each policy,
//                            after a policy that can Pass a check of the Pass bit, then the end of tier
//   <kind>/<name>/<dir>      one per policy and direction: its rules, in order, shared by every endpoint
//
// Verdicts: Deny = drop; Allow = accept on ingress, and on egress a goto to the destination's ingress
// (dispatch/ingress), so both sides are checked in one pass; Pass = set the Pass bit and return to
// the tier chain, which returns to the endpoint chain (the next tier); Log = log and go on. Staged
// policies only count (`counter`, no verdict).

import type { Direction, EvalPolicy, EvalRule } from "../../eval/program.js";
import type { InvEndpoint } from "../../inventory/types.js";
import { hitKind } from "../../eval/trace.js";
import { lineColOf, type SourceMap, type Span } from "../../source.js";
import { endOfTierKey, policyRef, profileKey, ruleKey, shortName } from "./keys.js";
import type { RuleTranslator } from "./match.js";
import { commentText } from "./text.js";
import type { TierStep } from "./plan.js";

/** The packet-mark bit that carries "this policy passed" from a policy chain to its tier chain. */
export const PASS_MARK = 0x00100000;
export const INGRESS_DISPATCH = "dispatch/ingress";

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;

export interface Chain {
  readonly name: string;
  readonly comment: string;
  readonly rules: string[];
}

export interface DroppedRule {
  readonly policy: EvalPolicy;
  readonly direction: Direction;
  readonly index: number;
  readonly unsupported?: string;
}

function dirWord(d: Direction): string {
  return d === "Ingress" ? "ingress" : "egress";
}

/** A chain name nft accepts unquoted: letters, digits, `/ _ . -`; anything else becomes `_` plus a hash. */
export function chainName(parts: readonly string[]): string {
  const raw = parts.map(shortName).join("/");
  const clean = raw.replace(/[^A-Za-z0-9/_.-]/g, "_");
  return clean === raw ? raw : `${clean}~${raw.length.toString(36)}`;
}

export class ChainBuilder {
  readonly chains = new Map<string, Chain>();
  readonly dropped: DroppedRule[] = [];
  private readonly policyChains = new Map<EvalPolicy, Map<Direction, string | null>>();
  private readonly tierChains = new Map<string, string>();
  private readonly tierCounts = new Map<string, number>();

  constructor(
    private readonly translator: RuleTranslator,
    private readonly sources: SourceMap | undefined,
    private readonly tierOrigins: ReadonlyMap<string, Span>,
  ) {}

  private where(span: Span | undefined): string {
    if (!span) return "";
    const file = this.sources?.get(span.file);
    return file ? ` @ ${span.file}:${lineColOf(file, span.start).line}` : ` @ ${span.file}`;
  }

  private rule(body: string, verdict: string, comment: string): string {
    return [body, verdict, `comment ${commentText(comment)}`].filter((s) => s).join(" ");
  }

  private verdict(r: EvalRule, p: EvalPolicy, dir: Direction, key: string): string {
    if (p.staged) return "counter";
    switch (r.action) {
      case "Allow":
        return dir === "Ingress" ? "accept" : `goto ${INGRESS_DISPATCH}`;
      case "Deny":
        return "drop";
      case "Pass":
        return `meta mark set meta mark | ${hex(PASS_MARK)} return`;
      case "Log":
        return `log prefix ${commentText(`polc ${key.split(" ")[0]}: `)}`;
    }
  }

  /** The chain of a policy's rules for `dir`; null when it has none. */
  private policyChain(p: EvalPolicy, dir: Direction): string | null {
    let byDir = this.policyChains.get(p);
    if (!byDir) this.policyChains.set(p, (byDir = new Map()));
    const known = byDir.get(dir);
    if (known !== undefined) return known;
    const kind = hitKind(p.kind);
    const rules: string[] = [];
    const list = dir === "Ingress" ? p.ingress : p.egress;
    list.forEach((r, i) => {
      const key = ruleKey(kind, p.namespace ?? "", p.name, dir, i, r.action);
      const m = this.translator.translate(r);
      if (m.bodies.length === 0) {
        this.dropped.push({ policy: p, direction: dir, index: i, ...(m.unsupported ? { unsupported: m.unsupported } : {}) });
        return;
      }
      const comment = (p.staged ? "staged " : "") + key + this.where(r.origin);
      for (const body of m.bodies) rules.push(this.rule(body, this.verdict(r, p, dir, key), comment));
    });
    const name = rules.length ? chainName([policyRef(kind, p.namespace ?? "", p.name).replace(":", "/"), dirWord(dir)]) : null;
    if (name) this.chains.set(name, { name, comment: `${p.staged ? "staged (counters only) " : ""}${kind} ${p.namespace ? `${p.namespace}/` : ""}${p.name} ${dirWord(dir)}`, rules });
    byDir.set(dir, name);
    return name;
  }

  private canPass(p: EvalPolicy, dir: Direction): boolean {
    return !p.staged && (dir === "Ingress" ? p.ingress : p.egress).some((r) => r.action === "Pass");
  }

  /** The chain of one tier for one list of active policies (shared by every endpoint with that list). */
  tierChain(step: TierStep, dir: Direction): string {
    const key = `${step.tier.name}|${dir}|${step.policies.map((p) => `${p.kind}/${p.namespace ?? ""}/${p.name}`).join(",")}`;
    const known = this.tierChains.get(key);
    if (known) return known;
    const base = `${step.tier.name}|${dir}`;
    const n = this.tierCounts.get(base) ?? 0;
    this.tierCounts.set(base, n + 1);
    const name = chainName(["tier", step.tier.name, dirWord(dir), String(n)]);
    const rules: string[] = [];
    for (const p of step.policies) {
      const target = this.policyChain(p, dir);
      if (!target) continue;
      const ref = policyRef(hitKind(p.kind), p.namespace ?? "", p.name);
      rules.push(this.rule("", `jump ${target}`, `${p.staged ? "staged " : ""}${ref}${this.where(p.origin)}`));
      if (this.canPass(p, dir)) {
        rules.push(this.rule(`meta mark & ${hex(PASS_MARK)} == ${hex(PASS_MARK)}`, `meta mark set meta mark & ${hex(~PASS_MARK)} return`, `${ref} passed: next tier`));
      }
    }
    if (step.enforced) {
      const last = [...step.policies].reverse().find((p) => !p.staged)!;
      const eot = `${endOfTierKey(step.tier.name, dir, step.tier.defaultAction)} (${policyRef(hitKind(last.kind), last.namespace ?? "", last.name)})`;
      rules.push(this.rule("", step.tier.defaultAction === "Deny" ? "drop" : "return", eot + this.where(this.tierOrigins.get(step.tier.name))));
    }
    this.chains.set(name, { name, comment: `tier ${step.tier.name} ${dirWord(dir)}: ${step.policies.length} policies`, rules });
    this.tierChains.set(key, name);
    return name;
  }

  /** The chain of one endpoint and direction. */
  endpointChain(ep: InvEndpoint, dir: Direction, steps: readonly TierStep[]): string {
    const name = chainName(["ep", ep.namespace, ep.name, dirWord(dir)]);
    const rules = steps.map((s) => this.rule("", `jump ${this.tierChain(s, dir)}`, `tier ${s.tier.name}`));
    const profile = profileKey(`kns.${ep.namespace}`, dir);
    rules.push(this.rule("", dir === "Ingress" ? "accept" : "return", `${profile} (no tier decided)`));
    this.chains.set(name, { name, comment: `${dirWord(dir)} of ${ep.namespace}/${ep.name}`, rules });
    return name;
  }
}

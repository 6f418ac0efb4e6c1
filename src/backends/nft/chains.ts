// The chains of the ruleset (docs/nftables.md):
//
//   ep/<ns>/<pod>/<dir>      one per endpoint and direction: each active tier in order, then the profile
//   tier/<tier>/<dir>/<n>    a tier's active-policy list shared by several endpoints, or one with a policy
//                            that can Pass: its policies, then the end of tier; the endpoint chain jumps
//                            to it. Otherwise the tier is written into the endpoint chain itself.
//   <kind>/<name>/<dir>      a policy's rules, when several tier lists use the policy (shared); a policy
//                            used by one tier list has its rules written there.
//
// Verdicts: Deny = drop; Allow = accept on ingress, and on egress a goto to the destination's ingress
// (dispatch/ingress), so both sides are checked in one pass; Pass = return from the tier chain (in a
// shared policy chain: set the Pass bit and return, and the tier chain returns when it sees the bit);
// Log = log and go on. Staged policies only count (`counter`, no verdict). The end of a tier written
// into an endpoint chain that passes is a `continue`, so that the trace still shows it.
//
// Sharing follows use: a real cluster has many pods per group, so tier and policy chains are shared;
// a rule list used once is written where it is used (fewer chains and jumps load faster).

import type { Direction, EvalPolicy, EvalRule } from "../../eval/program.js";
import type { InvEndpoint } from "../../inventory/types.js";
import { hitKind } from "../../eval/trace.js";
import { lineColOf, type SourceMap, type Span } from "../../source.js";
import { endOfTierKey, fnv1a, kindShort, policyRef, profileKey, ruleKey, shortName } from "./keys.js";
import type { RuleTranslator } from "./match.js";
import { commentText } from "./text.js";
import type { TierStep } from "./plan.js";

/** The packet-mark bit that carries "this policy passed" from a shared policy chain to its tier chain. */
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

/** One endpoint's plan for one direction. */
export interface EndpointPlan {
  readonly ep: InvEndpoint;
  readonly dir: Direction;
  readonly steps: readonly TierStep[];
}

function dirWord(d: Direction): string {
  return d === "Ingress" ? "ingress" : "egress";
}

/** A chain name nft accepts unquoted (letters, digits, `/ _ . -`, at most 256 bytes): each part is
 *  shortened, and a name that needed any other character gets `_` instead and a hash of the original. */
export function chainName(parts: readonly string[]): string {
  const raw = parts.join("/");
  const short = parts.map(shortName).join("/");
  const clean = short.replace(/[^A-Za-z0-9/_.-]/g, "_");
  return clean === raw ? raw : `${clean}_${fnv1a(raw)}`;
}

function tierKey(step: TierStep, dir: Direction): string {
  return `${step.tier.name}|${dir}|${step.policies.map((p) => `${p.kind}/${p.namespace ?? ""}/${p.name}`).join(",")}`;
}

interface Translated {
  readonly rules: readonly { readonly body: string; readonly rule: EvalRule; readonly key: string; readonly comment: string }[];
}

export class ChainBuilder {
  readonly chains = new Map<string, Chain>();
  readonly dropped: DroppedRule[] = [];
  private readonly translated = new Map<EvalPolicy, Map<Direction, Translated>>();
  private readonly policyChains = new Map<EvalPolicy, Map<Direction, string>>();
  private readonly tierChains = new Map<string, string>();
  private readonly tierCounts = new Map<string, number>();
  /** How many endpoint plans use each tier list. */
  private readonly tierUses = new Map<string, number>();
  /** The distinct tier lists each policy (and direction) appears in. */
  private readonly policySites = new Map<string, Set<string>>();
  /** Set once a Pass in a shared policy chain carries the Pass bit back (the forward chain then
   *  clears the bit first; without such a Pass the mark is never touched). */
  usesPassMark = false;

  constructor(
    private readonly translator: RuleTranslator,
    private readonly sources: SourceMap | undefined,
    private readonly tierOrigins: ReadonlyMap<string, Span>,
    plans: readonly EndpointPlan[],
  ) {
    for (const { dir, steps } of plans) {
      for (const s of steps) {
        const k = tierKey(s, dir);
        this.tierUses.set(k, (this.tierUses.get(k) ?? 0) + 1);
        for (const p of s.policies) {
          const pk = this.policyKey(p, dir);
          const sites = this.policySites.get(pk) ?? new Set();
          sites.add(k);
          this.policySites.set(pk, sites);
        }
      }
    }
  }

  private policyKey(p: EvalPolicy, dir: Direction): string {
    return `${p.kind}/${p.namespace ?? ""}/${p.name}|${dir}`;
  }

  private where(span: Span | undefined): string {
    if (!span) return "";
    const file = this.sources?.get(span.file);
    return file ? ` @ ${span.file}:${lineColOf(file, span.start).line}` : ` @ ${span.file}`;
  }

  private rule(body: string, verdict: string, comment: string): string {
    return [body, verdict, `comment ${commentText(comment)}`].filter((s) => s).join(" ");
  }

  /** `shared`: the rule is in a shared policy chain (a Pass must carry the Pass bit back). */
  private verdict(r: EvalRule, p: EvalPolicy, dir: Direction, key: string, shared: boolean): string {
    if (p.staged) return "counter";
    switch (r.action) {
      case "Allow":
        return dir === "Ingress" ? "accept" : `goto ${INGRESS_DISPATCH}`;
      case "Deny":
        return "drop";
      case "Pass":
        if (!shared) return "return";
        this.usesPassMark = true;
        return `meta mark set meta mark | ${hex(PASS_MARK)} return`;
      case "Log":
        return `log prefix ${commentText(`polc ${key.split(" ")[0]}: `)}`;
    }
  }

  /** A policy's rules for `dir`, translated once (and each rule that matches nothing reported once). */
  private translate(p: EvalPolicy, dir: Direction): Translated {
    let byDir = this.translated.get(p);
    if (!byDir) this.translated.set(p, (byDir = new Map()));
    const known = byDir.get(dir);
    if (known) return known;
    const kind = hitKind(p.kind);
    const rules: Translated["rules"][number][] = [];
    (dir === "Ingress" ? p.ingress : p.egress).forEach((r, i) => {
      const key = ruleKey(kind, p.namespace ?? "", p.name, dir, i, r.action);
      const m = this.translator.translate(r);
      if (m.bodies.length === 0) {
        this.dropped.push({ policy: p, direction: dir, index: i, ...(m.unsupported ? { unsupported: m.unsupported } : {}) });
        return;
      }
      const comment = (p.staged ? "staged " : "") + key + this.where(r.origin);
      for (const body of m.bodies) rules.push({ body, rule: r, key, comment });
    });
    const t = { rules };
    byDir.set(dir, t);
    return t;
  }

  private policyRules(p: EvalPolicy, dir: Direction, shared: boolean): string[] {
    return this.translate(p, dir).rules.map((x) => this.rule(x.body, this.verdict(x.rule, p, dir, x.key, shared), x.comment));
  }

  /** The shared chain of a policy's rules for `dir`. */
  private policyChain(p: EvalPolicy, dir: Direction): string {
    let byDir = this.policyChains.get(p);
    if (!byDir) this.policyChains.set(p, (byDir = new Map()));
    const known = byDir.get(dir);
    if (known !== undefined) return known;
    const kind = hitKind(p.kind);
    const name = chainName([kindShort(kind), ...(p.namespace ? [p.namespace] : []), p.name, dirWord(dir)]);
    const comment = `${p.staged ? "staged (counters only) " : ""}${kind} ${p.namespace ? `${p.namespace}/` : ""}${p.name} ${dirWord(dir)}`;
    this.chains.set(name, { name, comment, rules: this.policyRules(p, dir, true) });
    byDir.set(dir, name);
    return name;
  }

  private canPass(p: EvalPolicy, dir: Direction): boolean {
    return !p.staged && (dir === "Ingress" ? p.ingress : p.egress).some((r) => r.action === "Pass");
  }

  /** The policies of a tier list (each written in place or jumped to), then the end of tier.
   *  `inline`: written into the endpoint chain (no policy of the list can Pass there). */
  private tierRules(step: TierStep, dir: Direction, inline: boolean): string[] {
    const rules: string[] = [];
    for (const p of step.policies) {
      if (this.translate(p, dir).rules.length === 0) continue;
      const ref = policyRef(hitKind(p.kind), p.namespace ?? "", p.name);
      if ((this.policySites.get(this.policyKey(p, dir))?.size ?? 0) <= 1) {
        rules.push(...this.policyRules(p, dir, false));
        continue;
      }
      rules.push(this.rule("", `jump ${this.policyChain(p, dir)}`, `${p.staged ? "staged " : ""}${ref}${this.where(p.origin)}`));
      if (this.canPass(p, dir)) {
        rules.push(this.rule(`meta mark & ${hex(PASS_MARK)} == ${hex(PASS_MARK)}`, `meta mark set meta mark & ${hex(~PASS_MARK)} return`, `${ref} passed: next tier`));
      }
    }
    if (step.enforced) {
      const last = [...step.policies].reverse().find((p) => !p.staged)!;
      const eot = `${endOfTierKey(step.tier.name, dir, step.tier.defaultAction)} (${policyRef(hitKind(last.kind), last.namespace ?? "", last.name)})`;
      const verdict = step.tier.defaultAction === "Deny" ? "drop" : inline ? "continue" : "return";
      rules.push(this.rule("", verdict, eot + this.where(this.tierOrigins.get(step.tier.name))));
    }
    return rules;
  }

  /** The chain of one tier list (shared by every endpoint with that list). */
  private tierChain(step: TierStep, dir: Direction): string {
    const key = tierKey(step, dir);
    const known = this.tierChains.get(key);
    if (known) return known;
    const base = `${step.tier.name}|${dir}`;
    const n = this.tierCounts.get(base) ?? 0;
    this.tierCounts.set(base, n + 1);
    const name = chainName(["tier", step.tier.name, dirWord(dir), String(n)]);
    this.tierChains.set(key, name);
    this.chains.set(name, { name, comment: `tier ${step.tier.name} ${dirWord(dir)}: ${step.policies.length} policies`, rules: this.tierRules(step, dir, false) });
    return name;
  }

  /** The rules of one endpoint and direction: each active tier, then the profile. */
  private endpointRules({ ep, dir, steps }: EndpointPlan): string[] {
    const rules: string[] = [];
    for (const s of steps) {
      rules.push(
        ...((this.tierUses.get(tierKey(s, dir)) ?? 0) > 1 || s.policies.some((p) => this.canPass(p, dir))
          ? [this.rule("", `jump ${this.tierChain(s, dir)}`, `tier ${s.tier.name}`)]
          : this.tierRules(s, dir, true)),
      );
      // A tier that selected the endpoint, ends in deny and has no Pass decides everything left: later
      // tiers and the profile would be rules no packet reaches. (A Pass leaves the tier before its end.)
      if (s.enforced && s.tier.defaultAction === "Deny" && !s.policies.some((p) => this.canPass(p, dir))) return rules;
    }
    const profile = profileKey(`kns.${ep.namespace}`, dir);
    rules.push(this.rule("", dir === "Ingress" ? "accept" : "return", `${profile} (no tier decided)`));
    return rules;
  }

  /** The endpoint chain of each plan. Endpoints whose rules are identical (replicas: same namespace,
   *  same policies) share one chain, `ep/<ns>/<first pod>_and_<n>_more/<dir>`. */
  endpointChains(plans: readonly EndpointPlan[]): string[] {
    const groups = new Map<string, { rules: string[]; members: number[] }>();
    plans.forEach((plan, i) => {
      const rules = this.endpointRules(plan);
      const key = `${plan.dir}\n${rules.join("\n")}`;
      const g = groups.get(key);
      if (g) g.members.push(i);
      else groups.set(key, { rules, members: [i] });
    });
    const names: string[] = new Array(plans.length);
    for (const { rules, members } of groups.values()) {
      const { ep, dir } = plans[members[0]!]!;
      const more = members.length - 1;
      const name = chainName(["ep", ep.namespace, more ? `${ep.name}_and_${more}_more` : ep.name, dirWord(dir)]);
      const comment = `${dirWord(dir)} of ${ep.namespace}/${ep.name}${more ? ` and ${more} more with the same policies` : ""}`;
      this.chains.set(name, { name, comment, rules });
      for (const i of members) names[i] = name;
    }
    return names;
  }
}

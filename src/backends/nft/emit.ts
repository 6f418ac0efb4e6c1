// The nftables backend: the IR plus a cluster inventory → one `nft -f` ruleset that enforces, on a
// router between the inventory's pods, the verdict Calico enforces for the Calico objects polc emits
// from the same IR (docs/nftables.md). It reads those objects through the reference evaluator's
// `evalProgramFromIr` and `World`, so selector scoping, policy and tier order, and what a selector
// matches are the evaluator's own, not a second implementation.
//
//   emitNft(ir, inventory, { sources }) → { text, diagnostics, stats }

import type { Diagnostic } from "../../diag/diagnostic.js";
import type { IrProgram } from "../../ir/types.js";
import type { Inventory } from "../../inventory/types.js";
import type { SourceMap, Span } from "../../source.js";
import { makeDiag } from "../../ir/diag.js";
import { evalProgram, evalProgramFromIr, World, type EvalProgram } from "../../eval/index.js";
import type { CalicoObject } from "../calico/objects.js";
import type { Direction } from "../../eval/program.js";
import { ChainBuilder, INGRESS_DISPATCH, PASS_MARK, type DroppedRule, type EndpointPlan } from "./chains.js";
import { RuleTranslator } from "./match.js";
import { Planner } from "./plan.js";
import { render, type DispatchEntry } from "./render.js";
import { Resolver } from "./resolve.js";
import { SetRegistry } from "./sets.js";

export interface NftOptions {
  readonly sources?: SourceMap;
  /** How the header names the inventory. */
  readonly inventoryName?: string;
  /** The origins of tiers, for end-of-tier comments. */
  readonly tierOrigins?: ReadonlyMap<string, Span>;
}

export interface NftStats {
  readonly endpoints: number;
  readonly chains: number;
  readonly rules: number;
  readonly sets: number;
}

export interface NftOutput {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
  readonly stats: NftStats;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;

function forwardRules(usesPassMark: boolean): string[] {
  return [
    `ct state established,related accept comment "conntrack: packets of allowed connections"`,
    `ct state invalid drop comment "conntrack: invalid packets"`,
    ...(usesPassMark ? [`meta mark & ${hex(PASS_MARK)} == ${hex(PASS_MARK)} meta mark set meta mark & ${hex(~PASS_MARK)} comment "clear the Pass bit"`] : []),
    `ip saddr vmap @egress4 comment "egress of an IPv4 source endpoint"`,
    `ip6 saddr vmap @egress6 comment "egress of an IPv6 source endpoint"`,
    `goto ${INGRESS_DISPATCH} comment "the source allowed it, or is not an endpoint"`,
  ];
}

function droppedDiagnostic(d: DroppedRule, fallback: Span): Diagnostic {
  const p = d.policy;
  const rules = d.direction === "Ingress" ? p.ingress : p.egress;
  const span = rules[d.index]?.origin ?? p.origin ?? fallback;
  const which = `rule ${d.index} of the ${d.direction.toLowerCase()} rules of ${p.kind} ${p.namespace ? `${p.namespace}/` : ""}${p.name}`;
  if (d.unsupported) {
    return makeDiag("POL4021", span, `${which} uses ${d.unsupported}, which the nftables backend cannot express`, { help: "compile for Calico only, or rewrite the rule" });
  }
  return makeDiag("POL4020", span, `${which} matches no endpoint or address of the inventory; it is left out of the nftables ruleset`, {
    help: "nothing to do if the inventory is expected to lack those pods",
  });
}

/** The ruleset for an evaluated program (what the cluster runs) and an inventory. */
export function emitNftFromProgram(prog: EvalProgram, inventory: Inventory, opts: NftOptions = {}): NftOutput {
  const world = new World(prog, inventory);
  const sets = new SetRegistry();
  const planner = new Planner(prog);
  const plans: EndpointPlan[] = inventory.endpoints.flatMap((ep) => (["Egress", "Ingress"] as Direction[]).map((dir) => ({ ep, dir, steps: planner.plan(ep, dir) })));
  const builder = new ChainBuilder(new RuleTranslator(new Resolver(world), sets), opts.sources, opts.tierOrigins ?? new Map(), plans);
  const dispatch = { egress4: [] as DispatchEntry[], egress6: [] as DispatchEntry[], ingress4: [] as DispatchEntry[], ingress6: [] as DispatchEntry[] };
  const epChains = builder.endpointChains(plans);
  for (const [i, plan] of plans.entries()) {
    const chain = epChains[i]!;
    for (const a of plan.ep.addresses) {
      const key = `${plan.dir === "Egress" ? "egress" : "ingress"}${a.family}` as keyof typeof dispatch;
      dispatch[key].push({ address: a.text, chain });
    }
  }
  const all = [...builder.chains.values()];
  const rank = (name: string): number => (name.startsWith("ep/") ? 0 : name.startsWith("tier/") ? 1 : 2);
  const chains = all.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.name) - rank(b.c.name) || a.i - b.i).map((x) => x.c);
  const fallback: Span = { file: opts.inventoryName ?? "inventory", start: 0, end: 0 };
  // Each policy's rules are translated once, so each left-out rule is reported once.
  const diagnostics = builder.dropped.map((d) => droppedDiagnostic(d, fallback));
  const forward = forwardRules(builder.usesPassMark);
  const text = render({
    header: [
      `Generated by polc for ${inventory.endpoints.length} endpoints${opts.inventoryName ? ` of ${opts.inventoryName}` : ""}; do not edit.`,
      "Load with `nft -f FILE`: it replaces table inet polc atomically (docs/nftables.md).",
    ],
    sets: sets.render(),
    dispatch,
    forward,
    chains,
  });
  const rules = forward.length + 3 + chains.reduce((n, c) => n + c.rules.length, 0);
  return { text, diagnostics, stats: { endpoints: inventory.endpoints.length, chains: chains.length + 2, rules, sets: sets.size } };
}

/** The ruleset for `ir` (through the Calico objects emitted for it: pass `objects` when the caller
 *  already emitted them) and an inventory. */
export function emitNft(ir: IrProgram, inventory: Inventory, opts: Omit<NftOptions, "tierOrigins"> & { objects?: readonly CalicoObject[] } = {}): NftOutput {
  const { objects, ...rest } = opts;
  const tierOrigins = new Map(ir.tiers.map((t) => [t.name, t.origin]));
  const prog = objects ? evalProgram(objects, { ir }) : evalProgramFromIr(ir);
  return emitNftFromProgram(prog, inventory, { ...rest, tierOrigins });
}

// Tiers: names, orders and default actions checked against Calico's built-in tiers; references to
// tiers from policies and flows (no tier = Calico's built-in `default` tier).

import type { Ident, TierDecl } from "../syntax/ast.js";
import type { ModelTier } from "./model.js";
import type { Ctx } from "./context.js";
import type { PolSymbol } from "./symbols.js";
import { dnsLabelProblem } from "./names.js";
import { kindNoun } from "./kinds.js";

export const DEFAULT_TIER = "default";
export const DEFAULT_TIER_ORDER = 1_000_000;

/** Calico's built-in tiers and their fixed orders (calico-reference.md §a.1). */
export const BUILTIN_TIERS: readonly { name: string; order: number; versions: string; earlier?: string }[] = [
  { name: "kube-admin", order: 1000, versions: "Calico v3.32 and later", earlier: "`adminnetworkpolicy` in Calico v3.29-v3.31" },
  { name: "default", order: DEFAULT_TIER_ORDER, versions: "every Calico version with tiers" },
  { name: "kube-baseline", order: 10_000_000, versions: "Calico v3.32 and later", earlier: "`baselineadminnetworkpolicy` in Calico v3.30-v3.31" },
];

/** Tier names polc refuses because Calico or the Tigera operator owns them. */
export const RESERVED_TIERS: ReadonlyMap<string, string> = new Map([
  ["adminnetworkpolicy", "Calico v3.29-v3.31 create it (order 1000) for Kubernetes AdminNetworkPolicy"],
  ["baselineadminnetworkpolicy", "Calico v3.30-v3.31 create it (order 10000000) for Kubernetes BaselineAdminNetworkPolicy"],
  ["calico-system", "the Tigera operator (Calico v3.32 and later) owns it for Calico's own components"],
  ["allow-tigera", "the Tigera operator (before Calico v3.32) owns it for Calico's own components"],
]);

export const BUILTIN_TIER_NAMES = new Set(BUILTIN_TIERS.map((t) => t.name));

export const BUILTIN_DEFAULT_TIER = (origin: ModelTier["origin"]): ModelTier => ({
  name: DEFAULT_TIER,
  order: DEFAULT_TIER_ORDER,
  defaultAction: "Deny",
  builtin: true,
  origin,
});

/** Checks every declared tier; returns the valid ones keyed by name. */
export function checkTiers(ctx: Ctx, decls: readonly { sym: PolSymbol; decl: TierDecl }[]): Map<string, ModelTier> {
  const out = new Map<string, ModelTier>();
  const byOrder = new Map<number, { sym: PolSymbol; decl: TierDecl }>();
  for (const { sym, decl } of decls) {
    if (BUILTIN_TIER_NAMES.has(sym.name)) continue; // reported as POL2002 when declared
    let ok = true;
    const name = decl.name;
    if (ok && !name.recovered) {
      const problem = dnsLabelProblem(name.name);
      if (problem) {
        ok = false;
        ctx.report.emit("POL2001", name.span, `\`${name.name}\` is not a valid tier name`, {
          label: problem,
          notes: ["Calico tier names are DNS labels without dots, at most 63 characters: the name is also used as a label value"],
          help: "use lower-case letters, digits and `-`, e.g. `platform` or `team-a`",
        });
      }
      const reserved = RESERVED_TIERS.get(name.name);
      if (reserved) {
        ok = false;
        ctx.report.emit("POL2003", name.span, `tier name \`${name.name}\` is reserved`, {
          label: "owned by Calico or its operator",
          notes: [`${reserved}; a tier of yours with this name would be overwritten or fight over its order`],
          help: `choose another name, e.g. \`${name.name}-policies\``,
        });
      }
    }
    const order = decl.order;
    if (!order) {
      ok = false;
      if (!decl.recovered) {
        ctx.report.emit("POL2004", decl.name.span, `tier \`${sym.name}\` has no order`, {
          label: "`order N` missing",
          notes: ["Calico evaluates a tier without an order after every ordered tier, even after the built-in `kube-baseline` tier (order 10000000)"],
          help: `give it an explicit order: \`tier ${sym.name} order 500 default pass\``,
        });
      }
    } else {
      const builtin = BUILTIN_TIERS.find((b) => b.order === order.value);
      if (builtin) {
        ok = false;
        ctx.report.emit("POL2006", order.span, `tier \`${sym.name}\` has the same order as Calico's built-in tier \`${builtin.name}\``, {
          label: `\`${builtin.name}\` has order ${builtin.order} (${builtin.versions})`,
          notes: [
            ...(builtin.earlier ? [`so does ${builtin.earlier}`] : []),
            "tiers with equal orders are evaluated by name, which is not a decision anyone meant to make",
          ],
          help: `pick an order just before or after it, e.g. ${builtin.order - 1} or ${builtin.order + 1}`,
        });
      } else {
        const clash = byOrder.get(order.value);
        if (clash) {
          ok = false;
          const first = clash.sym.name < sym.name ? clash.sym.name : sym.name;
          ctx.report.emit("POL2007", order.span, `tiers \`${clash.sym.name}\` and \`${sym.name}\` have the same order ${order.text}`, {
            label: "same order",
            secondary: clash.decl.order ? [{ span: clash.decl.order.span, message: `\`${clash.sym.name}\` has this order` }] : undefined,
            notes: [`Calico would evaluate \`${first}\` first only because its name sorts first`],
            help: "give every tier a distinct order",
          });
        } else byOrder.set(order.value, { sym, decl });
        if (order.value >= DEFAULT_TIER_ORDER) {
          const afterBaseline = order.value > 10_000_000;
          ctx.report.emit("POL2009", order.span, `tier \`${sym.name}\` runs after Calico's \`default\` tier`, {
            label: `order ${order.text} >= ${DEFAULT_TIER_ORDER}`,
            notes: [
              "the `default` tier (order 1000000) holds every Kubernetes NetworkPolicy and ends in deny for the endpoints they select; this tier never sees that traffic",
              ...(afterBaseline ? ["it also runs after `kube-baseline` (order 10000000, Calico v3.32 and later)"] : []),
            ],
            help: "use an order below 1000000 unless the tier is meant to run after Kubernetes NetworkPolicies",
          });
        }
      }
    }
    if (!decl.defaultAction) {
      ok = false;
      if (!decl.recovered) {
        ctx.report.emit("POL2008", decl.name.span, `tier \`${sym.name}\` has no default action`, {
          label: "`default pass` or `default deny` missing",
          notes: ["what happens at the end of a tier is the most important fact about it; Calico's implicit default is deny"],
          help: `say it explicitly: \`tier ${sym.name} order … default pass\` (or \`default deny\`)`,
        });
      }
    }
    if (ok && order && decl.defaultAction) {
      out.set(sym.name, {
        name: sym.name,
        order: order.value,
        defaultAction: decl.defaultAction.value === "deny" ? "Deny" : "Pass",
        builtin: false,
        origin: decl.span,
      });
    }
  }
  return out;
}

/** The tier a policy or flow names; `default` is Calico's built-in tier. */
export function tierRef(ctx: Ctx, ident: Ident): string | undefined {
  if (ident.recovered) return undefined;
  const sym = ctx.lookup(ident, ["tier"], {
    where: "after `in`",
    wrongKindHelp: (s) => `\`${s.name}\` is ${kindNoun(s.kind)}, not a tier; declare a tier (\`tier NAME order N default pass\`) and name it after \`in\``,
  });
  return sym?.name;
}

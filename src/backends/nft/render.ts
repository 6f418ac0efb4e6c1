// The ruleset text: one `table inet polc`, replaced atomically by `nft -f` (the first two commands
// create the table if it is missing and delete it, in the same transaction as the new definition).
// Multi-line blocks only (nft 1.0.6 rejects some one-line forms); tabs; deterministic order.

import type { Chain } from "./chains.js";
import { INGRESS_DISPATCH } from "./chains.js";
import { commentText } from "./text.js";

export const TABLE = "polc";

export interface DispatchEntry {
  readonly address: string;
  readonly chain: string;
}

export interface RenderInput {
  readonly header: readonly string[];
  readonly sets: readonly string[];
  readonly dispatch: { readonly egress4: DispatchEntry[]; readonly egress6: DispatchEntry[]; readonly ingress4: DispatchEntry[]; readonly ingress6: DispatchEntry[] };
  readonly forward: readonly string[];
  readonly chains: readonly Chain[];
}

function map(name: string, type: string, entries: readonly DispatchEntry[], verdict: "jump" | "goto", comment: string): string[] {
  const out = [`\tmap ${name} {`, `\t\ttype ${type} : verdict`, `\t\tcomment ${commentText(comment)}`];
  if (entries.length) {
    out.push("\t\telements = {");
    entries.forEach((e, i) => out.push(`\t\t\t${e.address} : ${verdict} ${e.chain}${i < entries.length - 1 ? "," : ""}`));
    out.push("\t\t}");
  }
  out.push("\t}");
  return out;
}

function chain(c: Chain, hook?: string): string[] {
  return [`\tchain ${c.name} {`, ...(hook ? [`\t\t${hook}`] : []), `\t\tcomment ${commentText(c.comment)}`, ...c.rules.map((r) => `\t\t${r}`), "\t}"];
}

export function render(input: RenderInput): string {
  const d = input.dispatch;
  const lines: string[] = [
    ...input.header.map((h) => `# ${h}`),
    `table inet ${TABLE}`,
    `delete table inet ${TABLE}`,
    `table inet ${TABLE} {`,
    ...input.sets,
    ...map("egress4", "ipv4_addr", d.egress4, "jump", "IPv4 endpoint -> its egress chain"),
    ...map("egress6", "ipv6_addr", d.egress6, "jump", "IPv6 endpoint -> its egress chain"),
    ...map("ingress4", "ipv4_addr", d.ingress4, "goto", "IPv4 endpoint -> its ingress chain"),
    ...map("ingress6", "ipv6_addr", d.ingress6, "goto", "IPv6 endpoint -> its ingress chain"),
    ...chain({ name: "forward", comment: "every forwarded packet: conntrack, the source's egress, then the destination's ingress", rules: [...input.forward] }, "type filter hook forward priority filter; policy accept;"),
    ...chain({
      name: INGRESS_DISPATCH,
      comment: "ingress of the destination endpoint",
      rules: [
        `ip daddr vmap @ingress4 comment "ingress of an IPv4 endpoint"`,
        `ip6 daddr vmap @ingress6 comment "ingress of an IPv6 endpoint"`,
        `accept comment "the destination is not an endpoint of the inventory: no ingress policy"`,
      ],
    }),
  ];
  for (const c of input.chains) lines.push(...chain(c));
  lines.push("}");
  return lines.join("\n") + "\n";
}

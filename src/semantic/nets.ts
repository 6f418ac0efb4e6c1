// Nets: CIDR literals (host bits are an error with a fix) and `net` declarations, resolved to sorted,
// de-duplicated canonical CIDR sets.

import type { CidrLit, NetDecl } from "../syntax/ast.js";
import type { Span } from "../source.js";
import type { Cidr, ResolvedNet } from "./model.js";
import type { Ctx } from "./context.js";
import type { PolSymbol } from "./symbols.js";
import { cidrInfo } from "./deps.js";
import { sortCidrs } from "./cidr-set.js";

/** The canonical CIDR of a literal; host bits are reported (with the masked form as a fix) and the
 *  masked form is returned so that later checks see the intended network. */
export function cidrOfLiteral(ctx: Ctx, lit: CidrLit): Cidr | undefined {
  if (lit.recovered) return undefined;
  const info = cidrInfo(lit.text);
  if (!info) {
    // The front end only builds well-formed literals; this is a defence, not a user-facing path.
    ctx.report.emit("POL2030", lit.span, `\`${lit.text}\` is not a valid address or CIDR`, {
      help: "write an IPv4 or IPv6 address, optionally with a prefix length: `10.0.0.0/8`, `fd00::/8`, `10.96.0.1`",
    });
    return undefined;
  }
  if (info.hostBits) {
    const masked = info.cidr.text;
    ctx.report.emit("POL2030", lit.span, `\`${lit.text}\` has host bits set`, {
      label: `the network is \`${masked}\``,
      notes: [
        "Calico rejects a rule CIDR whose address has bits set beyond the prefix length (\"invalid CIDR\")",
        `did you mean the network \`${masked}\`, or the single address \`${lit.text.slice(0, lit.text.lastIndexOf("/"))}\`?`,
      ],
      help: `write \`${masked}\``,
      fix: { title: `replace with \`${masked}\``, edits: [{ span: lit.span, newText: masked }] },
    });
  }
  return info.cidr;
}

export function resolveNet(ctx: Ctx, sym: PolSymbol, via: Span | undefined): ResolvedNet | undefined {
  return ctx.resolve(ctx.nets, sym, via, () => {
    const decl = sym.decl;
    if (!decl || decl.kind !== "Net") return undefined;
    const cidrs = netDeclCidrs(ctx, decl);
    return cidrs && { name: sym.name, cidrs: sortCidrs(cidrs), origin: decl.span };
  });
}

function netDeclCidrs(ctx: Ctx, decl: NetDecl): Cidr[] | undefined {
  const out: Cidr[] = [];
  let ok = true;
  for (const item of decl.items) {
    if (item.kind === "Cidr") {
      const c = cidrOfLiteral(ctx, item);
      if (c) out.push(c);
      else ok = false;
      continue;
    }
    const sym = ctx.lookup(item.name, ["net"], {
      where: "in a net",
      wrongKindHelp: (s) =>
        s.kind === "group" || s.kind === "namespaces"
          ? `a net lists addresses; endpoints selected by labels cannot be part of it. Use \`${s.name}\` as a peer next to the net instead: \`to ${decl.name.name}, ${s.name}\``
          : undefined,
    });
    const sub = sym && resolveNet(ctx, sym, item.name.span);
    if (sub) out.push(...sub.cidrs);
    else ok = false;
  }
  return ok ? out : undefined;
}

// The global scope: every declaration of every loaded file (standard library first, then the
// project's files in path order), plus the predeclared services. (Calico's built-in `default` tier
// is a keyword, not a name: a `flow` without `in TIER` goes there.)
// A name may be declared once.

import type { File, Item } from "../syntax/ast.js";
import type { Ctx } from "./context.js";
import type { Declaration, PolSymbol, SymbolKind } from "./symbols.js";
import { PREDECLARED_SERVICES } from "./services.js";
import { BUILTIN_TIER_NAMES } from "./tiers.js";
import { kindNoun } from "./kinds.js";

const KIND: Partial<Record<Item["kind"], SymbolKind>> = {
  Tier: "tier",
  Group: "group",
  Namespaces: "namespaces",
  Net: "net",
  Service: "service",
};

export function declareAll(ctx: Ctx, files: readonly { ast: File; origin: "project" | "stdlib" }[]): void {
  for (const p of PREDECLARED_SERVICES) ctx.symbols.declare({ name: p, kind: "service", origin: "builtin" });

  const ordered = [...files.filter((f) => f.origin === "stdlib"), ...files.filter((f) => f.origin === "project")];
  for (const { ast, origin } of ordered) {
    for (const item of ast.items) {
      const kind = KIND[item.kind];
      if (!kind) continue;
      const decl = item as Declaration;
      if (decl.name.recovered) continue;
      const name = decl.name.name;
      if (kind === "tier" && BUILTIN_TIER_NAMES.has(name)) {
        // (`default` is a keyword, so only the `kube-*` tiers get here.)
        ctx.report.emit("POL2002", decl.name.span, `\`${name}\` is a Calico built-in tier and cannot be declared`, {
          label: "built-in tier",
          notes: ["Calico creates `default` (order 1000000, deny), and from v3.32 `kube-admin` (1000, pass) and `kube-baseline` (10000000, pass); their order and default action are fixed"],
          help: "declare a tier of your own with another name",
        });
      }
      const sym: PolSymbol = { name, kind, decl, nameSpan: decl.name.span, file: ast.path, origin };
      const first = ctx.symbols.declare(sym);
      if (first) duplicate(ctx, sym, first);
    }
  }
}

function duplicate(ctx: Ctx, sym: PolSymbol, first: PolSymbol): void {
  if (first.origin === "builtin") {
    ctx.report.emit("POL1010", sym.nameSpan!, `\`${sym.name}\` is predeclared`, {
      label: `cannot declare ${kindNoun(sym.kind)} named \`${sym.name}\``,
      notes: [
        "`tcp`, `udp`, `sctp`, `udplite`, `icmp` and `icmpv6` are predeclared services meaning \"this protocol, any port\"",
      ],
      help: "choose another name",
    });
    return;
  }
  const where = first.origin === "stdlib" && sym.origin === "project" ? ` by the standard library (\`${first.file}\`)` : "";
  ctx.report.emit("POL1010", sym.nameSpan!, `\`${sym.name}\` is already declared${where}`, {
    label: `second declaration of \`${sym.name}\``,
    secondary: [{ span: first.nameSpan!, message: `first declared here as ${kindNoun(first.kind)}` }],
    notes: ["all compiled files and everything they import share one scope"],
    help:
      first.origin === "stdlib" && sym.origin === "project"
        ? `rename yours, or use the standard library's \`${sym.name}\` instead of declaring it again`
        : "rename one of them, or remove the duplicate",
  });
}

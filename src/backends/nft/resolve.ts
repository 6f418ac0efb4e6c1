// What a selector means for one inventory: the addresses of the known objects (workload endpoints and
// network sets) whose labels it matches, exactly as the reference evaluator's `World` decides it, and
// the (address, protocol, port) tuples of named ports. Results are cached by the selector's canonical
// text: large policies repeat the same groups many times.

import { NAMESPACE_LABEL, type Sel } from "../../selector/ast.js";
import { evaluate, printSelector } from "../../selector/index.js";
import type { World } from "../../eval/index.js";
import type { KnownObject } from "../../eval/match.js";
import type { Family, Interval } from "./addresses.js";

export interface NamedPortTuple {
  readonly address: bigint;
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly port: number;
}

/** The namespaces a selector requires (`projectcalico.org/namespace == x` or `in {…}` as a conjunct). */
function requiredNamespaces(sel: Sel): readonly string[] | undefined {
  if (sel.op === "eq" && sel.key === NAMESPACE_LABEL) return [sel.value];
  if (sel.op === "in" && sel.key === NAMESPACE_LABEL) return sel.values;
  if (sel.op === "and") {
    for (const a of sel.args) {
      const r = requiredNamespaces(a);
      if (r) return r;
    }
  }
  return undefined;
}

export class Resolver {
  private readonly matches = new Map<string, readonly KnownObject[]>();
  /** Objects by their namespace label: a selector that requires a namespace is only tried on those. */
  private readonly byNamespace = new Map<string, KnownObject[]>();

  constructor(private readonly world: World) {
    for (const o of world.objects) {
      const ns = o.labels[NAMESPACE_LABEL];
      if (ns === undefined) continue;
      const list = this.byNamespace.get(ns) ?? [];
      list.push(o);
      this.byNamespace.set(ns, list);
    }
  }

  private objects(sel: Sel | undefined): readonly KnownObject[] {
    if (sel === undefined) return this.world.objects;
    const key = printSelector(sel);
    let hit = this.matches.get(key);
    if (!hit) {
      const ns = requiredNamespaces(sel);
      // Order does not matter: callers merge and sort what they get.
      const candidates = ns ? [...new Set(ns)].flatMap((n) => this.byNamespace.get(n) ?? []) : this.world.objects;
      hit = candidates.filter((o) => evaluate(sel, o.labels));
      this.matches.set(key, hit);
    }
    return hit;
  }

  /** The addresses of `family` that some object matching `sel` owns (unmerged). */
  ranges(sel: Sel, family: Family): Interval[] {
    return this.objects(sel).flatMap((o) => o.ranges.filter((r) => r.family === family));
  }

  /** Named ports `names` declared by workload endpoints that `scope` matches (all, when undefined). */
  namedPorts(names: readonly string[], scope: Sel | undefined, family: Family): NamedPortTuple[] {
    const out: NamedPortTuple[] = [];
    for (const o of this.objects(scope)) {
      if (!o.endpoint) continue;
      for (const np of o.endpoint.namedPorts) {
        if (!names.includes(np.name)) continue;
        for (const a of o.endpoint.addresses) {
          if (a.family === family) out.push({ address: a.value, protocol: np.protocol.toLowerCase() as NamedPortTuple["protocol"], port: np.port });
        }
      }
    }
    return out;
  }
}

// What a selector means for one inventory: the addresses of the known objects (workload endpoints and
// network sets) whose labels it matches, exactly as the reference evaluator's `World` decides it, and
// the (address, protocol, port) tuples of named ports. Results are cached by the selector's canonical
// text: large policies repeat the same groups many times.

import type { Sel } from "../../selector/ast.js";
import { evaluate, printSelector } from "../../selector/index.js";
import type { World } from "../../eval/index.js";
import type { KnownObject } from "../../eval/match.js";
import type { Family, Interval } from "./addresses.js";

export interface NamedPortTuple {
  readonly address: bigint;
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly port: number;
}

export class Resolver {
  private readonly matches = new Map<string, readonly KnownObject[]>();

  constructor(private readonly world: World) {}

  private objects(sel: Sel | undefined): readonly KnownObject[] {
    if (sel === undefined) return this.world.objects;
    const key = printSelector(sel);
    let hit = this.matches.get(key);
    if (!hit) {
      hit = this.world.objects.filter((o) => evaluate(sel, o.labels));
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

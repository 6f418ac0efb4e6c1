// A cluster inventory: the namespaces and pods of `kubectl get namespaces,pods -A -o yaml`, with each
// pod's workload endpoint as Calico sees it (effective labels, addresses, named ports).

import type { Labels } from "../selector/ast.js";
import type { Span } from "../source.js";

export interface InvNamespace {
  readonly name: string;
  /** The namespace's labels, including `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  readonly origin: Span;
}

export interface InvNamedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: "TCP" | "UDP" | "SCTP";
}

export interface InvAddress {
  readonly text: string; // canonical, without prefix
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface InvEndpoint {
  readonly namespace: string;
  readonly name: string;
  readonly serviceAccount: string;
  /** The pod's own labels. */
  readonly labels: Labels;
  /** What Calico selectors see (calico-reference.md §c.7): own labels win on clashes. */
  readonly effectiveLabels: Labels;
  readonly addresses: readonly InvAddress[];
  /** The addresses of the pod's node (`status.hostIP`/`hostIPs`): Calico does not apply the pod's
   *  ingress policy to traffic from its own host (calico-reference.md §d.1). */
  readonly hostAddresses?: readonly InvAddress[];
  readonly namedPorts: readonly InvNamedPort[];
  readonly origin: Span;
}

export interface Inventory {
  readonly namespaces: readonly InvNamespace[];
  readonly endpoints: readonly InvEndpoint[];
}

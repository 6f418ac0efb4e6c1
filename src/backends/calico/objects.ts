// The Calico `projectcalico.org/v3` objects polc emits, as plain JSON-shaped types. The emitter builds
// them with keys in a fixed order (that order is the YAML's); the evaluator reads them back.

export const API_VERSION = "projectcalico.org/v3";

export type CalicoKind =
  | "Tier"
  | "GlobalNetworkSet"
  | "NetworkSet"
  | "GlobalNetworkPolicy"
  | "NetworkPolicy"
  | "StagedGlobalNetworkPolicy"
  | "StagedNetworkPolicy";

export type PolicyKind = "GlobalNetworkPolicy" | "NetworkPolicy" | "StagedGlobalNetworkPolicy" | "StagedNetworkPolicy";

export interface CalicoMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface CalicoEntityRule {
  selector?: string;
  namespaceSelector?: string;
  notSelector?: string;
  nets?: string[];
  notNets?: string[];
  ports?: (number | string)[];
  notPorts?: (number | string)[];
}

export interface CalicoIcmp {
  type?: number;
  code?: number;
}

export interface CalicoRule {
  action: "Allow" | "Deny" | "Pass" | "Log";
  ipVersion?: 4 | 6;
  protocol?: string | number;
  notProtocol?: string | number;
  icmp?: CalicoIcmp;
  notICMP?: CalicoIcmp;
  source?: CalicoEntityRule;
  destination?: CalicoEntityRule;
  metadata?: { annotations?: Record<string, string> };
}

export interface CalicoPolicySpec {
  stagedAction?: "Set" | "Delete" | "Learn" | "Ignore";
  tier?: string;
  order?: number;
  selector?: string;
  namespaceSelector?: string;
  serviceAccountSelector?: string;
  types?: ("Ingress" | "Egress")[];
  ingress?: CalicoRule[];
  egress?: CalicoRule[];
}

export interface CalicoTier {
  apiVersion: typeof API_VERSION;
  kind: "Tier";
  metadata: CalicoMetadata;
  spec: { order?: number; defaultAction?: "Deny" | "Pass" };
}

export interface CalicoNetworkSet {
  apiVersion: typeof API_VERSION;
  kind: "GlobalNetworkSet" | "NetworkSet";
  metadata: CalicoMetadata;
  spec: { nets?: string[] };
}

export interface CalicoPolicy {
  apiVersion: typeof API_VERSION;
  kind: PolicyKind;
  metadata: CalicoMetadata;
  spec: CalicoPolicySpec;
}

export type CalicoObject = CalicoTier | CalicoNetworkSet | CalicoPolicy;

export function isPolicy(o: CalicoObject): o is CalicoPolicy {
  return o.kind !== "Tier" && o.kind !== "GlobalNetworkSet" && o.kind !== "NetworkSet";
}

/** Annotation naming the `.pol` source of an object or rule: `path:line`. */
export const SOURCE_ANNOTATION = "polc.dev/source";
/** Annotation on a rule: its `.pol` text (whitespace collapsed). */
export const RULE_ANNOTATION = "polc.dev/rule";

// How the checker talks about types in messages: "a group", "a net", …

import type { SymbolKind } from "./symbols.js";

const NOUN: Record<SymbolKind, string> = {
  tier: "a tier",
  group: "a group",
  namespaces: "a namespaces list",
  net: "a net",
  service: "a service",
};

const WHAT_IT_IS: Record<SymbolKind, string> = {
  tier: "a tier orders policies; it is not a value",
  group: "a group is a set of endpoints (a selector)",
  namespaces: "a namespaces list is a set of namespace names",
  net: "a net is a set of IP addresses (CIDRs)",
  service: "a service is a set of protocols and ports",
};

export function kindNoun(kind: SymbolKind): string {
  return NOUN[kind];
}

export function kindMeaning(kind: SymbolKind): string {
  return WHAT_IT_IS[kind];
}

/** "a group or a namespaces list" */
export function expectedNoun(kinds: readonly SymbolKind[]): string {
  const nouns = kinds.map(kindNoun);
  if (nouns.length <= 1) return nouns[0] ?? "a name";
  return `${nouns.slice(0, -1).join(", ")} or ${nouns[nouns.length - 1]}`;
}

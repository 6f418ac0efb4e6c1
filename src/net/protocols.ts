// IP protocol numbers and the lower-case names `.pol`, `polc trace` and nftables use for them. (The
// IR's Calico spellings `TCP`, `UDPLite`, … are in src/ir/services.ts.)

export const PROTOCOL_BY_NAME: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132, udplite: 136 };

export const PROTOCOL_NAME: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(PROTOCOL_BY_NAME).map(([name, n]) => [n, name]),
);

/** Protocols with destination ports (Calico allows `ports` only with these). */
export const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 132, 136]);

/** ICMP and ICMPv6. */
export const ICMP_PROTOCOLS: ReadonlySet<number> = new Set([1, 58]);

// IPv4/IPv6 address and CIDR literals: validation, masking and containment, on top of ipaddr.js.

import ipaddr from "ipaddr.js";

export type CidrParse =
  | {
      ok: true;
      family: 4 | 6;
      /** The address as an unsigned integer (32 or 128 bits). */
      address: bigint;
      prefix: number;
      /** Whether bits beyond the prefix are set (`10.0.0.1/8`). */
      hasHostBits: boolean;
      /** Canonical masked form with explicit prefix: `10.0.0.0/8`, `fd00::/8`, `10.96.0.1/32`. */
      masked: string;
    }
  | { ok: false; reason: string };

function toBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function fromBigInt(v: bigint, family: 4 | 6): string {
  const n = family === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = n - 1; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 0xffn));
  return family === 4 ? bytes.join(".") : ipaddr.fromByteArray(bytes).toString();
}

export function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

/** Mask of the network part for a prefix length. */
export function netmask(family: 4 | 6, prefix: number): bigint {
  const total = BigInt(bits(family));
  const all = (1n << total) - 1n;
  return prefix === 0 ? 0n : (all >> (total - BigInt(prefix))) << (total - BigInt(prefix));
}

/** Validation only: what parseCidr answers for `ok`, `reason`, `family` and `prefix`, without the
 *  address arithmetic (the front end checks every literal; the checker needs the numbers). */
export type CidrCheck = { ok: true; family: 4 | 6; prefix: number; addrText: string; parts?: string[] } | { ok: false; reason: string };

export function checkCidr(text: string): CidrCheck {
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  let family: 4 | 6;
  let parts: string[] | undefined;
  if (addrText.includes(":")) {
    if (!ipaddr.IPv6.isValid(addrText) || addrText.includes("%")) return { ok: false, reason: "not a valid IPv6 address" };
    family = 6;
  } else {
    parts = addrText.split(".");
    if (parts.length !== 4) return { ok: false, reason: "an IPv4 address has four parts" };
    for (const p of parts) {
      if (!/^\d{1,3}$/.test(p)) return { ok: false, reason: `\`${p}\` is not an octet` };
      if (Number(p) > 255) return { ok: false, reason: `octet ${p} is greater than 255` };
      if (p.length > 1 && p.startsWith("0")) return { ok: false, reason: `octet \`${p}\` has a leading zero` };
    }
    family = 4;
  }
  const max = bits(family);
  let prefix = max;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: "the prefix length must be a number" };
    prefix = Number(prefixText);
    if (prefix > max) return { ok: false, reason: `prefix length ${prefix} is greater than ${max}` };
  }
  return { ok: true, family, prefix, addrText, ...(parts ? { parts } : {}) };
}

export function parseCidr(text: string): CidrParse {
  const c = checkCidr(text);
  if (!c.ok) return c;
  const { family, prefix } = c;
  const bytes = family === 6 ? ipaddr.IPv6.parse(c.addrText).toByteArray() : c.parts!.map(Number);
  const address = toBigInt(bytes);
  const mask = netmask(family, prefix);
  const net = address & mask;
  return { ok: true, family, address, prefix, hasHostBits: net !== address, masked: `${fromBigInt(net, family)}/${prefix}` };
}

/** First and last address of a valid CIDR. */
export function cidrRange(text: string): { family: 4 | 6; first: bigint; last: bigint } {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(`invalid CIDR ${text}: ${r.reason}`);
  const mask = netmask(r.family, r.prefix);
  const first = r.address & mask;
  const last = first | (((1n << BigInt(bits(r.family))) - 1n) ^ mask);
  return { family: r.family, first, last };
}

/** Whether CIDR `outer` contains every address of `inner` (same family). */
export function cidrContains(outer: string, inner: string): boolean {
  const a = cidrRange(outer);
  const b = cidrRange(inner);
  return a.family === b.family && a.first <= b.first && b.last <= a.last;
}

export function cidrOverlaps(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return x.family === y.family && x.first <= y.last && y.first <= x.last;
}

export function formatAddress(v: bigint, family: 4 | 6): string {
  return fromBigInt(v, family);
}

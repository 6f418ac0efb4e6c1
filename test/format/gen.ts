// A generator of random valid `.pol` programs for the formatter's property test: declarations of every
// kind, policies with every rule form, flows, selectors with every operator, `not`, `except`, lists;
// then laid out with random spacing, line breaks, blank lines and comments between any two tokens.
// Every program checks without errors, so its IR can be compared before and after formatting.

export type Rand = (n: number) => number;

export function rng(seed: number): Rand {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[r(xs.length)]!;
const LABELS = ["app", "role", "team", "env", "tier", "k8s-app", "app.kubernetes.io/name", "pci"];
const VALUES = ["web", "api", "db", "prod", "x", "batch-1", "a.b", "quote\\\"d"];
const NAMESPACES = ["shop", "data", "kube-system", "ops", "monitoring"];

interface Names {
  tiers: string[];
  groups: string[];
  namespaces: string[];
  nets: string[];
  services: string[];
}

function str(r: Rand, xs: readonly string[]): string {
  return `"${pick(r, xs)}"`;
}

function set(r: Rand, xs: readonly string[]): string[] {
  const n = 1 + r(3);
  const out = ["{"];
  for (let i = 0; i < n; i++) out.push(...(i ? [","] : []), str(r, xs));
  return [...out, "}"];
}

/** A selector as tokens; `depth` bounds nesting. */
function selector(r: Rand, names: Names, depth: number, labelsOnly = false): string[] {
  let k = r(depth > 0 ? 16 : 11);
  if (labelsOnly && k >= 6 && k <= 11) k = 1 + r(5);
  const label = pick(r, LABELS);
  switch (k) {
    case 0:
      return ["all", "(", ")"];
    case 1:
      return ["has", "(", label, ")"];
    case 2:
      return [label, pick(r, ["==", "!="]), str(r, VALUES)];
    case 3:
      return [label, "contains", str(r, VALUES)];
    case 4:
      return [label, pick(r, ["starts", "ends"]), "with", str(r, VALUES)];
    case 5:
      return [label, ...(r(2) ? ["not"] : []), "in", ...set(r, VALUES)];
    case 6:
      return names.groups.length ? [pick(r, names.groups)] : ["all", "(", ")"];
    case 7:
      return ["namespace", str(r, NAMESPACES)];
    case 8:
      return names.namespaces.length && r(2) ? ["namespace", "in", pick(r, names.namespaces)] : ["namespace", "in", ...set(r, NAMESPACES)];
    case 9:
      return ["selector", "(", `"${label === "tier" ? "app" : label} == 'v'"`, ")"];
    case 10:
      return ["!", ...selector(r, names, 0, labelsOnly)];
    case 11:
      return ["namespace", "(", ...selector(r, names, depth - 1, true), ")"];
    case 12:
    case 13:
      return [
        ...selector(r, names, depth - 1, labelsOnly),
        "&&",
        ...selector(r, names, depth - 1, labelsOnly),
        ...(r(2) ? ["&&", ...selector(r, names, depth - 1, labelsOnly)] : []),
      ];
    case 14:
      return [...selector(r, names, depth - 1, labelsOnly), "||", ...selector(r, names, depth - 1, labelsOnly)];
    default:
      return ["(", ...selector(r, names, depth - 1, labelsOnly), ")"];
  }
}

function cidr(r: Rand): string {
  switch (r(4)) {
    case 0:
      return `10.${r(256)}.0.0/16`;
    case 1:
      return `192.168.${r(256)}.0/24`;
    case 2:
      return `172.16.${r(256)}.${r(256)}`;
    default:
      return `fd00:${r(65536).toString(16)}::/64`;
  }
}

function port(r: Rand): string {
  switch (r(6)) {
    case 0:
      return `tcp/${1 + r(65535)}`;
    case 1:
      return `udp/${1 + r(1000)}-${1001 + r(1000)}`;
    case 2:
      return `tcp/${pick(r, ["http", "metrics", "grpc-web"])}`;
    case 3:
      return "icmp/8";
    case 4:
      return pick(r, ["tcp", "udp"]);
    default:
      return `sctp/${1 + r(100)}`;
  }
}

function list(r: Rand, n: number, item: () => string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(...(i ? [","] : []), ...item());
  return out;
}

function services(r: Rand, names: Names, icmp = true): string[] {
  return list(r, 1 + r(3), () => {
    if (names.services.length && r(3) === 0) return [pick(r, names.services)];
    const p = port(r);
    return [!icmp && p.startsWith("icmp") ? "tcp/443" : p];
  });
}

function peerItem(r: Rand, names: Names, allowNet: boolean, allowNot: boolean): string[] {
  const not = allowNot && r(5) === 0 ? ["not"] : [];
  if (allowNet && r(3) === 0) return [...not, names.nets.length && r(2) ? pick(r, names.nets) : cidr(r)];
  return [...not, ...selector(r, names, 1)];
}

/** A peer; `plain` (namespaced policies): no `not`, no `except`. `except` only follows endpoints and
 *  only takes label tests (which never cover a whole item). */
function peer(r: Rand, names: Names, allowNet: boolean, plain = false): string[] {
  const parts: string[][] = [];
  for (let i = 1 + r(3); i > 0; i--) parts.push(peerItem(r, names, allowNet, !plain));
  const items = parts.flatMap((p, i) => (i ? [",", ...p] : p));
  const endpoints = parts.every((p) => !/^(not$|[0-9]|fd00|n[0-9])/.test(p[0]!) && !p.includes("all"));
  if (plain || !endpoints || r(4) !== 0) return items;
  return [...items, "except", ...list(r, 1 + r(2), () => [pick(r, LABELS), "==", str(r, VALUES)])];
}

/** A flow's destination: endpoints, or now and then a net (a flow end that is a net has no `except`). */
function flowEnd(r: Rand, names: Names): string[] {
  if (r(4) === 0) return [names.nets.length && r(2) ? pick(r, names.nets) : cidr(r)];
  return peer(r, names, false);
}

function rule(r: Rand, names: Names, plain: boolean): string[] {
  const dir = r(2) ? "ingress" : "egress";
  const out = [dir, pick(r, ["allow", "deny", "pass", "log"])];
  if (r(3)) out.push(...services(r, names, false));
  if (r(4)) out.push(dir === "ingress" ? "from" : "to", ...peer(r, names, true, plain));
  return out;
}

function item(r: Rand, names: Names, i: number): string[] {
  switch (r(10)) {
    case 0: {
      const name = `g${i}`;
      const t = ["group", name, "=", ...selector(r, names, 2)];
      names.groups.push(name);
      return t;
    }
    case 1: {
      const name = `ns${i}`;
      names.namespaces.push(name);
      return ["namespaces", name, "=", "[", ...list(r, 1 + r(3), () => [str(r, NAMESPACES)]), "]"];
    }
    case 2: {
      const name = `n${i}`;
      const t = ["net", name, "=", ...list(r, 1 + r(3), () => (names.nets.length && r(3) === 0 ? [pick(r, names.nets)] : [cidr(r)]))];
      names.nets.push(name);
      return t;
    }
    case 3: {
      const name = `s${i}`;
      const t = ["service", name, "=", ...services(r, names, false)];
      names.services.push(name);
      return t;
    }
    case 4:
    case 5: {
      const staged = r(4) === 0 ? ["staged"] : [];
      const guardrail = r(2) === 0;
      const head = [...staged, guardrail ? "guardrail" : "policy", `p${i}`, "in", pick(r, names.tiers)];
      const namespaced = !guardrail && r(2) === 0;
      if (namespaced) head.push("namespace", str(r, NAMESPACES));
      if (r(3) === 0) head.push("order", String(i * 10 + 1 + r(10))); // distinct per policy
      const body: string[][] = [];
      if (!namespaced || r(2)) body.push(["applies", "to", ...selector(r, names, 2), ...(r(4) === 0 ? ["except", ...selector(r, names, 1)] : [])]);
      for (let k = r(4); k > 0; k--) body.splice(r(body.length + 1), 0, rule(r, names, namespaced));
      return [...head, "{", ...body.flat(), "}"];
    }
    case 6:
    case 7: {
      const flows: string[] = [];
      for (let k = r(4); k > 0; k--) flows.push(...peer(r, names, false), "->", ...flowEnd(r, names), ":", ...services(r, names, false));
      return [...(r(4) === 0 ? ["staged"] : []), "flows", "in", pick(r, names.tiers), "{", ...flows, "}"];
    }
    case 8:
      return [...(r(4) === 0 ? ["staged"] : []), "flow", ...peer(r, names, false), "->", ...peer(r, names, false), ":", ...services(r, names, false), ...(r(2) ? ["in", pick(r, names.tiers)] : [])];
    default:
      return ["import", pick(r, ['"std/k8s"', '"std/services"', '"std/nets"'])];
  }
}

/** A random valid program as a token list. */
export function programTokens(r: Rand): string[][] {
  const names: Names = { tiers: [], groups: [], namespaces: [], nets: [], services: [] };
  const items: string[][] = [];
  const tiers = 1 + r(3);
  for (let t = 0; t < tiers; t++) {
    names.tiers.push(`t${t}`);
    items.push(["tier", `t${t}`, "order", String((t + 1) * 100), "default", r(2) ? "pass" : "deny"]);
  }
  const imports = new Set<string>();
  for (let i = 0, n = r(12); i < n; i++) {
    const it = item(r, names, i);
    if (it[0] === "import") {
      if (imports.has(it[1]!)) continue;
      imports.add(it[1]!);
    }
    items.splice(r(items.length + 1), 0, it);
  }
  return items;
}

const PUNCT = new Set(["(", ")", "{", "}", "[", "]", ",", ":"]);

/** Lays tokens out with random whitespace and comments (`withComments`; now and then a
 *  `prettier-ignore`), keeping them apart where two tokens would otherwise merge. */
export function layout(r: Rand, items: string[][], withComments = true, commentEvery = 12): string {
  let out = "";
  let n = 0;
  const comment = () => {
    if (r(10) === 0) return r(2) ? "// prettier-ignore" : "/* prettier-ignore */";
    return r(2) ? `/* c${n++} */` : `// c${n++}`;
  };
  const sep = (a: string, b: string): string => {
    if (withComments && r(commentEvery) === 0) {
      const c = comment();
      return `${pick(r, [" ", "\n", "\n\n", "  "])}${c}${c.startsWith("//") ? pick(r, ["\n", "\n\n", "\n  "]) : pick(r, [" ", "\n"])}`;
    }
    if ((PUNCT.has(a) || PUNCT.has(b)) && r(3) === 0) return "";
    return pick(r, [" ", " ", " ", "  ", "\n", "\n    ", "\t"]);
  };
  items.forEach((toks, i) => {
    if (i > 0) out += out.endsWith("\n") || /\/\/ (c[0-9]+|prettier-ignore)$/.test(out) ? pick(r, ["\n", "\n\n"]) : pick(r, ["\n", "\n", "\n\n", "\n\n\n", " "]);
    if (withComments && r(4) === 0) out += `${comment()}${pick(r, ["\n", "\n\n"])}`;
    toks.forEach((t, k) => {
      if (k > 0) out += sep(toks[k - 1]!, t);
      out += t;
    });
    if (withComments && r(5) === 0) out += ` ${comment()}`;
  });
  if (withComments && r(3) === 0) out += `\n${r(2) ? "\n" : ""}${comment()}`;
  return out + (r(4) ? "\n" : "");
}

/** `commentEvery`: on average one comment per that many token gaps. */
export function generateProgram(seed: number, withComments = true, commentEvery = 12): string {
  const r = rng(seed);
  return layout(r, programTokens(r), withComments, commentEvery);
}

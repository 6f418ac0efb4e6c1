// Every object polc emits for the examples and the golden cases validates against Calico's CRD
// schemas — both the master/v3.33 ones and v3.32.1 (../shared/calico/crds) — with ajv:
// - `spec.versions[].schema.openAPIV3Schema`, with `x-kubernetes-*` registered as keywords
//   (`int-or-string` = integer or string, `list-type: set|map` = unique items / keys);
// - every object schema that lists `properties` is closed (`additionalProperties: false`): the API
//   server would silently prune an unknown field, which for a policy changes its meaning;
// - every `x-kubernetes-validations` CEL rule, implemented by hand below (the test fails on a rule it
//   does not know, so a new CRD version cannot slip through unchecked);
// - the Go validator's checks the schemas leave out (calico-reference.md §b): names, selectors, CIDRs,
//   ports and protocols, families.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import type { CalicoObject, CalicoPolicy, CalicoRule, CalicoEntityRule } from "../../src/backends/calico/objects.js";
import { parseCalicoSelector } from "../../src/selector/index.js";
import { parseCidr } from "../../src/net/cidr.js";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const CRDS = resolve(REPO, "../shared/calico/crds");
const REGIMES = [
  { name: "master", dir: CRDS },
  { name: "v3.32.1", dir: join(CRDS, "v3.32.1") },
];

type Json = unknown;
type Self = Record<string, Json>;

// ---- the CEL rules, by hand -------------------------------------------------------------------

const has = (o: Json, k: string): boolean => o !== null && typeof o === "object" && (o as Self)[k] !== undefined;
const get = (o: Json, k: string): Json => (o as Self)[k];
const size = (v: Json): number => (Array.isArray(v) ? v.length : typeof v === "string" ? v.length : v && typeof v === "object" ? Object.keys(v).length : 0);
const str = (v: Json): string => (typeof v === "string" ? v : "");
const truthy = (o: Json, k: string): boolean => has(o, k) && get(o, k) === true;

const CEL: Record<string, (self: Json) => boolean> = {
  "!((has(self.doNotTrack) && self.doNotTrack) && (has(self.preDNAT) && self.preDNAT))": (s) => !(truthy(s, "doNotTrack") && truthy(s, "preDNAT")),
  "(!has(self.preDNAT) || !self.preDNAT) || !has(self.egress) || size(self.egress) == 0": (s) => !truthy(s, "preDNAT") || !has(s, "egress") || size(get(s, "egress")) === 0,
  "(!has(self.preDNAT) || !self.preDNAT) || !has(self.types) || !self.types.exists(t, t == 'Egress')": (s) =>
    !truthy(s, "preDNAT") || !has(s, "types") || !(get(s, "types") as Json[]).includes("Egress"),
  "(has(self.applyOnForward) && self.applyOnForward) || ((!has(self.doNotTrack) || !self.doNotTrack) && (!has(self.preDNAT) || !self.preDNAT))": (s) =>
    truthy(s, "applyOnForward") || (!truthy(s, "doNotTrack") && !truthy(s, "preDNAT")),
  "!has(self.selector) || !self.selector.contains('global(')": (s) => !has(s, "selector") || !str(get(s, "selector")).includes("global("),
  "!has(self.serviceAccountSelector) || !self.serviceAccountSelector.contains('global(')": (s) =>
    !has(s, "serviceAccountSelector") || !str(get(s, "serviceAccountSelector")).includes("global("),
  "!has(self.namespaceSelector) || !self.namespaceSelector.contains('global(')": (s) => !has(s, "namespaceSelector") || !str(get(s, "namespaceSelector")).includes("global("),
  "!has(self.http) || !has(self.protocol) || self.protocol == 'TCP' || self.protocol == 6": (s) => !has(s, "http") || !has(s, "protocol") || get(s, "protocol") === "TCP" || get(s, "protocol") === 6,
  "self.action == 'Allow' || !has(self.http)": (s) => get(s, "action") === "Allow" || !has(s, "http"),
  "!has(self.destination) || !has(self.destination.services) || (!has(self.destination.ports) || size(self.destination.ports) == 0) && (!has(self.destination.notPorts) || size(self.destination.notPorts) == 0)":
    (s) => {
      const d = get(s, "destination");
      return !has(s, "destination") || !has(d, "services") || ((!has(d, "ports") || size(get(d, "ports")) === 0) && (!has(d, "notPorts") || size(get(d, "notPorts")) === 0));
    },
  "!has(self.icmp) || (has(self.protocol) && (self.protocol == 'ICMP' || self.protocol == 'ICMPv6' || self.protocol == 1 || self.protocol == 58))": (s) =>
    !has(s, "icmp") || (has(s, "protocol") && ["ICMP", "ICMPv6", 1, 58].includes(get(s, "protocol") as string | number)),
  "(!has(self.protocol) || (self.protocol != 'ICMP' && self.protocol != 1)) || !has(self.ipVersion) || self.ipVersion == 4": (s) =>
    !has(s, "protocol") || (get(s, "protocol") !== "ICMP" && get(s, "protocol") !== 1) || !has(s, "ipVersion") || get(s, "ipVersion") === 4,
  "(!has(self.protocol) || (self.protocol != 'ICMPv6' && self.protocol != 58)) || !has(self.ipVersion) || self.ipVersion == 6": (s) =>
    !has(s, "protocol") || (get(s, "protocol") !== "ICMPv6" && get(s, "protocol") !== 58) || !has(s, "ipVersion") || get(s, "ipVersion") === 6,
  "(!has(self.notProtocol) || (self.notProtocol != 'ICMP' && self.notProtocol != 1)) || !has(self.ipVersion) || self.ipVersion == 4": (s) =>
    !has(s, "notProtocol") || (get(s, "notProtocol") !== "ICMP" && get(s, "notProtocol") !== 1) || !has(s, "ipVersion") || get(s, "ipVersion") === 4,
  "(!has(self.notProtocol) || (self.notProtocol != 'ICMPv6' && self.notProtocol != 58)) || !has(self.ipVersion) || self.ipVersion == 6": (s) =>
    !has(s, "notProtocol") || (get(s, "notProtocol") !== "ICMPv6" && get(s, "notProtocol") !== 58) || !has(s, "ipVersion") || get(s, "ipVersion") === 6,
  "!has(self.services) || !has(self.namespaceSelector) || size(self.namespaceSelector) == 0": (s) => !has(s, "services") || !has(s, "namespaceSelector") || size(get(s, "namespaceSelector")) === 0,
  "!has(self.services) || !has(self.serviceAccounts)": (s) => !has(s, "services") || !has(s, "serviceAccounts"),
  "!has(self.services) || size(self.services.name) > 0": (s) => !has(s, "services") || size(get(get(s, "services"), "name")) > 0,
  "!has(self.services) || (!has(self.selector) || size(self.selector) == 0) && (!has(self.notSelector) || size(self.notSelector) == 0)": (s) =>
    !has(s, "services") || ((!has(s, "selector") || size(get(s, "selector")) === 0) && (!has(s, "notSelector") || size(get(s, "notSelector")) === 0)),
  "!has(self.services) || (!has(self.nets) || size(self.nets) == 0) && (!has(self.notNets) || size(self.notNets) == 0)": (s) =>
    !has(s, "services") || ((!has(s, "nets") || size(get(s, "nets")) === 0) && (!has(s, "notNets") || size(get(s, "notNets")) === 0)),
  "!has(self.code) || has(self.type)": (s) => !has(s, "code") || has(s, "type"),
  "(has(self.interfaceName) && size(self.interfaceName) > 0) || (has(self.expectedIPs) && size(self.expectedIPs) > 0)": (s) =>
    (has(s, "interfaceName") && size(get(s, "interfaceName")) > 0) || (has(s, "expectedIPs") && size(get(s, "expectedIPs")) > 0),
  "has(self.node) && size(self.node) > 0": (s) => has(s, "node") && size(get(s, "node")) > 0,
  "self.metadata.name == 'kube-admin' ? (has(self.spec.defaultAction) && self.spec.defaultAction == 'Pass') : true": (s) =>
    get(get(s, "metadata"), "name") !== "kube-admin" || get(get(s, "spec"), "defaultAction") === "Pass",
  "self.metadata.name == 'kube-baseline' ? (has(self.spec.defaultAction) && self.spec.defaultAction == 'Pass') : true": (s) =>
    get(get(s, "metadata"), "name") !== "kube-baseline" || get(get(s, "spec"), "defaultAction") === "Pass",
  "self.metadata.name == 'default' ? (has(self.spec.defaultAction) && self.spec.defaultAction == 'Deny') : true": (s) =>
    get(get(s, "metadata"), "name") !== "default" || get(get(s, "spec"), "defaultAction") === "Deny",
  "self.metadata.name != 'default' || (has(self.spec.order) && self.spec.order == 1000000.0)": (s) => get(get(s, "metadata"), "name") !== "default" || get(get(s, "spec"), "order") === 1e6,
  "self.metadata.name != 'kube-admin' || (has(self.spec.order) && self.spec.order == 1000.0)": (s) => get(get(s, "metadata"), "name") !== "kube-admin" || get(get(s, "spec"), "order") === 1000,
  "self.metadata.name != 'kube-baseline' || (has(self.spec.order) && self.spec.order == 10000000.0)": (s) =>
    get(get(s, "metadata"), "name") !== "kube-baseline" || get(get(s, "spec"), "order") === 1e7,
};

const norm = (rule: string): string => rule.replace(/\s+/g, " ").trim();

// ---- schemas ----------------------------------------------------------------------------------

interface Schema {
  [k: string]: unknown;
}

/** Closes every object schema that lists its properties (pruning would drop unknown fields). */
function closed(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(closed);
  if (!s || typeof s !== "object") return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, closed(ps)])) : closed(v);
  if (out["properties"] && out["additionalProperties"] === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out["additionalProperties"] = false;
  return out;
}

function makeAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  for (const f of ["int32", "int64"]) ajv.addFormat(f, { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("date-time", true);
  ajv.addKeyword({
    keyword: "x-kubernetes-int-or-string",
    validate: (on: boolean, data: unknown) => !on || typeof data === "string" || (typeof data === "number" && Number.isInteger(data)),
  });
  ajv.addKeyword({
    keyword: "x-kubernetes-list-type",
    validate: (kind: string, data: unknown, parent?: Schema) => {
      if (!Array.isArray(data)) return true;
      if (kind === "set") return new Set(data.map((x) => JSON.stringify(x))).size === data.length;
      if (kind === "map") {
        const keys = (parent?.["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [];
        return new Set(data.map((x) => JSON.stringify(keys.map((k) => (x as Self)[k])))).size === data.length;
      }
      return true;
    },
  });
  for (const k of ["x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource"]) {
    ajv.addKeyword({ keyword: k });
  }
  return ajv;
}

interface Regime {
  validators: Map<string, ValidateFunction>;
  schemas: Map<string, Schema>;
  rules: Set<string>;
}

function loadRegime(dir: string): Regime {
  const ajv = makeAjv();
  const validators = new Map<string, ValidateFunction>();
  const schemas = new Map<string, Schema>();
  const rules = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".yaml"))) {
    const crd = YAML.parse(readFileSync(join(dir, f), "utf8"));
    const version = (crd.spec.versions as { name: string; schema: { openAPIV3Schema: Schema } }[]).find((v) => v.name === "v3")!;
    const schema = version.schema.openAPIV3Schema;
    const kind = crd.spec.names.kind as string;
    schemas.set(kind, schema);
    validators.set(kind, ajv.compile(closed(schema) as object));
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== "object") return;
      for (const v of ((n as Schema)["x-kubernetes-validations"] as { rule: string }[] | undefined) ?? []) rules.add(norm(v.rule));
      Object.values(n).forEach(walk);
    };
    walk(schema);
  }
  return { validators, schemas, rules };
}

/** Evaluates the CEL rules of `schema` (and its sub-schemas) on `data`; returns the violations. */
function celViolations(schema: Schema, data: unknown, path: string): string[] {
  const out: string[] = [];
  if (data === undefined) return out;
  for (const v of (schema["x-kubernetes-validations"] as { rule: string; message?: string }[] | undefined) ?? []) {
    const f = CEL[norm(v.rule)];
    if (!f) out.push(`${path}: no hand implementation of CEL rule ${JSON.stringify(v.rule)}`);
    else if (!f(data)) out.push(`${path}: ${v.message ?? v.rule}`);
  }
  const props = schema["properties"] as Record<string, Schema> | undefined;
  if (props && data && typeof data === "object" && !Array.isArray(data)) {
    for (const [k, s] of Object.entries(props)) out.push(...celViolations(s, (data as Self)[k], `${path}.${k}`));
  }
  const items = schema["items"] as Schema | undefined;
  if (items && Array.isArray(data)) data.forEach((x, i) => out.push(...celViolations(items, x, `${path}[${i}]`)));
  return out;
}

// ---- the Go validator's checks (calico-reference.md §a.7, §b) ---------------------------------

const L = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const POLICY_NAME = new RegExp(`^(${L}\\.)?${L}$`);
const TIER_NAME = new RegExp(`^${L}$`);
const SUBDOMAIN = new RegExp(`^${L}(\\.${L})*$`);
const QUALIFIED = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
const PROTOCOLS = ["TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"];

function goValidator(o: CalicoObject): string[] {
  const errs: string[] = [];
  const name = o.metadata.name;
  if (name.length > 253 || !SUBDOMAIN.test(name)) errs.push(`name ${name} is not a DNS subdomain`);
  if (o.kind === "Tier" && (!TIER_NAME.test(name) || name.length > 63)) errs.push(`tier name ${name}`);
  if (o.kind.endsWith("NetworkPolicy") && !POLICY_NAME.test(name)) errs.push(`policy name ${name} has more than one dot`);
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (!QUALIFIED.test(k)) errs.push(`label key ${k}`);
    if (!LABEL_VALUE.test(v)) errs.push(`label value ${v}`);
  }
  if ((o.kind === "GlobalNetworkSet" || o.kind === "NetworkSet") && "projectcalico.org/namespace" in (o.metadata.labels ?? {})) errs.push("network set with a namespace label");
  for (const k of Object.keys(o.metadata.annotations ?? {})) if (!QUALIFIED.test(k)) errs.push(`annotation key ${k}`);
  if (o.kind === "GlobalNetworkSet" || o.kind === "NetworkSet") {
    for (const n of o.spec.nets ?? []) if (!parseCidr(n).ok) errs.push(`net ${n}`);
  }
  if (o.kind === "Tier" || o.kind === "GlobalNetworkSet" || o.kind === "NetworkSet") return errs;
  const spec = (o as CalicoPolicy).spec;
  const selector = (what: string, s: string | undefined, nsSel = false): void => {
    if (s === undefined) return;
    if (/[\r\n]/.test(s)) errs.push(`${what} is not on one line`);
    const r = parseCalicoSelector(s);
    if (!r.ok) errs.push(`${what} ${JSON.stringify(s)} does not parse: ${r.error}`);
    if (s.includes("global(") && !(nsSel && s.trim() === "global()")) errs.push(`${what} uses global()`);
    if (s.length > 1024) errs.push(`${what} is too long`);
  };
  selector("selector", spec.selector);
  selector("namespaceSelector", spec.namespaceSelector);
  if (!spec.tier) errs.push("no explicit tier");
  if (spec.order === undefined) errs.push("no explicit order");
  if (!spec.types || spec.types.length === 0 || new Set(spec.types).size !== spec.types.length) errs.push("types missing or duplicated");
  if (o.kind.startsWith("Staged") && spec.stagedAction !== "Set") errs.push("staged without stagedAction Set");
  for (const [dir, rules] of [
    ["ingress", spec.ingress ?? []],
    ["egress", spec.egress ?? []],
  ] as const) {
    if (rules.length && !spec.types?.includes(dir === "ingress" ? "Ingress" : "Egress")) errs.push(`${dir} rules not in types`);
    rules.forEach((r: CalicoRule, i: number) => errs.push(...ruleErrors(r, `${dir}[${i}]`, selector)));
  }
  return errs;
}

function ruleErrors(r: CalicoRule, at: string, selector: (what: string, s: string | undefined, nsSel?: boolean) => void): string[] {
  const errs: string[] = [];
  const p = r.protocol;
  if (typeof p === "string" && !PROTOCOLS.includes(p)) errs.push(`${at}: protocol ${p}`);
  if (typeof p === "number" && (p < 1 || p > 255)) errs.push(`${at}: protocol number ${p}`);
  const families = new Set<number>();
  for (const side of ["source", "destination"] as const) {
    const e: CalicoEntityRule | undefined = r[side];
    if (!e) continue;
    selector(`${at}.${side}.selector`, e.selector);
    selector(`${at}.${side}.notSelector`, e.notSelector);
    selector(`${at}.${side}.namespaceSelector`, e.namespaceSelector, true);
    for (const n of [...(e.nets ?? []), ...(e.notNets ?? [])]) {
      const c = parseCidr(n);
      if (!c.ok || !n.includes("/") || c.hasHostBits || c.masked !== n) errs.push(`${at}: CIDR ${n} is not canonical`);
      else families.add(c.family);
    }
    for (const n of e.notNets ?? []) if (n.endsWith("/0")) errs.push(`${at}: catch-all in notNets`);
    for (const port of [...(e.ports ?? []), ...(e.notPorts ?? [])]) {
      if (typeof port === "number") {
        if (port < 1 || port > 65535) errs.push(`${at}: port ${port}`);
        if (p !== "TCP" && p !== "UDP" && p !== "SCTP") errs.push(`${at}: numeric port without TCP/UDP/SCTP`);
      } else if (/^\d+:\d+$/.test(port)) {
        const [a, b] = port.split(":").map(Number) as [number, number];
        if (a < 1 || b > 65535 || a > b) errs.push(`${at}: range ${port}`);
        if (p !== "TCP" && p !== "UDP" && p !== "SCTP") errs.push(`${at}: port range without TCP/UDP/SCTP`);
      } else {
        if (!IANA_SVC_NAME.test(port)) errs.push(`${at}: named port ${port}`);
        if (p !== undefined && p !== "TCP" && p !== "UDP" && p !== "SCTP") errs.push(`${at}: named port with protocol ${String(p)}`);
      }
    }
  }
  if (families.size > 1) errs.push(`${at}: mixes IPv4 and IPv6 CIDRs`);
  if (r.ipVersion !== undefined && families.size === 1 && !families.has(r.ipVersion)) errs.push(`${at}: ipVersion differs from the CIDRs`);
  if (families.size === 1 && r.ipVersion === undefined) errs.push(`${at}: family-specific rule without ipVersion`);
  if ((p === "ICMP" || p === "ICMPv6") && r.ipVersion === undefined) errs.push(`${at}: ICMP without ipVersion`);
  if (r.icmp && r.icmp.code !== undefined && r.icmp.type === undefined) errs.push(`${at}: ICMP code without type`);
  if (r.icmp?.type !== undefined && (r.icmp.type < 0 || r.icmp.type > 254)) errs.push(`${at}: ICMP type`);
  return errs;
}

// ---- the objects under test -------------------------------------------------------------------

function emittedObjects(): { where: string; object: CalicoObject }[] {
  const out: { where: string; object: CalicoObject }[] = [];
  const golden = join(REPO, "test/golden");
  const entries = [
    ...["three-tier", "security-hierarchy"].map((n) => join(REPO, "examples", n, "policy.pol")),
    ...readdirSync(golden)
      .filter((d) => existsSync(join(golden, d, "input.pol")))
      .map((d) => join(golden, d, "input.pol")),
  ];
  for (const entry of entries) {
    const r = compile([entry], { projectRoot: REPO });
    if (!r.outputs) throw new Error(`${entry} does not compile`);
    // Validate what a cluster reads: the YAML text, parsed back.
    const docs = YAML.parseAllDocuments(r.outputs.yaml).map((d) => d.toJS() as CalicoObject);
    expect(docs).toEqual(r.outputs.objects);
    for (const object of docs) out.push({ where: `${entry.slice(REPO.length + 1)}: ${object.kind} ${object.metadata.name}`, object });
  }
  return out;
}

describe("Calico CRD validation", () => {
  it("the CRD schemas are available", () => {
    expect(existsSync(CRDS), `Calico CRD schemas not found at ${CRDS}: the shared data directory (../shared/calico/crds relative to the project root) is required`).toBe(true);
    for (const r of REGIMES) expect(existsSync(join(r.dir, "projectcalico.org_globalnetworkpolicies.yaml")), `missing ${r.dir}`).toBe(true);
  });

  if (!existsSync(CRDS)) return;
  const objects = emittedObjects();

  it("covers every kind polc emits", () => {
    expect(new Set(objects.map((o) => o.object.kind))).toEqual(
      new Set(["Tier", "GlobalNetworkSet", "GlobalNetworkPolicy", "NetworkPolicy", "StagedGlobalNetworkPolicy", "StagedNetworkPolicy"]),
    );
    expect(objects.length).toBeGreaterThan(60);
  });

  for (const regime of REGIMES) {
    describe(regime.name, () => {
      const r = loadRegime(regime.dir);

      it("every CEL rule of the CRDs has a hand implementation here", () => {
        expect([...r.rules].filter((x) => !CEL[x])).toEqual([]);
      });

      it("every emitted object validates against its schema and its CEL rules", () => {
        const problems: string[] = [];
        for (const { where, object } of objects) {
          const validate = r.validators.get(object.kind);
          if (!validate) {
            problems.push(`${where}: no CRD for kind ${object.kind}`);
            continue;
          }
          if (!validate(object)) problems.push(...(validate.errors ?? []).map((e) => `${where}: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
          problems.push(...celViolations(r.schemas.get(object.kind)!, object, where));
        }
        expect(problems).toEqual([]);
      });
    });
  }

  it("every emitted object passes the Go validator's checks", () => {
    expect(objects.flatMap(({ where, object }) => goValidator(object).map((e) => `${where}: ${e}`))).toEqual([]);
  });

  it("the checks catch what they should (self-test)", () => {
    const r = loadRegime(CRDS);
    const bad = {
      apiVersion: "projectcalico.org/v3",
      kind: "GlobalNetworkPolicy",
      metadata: { name: "a.b.c" },
      spec: { tier: "t", order: 1, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", protocol: "ICMP", ipVersion: 6, icmp: { code: 1 }, bogus: 1 }] },
    } as unknown as CalicoObject;
    const validate = r.validators.get("GlobalNetworkPolicy")!;
    expect(validate(bad)).toBe(false);
    expect((validate.errors ?? []).some((e) => e.keyword === "additionalProperties")).toBe(true);
    const cel = celViolations(r.schemas.get("GlobalNetworkPolicy")!, bad, "bad");
    expect(cel.join("\n")).toMatch(/requires ipVersion 4|ipVersion/);
    expect(cel.join("\n")).toMatch(/code/i);
    expect(goValidator(bad).join("\n")).toMatch(/more than one dot/);
    const tier = { apiVersion: "projectcalico.org/v3", kind: "Tier", metadata: { name: "default" }, spec: { order: 5, defaultAction: "Pass" } };
    expect(celViolations(r.schemas.get("Tier")!, tier, "tier").length).toBe(2);
  });
});

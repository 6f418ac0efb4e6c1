// The parser on every construct (AST shape and exact spans), error recovery, and bad input.

import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parseSource, MAX_NESTING } from "../../src/syntax/parse.js";
import { makeSourceFile } from "../../src/source.js";
import { walk } from "../../src/syntax/walk.js";
import { codeInfo } from "../../src/diag/codes.js";
import type * as A from "../../src/syntax/ast.js";

const root = join(import.meta.dirname, "../..");
const parse = (text: string, path = "t.pol") => parseSource(makeSourceFile(path, text));

/** Strip spans and recovery flags for shape comparisons. */
function shape(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (["span", "bodySpan", "directionSpan", "actionSpan"].includes(k) ? undefined : v)));
}

function polFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...polFiles(join(dir, e.name)));
    else if (e.name.endsWith(".pol")) out.push(join(dir, e.name));
  }
  return out.sort();
}

describe("parser: examples and stdlib", () => {
  for (const f of [...polFiles(join(root, "examples")), ...polFiles(join(root, "stdlib"))]) {
    it(`parses ${f.slice(root.length + 1)} without diagnostics, spans exact`, () => {
      const text = readFileSync(f, "utf8");
      const r = parse(text, f);
      expect(r.diagnostics).toEqual([]);
      expect(r.ast.items.length).toBeGreaterThan(0);
      walk(r.ast, (n) => {
        expect(n.recovered).toBeUndefined();
        expect(n.span.start).toBeLessThanOrEqual(n.span.end);
        expect(n.span.end).toBeLessThanOrEqual(text.length);
        const slice = text.slice(n.span.start, n.span.end);
        if (n.kind === "Ident") expect(slice).toBe(n.name);
        if (n.kind === "LabelKey") expect(slice).toBe(n.name);
        if (n.kind === "Cidr" || n.kind === "PortSpec") expect(slice).toBe(n.text);
        if (n.kind === "String") expect(JSON.parse(slice)).toBe(n.value);
      });
      for (const c of r.ast.comments) expect(text.slice(c.span.start, c.span.end)).toBe(c.text);
    });
  }
});

describe("parser: constructs", () => {
  it("declarations", () => {
    const r = parse(`import "std/k8s"
tier app order 300.5 default deny
namespaces sys = ["kube-system", "calico-system",]
net n = 10.0.0.0/8, fd00::/8, 10.96.0.1, other
service s = tcp/80, tcp/8000-8080, udp/dns, icmp/3/4, icmpv6/128, proto/47, tcp`);
    expect(r.diagnostics).toEqual([]);
    expect(shape(r.ast.items)).toMatchSnapshot();
  });

  it("policies, rules and peers", () => {
    const r = parse(`staged policy p in app namespace "shop" order 7 {
  applies to web except canary
  ingress allow http, tcp/9090 from web, 10.0.0.0/8 except not namespace "test"
  egress deny to not private
  egress pass
  ingress log from namespace(team == "a")
}
guardrail g in sec { applies to all() egress deny }`);
    expect(r.diagnostics).toEqual([]);
    const [p, g] = r.ast.items as [A.PolicyDecl, A.PolicyDecl];
    expect(p.staged?.text).toBe("staged");
    expect(p.flavor).toBe("policy");
    expect(p.namespace?.value).toBe("shop");
    expect(p.order?.value).toBe(7);
    expect(p.rules.map((x) => `${x.direction} ${x.action}`)).toEqual(["ingress allow", "egress deny", "egress pass", "ingress log"]);
    expect(p.rules[0]!.from!.items.length).toBe(2);
    expect(p.rules[0]!.from!.except[0]!.negated).toBe(true);
    expect(g.flavor).toBe("guardrail");
    expect(shape(r.ast.items)).toMatchSnapshot();
  });

  it("flows", () => {
    const r = parse(`flows in app {
  web -> api : http
  web, mobile -> api except canary : http, grpc
}
staged flow pay -> 203.0.113.0/24 : https in app
flow a -> b : tcp`);
    expect(r.diagnostics).toEqual([]);
    const [block, one, two] = r.ast.items as [A.FlowsBlock, A.FlowDecl, A.FlowDecl];
    expect(block.flows.length).toBe(2);
    expect(block.flows[1]!.from.items.length).toBe(2);
    expect(block.flows[1]!.to.except.length).toBe(1);
    expect(one.staged).toBeDefined();
    expect(one.tier?.name).toBe("app");
    expect(two.tier).toBeUndefined();
  });

  it("selectors: precedence, keywords as label keys, namespace forms", () => {
    const r = parse(`group g = a == "1" || b != "2" && !has(tier) || (c in {"x", "y"} && d not in {}) || e contains "s" || f starts with "p" || g ends with "q"
group h = namespace "x" && namespace in sys && namespace in {"a", "b"} && namespace(team == "t") && selector("app == 'x'") && kubernetes.io/metadata.name == "n" && web
group k = !!a == "b"`);
    expect(r.diagnostics).toEqual([]);
    const [g, h, k] = r.ast.items as A.GroupDecl[];
    expect(g!.value.kind).toBe("SelOr");
    expect((g!.value as A.SelOr).operands.map((o) => o.kind)).toEqual(["SelCompare", "SelAnd", "SelParen", "SelCompare", "SelCompare", "SelCompare"]);
    expect((h!.value as A.SelAnd).operands.map((o) => o.kind)).toEqual([
      "SelNamespace",
      "SelNamespaceIn",
      "SelNamespaceIn",
      "SelNamespaceLabels",
      "SelRaw",
      "SelCompare",
      "SelRef",
    ]);
    expect(k!.value.kind).toBe("SelNot");
    expect(shape([g, h, k])).toMatchSnapshot();
  });
});

describe("parser: recovery", () => {
  it("reports every error and keeps every well-formed item", () => {
    const r = parse(`tier app order 100 default pass
group web = app == "web" &&
group api = app == "api"
flows in app {
  web -> api  http
  api -> db : postgres
}
guardrail g in app {
  applies to all()
  ingress allw dns
  egress deny to 10.0.0.0/8
}
service s = tcp/80`);
    expect(r.diagnostics.length).toBeGreaterThanOrEqual(3);
    const kinds = r.ast.items.map((i) => i.kind);
    expect(kinds).toEqual(["Tier", "Group", "Group", "Flows", "Policy", "Service"]);
    const flows = r.ast.items[3] as A.FlowsBlock;
    expect(flows.flows.some((f) => f.services.some((s) => s.kind === "NameRef" && s.name.name === "postgres"))).toBe(true);
    const g = r.ast.items[4] as A.PolicyDecl;
    expect(g.rules.some((x) => x.direction === "egress" && x.action === "deny")).toBe(true);
  });
});

describe("parser: bad input never crashes or hangs", () => {
  it("empty file", () => {
    const r = parse("");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.items).toEqual([]);
  });

  it("10,000 nested parentheses", () => {
    const r = parse(`group g = ${"(".repeat(10_000)}a == "b"${")".repeat(10_000)}\ngroup ok = all()`);
    expect(r.diagnostics.map((d) => d.code)).toContain("POL0203");
    expect(r.ast.items.some((i) => i.kind === "Group" && i.name.name === "ok")).toBe(true);
    const deepOk = parse(`group g = ${"(".repeat(MAX_NESTING)}a == "b"${")".repeat(MAX_NESTING)}`);
    expect(deepOk.diagnostics).toEqual([]);
  });

  it("10,000 negations and a huge number", () => {
    expect(parse(`group g = ${"!".repeat(10_000)}has(a)`).diagnostics).toEqual([]);
    expect(parse("tier t order 99999999999999999999999 default pass").diagnostics.map((d) => d.code)).toEqual(["POL0118"]);
  });

  it("too many errors are capped", () => {
    const r = parse("tier\n".repeat(500));
    expect(r.diagnostics.filter((d) => d.code === "POL0201").length).toBeLessThanOrEqual(100);
    expect(r.diagnostics.map((d) => d.code)).toContain("POL0204");
  });

  it("a 5 MB file parses", () => {
    const unit = `group g{i} = namespace "ns{i}" && app == "a{i}"\nflows in app { g{i} -> g{i} : tcp/80 }\n`;
    let text = "tier app order 1 default pass\n";
    for (let i = 0; text.length < 5_000_000; i++) text += unit.replaceAll("{i}", String(i));
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.items.length).toBeGreaterThan(50_000);
  });

  const seeds = [...polFiles(join(root, "examples")), ...polFiles(join(root, "stdlib"))].map((f) => readFileSync(f, "utf8"));
  const tokensOf = (s: string) => s.split(/(\s+)/);

  it("random and mutated sources: diagnostics or an AST, registered codes, spans in range, bounded time", () => {
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom("delete", "duplicate", "swap", "truncate", "insert")), { minLength: 1, maxLength: 6 }), fc.string())
      .map(([seed, ops, junk]) => {
        let toks = tokensOf(seed);
        for (const [i, j, op] of ops) {
          const a = i % Math.max(1, toks.length);
          const b = j % Math.max(1, toks.length);
          if (op === "delete") toks.splice(a, 1);
          else if (op === "duplicate") toks.splice(a, 0, toks[b] ?? "");
          else if (op === "swap") [toks[a], toks[b]] = [toks[b]!, toks[a]!];
          else if (op === "truncate") toks = toks.slice(0, a);
          else toks.splice(a, 0, junk);
        }
        return toks.join("");
      });
    const source = fc.oneof(mutated, fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 200 }));
    fc.assert(
      fc.property(source, (text) => {
        const t0 = performance.now();
        const r = parse(text);
        expect(performance.now() - t0).toBeLessThan(2000);
        expect(r.ast.kind).toBe("File");
        for (const d of r.diagnostics) {
          expect(codeInfo(d.code)).toBeDefined();
          expect(d.code).not.toBe("POL0299");
          expect(d.help).toBeTruthy();
          expect(d.primary.span.start).toBeGreaterThanOrEqual(0);
          expect(d.primary.span.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});

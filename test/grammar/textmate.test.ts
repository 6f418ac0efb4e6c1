// The TextMate grammar (grammar/pol.tmLanguage.json) tokenised with vscode-textmate and the oniguruma
// WebAssembly build shipped in the vscode-oniguruma package (no download): concrete scopes for
// concrete tokens, and over every example and standard-library file, no token left without a scope.

import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import vsctm from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const root = resolve(import.meta.dirname, "../..");
const grammarPath = join(root, "grammar/pol.tmLanguage.json");
let grammar: vsctm.IGrammar;

interface Tok {
  text: string;
  scopes: string[];
  line: number;
}

beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope: string) => (scope === "source.pol" ? vsctm.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null),
  });
  grammar = (await registry.loadGrammar("source.pol"))!;
});

function tokenize(text: string): Tok[] {
  let stack = vsctm.INITIAL;
  const out: Tok[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, line: i + 1 });
    stack = r.ruleStack;
  });
  return out;
}

/** The innermost scope of the (nth) token whose text is exactly `text`. */
function scopeOf(text: string, src: string, nth = 0): string {
  const toks = tokenize(src).filter((t) => t.text === text);
  expect(toks.length, `no token ${JSON.stringify(text)} in ${JSON.stringify(src)}`).toBeGreaterThan(nth);
  return toks[nth]!.scopes.at(-1)!;
}

describe("concrete tokens", () => {
  it("keywords, declared names and references", () => {
    const src = "tier security order 100 default pass";
    expect(scopeOf("tier", src)).toBe("keyword.other.declaration.tier.pol");
    expect(scopeOf("security", src)).toBe("entity.name.type.tier.pol");
    expect(scopeOf("order", src)).toBe("keyword.other.pol");
    expect(scopeOf("100", src)).toBe("constant.numeric.integer.pol");
    expect(scopeOf("pass", src)).toBe("keyword.control.action.pol");
    const policy = "staged guardrail pci-no-internet in security {";
    expect(scopeOf("staged", policy)).toBe("storage.modifier.staged.pol");
    expect(scopeOf("guardrail", policy)).toBe("keyword.other.declaration.policy.pol");
    expect(scopeOf("pci-no-internet", policy)).toBe("entity.name.function.policy.pol");
    expect(scopeOf("in", policy)).toBe("keyword.other.pol");
    expect(scopeOf("security", policy)).toBe("variable.other.name.pol");
    expect(scopeOf("{", policy)).toBe("punctuation.section.braces.begin.pol");
  });

  it("names with dashes are not split at an embedded keyword", () => {
    const src = "guardrail allow-dns in platform {\n  applies to all() except namespace in system\n  egress allow dns to coredns\n}";
    expect(scopeOf("allow-dns", src)).toBe("entity.name.function.policy.pol");
    expect(scopeOf("all", src)).toBe("support.function.selector.pol");
    expect(scopeOf("except", src)).toBe("keyword.operator.word.pol");
    expect(scopeOf("namespace", src)).toBe("keyword.other.pol");
    expect(scopeOf("system", src)).toBe("variable.other.name.pol");
    expect(scopeOf("egress", src)).toBe("keyword.other.direction.pol");
    expect(scopeOf("allow", src)).toBe("keyword.control.action.pol");
    expect(scopeOf("coredns", src)).toBe("variable.other.name.pol");
  });

  it("CIDRs are constants, IPv4 and IPv6", () => {
    const src = "net private = 10.0.0.0/8, 172.16.0.0/12, fd00::/8, 10.96.0.1, 2001:db8::1";
    expect(scopeOf("10.0.0.0/8", src)).toBe("constant.numeric.cidr.ipv4.pol");
    expect(scopeOf("172.16.0.0/12", src)).toBe("constant.numeric.cidr.ipv4.pol");
    expect(scopeOf("fd00::/8", src)).toBe("constant.numeric.cidr.ipv6.pol");
    expect(scopeOf("10.96.0.1", src)).toBe("constant.numeric.cidr.ipv4.pol");
    expect(scopeOf("2001:db8::1", src)).toBe("constant.numeric.cidr.ipv6.pol");
    expect(scopeOf("private", src)).toBe("entity.name.type.net.pol");
    expect(scopeOf("=", src)).toBe("keyword.operator.assignment.pol");
    expect(scopeOf(",", src)).toBe("punctuation.separator.comma.pol");
  });

  it("services: protocol, separator, port, range, named port, ICMP type and code", () => {
    const src = "service web = tcp/80, tcp/8000-8080, udp/dns, icmp/3/4, proto/47, sctp";
    const toks = tokenize(src);
    const at = (i: number) => toks.filter((t) => t.text.trim())[i]!;
    expect(scopeOf("tcp", src)).toBe("support.type.protocol.pol");
    expect(at(3).scopes).toContain("constant.other.service.pol");
    expect(scopeOf("80", src)).toBe("constant.numeric.port.pol");
    expect(scopeOf("8000-8080", src)).toBe("constant.numeric.port.pol");
    expect(scopeOf("dns", src)).toBe("variable.other.named-port.pol");
    expect(scopeOf("3", src)).toBe("constant.numeric.port.pol");
    expect(scopeOf("/", src)).toBe("punctuation.separator.port.pol");
    expect(scopeOf("proto", src)).toBe("support.type.protocol.pol");
    expect(scopeOf("sctp", src)).toBe("support.type.protocol.pol");
  });

  it("selectors: label keys, operators, strings, functions", () => {
    const src = 'group g = namespace "shop" && (app == "web" || tier in {"a", "b"}) && !has(kubernetes.io/name) && team not in {"x"} && k8s-app starts with "kube"';
    expect(scopeOf("namespace", src)).toBe("keyword.other.pol");
    expect(scopeOf('"', src)).toBe("punctuation.definition.string.begin.pol");
    expect(scopeOf("shop", src)).toBe("string.quoted.double.pol");
    expect(scopeOf("&&", src)).toBe("keyword.operator.logical.pol");
    expect(scopeOf("||", src)).toBe("keyword.operator.logical.pol");
    expect(scopeOf("!", src)).toBe("keyword.operator.logical.pol");
    expect(scopeOf("app", src)).toBe("entity.other.attribute-name.label.pol");
    expect(scopeOf("==", src)).toBe("keyword.operator.comparison.pol");
    expect(scopeOf("tier", src)).toBe("entity.other.attribute-name.label.pol");
    expect(scopeOf("has", src)).toBe("support.function.selector.pol");
    expect(scopeOf("kubernetes.io/name", src)).toBe("entity.other.attribute-name.label.pol");
    expect(scopeOf("team", src)).toBe("entity.other.attribute-name.label.pol");
    expect(scopeOf("not", src)).toBe("keyword.operator.word.pol");
    expect(scopeOf("k8s-app", src)).toBe("entity.other.attribute-name.label.pol");
    expect(scopeOf("starts with", src)).toBe("keyword.operator.word.pol");
  });

  it("flows, comments and escapes", () => {
    const src = 'flows in app { // the app\n  web -> api : http /* inline */\n}\nimport "std/k8s" /* a\nmulti-line\ncomment */ group x = selector("a == \\"b\\"")';
    expect(scopeOf("flows", src)).toBe("keyword.other.declaration.pol");
    expect(scopeOf("->", src)).toBe("keyword.operator.arrow.pol");
    expect(scopeOf(":", src)).toBe("punctuation.separator.colon.pol");
    expect(scopeOf(" the app", src)).toBe("comment.line.double-slash.pol");
    expect(scopeOf("//", src)).toBe("punctuation.definition.comment.pol");
    expect(scopeOf(" inline ", src)).toBe("comment.block.pol");
    expect(scopeOf("multi-line", src)).toBe("comment.block.pol");
    expect(scopeOf("import", src)).toBe("keyword.control.import.pol");
    expect(scopeOf("selector", src)).toBe("support.function.selector.pol");
    expect(scopeOf('\\"', src)).toBe("constant.character.escape.pol");
    expect(scopeOf("x", src)).toBe("entity.name.type.group.pol");
  });
});

const polFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? polFiles(join(dir, e.name)) : e.name.endsWith(".pol") ? [join(dir, e.name)] : []));

describe("every example and standard-library file", () => {
  const files = [...polFiles(join(root, "examples")), ...polFiles(join(root, "stdlib"))];

  it("finds the files, and the scope check does flag text the grammar does not know", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    const odd = tokenize("group x = @").find((t) => t.text.trim() === "@");
    expect(odd?.scopes).toEqual(["source.pol"]);
  });

  it.each(files.map((f) => [f.slice(root.length + 1), f]))("%s: every non-blank token has a scope", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const toks = tokenize(text);
    const bare = toks.filter((t) => t.text.trim() !== "" && t.scopes.length < 2);
    expect(bare.map((t) => `${t.line}: ${JSON.stringify(t.text)}`)).toEqual([]);
    // Each comment line is a comment; each keyword at the start of a declaration line is a keyword.
    text.split(/\r\n|\r|\n/).forEach((line, i) => {
      const first = toks.find((t) => t.line === i + 1 && t.text.trim() !== "");
      if (!first) return;
      if (line.trimStart().startsWith("//")) expect(first.scopes.join(" ")).toContain("comment.line.double-slash.pol");
      const word = /^\s*(tier|group|net|service|namespaces|guardrail|policy|flows|flow|import|staged)\b/.exec(line)?.[1];
      if (word) expect(first.scopes.at(-1)!, `line ${i + 1}`).toMatch(/^(keyword|storage\.modifier)\./);
    });
    // Every CIDR the language accepts is a constant.
    for (const t of toks) if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(t.text)) expect(t.scopes.at(-1)).toMatch(/^constant\.numeric\.cidr/);
  });
});

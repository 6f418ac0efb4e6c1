// Calico selector strings → Sel, with Calico's exact lexical and grammatical rules
// (libcalico-go/lib/selector/tokenizer and parser; calico-reference.md §c.1–§c.2).

import type { Sel } from "./ast.js";

type Tok =
  | { k: "label"; v: string; at: number }
  | { k: "str"; v: string; at: number }
  | { k: "has"; v: string; at: number }
  | { k: "all" | "global" | "(" | ")" | "{" | "}" | "," | "==" | "!=" | "!" | "&&" | "||" | "in" | "notin" | "contains" | "startswith" | "endswith" | "eof"; at: number };

export type SelectorParse = { ok: true; sel: Sel } | { ok: false; error: string; offset: number };

/** Longest label Calico's parser accepts. */
export const MAX_LABEL_LENGTH = 512;
/** Deepest parenthesis nesting accepted (Calico has no limit; we refuse pathological input). */
export const MAX_SELECTOR_DEPTH = 256;

const LABEL_CHAR = /[A-Za-z0-9_./-]/;
const BOUNDARY = (s: string, i: number) => i >= s.length || !LABEL_CHAR.test(s[i]!);

class SelectorError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

function skipBlank(s: string, i: number): number {
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  return i;
}

/** Operators that may only follow a label token. Returns [kind, end] or undefined. */
function labelOperator(s: string, i: number): [Tok["k"], number] | undefined {
  const word = (w: string, at: number): number | undefined => (s.startsWith(w, at) ? at + w.length : undefined);
  let e: number | undefined;
  if ((e = word("not", i)) !== undefined) {
    const j = skipBlank(s, e);
    const f = word("in", j);
    if (f !== undefined && BOUNDARY(s, f)) return ["notin", f];
  }
  if ((e = word("notin", i)) !== undefined && BOUNDARY(s, e)) return ["notin", e];
  if ((e = word("in", i)) !== undefined && BOUNDARY(s, e)) return ["in", e];
  if ((e = word("contains", i)) !== undefined && BOUNDARY(s, e)) return ["contains", e];
  for (const [first, kind] of [
    ["starts", "startswith"],
    ["ends", "endswith"],
  ] as const) {
    if ((e = word(`${first}with`, i)) !== undefined && BOUNDARY(s, e)) return [kind, e];
    if ((e = word(first, i)) !== undefined) {
      const j = skipBlank(s, e);
      if (j > e) {
        const f = word("with", j);
        if (f !== undefined && BOUNDARY(s, f)) return [kind, f];
      }
    }
  }
  return undefined;
}

export function tokenizeSelector(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  for (;;) {
    i = skipBlank(s, i);
    if (i >= s.length) {
      out.push({ k: "eof", at: i });
      return out;
    }
    const last = out[out.length - 1];
    if (last?.k === "label") {
      const op = labelOperator(s, i);
      if (op) {
        out.push({ k: op[0], at: i } as Tok);
        i = op[1];
        continue;
      }
      if (LABEL_CHAR.test(s[i]!)) throw new SelectorError("expected an operator after the label", i);
    }
    const c = s[i]!;
    const two = s.slice(i, i + 2);
    if ("(){},".includes(c)) {
      out.push({ k: c as "(" | ")" | "{" | "}" | ",", at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new SelectorError("unterminated string", i);
      out.push({ k: "str", v: s.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (two === "==" || two === "!=" || two === "&&" || two === "||") {
      out.push({ k: two, at: i });
      i += 2;
    } else if (c === "!") {
      out.push({ k: "!", at: i });
      i++;
    } else if (c === "=" || c === "&" || c === "|") {
      throw new SelectorError(`unexpected \`${c}\` (did you mean \`${c}${c}\`?)`, i);
    } else if (s.startsWith("has(", i)) {
      const m = /^has\([ \t]*([A-Za-z0-9_./-]+)[ \t]*\)/.exec(s.slice(i));
      if (!m) throw new SelectorError("expected `has(label)`", i);
      if (m[1]!.length > MAX_LABEL_LENGTH) throw new SelectorError("label too long", i);
      out.push({ k: "has", v: m[1]!, at: i });
      i += m[0].length;
    } else if (s.startsWith("all(", i) || s.startsWith("global(", i)) {
      const m = /^(all|global)\([ \t]*\)/.exec(s.slice(i));
      if (!m) throw new SelectorError(`expected \`${s.startsWith("all(", i) ? "all()" : "global()"}\``, i);
      out.push({ k: m[1] as "all" | "global", at: i });
      i += m[0].length;
    } else if (LABEL_CHAR.test(c)) {
      let j = i;
      while (j < s.length && LABEL_CHAR.test(s[j]!)) j++;
      if (j - i > MAX_LABEL_LENGTH) throw new SelectorError("label too long", i);
      out.push({ k: "label", v: s.slice(i, j), at: i });
      i = j;
    } else {
      throw new SelectorError(`unexpected character ${JSON.stringify(c)}`, i);
    }
  }
}

class Parser {
  private p = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}
  private peek(): Tok {
    return this.toks[this.p]!;
  }
  private next(): Tok {
    return this.toks[this.p++]!;
  }
  private expect(k: Tok["k"], what: string): Tok {
    const t = this.next();
    if (t.k !== k) throw new SelectorError(`expected ${what}`, t.at);
    return t;
  }
  parseAll(): Sel {
    if (this.peek().k === "eof") return { op: "all" };
    const e = this.or();
    const t = this.peek();
    if (t.k !== "eof") throw new SelectorError("unexpected input after the selector", t.at);
    return e;
  }
  private or(): Sel {
    const args = [this.and()];
    while (this.peek().k === "||") {
      this.next();
      args.push(this.and());
    }
    return args.length === 1 ? args[0]! : { op: "or", args };
  }
  private and(): Sel {
    const args = [this.unary()];
    while (this.peek().k === "&&") {
      this.next();
      args.push(this.unary());
    }
    return args.length === 1 ? args[0]! : { op: "and", args };
  }
  private unary(): Sel {
    let negations = 0;
    while (this.peek().k === "!") {
      this.next();
      negations++;
    }
    const e = this.primary();
    return negations % 2 === 1 ? { op: "not", arg: e } : e;
  }
  private primary(): Sel {
    const t = this.next();
    switch (t.k) {
      case "(": {
        if (++this.depth > MAX_SELECTOR_DEPTH) throw new SelectorError("selector nested too deeply", t.at);
        const e = this.or();
        this.expect(")", "`)`");
        this.depth--;
        return e;
      }
      case "all":
        return { op: "all" };
      case "global":
        return { op: "global" };
      case "has":
        return { op: "has", key: t.v };
      case "label": {
        const op = this.next();
        switch (op.k) {
          case "==":
          case "!=":
          case "contains":
          case "startswith":
          case "endswith": {
            const v = this.expect("str", "a quoted string") as { v: string };
            const kind = { "==": "eq", "!=": "ne", contains: "contains", startswith: "startsWith", endswith: "endsWith" } as const;
            return { op: kind[op.k], key: t.v, value: v.v };
          }
          case "in":
          case "notin": {
            this.expect("{", "`{`");
            const values: string[] = [];
            while (this.peek().k === "str") {
              values.push((this.next() as { v: string }).v);
              if (this.peek().k === ",") this.next();
              else break;
            }
            this.expect("}", "`}`");
            return { op: op.k === "in" ? "in" : "notIn", key: t.v, values };
          }
          default:
            throw new SelectorError("expected an operator after the label", op.at);
        }
      }
      default:
        throw new SelectorError("expected a selector term", t.at);
    }
  }
}

export function parseCalicoSelector(text: string): SelectorParse {
  try {
    return { ok: true, sel: new Parser(tokenizeSelector(text)).parseAll() };
  } catch (e) {
    if (e instanceof SelectorError) return { ok: false, error: e.message, offset: e.offset };
    return { ok: false, error: e instanceof Error ? e.message : String(e), offset: 0 };
  }
}

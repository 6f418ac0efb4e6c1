// Label spelling checks. A typo in a label key or value makes a selector silently match nothing (or,
// under `!=`, everything), and nothing in Calico reports it. Two guards:
//   * the typo guard: a key (or a value of a key) written in exactly one place whose spelling is one
//     edit away from a key (value) used elsewhere;
//   * with an inventory (label maps of the cluster's objects): a key or value no object has.
// Both only report places in project files; the standard library is reviewed separately.

import { editDistance } from "../diag/suggest.js";
import { NAMESPACE_LABEL, NAMESPACE_LABEL_PREFIX, type Labels } from "../selector/ast.js";
import type { Span } from "../source.js";
import type { Ctx, LabelUse } from "./context.js";
import { SpanSet } from "./span-set.js";

function cmpSpan(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start - b.start;
}

function spanKey(s: Span): string {
  return `${s.file}:${s.start}:${s.end}`;
}

/** One edit apart (case-only differences count as close), both at least 3 characters, and not two
 *  names that differ only in digits (`v1`/`v2`, `zone-1`/`zone-10` are different on purpose). */
export function probablyTypo(a: string, b: string): boolean {
  if (a === b || a.length < 3 || b.length < 3) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (a.replace(/[0-9]/g, "") === b.replace(/[0-9]/g, "")) return false;
  return editDistance(a, b) === 1;
}

function describeKey(u: LabelUse): string {
  if (u.key === NAMESPACE_LABEL) return "namespace name";
  if (u.key.startsWith(NAMESPACE_LABEL_PREFIX) && u.key !== u.writtenKey) return `namespace label \`${u.writtenKey}\``;
  return `label \`${u.writtenKey}\``;
}

interface Place {
  readonly text: string;
  readonly spans: Span[]; // distinct places, sorted
  readonly uses: LabelUse[];
  readonly seen: SpanSet; // one place per distinct span
}

function places(uses: readonly LabelUse[], textOf: (u: LabelUse) => string | undefined, spanOf: (u: LabelUse) => Span): Map<string, Place> {
  const out = new Map<string, Place>();
  for (const u of uses) {
    const text = textOf(u);
    if (text === undefined) continue;
    let p = out.get(text);
    if (!p) {
      p = { text, spans: [], uses: [], seen: new SpanSet() };
      out.set(text, p);
    }
    p.uses.push(u);
    const s = spanOf(u);
    if (p.seen.add(s)) p.spans.push(s);
  }
  for (const p of out.values()) if (p.spans.length > 1) p.spans.sort(cmpSpan);
  return out;
}

/** Above this many places, the candidates for a typo are looked up in an index instead of trying
 *  every place (which is quadratic when many values are written once). */
const INDEX_ABOVE = 128;

/** Every place that can be a probable typo of another (probablyTypo): the same text up to case, or
 *  one edit apart. One edit (insertion, deletion, substitution or swap of neighbours) means the two
 *  texts share a "deletion variant": the text itself or the text minus one character (a symmetric
 *  deletion index). A superset of the real candidates; probablyTypo decides. */
class TypoIndex {
  private readonly byLower = new Map<string, Place[]>();
  private readonly byVariant = new Map<string, Place[]>();

  constructor(all: Iterable<Place>) {
    for (const p of all) {
      if (p.text.length < 3) continue; // probablyTypo needs at least 3 characters on both sides
      push(this.byLower, p.text.toLowerCase(), p);
      for (const v of variants(p.text)) push(this.byVariant, v, p);
    }
  }

  candidates(p: Place): Set<Place> {
    const out = new Set<Place>(this.byLower.get(p.text.toLowerCase()));
    for (const v of variants(p.text)) for (const q of this.byVariant.get(v) ?? []) out.add(q);
    return out;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The text and the text with one character (UTF-16 code unit) removed, without repeats. */
function variants(text: string): Set<string> {
  const out = new Set<string>([text]);
  for (let i = 0; i < text.length; i++) out.add(text.slice(0, i) + text.slice(i + 1));
  return out;
}

const typoIndexes = new WeakMap<Map<string, Place>, TypoIndex>();

/** The place to warn about in a pair of close spellings, or undefined (neither, or the other one). */
function suspect(p: Place, all: Map<string, Place>, ctx: Ctx): Place | undefined {
  if (p.spans.length !== 1 || ctx.originOf(p.spans[0]!.file) !== "project") return undefined;
  let candidates: Iterable<Place> = all.values();
  if (all.size > INDEX_ABOVE) {
    if (p.text.length < 3) return undefined;
    let index = typoIndexes.get(all);
    if (!index) typoIndexes.set(all, (index = new TypoIndex(all.values())));
    candidates = index.candidates(p);
  }
  // The best candidate is the maximum of a total order (most places, then smallest text), so the
  // order in which candidates are tried does not matter.
  let best: Place | undefined;
  for (const q of candidates) {
    if (q === p || !probablyTypo(p.text, q.text)) continue;
    // Both written once: report only the later one, naming the earlier.
    if (q.spans.length === 1 && cmpSpan(q.spans[0]!, p.spans[0]!) > 0) continue;
    if (!best || q.spans.length > best.spans.length || (q.spans.length === best.spans.length && q.text < best.text)) best = q;
  }
  return best;
}

export function checkLabelSpelling(ctx: Ctx): void {
  const uses = ctx.labelUses;
  const keys = places(uses, (u) => u.key, (u) => u.keySpan);
  for (const p of keys.values()) {
    const other = suspect(p, keys, ctx);
    if (!other) continue;
    const u = p.uses[0]!;
    ctx.report.emit("POL3002", p.spans[0]!, `label key \`${u.writtenKey}\` is used only here; did you mean \`${other.uses[0]!.writtenKey}\`?`, {
      label: "possibly a typo",
      secondary: [{ span: other.spans[0]!, message: `\`${other.uses[0]!.writtenKey}\` is used here` }],
      notes: ["a selector on a label key no endpoint has never matches (and `!=` / `not in` on it match every endpoint)"],
      help: `if \`${u.writtenKey}\` is right, ignore this warning; otherwise write \`${other.uses[0]!.writtenKey}\``,
    });
  }
  const byKey = new Map<string, LabelUse[]>();
  for (const u of uses) {
    if (u.value === undefined) continue;
    const list = byKey.get(u.key) ?? [];
    list.push(u);
    byKey.set(u.key, list);
  }
  for (const list of byKey.values()) {
    const values = places(list, (u) => u.value, (u) => u.valueSpan ?? u.keySpan);
    for (const p of values.values()) {
      const other = suspect(p, values, ctx);
      if (!other) continue;
      const u = p.uses[0]!;
      ctx.report.emit("POL3003", p.spans[0]!, `${describeKey(u)} ${JSON.stringify(p.text)} is used only here; did you mean ${JSON.stringify(other.text)}?`, {
        label: "possibly a typo",
        secondary: [{ span: other.spans[0]!, message: `${JSON.stringify(other.text)} is used here` }],
        notes: ["a selector on a value no endpoint has never matches (and `!=` / `not in` match every endpoint)"],
        help: `if ${JSON.stringify(p.text)} is right, ignore this warning; otherwise write ${JSON.stringify(other.text)}`,
      });
    }
  }
}

/** Keys of Calico's own label families are only checked when the inventory carries that family. */
function family(key: string): string | undefined {
  if (key.startsWith("projectcalico.org/")) return "projectcalico.org/";
  if (key.startsWith(NAMESPACE_LABEL_PREFIX)) return NAMESPACE_LABEL_PREFIX;
  return undefined;
}

export function checkAgainstInventory(ctx: Ctx, inventory: readonly Labels[]): void {
  const keys = new Set<string>();
  const pairs = new Set<string>();
  for (const labels of inventory) {
    for (const [k, v] of Object.entries(labels)) {
      keys.add(k);
      pairs.add(`${k}\u0000${v}`);
    }
  }
  const families = new Set([...keys].map(family).filter((f): f is string => f !== undefined));
  const reported = new Set<string>();
  for (const u of ctx.labelUses) {
    if (ctx.originOf(u.keySpan.file) !== "project") continue;
    const fam = family(u.key);
    if (fam && !families.has(fam)) continue;
    if (!keys.has(u.key)) {
      const id = `k${spanKey(u.keySpan)}${u.key}`;
      if (reported.has(id)) continue;
      reported.add(id);
      ctx.report.emit("POL3004", u.keySpan, `no object in the inventory has ${describeKey(u)}`, {
        label: "unknown label key",
        notes: [`checked against ${inventory.length} object${inventory.length === 1 ? "" : "s"}; a selector on a label no endpoint has never matches`],
        help: "check the spelling against the pods' labels (`kubectl get pods --show-labels`), or update the inventory",
      });
      continue;
    }
    if (u.value === undefined || u.op === "contains" || u.op === "startsWith" || u.op === "endsWith") continue;
    if (pairs.has(`${u.key}\u0000${u.value}`)) continue;
    const span = u.valueSpan ?? u.keySpan;
    const id = `v${spanKey(span)}${u.key}\u0000${u.value}`;
    if (reported.has(id)) continue;
    reported.add(id);
    ctx.report.emit("POL3005", span, `no object in the inventory has ${describeKey(u)} = ${JSON.stringify(u.value)}`, {
      label: "unknown label value",
      notes: [`checked against ${inventory.length} object${inventory.length === 1 ? "" : "s"}`],
      help: "check the spelling against the objects' labels, or update the inventory",
    });
  }
}

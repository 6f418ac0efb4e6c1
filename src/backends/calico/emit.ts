// IR → Calico `projectcalico.org/v3` objects and their YAML stream. Order of the stream: Tiers (never
// Calico's built-ins), then GlobalNetworkSets, then policies by tier order and policy order. Every
// field is explicit; docs/calico-output.md documents each choice.

import type { Diagnostic } from "../../diag/diagnostic.js";
import { NAMESPACE_LABEL, type Sel } from "../../selector/ast.js";
import { evaluate, printSelector } from "../../selector/index.js";
import { lineColOf, snippet, type SourceMap, type Span } from "../../source.js";
import type { IrEntity, IrNetSet, IrPolicy, IrProgram, IrRule, IrScope, IrTier } from "../../ir/types.js";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, NET_SET_LABEL } from "../../ir/types.js";
import { makeDiag } from "../../ir/diag.js";
import {
  API_VERSION,
  RULE_ANNOTATION,
  SOURCE_ANNOTATION,
  type CalicoEntityRule,
  type CalicoNetworkSet,
  type CalicoObject,
  type CalicoPolicy,
  type CalicoPolicySpec,
  type CalicoRule,
  type CalicoTier,
  type PolicyKind,
} from "./objects.js";
import { toYamlStream } from "./yaml.js";

/** Calico's limit on selector length (CRD `maxLength`, master). */
export const MAX_SELECTOR_LENGTH = 1024;

export interface EmitOptions {
  /** Sources behind the IR's spans: for `path:line` annotations and rule texts. */
  readonly sources?: SourceMap;
}

export interface CalicoOutput {
  readonly objects: CalicoObject[];
  /** One YAML document per object, in stream order. */
  readonly documents: string[];
  /** The whole multi-document stream. */
  readonly yaml: string;
  readonly diagnostics: Diagnostic[];
}

/** Calico kind of an IR policy. */
export function policyKind(p: Pick<IrPolicy, "kind" | "staged">): PolicyKind {
  const base = p.kind === "global" ? "GlobalNetworkPolicy" : "NetworkPolicy";
  return p.staged ? (`Staged${base}` as PolicyKind) : base;
}

class Emitter {
  readonly diagnostics: Diagnostic[] = [];
  /** Labels of the emitted network sets (what an unscoped `notSelector` could also match). */
  private readonly netSetLabels: Record<string, string>[];

  constructor(
    ir: IrProgram,
    private readonly opts: EmitOptions,
  ) {
    this.netSetLabels = ir.netSets.map((s) => netSetLabels(s));
  }

  where(span: Span): string {
    const file = this.opts.sources?.get(span.file);
    if (!file) return `${span.file}@${span.start}`;
    return `${span.file}:${lineColOf(file, span.start).line}`;
  }

  ruleText(span: Span): string | undefined {
    const file = this.opts.sources?.get(span.file);
    if (!file) return undefined;
    const text = snippet(file, span);
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  }

  selector(sel: Sel, span: Span, what: string): string {
    const text = printSelector(sel);
    if (text.length > MAX_SELECTOR_LENGTH) {
      this.diagnostics.push(
        makeDiag("POL4010", span, `the emitted ${what} is ${text.length} characters long; Calico accepts at most ${MAX_SELECTOR_LENGTH}`, {
          help: "split the selector over several groups or rules",
        }),
      );
    }
    return text;
  }

  tier(t: IrTier): CalicoTier {
    return {
      apiVersion: API_VERSION,
      kind: "Tier",
      metadata: { name: t.name, labels: managed(), annotations: { [SOURCE_ANNOTATION]: this.where(t.origin) } },
      spec: { order: t.order, defaultAction: t.defaultAction },
    };
  }

  netSet(s: IrNetSet): CalicoNetworkSet {
    return {
      apiVersion: API_VERSION,
      kind: "GlobalNetworkSet",
      metadata: { name: s.name, labels: netSetLabels(s), annotations: { [SOURCE_ANNOTATION]: this.where(s.origin) } },
      spec: { nets: s.cidrs.map((c) => c.text) },
    };
  }

  /** `namespaceSelector` for a scope; undefined in a NetworkPolicy of exactly that namespace. */
  scopeSelector(scope: IrScope, policyNamespace: string | undefined): string | undefined {
    if (scope.kind === "all-namespaces") return "all()";
    if (policyNamespace !== undefined && scope.names.length === 1 && scope.names[0] === policyNamespace) return undefined;
    const sel: Sel =
      scope.names.length === 1
        ? { op: "eq", key: "projectcalico.org/name", value: scope.names[0]! }
        : { op: "in", key: "projectcalico.org/name", values: [...scope.names] };
    return printSelector(sel);
  }

  /** `notSelector` excluding only workload endpoints: guarded when it would match an emitted network set. */
  notSelector(sel: Sel, span: Span): string {
    const hitsNetSet = this.netSetLabels.some((labels) => evaluate(sel, labels));
    const guarded: Sel = hitsNetSet ? { op: "and", args: [sel, { op: "has", key: NAMESPACE_LABEL }] } : sel;
    return this.selector(guarded, span, "notSelector");
  }

  entity(e: IrEntity, ns: string | undefined, span: Span): CalicoEntityRule {
    const out: CalicoEntityRule = {};
    if (e.selector) {
      out.selector = this.selector(e.selector.sel, span, "selector");
      const nsSel = this.scopeSelector(e.selector.scope, ns);
      if (nsSel !== undefined) out.namespaceSelector = nsSel;
    } else if (e.netSets) {
      const sel: Sel =
        e.netSets.length === 1
          ? { op: "eq", key: NET_SET_LABEL, value: e.netSets[0]! }
          : { op: "in", key: NET_SET_LABEL, values: [...e.netSets] };
      out.selector = printSelector(sel);
      out.namespaceSelector = "global()";
    }
    if (e.notSelector) out.notSelector = this.notSelector(e.notSelector, span);
    if (e.nets && !e.netSets) out.nets = e.nets.map((c) => c.text);
    if (e.notNets) out.notNets = e.notNets.map((c) => c.text);
    return out;
  }

  rule(r: IrRule, direction: "Ingress" | "Egress", ns: string | undefined): CalicoRule {
    const out: CalicoRule = { action: r.action };
    if (r.ipVersion !== undefined) out.ipVersion = r.ipVersion;
    if (r.protocol !== undefined) out.protocol = r.protocol;
    if (r.icmp) out.icmp = r.icmp.code === undefined ? { type: r.icmp.type } : { type: r.icmp.type, code: r.icmp.code };
    const peer = this.entity(r.peer, ns, r.origin);
    const ports: (number | string)[] = [
      ...(r.ports ?? []).map((p) => (p.from === p.to ? p.from : `${p.from}:${p.to}`)),
      ...(r.namedPorts ?? []),
    ];
    const local: CalicoEntityRule = {};
    if (direction === "Ingress") {
      if (Object.keys(peer).length) out.source = peer;
      if (ports.length) local.ports = ports;
      if (Object.keys(local).length) out.destination = local;
    } else {
      if (ports.length) peer.ports = ports;
      if (Object.keys(peer).length) out.destination = peer;
    }
    const annotations: Record<string, string> = { [SOURCE_ANNOTATION]: this.where(r.origin) };
    const text = this.ruleText(r.origin);
    if (text) annotations[RULE_ANNOTATION] = text;
    out.metadata = { annotations };
    return out;
  }

  policy(p: IrPolicy): CalicoPolicy {
    const ns = p.kind === "namespaced" ? p.namespace : undefined;
    const spec: CalicoPolicySpec = {};
    if (p.staged) spec.stagedAction = "Set";
    spec.tier = p.tier;
    spec.order = p.order;
    spec.selector = this.selector(p.subject.sel, p.origin, "policy selector");
    if (p.kind === "global") spec.namespaceSelector = this.scopeSelector(p.subject.scope, undefined)!;
    spec.types = [...p.types];
    if (p.ingress.length) spec.ingress = p.ingress.map((r) => this.rule(r, "Ingress", ns));
    if (p.egress.length) spec.egress = p.egress.map((r) => this.rule(r, "Egress", ns));
    return {
      apiVersion: API_VERSION,
      kind: policyKind(p),
      metadata: {
        name: p.name,
        ...(ns !== undefined ? { namespace: ns } : {}),
        labels: managed(),
        annotations: { [SOURCE_ANNOTATION]: this.where(p.origin) },
      },
      spec,
    };
  }
}

function managed(): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
}

export function netSetLabels(s: IrNetSet): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [NET_SET_LABEL]: s.net };
}

export function emitCalico(ir: IrProgram, opts: EmitOptions = {}): CalicoOutput {
  const e = new Emitter(ir, opts);
  const objects: CalicoObject[] = [
    ...ir.tiers.filter((t) => !t.builtin).map((t) => e.tier(t)),
    ...ir.netSets.map((s) => e.netSet(s)),
    ...ir.policies.map((p) => e.policy(p)),
  ];
  const { documents, yaml } = toYamlStream(objects);
  return { objects, documents, yaml, diagnostics: e.diagnostics };
}

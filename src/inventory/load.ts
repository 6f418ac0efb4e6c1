// Loads an inventory: a Kubernetes `List` (YAML or JSON, as `kubectl get namespaces,pods -A -o yaml`
// prints it) or a multi-document stream of Namespaces and Pods. Problems are diagnostics (POL5xxx)
// whose message names the document path (`items[3].metadata.labels`) and whose span points into the
// file; a bad object is skipped, never guessed at.

import { readFileSync } from "node:fs";
import YAML, { type Document } from "yaml";
import type { Diagnostic } from "../diag/diagnostic.js";
import { sortDiagnostics } from "../diag/diagnostic.js";
import { makeSourceFile, type SourceFile, type Span } from "../source.js";
import { NAMESPACE_LABEL, NAMESPACE_LABEL_PREFIX, ORCHESTRATOR_LABEL, SERVICE_ACCOUNT_LABEL, SERVICE_ACCOUNT_LABEL_PREFIX } from "../selector/ast.js";
import { parseCidr } from "../net/cidr.js";
import { makeDiag } from "../ir/diag.js";
import type { InvAddress, InvEndpoint, InvNamedPort, InvNamespace, Inventory } from "./types.js";

export interface InventoryLoad {
  readonly inventory: Inventory;
  readonly diagnostics: Diagnostic[];
  /** The inventory text, for rendering diagnostics (add it to the SourceMap). */
  readonly file: SourceFile;
}

type Path = (string | number)[];

function pathText(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out || "(document)";
}

interface RawPod {
  path: Path;
  doc: Document;
  obj: Record<string, unknown>;
}

class Loader {
  readonly diagnostics: Diagnostic[] = [];
  readonly namespaces: InvNamespace[] = [];
  readonly pods: RawPod[] = [];

  constructor(readonly file: SourceFile) {}

  span(doc: Document, path: Path): Span {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return { file: this.file.path, start: node.range[0], end: node.range[1] };
    }
    const r = doc.range ?? [0, 0];
    return { file: this.file.path, start: r[0], end: r[1] };
  }

  malformed(doc: Document, path: Path, problem: string): void {
    this.diagnostics.push(
      makeDiag("POL5003", this.span(doc, path), `\`${pathText(path)}\`: ${problem}`, {
        help: "regenerate the inventory with `kubectl get namespaces,pods -A -o yaml`, or fix this object",
      }),
    );
  }

  object(doc: Document, path: Path, v: unknown): void {
    if (v === null || v === undefined) return;
    if (typeof v !== "object" || Array.isArray(v)) {
      this.malformed(doc, path, "expected a Kubernetes object (a map with `kind`)");
      return;
    }
    const obj = v as Record<string, unknown>;
    const kind = obj["kind"];
    if (typeof kind !== "string") {
      this.malformed(doc, path, "the object has no `kind`");
      return;
    }
    if (kind === "List" || kind.endsWith("List")) {
      const items = obj["items"];
      if (items === undefined || items === null) return;
      if (!Array.isArray(items)) {
        this.malformed(doc, [...path, "items"], "`items` must be a list");
        return;
      }
      items.forEach((item, i) => this.object(doc, [...path, "items", i], item));
      return;
    }
    if (kind === "Namespace") this.namespace(doc, path, obj);
    else if (kind === "Pod") this.pods.push({ path, doc, obj });
    else {
      this.diagnostics.push(
        makeDiag("POL5002", this.span(doc, [...path, "kind"]), `\`${pathText(path)}\` is a ${kind}, not a Namespace or Pod; it is ignored`, {
          help: "export only namespaces and pods: `kubectl get namespaces,pods -A -o yaml`",
        }),
      );
    }
  }

  /** metadata.name (required) and metadata.labels (a map of strings); undefined after a diagnostic. */
  meta(doc: Document, path: Path, obj: Record<string, unknown>): { name: string; namespace?: unknown; labels: Record<string, string> } | undefined {
    const md = obj["metadata"];
    if (md === null || typeof md !== "object" || Array.isArray(md)) {
      this.malformed(doc, [...path, "metadata"], "`metadata` is missing or not a map");
      return undefined;
    }
    const m = md as Record<string, unknown>;
    const name = m["name"];
    if (typeof name !== "string" || name === "") {
      this.malformed(doc, [...path, "metadata", "name"], "`metadata.name` is missing or not a string");
      return undefined;
    }
    const raw = m["labels"];
    const labels: Record<string, string> = {};
    if (raw !== undefined && raw !== null) {
      if (typeof raw !== "object" || Array.isArray(raw)) {
        this.malformed(doc, [...path, "metadata", "labels"], "`metadata.labels` must be a map of strings");
        return undefined;
      }
      for (const [k, val] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof val !== "string") {
          this.malformed(doc, [...path, "metadata", "labels", k], `the value of label \`${k}\` must be a string (quote it: \`"${String(val)}"\`)`);
          return undefined;
        }
        labels[k] = val;
      }
    }
    return { name, namespace: m["namespace"], labels };
  }

  namespace(doc: Document, path: Path, obj: Record<string, unknown>): void {
    const m = this.meta(doc, path, obj);
    if (!m) return;
    if (this.namespaces.some((n) => n.name === m.name)) {
      this.diagnostics.push(
        makeDiag("POL5005", this.span(doc, [...path, "metadata", "name"]), `namespace \`${m.name}\` appears twice; the second one is ignored`, {
          help: "export the inventory again",
        }),
      );
      return;
    }
    const labels = { "kubernetes.io/metadata.name": m.name, ...m.labels };
    this.namespaces.push({ name: m.name, labels: sortLabels(labels), origin: this.span(doc, path) });
  }

  /** `status.podIPs` + `status.podIP` (or the `hostIPs`/`hostIP` pair), de-duplicated. */
  addresses(doc: Document, path: Path, status: Record<string, unknown>, field: "pod" | "host" = "pod"): InvAddress[] | undefined {
    const texts: { text: string; path: Path }[] = [];
    const many = status[`${field}IPs`];
    if (Array.isArray(many)) {
      many.forEach((e, i) => {
        const ip = e && typeof e === "object" ? (e as Record<string, unknown>)["ip"] : undefined;
        if (typeof ip === "string") texts.push({ text: ip, path: [...path, "status", `${field}IPs`, i, "ip"] });
      });
    }
    const one = status[`${field}IP`];
    if (typeof one === "string") texts.push({ text: one, path: [...path, "status", `${field}IP`] });
    const out: InvAddress[] = [];
    for (const t of texts) {
      const p = parseCidr(t.text);
      if (!p.ok || t.text.includes("/")) {
        this.malformed(doc, t.path, `\`${t.text}\` is not an IP address`);
        return undefined;
      }
      if (out.some((a) => a.value === p.address && a.family === p.family)) continue;
      out.push({ text: p.masked.slice(0, p.masked.lastIndexOf("/")), family: p.family, value: p.address });
    }
    return out;
  }

  namedPorts(doc: Document, path: Path, spec: Record<string, unknown>): InvNamedPort[] | undefined {
    const out: InvNamedPort[] = [];
    const containers = spec["containers"];
    if (!Array.isArray(containers)) return out;
    for (let c = 0; c < containers.length; c++) {
      const ports = (containers[c] as Record<string, unknown> | null)?.["ports"];
      if (!Array.isArray(ports)) continue;
      for (let i = 0; i < ports.length; i++) {
        const p = ports[i] as Record<string, unknown> | null;
        if (!p || typeof p["name"] !== "string") continue;
        const at: Path = [...path, "spec", "containers", c, "ports", i];
        const port = p["containerPort"];
        const protocol = p["protocol"] ?? "TCP";
        if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
          this.malformed(doc, [...at, "containerPort"], "`containerPort` must be a port number (1-65535)");
          return undefined;
        }
        if (protocol !== "TCP" && protocol !== "UDP" && protocol !== "SCTP") {
          this.malformed(doc, [...at, "protocol"], "`protocol` must be TCP, UDP or SCTP");
          return undefined;
        }
        out.push({ name: p["name"], port, protocol });
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port));
  }

  pod(raw: RawPod, nsByName: Map<string, InvNamespace>, seenIps: Map<string, string>, seenPods: Set<string>): InvEndpoint | undefined {
    const { doc, path, obj } = raw;
    const m = this.meta(doc, path, obj);
    if (!m) return undefined;
    if (typeof m.namespace !== "string" || m.namespace === "") {
      this.malformed(doc, [...path, "metadata", "namespace"], "a Pod needs `metadata.namespace`");
      return undefined;
    }
    const ns = m.namespace;
    const id = `${ns}/${m.name}`;
    if (seenPods.has(id)) {
      this.diagnostics.push(
        makeDiag("POL5005", this.span(doc, [...path, "metadata", "name"]), `pod \`${id}\` appears twice; the second one is ignored`, {
          help: "export the inventory again",
        }),
      );
      return undefined;
    }
    const specRaw = obj["spec"];
    const spec = specRaw && typeof specRaw === "object" && !Array.isArray(specRaw) ? (specRaw as Record<string, unknown>) : {};
    const statusRaw = obj["status"];
    const status = statusRaw && typeof statusRaw === "object" && !Array.isArray(statusRaw) ? (statusRaw as Record<string, unknown>) : {};
    const skip = (why: string): undefined => {
      this.diagnostics.push(makeDiag("POL5004", this.span(doc, path), `pod \`${id}\` ${why}; it is skipped`, { help: "nothing to do if this is expected" }));
      return undefined;
    };
    if (spec["hostNetwork"] === true) return skip("runs on the host network (Calico sees its node, not a workload endpoint)");
    if (status["phase"] === "Succeeded" || status["phase"] === "Failed") return skip(`has finished (phase ${String(status["phase"])})`);
    const addresses = this.addresses(doc, path, status);
    if (!addresses) return undefined;
    if (addresses.length === 0) return skip("has no IP address (`status.podIP`)");
    for (const a of addresses) {
      const other = seenIps.get(a.text);
      if (other) {
        this.diagnostics.push(
          makeDiag("POL5005", this.span(doc, [...path, "status"]), `pod \`${id}\` has the address ${a.text} of pod \`${other}\`; it is ignored`, {
            help: "export the inventory again",
          }),
        );
        return undefined;
      }
    }
    const namedPorts = this.namedPorts(doc, path, spec);
    if (!namedPorts) return undefined;
    const hostAddresses = this.addresses(doc, path, status, "host");
    if (!hostAddresses) return undefined;
    const saRaw = spec["serviceAccountName"] ?? spec["serviceAccount"];
    const serviceAccount = typeof saRaw === "string" && saRaw !== "" ? saRaw : "default";
    let nsLabels = nsByName.get(ns)?.labels;
    if (!nsLabels) {
      this.diagnostics.push(
        makeDiag("POL5006", this.span(doc, [...path, "metadata", "namespace"]), `namespace \`${ns}\` of pod \`${id}\` is not in the inventory`, {
          help: "export namespaces together with pods: `kubectl get namespaces,pods -A -o yaml`",
        }),
      );
      nsLabels = { "kubernetes.io/metadata.name": ns };
    }
    seenPods.add(id);
    for (const a of addresses) seenIps.set(a.text, id);
    return {
      namespace: ns,
      name: m.name,
      serviceAccount,
      labels: sortLabels(m.labels),
      effectiveLabels: effectiveLabels(m.labels, ns, nsLabels, serviceAccount),
      addresses,
      hostAddresses,
      namedPorts,
      origin: this.span(doc, path),
    };
  }
}

function sortLabels(l: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) out[k] = l[k]!;
  return out;
}

/** The labels Calico selectors see on a pod's workload endpoint (calico-reference.md §c.7). */
export function effectiveLabels(own: Readonly<Record<string, string>>, namespace: string, nsLabels: Readonly<Record<string, string>>, serviceAccount: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(nsLabels)) out[NAMESPACE_LABEL_PREFIX + k] = v;
  out[`${NAMESPACE_LABEL_PREFIX}projectcalico.org/name`] = namespace;
  out[`${SERVICE_ACCOUNT_LABEL_PREFIX}projectcalico.org/name`] = serviceAccount;
  out[NAMESPACE_LABEL] = namespace;
  out[ORCHESTRATOR_LABEL] = "k8s";
  if (serviceAccount.length < 63) out[SERVICE_ACCOUNT_LABEL] = serviceAccount;
  Object.assign(out, own);
  return sortLabels(out);
}

/** Loads an inventory from its text; `path` is how messages name the file. */
export function loadInventoryText(path: string, text: string): InventoryLoad {
  if (text.includes("\u0000")) {
    // A binary file: say so, and keep its bytes out of code frames.
    return {
      inventory: { namespaces: [], endpoints: [] },
      diagnostics: [makeDiag("POL5001", { file: path, start: 0, end: 0 }, "the inventory is a binary file, not YAML or JSON", { help: "regenerate it with `kubectl get namespaces,pods -A -o yaml`" })],
      file: makeSourceFile(path, ""),
    };
  }
  const file = makeSourceFile(path, text);
  const l = new Loader(file);
  const docs = YAML.parseAllDocuments(text, { prettyErrors: false });
  const parsed: Document[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      l.diagnostics.push(
        makeDiag("POL5001", { file: path, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) }, `the inventory is not valid YAML or JSON: ${e.message.split("\n")[0]}`, {
          help: "regenerate it with `kubectl get namespaces,pods -A -o yaml`",
        }),
      );
      return { inventory: { namespaces: [], endpoints: [] }, diagnostics: sortDiagnostics(l.diagnostics), file };
    }
    parsed.push(doc as Document);
  }
  for (const doc of parsed) {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      l.diagnostics.push(
        makeDiag("POL5001", l.span(doc, []), `the inventory cannot be read: ${err instanceof Error ? err.message : String(err)}`, {
          help: "regenerate it with `kubectl get namespaces,pods -A -o yaml`",
        }),
      );
      continue;
    }
    l.object(doc, [], value);
  }
  const nsByName = new Map(l.namespaces.map((n) => [n.name, n]));
  const seenIps = new Map<string, string>();
  const seenPods = new Set<string>();
  const endpoints: InvEndpoint[] = [];
  for (const raw of l.pods) {
    const ep = l.pod(raw, nsByName, seenIps, seenPods);
    if (ep) endpoints.push(ep);
  }
  const byName = <T extends { name: string; namespace?: string }>(a: T, b: T): number => {
    const ka = `${a.namespace ?? ""}/${a.name}`;
    const kb = `${b.namespace ?? ""}/${b.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  // Said only when nothing else explains it (objects of other kinds, malformed pods, pods without IPs).
  if (endpoints.length === 0 && l.diagnostics.length === 0) {
    l.diagnostics.push(
      makeDiag("POL5007", { file: path, start: 0, end: 0 }, "the inventory holds no pod with an address: there is nothing to analyse or enforce for it", {
        help: "export the cluster's namespaces and pods: `kubectl get namespaces,pods -A -o yaml > cluster.yaml`",
      }),
    );
  }
  return {
    inventory: { namespaces: [...l.namespaces].sort(byName), endpoints: endpoints.sort(byName) },
    diagnostics: sortDiagnostics(l.diagnostics),
    file,
  };
}

/** Reads and loads an inventory file; `displayPath` is how messages name it. */
export function loadInventoryFile(absPath: string, displayPath: string): InventoryLoad {
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (err) {
    const file = makeSourceFile(displayPath, "");
    const reason = err instanceof Error ? err.message : String(err);
    return {
      inventory: { namespaces: [], endpoints: [] },
      diagnostics: [makeDiag("POL5001", { file: displayPath, start: 0, end: 0 }, `cannot read the inventory \`${displayPath}\`: ${reason}`, { help: "check the path" })],
      file,
    };
  }
  return loadInventoryText(displayPath, text);
}

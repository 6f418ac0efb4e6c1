// Syntax of the names Kubernetes and Calico accept: DNS labels and subdomains, label keys (qualified
// names), label values and named ports (IANA service names). Each checker returns undefined when the
// text is valid, else a short reason for a diagnostic ("longer than 63 characters", …).

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A DNS-1123 label (Calico tier names, policy names without the tier prefix, namespaces). */
export function dnsLabelProblem(text: string, maxLength = 63): string | undefined {
  if (text.length === 0) return "it is empty";
  if (text.length > maxLength) return `it is ${text.length} characters long (at most ${maxLength})`;
  if (!DNS_LABEL.test(text)) {
    if (text.includes(".")) return "it contains a dot";
    if (/[A-Z]/.test(text)) return "it contains upper-case letters";
    if (/^-|-$/.test(text)) return "it starts or ends with `-`";
    return "it may only contain lower-case letters, digits and `-`";
  }
  return undefined;
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function dnsSubdomainProblem(text: string): string | undefined {
  if (text.length === 0) return "it is empty";
  if (text.length > 253) return `it is ${text.length} characters long (at most 253)`;
  for (const part of text.split(".")) {
    if (!DNS_LABEL.test(part)) return "each dot-separated part must be lower-case letters, digits and `-`";
  }
  return undefined;
}

/** A Kubernetes label key: `[prefix/]name`, prefix a DNS subdomain, name <= 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length > 2) return "it contains more than one `/`";
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) return "the prefix before `/` is empty";
    const p = dnsSubdomainProblem(prefix);
    if (p) return `the prefix \`${prefix}\` is not a DNS subdomain: ${p}`;
  }
  if (name.length === 0) return "the name is empty";
  if (name.length > 63) return `the name is ${name.length} characters long (at most 63)`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "the name must start and end with a letter or digit and contain only letters, digits, `-`, `_` and `.`";
  }
  return undefined;
}

/** A Kubernetes label value: empty, or <= 63 characters of letters, digits, `-`, `_`, `.`, starting and
 *  ending with a letter or digit. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `it is ${value.length} characters long (label values have at most 63)`;
  if (!LABEL_VALUE.test(value)) {
    return "label values contain only letters, digits, `-`, `_` and `.`, and start and end with a letter or digit";
  }
  return undefined;
}

/** A Kubernetes IANA_SVC_NAME (named container port): <= 15 characters of `[a-z0-9-]`, at least one
 *  letter, no leading, trailing or doubled `-`. */
export function namedPortProblem(name: string): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name.length > 15) return `it is ${name.length} characters long (at most 15)`;
  if (!/^[a-z0-9-]+$/.test(name)) return "it may only contain lower-case letters, digits and `-`";
  if (!/[a-z]/.test(name)) return "it must contain at least one letter";
  if (name.startsWith("-") || name.endsWith("-")) return "it starts or ends with `-`";
  if (name.includes("--")) return "it contains `--`";
  return undefined;
}

// The name validators against the Kubernetes/Calico rules (calico-reference.md §a.7, §b.1).

import { describe, expect, it } from "vitest";
import { dnsLabelProblem, dnsSubdomainProblem, labelKeyProblem, labelValueProblem, namedPortProblem } from "../../src/semantic/names.js";

describe("DNS labels", () => {
  it("accepts lower-case letters, digits and inner dashes", () => {
    for (const ok of ["a", "web", "team-a", "0abc", "a".repeat(63)]) expect(dnsLabelProblem(ok), ok).toBeUndefined();
  });
  it("rejects dots, capitals, edge dashes, empty and long names", () => {
    expect(dnsLabelProblem("a.b")).toMatch(/dot/);
    expect(dnsLabelProblem("Web")).toMatch(/upper-case/);
    expect(dnsLabelProblem("-a")).toMatch(/starts or ends/);
    expect(dnsLabelProblem("a-")).toMatch(/starts or ends/);
    expect(dnsLabelProblem("")).toMatch(/empty/);
    expect(dnsLabelProblem("a".repeat(64))).toMatch(/64 characters/);
    expect(dnsLabelProblem("a_b")).toMatch(/lower-case letters, digits/);
  });
  it("subdomains are dot-separated labels up to 253", () => {
    expect(dnsSubdomainProblem("kubernetes.io")).toBeUndefined();
    expect(dnsSubdomainProblem("a..b")).toBeDefined();
    expect(dnsSubdomainProblem("a".repeat(254))).toMatch(/254/);
  });
});

describe("label keys", () => {
  it("accepts plain and prefixed qualified names", () => {
    for (const ok of ["app", "k8s-app", "app.kubernetes.io/name", "kubernetes.io/metadata.name", "projectcalico.org/namespace", "A_b.c", "x".repeat(63)]) {
      expect(labelKeyProblem(ok), ok).toBeUndefined();
    }
  });
  it("rejects bad prefixes, names and shapes", () => {
    expect(labelKeyProblem("a/b/c")).toMatch(/more than one/);
    expect(labelKeyProblem("/x")).toMatch(/prefix/);
    expect(labelKeyProblem("Example.com/x")).toMatch(/prefix/);
    expect(labelKeyProblem("-app")).toMatch(/start and end/);
    expect(labelKeyProblem("x".repeat(64))).toMatch(/64 characters/);
    expect(labelKeyProblem("a/")).toMatch(/empty/);
  });
});

describe("label values", () => {
  it("accepts empty and well-formed values", () => {
    for (const ok of ["", "web", "v1.2_3-x", "A"]) expect(labelValueProblem(ok), ok).toBeUndefined();
  });
  it("rejects spaces, edge punctuation and long values", () => {
    expect(labelValueProblem("web server")).toBeDefined();
    expect(labelValueProblem("-web")).toBeDefined();
    expect(labelValueProblem("x".repeat(64))).toMatch(/64/);
  });
});

describe("named ports (IANA_SVC_NAME)", () => {
  it("accepts Kubernetes port names", () => {
    for (const ok of ["http", "http-alt", "h2c", "a1", "metrics-15chars"]) expect(namedPortProblem(ok), ok).toBeUndefined();
  });
  it("rejects what Felix would reject", () => {
    expect(namedPortProblem("1234")).toMatch(/letter/);
    expect(namedPortProblem("http--alt")).toMatch(/--/);
    expect(namedPortProblem("-http")).toMatch(/starts or ends/);
    expect(namedPortProblem("HTTP")).toMatch(/lower-case/);
    expect(namedPortProblem("a-very-long-port-name")).toMatch(/at most 15/);
  });
});

import { describe, expect, it } from "vitest";
import { runEngine } from "../../src/analysis/engine.js";
import { findings } from "../../src/analysis/findings/index.js";
import { renderText } from "../../src/diag/render.js";
import { sortDiagnostics } from "../../src/diag/diagnostic.js";
import { dnsLostWorld, sources } from "./helpers/dns-world.js";

describe("findings on the DNS-lost world (hand-built IR)", () => {
  it("reports the DNS rule partly overridden by the end of tier `app`", () => {
    const res = runEngine(dnsLostWorld());
    const diags = sortDiagnostics(findings(res));
    const text = renderText(diags, sources);
    console.log(text);
    const dns = diags.find((d) => d.code === "POL3213" && d.message.includes("guardrail `dns`"));
    expect(dns).toBeDefined();
    expect(dns!.message).toContain("tier `app` ends in deny");
  });
});

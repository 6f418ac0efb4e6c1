import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { compile } from "../../src/compile.js";
import { renderText } from "../../src/diag/render.js";
import { irToJson } from "../../src/ir/json.js";
it("scratch", () => {
  for (const ex of ["three-tier", "security-hierarchy"]) {
    const r = compile([`/work/main/examples/${ex}/policy.pol`], { projectRoot: "/work/main" });
    writeFileSync(`/tmp/h6/${ex}.txt`, renderText(r.diagnostics, r.sources) + "\n" + (r.outputs?.yaml ?? "NO OUTPUT") + "\n" + (r.ir ? irToJson(r.ir) : ""));
  }
});

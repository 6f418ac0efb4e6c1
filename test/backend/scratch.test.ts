import { it } from "vitest";
import { writeFileSync, readdirSync } from "node:fs";
import { compile } from "../../src/compile.js";
import { renderText } from "../../src/diag/render.js";
it("scratch", () => {
  let out = "";
  for (const c of readdirSync("/work/main/test/golden").filter((x) => !x.includes("."))) {
    const r = compile([`/work/main/test/golden/${c}/input.pol`], { projectRoot: "/work/main" });
    out += `===== ${c}\n` + renderText(r.diagnostics, r.sources) + "\n" + (r.outputs?.yaml ?? "NO OUTPUT") + "\n";
  }
  writeFileSync(`/tmp/h6/golden.txt`, out);
});

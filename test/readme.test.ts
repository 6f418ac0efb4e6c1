// The README's tour of the language is a real program: it checks with no finding at all and is
// formatted as `polc fmt` formats it, so a new user who copies it sees what the README promises.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot, run } from "./cli/run.js";

const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
const tour = /```pol\n([\s\S]*?)```/.exec(readme)?.[1];

describe("README", () => {
  it("has a tour of the language in a ```pol block", () => {
    expect(tour).toBeDefined();
    expect(tour!.split("\n").length).toBeGreaterThan(20);
  });

  it("the tour checks and compiles cleanly, and is formatted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "polc-readme-"));
    writeFileSync(join(dir, "tour.pol"), tour!);
    const check = await run(["check", "tour.pol", "--info"], dir);
    expect(check.out).toBe("no problems found\n");
    expect(check.code).toBe(0);
    const compile = await run(["compile", "tour.pol", "--out", join(dir, "calico.yaml")], dir);
    expect(compile.err).toBe("");
    expect(compile.code).toBe(0);
    const fmt = await run(["fmt", "--check", "tour.pol"], dir);
    expect(fmt.code, fmt.out + fmt.err).toBe(0);
  });
});

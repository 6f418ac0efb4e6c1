// `polc fmt` end to end on a temporary directory: stdout, --check, --write, directories, syntax
// errors rendered as polc renders them, missing paths, .prettierrc.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runFmt } from "../../src/cli/fmt.js";

let dir: string;
const UGLY = "tier   app order 300 default pass\ngroup a = app==\"a\"\n";
const PRETTY = 'tier app order 300 default pass\ngroup a = app == "a"\n';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "polc-fmt-"));
  mkdirSync(join(dir, "sub", "deeper"), { recursive: true });
  writeFileSync(join(dir, "b.pol"), UGLY);
  writeFileSync(join(dir, "a.pol"), PRETTY);
  writeFileSync(join(dir, "sub", "deeper", "c.pol"), UGLY);
  writeFileSync(join(dir, "sub", "notes.txt"), "not a pol file");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("polc fmt", () => {
  it("prints the formatted text without flags", async () => {
    const r = await runFmt(["b.pol"], { cwd: dir });
    expect(r).toEqual({ stdout: PRETTY, stderr: "", exitCode: 0 });
    expect(readFileSync(join(dir, "b.pol"), "utf8")).toBe(UGLY);
  });

  it("--check lists unformatted files, sorted, and exits 1", async () => {
    const r = await runFmt(["."], { cwd: dir, check: true });
    expect(r.stdout).toBe("b.pol\nsub/deeper/c.pol\n");
    expect(r.stderr).toContain("2 files are not formatted");
    expect(r.exitCode).toBe(1);
    expect((await runFmt(["a.pol"], { cwd: dir, check: true })).exitCode).toBe(0);
  });

  it("--write rewrites changed files, lists them, leaves no temporary files", async () => {
    const r = await runFmt(["."], { cwd: dir, write: true });
    expect(r).toEqual({ stdout: "b.pol\nsub/deeper/c.pol\n", stderr: "", exitCode: 0 });
    expect(readFileSync(join(dir, "b.pol"), "utf8")).toBe(PRETTY);
    expect(readFileSync(join(dir, "sub", "deeper", "c.pol"), "utf8")).toBe(PRETTY);
    expect(readdirSync(dir).filter((f) => f.startsWith(".polc-tmp"))).toEqual([]);
    expect((await runFmt(["."], { cwd: dir, check: true })).exitCode).toBe(0);
  });

  it("reports syntax errors as polc does and formats nothing", async () => {
    writeFileSync(join(dir, "bad.pol"), 'group x = app = "b"\n');
    const r = await runFmt(["bad.pol", "b.pol"], { cwd: dir, write: true });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("error[POL0202]");
    expect(r.stderr).toContain("--> bad.pol:1:15");
    expect(r.stderr).toContain('1 | group x = app = "b"');
    expect(readFileSync(join(dir, "bad.pol"), "utf8")).toBe('group x = app = "b"\n');
    expect(r.stdout).toBe("b.pol\n"); // the good file is still formatted
  });

  it("a missing path is a usage error (exit 2)", async () => {
    const r = await runFmt(["nope.pol"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("error: no such file or directory: nope.pol\n");
  });

  it("honours printWidth from a .prettierrc", async () => {
    const long = 'group g = namespace "frontend" && app == "web" && tier in {"web", "api"}\n';
    writeFileSync(join(dir, "long.pol"), long);
    expect((await runFmt(["long.pol"], { cwd: dir })).stdout).toBe(long);
    writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ printWidth: 40 }));
    const r = await runFmt(["long.pol"], { cwd: dir });
    expect(r.stdout).toBe('group g = namespace "frontend"\n  && app == "web"\n  && tier in {"web", "api"}\n');
  });
});

describe("polc fmt and .prettierignore", () => {
  it("skips ignored files found in directories, not files named explicitly", async () => {
    writeFileSync(join(dir, ".prettierignore"), "sub/\n");
    expect((await runFmt(["."], { cwd: dir, check: true })).stdout).toBe("b.pol\n");
    expect((await runFmt(["sub/deeper/c.pol"], { cwd: dir, check: true })).stdout).toBe("sub/deeper/c.pol\n");
  });
});

describe("polc fmt through the command line", () => {
  it("is wired to `polc fmt` with --check and --write", async () => {
    const { main } = await import("../../src/cli/main.js");
    let out = "";
    let err = "";
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), cwd: dir, isTTY: false };
    expect(await main(["fmt", "--check", "."], io)).toBe(1);
    expect(out).toBe("b.pol\nsub/deeper/c.pol\n");
    out = "";
    expect(await main(["fmt", "--write", "b.pol"], io)).toBe(0);
    expect(out).toBe("b.pol\n");
    expect(await main(["fmt", "missing.pol"], io)).toBe(2);
    expect(err).toContain("no such file or directory: missing.pol");
  });
});

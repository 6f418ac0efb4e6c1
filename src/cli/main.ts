// The `polc` command line. Exit codes are stable: 0 ok, 1 findings or errors, 2 usage or internal error.

import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCheck, runCompile, runExplain, type Io } from "./commands.js";

const here = dirname(fileURLToPath(import.meta.url));

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(here, "..", "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

const EXAMPLES = `
Examples:
  $ polc check examples/three-tier            check a project (every .pol file below it)
  $ polc check policy.pol --format json       machine-readable diagnostics
  $ polc check . --format sarif > polc.sarif  SARIF 2.1.0 for code scanning (--format github: annotations)
  $ polc compile examples/three-tier --target calico --out calico.yaml
  $ polc compile src/ --target calico --split out/    one file per Calico object
  $ polc compile examples/three-tier --target nft --inventory examples/three-tier/cluster.yaml --out ruleset.nft
  $ polc compile src/ --target all --inventory cluster.yaml --out-dir out/   calico.yaml + ruleset.nft
  $ polc fmt --check .                        list files that are not formatted (exit 1)
  $ polc explain POL1001                      the long explanation of a diagnostic code
  $ polc lsp --stdio                          the language server, for editors
  $ polc trace examples/three-tier --inventory examples/three-tier/cluster.yaml \
      --from frontend/web-1 --to backend/api-1 --proto tcp --port 80

Exit codes: 0 ok, 1 errors or findings, 2 usage error.`;

export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command();
  program
    .name("polc")
    .description("Compiler for .pol: typed, tier-aware network policy for Kubernetes on Calico")
    .version(version(), "-V, --version", "print the polc version")
    .addHelpText("after", EXAMPLES)
    .showHelpAfterError("(run `polc --help` for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const formatOption = () =>
    new Option("--format <format>", "diagnostic output format").choices(["text", "json", "sarif", "github"]).default("text");
  const colorOption = () => new Option("--color <when>", "colour diagnostics").choices(["auto", "always", "never"]).default("auto");

  program
    .command("check")
    .description("parse and check .pol files; report every problem")
    .argument("<paths...>", ".pol files or directories (every .pol file below them)")
    .addOption(formatOption())
    .addOption(colorOption())
    .option("--root <dir>", "project root: imports may not leave it (default: current directory)")
    .option("--deny-warnings", "exit 1 when there are warnings, not only errors")
    .option("--no-analysis", "skip the tier-chain analysis (shadowed, redundant and dead rules)")
    .option("--info", "also show info-level findings (e.g. rules that change nothing)")
    .option("--severity <code=level...>", "override a warning's or finding's severity: error, warning, info or off (repeatable)")
    .option("--inventory <file>", "analyse for this cluster (kubectl get namespaces,pods -A -o yaml): what is dead for its pods")
    .action(async (paths: string[], opts) => {
      exitCode = await runCheck(paths, opts, io);
    });

  program
    .command("trace")
    .description("which tiers, policies and rules decide a flow: enforced and pending verdicts, like Calico's flow logs")
    .argument("<paths...>", ".pol files or directories (one project)")
    .requiredOption("--from <end>", "source: NAMESPACE/POD (needs --inventory) or an IP address")
    .requiredOption("--to <end>", "destination: NAMESPACE/POD (needs --inventory) or an IP address")
    .option("--proto <protocol>", "tcp, udp, sctp, icmp, icmpv6 or a protocol number", "tcp")
    .option("--port <port>", "destination port (tcp, udp, sctp)")
    .option("--icmp-type <n>", "ICMP type (icmp, icmpv6)")
    .option("--icmp-code <n>", "ICMP code (with --icmp-type)")
    .addOption(new Option("--family <n>", "address family when both ends are dual-stack pods").choices(["4", "6"]))
    .option("--inventory <file>", "the cluster's namespaces and pods (kubectl get namespaces,pods -A -o yaml)")
    .addOption(new Option("--format <format>", "output format (json mirrors Calico's flow-log policy trace)").choices(["text", "json"]).default("text"))
    .addOption(colorOption())
    .option("--root <dir>", "project root (default: current directory)")
    .action(async (paths: string[], opts) => {
      const { runTrace } = await import("./trace.js");
      exitCode = await runTrace(paths, opts, io);
    });

  program
    .command("compile")
    .description("compile .pol files to Calico YAML or an nftables ruleset (nothing is written if there is any error)")
    .argument("<paths...>", ".pol files or directories")
    .addOption(new Option("--target <target>", "calico: Calico YAML; nft: an nftables ruleset for --inventory; all: both").choices(["calico", "nft", "all"]).default("calico"))
    .option("-o, --out <file>", "write the YAML stream (calico) or the ruleset (nft) to FILE (`-` for stdout)")
    .option("--split <dir>", "write one file per Calico object into DIR")
    .option("--inventory <file>", "the cluster's namespaces and pods for --target nft|all (kubectl get namespaces,pods -A -o yaml)")
    .option("--out-dir <dir>", "--target all: write DIR/calico.yaml and DIR/ruleset.nft")
    .addOption(formatOption())
    .addOption(colorOption())
    .option("--root <dir>", "project root (default: current directory)")
    .option("--deny-warnings", "treat warnings as errors")
    .option("--no-analysis", "skip the tier-chain analysis (its errors, like `check`'s, keep anything from being written)")
    .option("--severity <code=level...>", "override a warning's or finding's severity: error, warning, info or off (repeatable)")
    .action(async (paths: string[], opts) => {
      exitCode = await runCompile(paths, opts, io);
    });

  program
    .command("fmt")
    .description("format .pol files (the same prettier plugin editors use)")
    .argument("<paths...>", ".pol files or directories")
    .option("--check", "list files that are not formatted and exit 1 if any")
    .option("--write", "rewrite files in place")
    .action(async (paths: string[], opts: { check?: boolean; write?: boolean }) => {
      const { runFmt } = await import("./fmt.js");
      const r = await runFmt(paths, { check: opts.check, write: opts.write, cwd: io.cwd });
      if (r.stdout) io.out(r.stdout);
      if (r.stderr) io.err(r.stderr);
      exitCode = r.exitCode;
    });

  program
    .command("lsp")
    .description("run the language server (diagnostics, hover, definitions, references, symbols, formatting)")
    .option("--stdio", "talk LSP over stdin/stdout (the only transport)")
    .action(async () => {
      const { startServer } = await import("../lsp/server.js");
      startServer();
    });

  program
    .command("explain")
    .description("print the long explanation of a diagnostic code")
    .argument("<code>", "a diagnostic code such as POL1001")
    .action((code: string) => {
      exitCode = runExplain(code, io);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    io.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
  return exitCode;
}

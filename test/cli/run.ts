// Runs the `polc` command line in-process, capturing what it writes, for the CLI tests.

import { resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/commands.js";

export const projectRoot = resolve(import.meta.dirname, "../..");

export async function run(args: string[], cwd = projectRoot): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), cwd, isTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

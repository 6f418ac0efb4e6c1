#!/usr/bin/env node
// Entry point of the `polc` executable: wires the real process streams into `main`.

import type { Io } from "./commands.js";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  process.stderr.write(`polc needs Node.js 22 or newer; this is Node.js ${process.versions.node}\n`);
  process.exit(2);
}
const { main } = await import("./main.js");

// `polc check … | head`: a reader that closes the pipe early is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const io: Io = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);

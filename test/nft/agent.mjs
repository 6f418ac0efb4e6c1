// The program that runs inside each lab namespace (spawned with `ip netns exec`), plain Node with no
// dependency:
//
//   node agent.mjs serve '{"tcp":[80],"udp":[53]}'   listen on every address (IPv4 and IPv6); TCP
//       connections are held open, UDP datagrams are echoed; prints "ready" once every port is bound
//   node agent.mjs probe '[{"id":0,"proto":"tcp","dst":"10.0.0.2","port":80}, …]' TIMEOUT_MS
//       runs every probe at once and prints one JSON line: {"<id>": "open" | "timeout" | "refused" | …}
//
// A probe is "open" when the flow got through: the TCP handshake completed, the UDP datagram was
// echoed, the ping was answered. Dropped flows time out. "refused" means no listener: a lab error.

import { createServer, connect } from "node:net";
import { createSocket } from "node:dgram";
import { spawn } from "node:child_process";
import { isIPv6 } from "node:net";

const [mode, arg, timeoutArg] = process.argv.slice(2);

function serve(spec) {
  const held = [];
  const pending = [];
  for (const port of spec.tcp ?? []) {
    const s = createServer((sock) => {
      held.push(sock);
      sock.on("error", () => {});
    });
    pending.push(new Promise((res, rej) => s.listen({ port, host: "::", ipv6Only: false }, res).on("error", rej)));
  }
  for (const port of spec.udp ?? []) {
    const s = createSocket({ type: "udp6", ipv6Only: false });
    s.on("message", (msg, rinfo) => s.send(msg, rinfo.port, rinfo.address));
    pending.push(new Promise((res, rej) => s.bind({ port, address: "::" }, res).on("error", rej)));
  }
  Promise.all(pending).then(
    () => process.stdout.write("ready\n"),
    (e) => {
      process.stdout.write(`error ${e.message}\n`);
      process.exit(1);
    },
  );
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}

function tcp(p, timeout) {
  return new Promise((res) => {
    const s = connect({ host: p.dst, port: p.port });
    const done = (v) => {
      clearTimeout(t);
      s.destroy();
      res(v);
    };
    const t = setTimeout(() => done("timeout"), timeout);
    s.on("connect", () => done("open"));
    s.on("error", (e) => done(e.code === "ECONNREFUSED" ? "refused" : `error ${e.code}`));
  });
}

function udp(p, timeout) {
  return new Promise((res) => {
    const s = createSocket(isIPv6(p.dst) ? "udp6" : "udp4");
    const token = `probe-${p.id}`;
    const done = (v) => {
      clearTimeout(t);
      s.close();
      res(v);
    };
    const t = setTimeout(() => done("timeout"), timeout);
    s.on("message", (m) => {
      if (m.toString() === token) done("open");
    });
    s.on("error", (e) => done(`error ${e.code}`));
    s.send(token, p.port, p.dst);
  });
}

function ping(p, timeout) {
  return new Promise((res) => {
    const secs = Math.max(1, Math.ceil(timeout / 1000));
    const c = spawn("ping", [isIPv6(p.dst) ? "-6" : "-4", "-n", "-c1", `-W${secs}`, p.dst], { stdio: "ignore" });
    c.on("error", (e) => res(`error ${e.code}`));
    c.on("exit", (code) => res(code === 0 ? "open" : "timeout"));
  });
}

async function probe(list, timeout) {
  const out = {};
  await Promise.all(
    list.map(async (p) => {
      out[p.id] = p.proto === "tcp" ? await tcp(p, timeout) : p.proto === "udp" ? await udp(p, timeout) : await ping(p, timeout);
    }),
  );
  process.stdout.write(JSON.stringify(out) + "\n");
}

if (mode === "serve") serve(JSON.parse(arg));
else if (mode === "probe") probe(JSON.parse(arg), Number(timeoutArg ?? 1000));
else {
  process.stderr.write("usage: agent.mjs serve SPEC | probe PROBES TIMEOUT_MS\n");
  process.exit(2);
}

// Preloaded with `node --import` into the CLI under test: every attempt to open a
// network connection or resolve a name is recorded (to $CAMPAIGN_LINT_NETLOG) and refused.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';

const log = process.env.CAMPAIGN_LINT_NETLOG;
function refuse(what) {
  if (log) appendFileSync(log, `${what}\n`);
  throw new Error(`network access refused in test: ${what}`);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(...args) {
  const target = typeof args[0] === 'object' && args[0] !== null ? JSON.stringify({ host: args[0].host, port: args[0].port, path: args[0].path }) : String(args[0]);
  // IPC sockets (a path) are not network traffic.
  if (typeof args[0] === 'object' && args[0] !== null && typeof args[0].path === 'string') return connect.apply(this, args);
  refuse(`connect ${target}`);
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  dns[name] = () => refuse(`dns.${name}`);
}
globalThis.fetch = async (input) => refuse(`fetch ${String(input)}`);

/**
 * A tiny DNS server on 127.0.0.1 for tests: answers TXT queries from a table (RFC 1035 wire
 * format over UDP), NXDOMAIN for names it does not know, an empty answer for known names without
 * TXT records, SERVFAIL for names listed in `failing`. Every query is recorded.
 */
import { createSocket } from 'node:dgram';

export interface DnsServer {
  /** `127.0.0.1:PORT`, for Resolver#setServers. */
  address: string;
  queries: string[];
  close(): Promise<void>;
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (;;) {
    const length = message[at] ?? 0;
    if (length === 0) return { name: labels.join('.').toLowerCase(), end: at + 1 };
    labels.push(message.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
}

function txtRdata(strings: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const text of strings) {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length || at === 0; at += 255) {
      const chunk = bytes.subarray(at, at + 255);
      parts.push(Buffer.from([chunk.length]), chunk);
      if (bytes.length === 0) break;
    }
  }
  return Buffer.concat(parts);
}

/** `records`: name → TXT records (each a list of strings, joined by resolvers). */
export async function startDnsServer(records: Record<string, string[][]>, options: { failing?: string[] } = {}): Promise<DnsServer> {
  const table = new Map(Object.entries(records).map(([name, value]) => [name.toLowerCase(), value]));
  const failing = new Set((options.failing ?? []).map((name) => name.toLowerCase()));
  const queries: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const { name, end } = readName(query, 12);
    const type = query.readUInt16BE(end);
    queries.push(`${name} ${type}`);
    const question = query.subarray(12, end + 4);
    const known = table.get(name);
    const rcode = failing.has(name) ? 2 : known === undefined ? 3 : 0;
    const answers = rcode === 0 && type === 16 ? (known ?? []) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8180 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const records2 = answers.map((strings) => {
      const rdata = txtRdata(strings);
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0);
      fixed.writeUInt16BE(16, 2);
      fixed.writeUInt16BE(1, 4);
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([fixed, rdata]);
    });
    socket.send(Buffer.concat([header, question, ...records2]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => {
    socket.bind(0, '127.0.0.1', resolve);
  });
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

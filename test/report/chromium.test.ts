/**
 * The report in a real browser: Debian's headless Chromium loads it from disk and takes a
 * screenshot. Two independent witnesses for "no network request":
 *  - every connection Chromium makes goes through a proxy we run (loopback included), which
 *    records the request line;
 *  - Chromium's own net log says which requests the page started (their network isolation
 *    key is the page's file:// site) and which the browser started for itself (initiator
 *    "not an origin": update checks, network time, account lookups that these flags do not
 *    switch off in every build).
 * The page may start none, and the proxy may see nothing but the browser's own requests. A
 * control page with a remote image shows that both witnesses do see a page's request.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { CAMPAIGN, reportProject } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (missing !== undefined) console.log(`# skipping the browser test: ${missing}`);

const scratch = mkdtempSync(join(tmpdir(), 'campaign-lint-chromium-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface BrowserRun {
  /** Request lines the proxy received (`GET http://…`, `CONNECT host:443`). */
  proxied: string[];
  /** URLs of requests the page started, per the net log. */
  pageRequests: string[];
  /** Hosts of requests the browser started for itself, per the net log. */
  browserHosts: Set<string>;
  screenshot: string;
}

interface NetLog {
  constants: { logEventTypes: Record<string, number> };
  events: { type: number; params?: { url?: string; initiator?: string; network_isolation_key?: string } }[];
}

function readNetLog(path: string): NetLog {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as NetLog;
  } catch {
    // A log cut short at exit lacks its closing brackets.
    return JSON.parse(`${text.replace(/,?\s*$/, '')}]}`) as NetLog;
  }
}

async function openInChromium(file: string, name: string): Promise<BrowserRun> {
  const proxied: string[] = [];
  const proxy = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (chunk) => {
      proxied.push(chunk.toString('latin1').split('\r\n', 1)[0] ?? '');
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  const screenshot = join(scratch, `${name}.png`);
  const netLog = join(scratch, `${name}.netlog.json`);
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', `--user-data-dir=${join(scratch, `${name}-profile`)}`,
    `--proxy-server=127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>', `--log-net-log=${netLog}`,
    '--hide-scrollbars', `--screenshot=${screenshot}`, '--window-size=1200,2000', pathToFileURL(file).href,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`chromium exited with ${String(code)}: ${stderr.slice(-2000)}`));
      });
    });
  } finally {
    proxy.close();
  }
  const log = readNetLog(netLog);
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const pageRequests: string[] = [];
  const browserHosts = new Set<string>();
  for (const event of log.events) {
    const url = event.params?.url;
    if (event.type !== startJob || url === undefined) continue;
    if (event.params?.initiator === 'not an origin' && !(event.params.network_isolation_key ?? '').includes('file://')) browserHosts.add(new URL(url).host);
    else pageRequests.push(url);
  }
  return { proxied, pageRequests, browserHosts, screenshot };
}

/** `CONNECT a.test:443 HTTP/1.1` → `a.test:443`; `GET http://a.test/x HTTP/1.1` → `a.test`. */
function proxiedHost(line: string): string {
  const target = line.split(' ')[1] ?? '';
  return line.startsWith('CONNECT ') ? target.replace(/:443$/, '') : new URL(target).host;
}

test('the report loads nothing from the network in Chromium and renders a screenshot', { skip: missing, timeout: 240_000 }, async () => {
  const root = reportProject();
  const run = runCli(['report', CAMPAIGN, '-o', 'report.html'], { cwd: root });
  assert.equal(run.status, 1, run.stderr);
  const html = readFileSync(join(root, 'report.html'), 'utf8');
  assert.ok(html.includes('tracker.example.test') && html.includes('fonts.example.test'), 'the email really refers to remote resources');

  const page = await openInChromium(join(root, 'report.html'), 'report');
  assert.deepEqual(page.pageRequests, [], 'requests started by the page');
  const stray = page.proxied.filter((line) => !page.browserHosts.has(proxiedHost(line)));
  assert.deepEqual(stray, [], 'connections that are not the browser’s own');
  assert.ok(!page.proxied.some((line) => line.includes('example.test')), 'no request for the email’s resources');
  assert.ok(statSync(page.screenshot).size > 30_000, 'a screenshot with content');

  // The control: the same browser, a page with remote resources and no policy.
  const control = join(scratch, 'control.html');
  writeFileSync(control, '<!doctype html><p>control</p><img src="http://tracker.example.test/pixel.gif"><img src="https://cdn.example.test/a.png">');
  const seen = await openInChromium(control, 'control');
  assert.deepEqual([...seen.pageRequests].sort(), ['http://tracker.example.test/pixel.gif', 'https://cdn.example.test/a.png']);
  assert.ok(seen.proxied.includes('GET http://tracker.example.test/pixel.gif HTTP/1.1'), 'the proxy sees a page request');
  assert.ok(seen.proxied.some((line) => line.startsWith('CONNECT cdn.example.test:443')), 'and an https one');
});

/**
 * campaign-lint reads; only `approve` (and `init`, which exists to write a starter
 * project) may write. And nothing but github-mode approval opens a connection.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { gitCommitAll, gitInit, runCli } from '../helpers/cli.js';

const NO_NETWORK = fileURLToPath(new URL('../helpers/no-network.mjs', import.meta.url));
const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\n  archive_addresses: [archive@example.com]\n';

function treeHash(root: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hashes.set(relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return hashes;
}

function project(): string {
  const root = tempTree({
    'campaign-lint.config.yaml': POLICY,
    'campaigns/sale/campaign.yaml': `${VALID_CAMPAIGN}cc: [ann@example.com]\n`,
    ...Object.fromEntries(Object.entries(VALID_FILES).map(([name, content]) => [`campaigns/sale/${name}`, content])),
  });
  gitInit(root);
  gitCommitAll(root);
  return root;
}

const outside = mkdtempSync(join(tmpdir(), 'campaign-lint-out-'));
const READERS: string[][] = [
  [],
  ['campaigns/sale/campaign.yaml'],
  ['campaigns/sale/recipients.csv'],
  ...['stylish', 'json', 'sarif', 'github', 'junit', 'markdown'].map((format) => ['-f', format, '-o', join(outside, `report.${format}`)]),
  ['--config-ref', 'HEAD'],
  ['digest', 'campaigns/sale/campaign.yaml'],
  ['rules'],
  ['rules', 'no-cc'],
  ['--help'],
];

test('every command but approve leaves the repository byte-identical and creates nothing', () => {
  const root = project();
  const before = treeHash(root);
  for (const args of READERS) {
    const run = runCli(args, { cwd: root });
    assert.ok(run.status !== null && run.status <= 1, `${args.join(' ')}: ${run.stderr}`);
    assert.deepEqual(treeHash(root), before, `campaign-lint ${args.join(' ')} changed the repository`);
  }
});

test('approve only appends', () => {
  const root = project();
  const path = join(root, 'campaigns/sale/campaign.yaml');
  const before = readFileSync(path, 'utf8');
  const others = treeHash(root);
  others.delete('campaigns/sale/campaign.yaml');
  assert.equal(runCli(['approve', 'campaigns/sale/campaign.yaml', '--by', 'bob@example.com'], { cwd: root }).status, 0);
  assert.ok(readFileSync(path, 'utf8').startsWith(before));
  const after = treeHash(root);
  after.delete('campaigns/sale/campaign.yaml');
  // git's index may be refreshed by nothing we run; every other file must be untouched.
  assert.deepEqual(after, others);
});

test('no command opens a network connection (interceptor proven by github mode)', () => {
  const root = project();
  const netlog = join(outside, 'netlog.txt');
  const env = { NODE_OPTIONS: `--import ${NO_NETWORK}`, CAMPAIGN_LINT_NETLOG: netlog };
  for (const args of [...READERS, ['approve', 'campaigns/sale/campaign.yaml', '--by', 'bob@example.com']]) {
    const run = runCli(args, { cwd: root, env });
    assert.ok(run.status !== null && run.status <= 1, `${args.join(' ')}: ${run.stderr}`);
    assert.ok(!existsSync(netlog), `campaign-lint ${args.join(' ')} tried the network: ${existsSync(netlog) ? readFileSync(netlog, 'utf8') : ''}`);
  }
  // Positive control: github-mode approval does reach for the network, and the interceptor sees it.
  const event = join(outside, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 1, head: { sha: 'a'.repeat(40) }, user: { login: 'alice' } } }));
  const github = runCli(['campaigns/sale/campaign.yaml', '--approvals', 'github'], {
    cwd: root,
    env: { ...env, GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'example-org/campaigns', GITHUB_TOKEN: 't', GITHUB_API_URL: 'https://api.github.test' },
  });
  assert.equal(github.status, 1);
  assert.ok(existsSync(netlog), 'the interceptor recorded the github-mode request');
  assert.match(github.stdout, /GitHub review check failed/);
});

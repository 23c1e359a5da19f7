import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { lintCampaign } from '../../src/core/linter.js';
import { findRule } from '../../src/rules/index.js';
import { clock, parseTimestamp } from '../../src/rules/suppression-fresh.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree, testConfig } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

const COMMITTED = '2024-01-01T00:00:00Z';
const at = (iso: string) => Date.parse(iso);
const realNow = clock.now;
afterEach(() => {
  clock.now = realNow;
});

/** A real git repository whose one commit (campaign, list) is dated COMMITTED. */
function repo(files: Record<string, string> = {}): string {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN.replace('body:\n', 'suppress:\n  - unsubscribed.csv\nbody:\n'), 'unsubscribed.csv': 'email\nzed@example.com\n', ...VALID_FILES, ...files });
  const env = { ...process.env, GIT_COMMITTER_DATE: COMMITTED, GIT_AUTHOR_DATE: COMMITTED, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'lists');
  return root;
}

async function findings(root: string, rules: Record<string, unknown> = { 'suppression-fresh': 'error' }, extra: Parameters<typeof testConfig>[1] = {}) {
  const rule = findRule('suppression-fresh');
  assert.ok(rule);
  const { results } = await lintCampaign(join(root, 'campaign.yaml'), testConfig(root, { rules, ...extra } as Parameters<typeof testConfig>[1]), { rules: [rule], showPii: false });
  return results.flatMap((result) => result.messages.filter((message) => message.ruleId === 'suppression-fresh').map((message) => ({ file: result.filePath.slice(root.length + 1), line: message.line, column: message.column, message: message.message, severity: message.severity })));
}

test('parseTimestamp reads ISO 8601, export date-times as UTC, Unix seconds and milliseconds, RFC 2822 with a zone', () => {
  assert.equal(parseTimestamp('2024-01-31T12:00:00Z'), at('2024-01-31T12:00:00Z'));
  assert.equal(parseTimestamp('2024-01-31T12:00:00+0100'), at('2024-01-31T11:00:00Z'));
  assert.equal(parseTimestamp('2024-01-31 12:00:00'), at('2024-01-31T12:00:00Z'));
  assert.equal(parseTimestamp('2024-01-31'), at('2024-01-31T00:00:00Z'));
  assert.equal(parseTimestamp('1706702400'), at('2024-01-31T12:00:00Z'));
  assert.equal(parseTimestamp('1706702400000'), at('2024-01-31T12:00:00Z'));
  assert.equal(parseTimestamp('Wed, 31 Jan 2024 12:00:00 GMT'), at('2024-01-31T12:00:00Z'));
  for (const text of ['', 'yesterday', '31/01/2024', '2024-13-45', 'Wed, 31 Jan 2024 12:00:00']) assert.equal(parseTimestamp(text), undefined, text);
});

test('off in recommended, an error under strict, and time-dependent', () => {
  const root = tempTree({});
  const meta = findRule('suppression-fresh')?.meta;
  assert.equal(meta?.timeDependent, true);
  assert.equal(testConfig(root).rules.get('suppression-fresh')?.severity, 0);
  assert.equal(testConfig(root, { extends: ['strict'] }).rules.get('suppression-fresh')?.severity, 2);
});

test('a committed list is dated by its commit: 48 hours pass, 49 do not', async () => {
  const root = repo();
  clock.now = () => at('2024-01-03T00:00:00Z');
  assert.deepEqual(await findings(root), []);
  clock.now = () => at('2024-01-03T01:00:00Z');
  assert.deepEqual(await findings(root), [
    {
      file: 'campaign.yaml',
      line: 15,
      column: 5,
      severity: 2,
      message: 'suppression list `unsubscribed.csv` is 49 hours old (from its last commit), older than 48 hours: people who unsubscribed since are still mailed. Export it again and commit it',
    },
  ]);
  // maxAgeHours moves the line.
  assert.deepEqual(await findings(root, { 'suppression-fresh': ['error', { maxAgeHours: 72 }] }), []);
});

test('a list changed since its commit is dated by its modification time', async () => {
  const root = repo();
  writeFileSync(join(root, 'unsubscribed.csv'), 'email\nzed@example.com\nyan@example.org\n');
  utimesSync(join(root, 'unsubscribed.csv'), new Date('2024-02-01T00:00:00Z'), new Date('2024-02-01T00:00:00Z'));
  clock.now = () => at('2024-02-02T00:00:00Z');
  assert.deepEqual(await findings(root), []);
  clock.now = () => at('2024-02-05T00:00:00Z');
  const [finding] = await findings(root);
  assert.equal(finding?.message, 'suppression list `unsubscribed.csv` is 96 hours old (from its modification time (changed since its last commit)), older than 48 hours: people who unsubscribed since are still mailed. Export it again and commit it');
});

test('timestampColumn: the newest timestamp dates the list, whatever the commit; a config list is reported at that cell', async () => {
  const list = 'email,created\nzed@example.com,2024-03-01 08:00:00\nyan@example.org,2024-03-02T10:00:00Z\nxi@example.net,1709200000\n';
  const root = repo({ 'lists/sendgrid.csv': list });
  clock.now = () => at('2024-03-04T09:00:00Z');
  const config = { suppression: ['lists/*.csv'] };
  const listed = async () => (await findings(root, { 'suppression-fresh': ['error', { timestampColumn: 'created' }] }, config)).filter((finding) => finding.file !== 'campaign.yaml');
  assert.deepEqual(await listed(), []);
  clock.now = () => at('2024-03-04T11:00:00Z');
  assert.deepEqual(
    (await findings(root, { 'suppression-fresh': ['error', { timestampColumn: 'created' }] }, config)).map(({ file, line, column, message }) => ({ file, line, column, message })),
    [
      // The campaign's list has no `created` column: dated by its commit, said once as a warning.
      { file: 'campaign.yaml', line: 15, column: 5, message: 'suppression list `unsubscribed.csv` has no readable timestamp in column `created`; its age is taken from its last commit' },
      { file: 'campaign.yaml', line: 15, column: 5, message: 'suppression list `unsubscribed.csv` is 1523 hours old (from its last commit), older than 48 hours: people who unsubscribed since are still mailed. Export it again and commit it' },
      { file: 'lists/sendgrid.csv', line: 3, column: 17, message: 'suppression list `lists/sendgrid.csv` is 49 hours old (from its newest `created`), older than 48 hours: people who unsubscribed since are still mailed. Export it again and commit it' },
    ],
  );
});

test('--cache never reuses a run where suppression-fresh is on, and caches it when off', () => {
  const root = repo({ 'campaign-lint.config.yaml': 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\nrules:\n  suppression-fresh: error\n' });
  const env = { XDG_CACHE_HOME: tempTree({}), DEBUG: 'campaign-lint' };
  const on = runCli(['--cache', 'campaign.yaml'], { cwd: root, env });
  assert.match(on.stderr, /^campaign-lint: --cache: results not cached: rule suppression-fresh depends on the date$/m);
  writeFileSync(join(root, 'campaign-lint.config.yaml'), 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\n');
  runCli(['--cache', 'campaign.yaml'], { cwd: root, env });
  const second = runCli(['--cache', 'campaign.yaml'], { cwd: root, env });
  assert.match(second.stderr, /cache .*: 1 hit\(s\), 0 miss\(es\)/);
});

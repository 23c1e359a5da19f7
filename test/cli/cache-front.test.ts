/**
 * The front bundle (src/cli/front.ts) must answer a --cache run exactly as the whole command line
 * does: same exit code, stdout, stderr and files. Each test runs the launcher (front first) and the
 * whole bundle directly on the same tree and compares.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { CACHE_TEST_CONFIG, VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';

const WHOLE = fileURLToPath(new URL('../../dist/bin/campaign-lint.cjs', import.meta.url));

const CONFIG = CACHE_TEST_CONFIG;

function project(files: Record<string, string> = {}): { root: string; env: Record<string, string> } {
  const root = tempTree({ 'campaign-lint.config.yaml': CONFIG, 'campaign.yaml': VALID_CAMPAIGN, 'suppression/unsubscribed.csv': 'email\nzed@example.com\n', ...VALID_FILES, ...files });
  return { root, env: { XDG_CACHE_HOME: tempTree({}) } };
}

/** The whole command line, without the front. */
function whole(args: string[], cwd: string, env: Record<string, string>): CliRun {
  const scrubbed = new Set(['NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'GITHUB_ACTIONS', 'CI', 'GITHUB_TOKEN', 'GITHUB_EVENT_PATH']);
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !scrubbed.has(name)));
  const result = spawnSync(process.execPath, [WHOLE, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', input: '' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Whether the front answered the run (DEBUG says when it did not). */
function frontAnswered(args: string[], cwd: string, env: Record<string, string>): boolean {
  return !runCli(args, { cwd, env: { ...env, DEBUG: 'campaign-lint' } }).stderr.includes('not answered from the cache');
}

function sameAsWhole(args: string[], cwd: string, env: Record<string, string>): CliRun {
  const front = runCli(args, { cwd, env });
  const full = whole(args, cwd, env);
  assert.deepEqual(front, full);
  return front;
}

test('two campaigns, one a hit and one a miss: the whole command answers, nothing printed twice', () => {
  const { root, env } = project({ 'b/campaign.yaml': VALID_CAMPAIGN.replace('id: test-campaign', 'id: b').replace('body.txt', '../body.txt').replace('recipients.csv', '../recipients.csv') });
  const args = ['--cache', 'campaign.yaml', 'b/campaign.yaml'];
  assert.equal(runCli(['--cache', 'campaign.yaml'], { cwd: root, env }).status, 0);
  const front = runCli(args, { cwd: root, env });
  rmSync(join(root, '.campaignlintcache'));
  runCli(['--cache', 'campaign.yaml'], { cwd: root, env });
  assert.deepEqual(front, whole(args, root, env));
  assert.equal(front.status, 0);
  assert.equal(front.stdout, '✔ 2 campaigns checked, no problems\n');
  assert.equal(front.stderr, '');
});

test('a config change after caching: the same findings as the whole command line', () => {
  const { root, env } = project();
  const args = ['--cache', '-f', 'json', 'campaign.yaml'];
  assert.equal(runCli(args, { cwd: root, env }).status, 0);
  writeFileSync(join(root, 'campaign-lint.config.yaml'), `${CONFIG}rules:\n  recipient-count: error\n  recipient-consent: off\n`);
  writeFileSync(join(root, 'recipients.csv'), 'email,first_name,consent,token\nann@example.com,Ann,no,t1\nbo@example.org,Bo,yes,t2\n');
  const run = sameAsWhole(args, root, env);
  assert.equal(run.status, 0);
  writeFileSync(join(root, 'campaign-lint.config.yaml'), CONFIG);
  assert.equal(sameAsWhole(args, root, env).status, 1);
});

test('a payload file named beside a cached campaign: the front gives up, the output is the whole command line\'s', () => {
  const { root, env } = project({ 'payload.json': '{"from":"a@b.c"}\n' });
  assert.equal(runCli(['--cache', 'campaign.yaml'], { cwd: root, env }).status, 0);
  const args = ['--cache', '--input-format', 'sendgrid', 'campaign.yaml', 'payload.json'];
  assert.equal(frontAnswered(args, root, env), false);
  sameAsWhole(args, root, env);
});

test('--quiet and --max-warnings on a hit are applied as on a fresh run', () => {
  const { root, env } = project({ 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,Bo,yes,t2\nci@example.org,Ci,yes,t3\n' });
  assert.equal(runCli(['--cache', 'campaign.yaml'], { cwd: root, env }).status, 1);
  for (const extra of [[], ['--quiet'], ['--max-warnings', '0'], ['--quiet', '--max-warnings', '0'], ['-f', 'sarif'], ['-f', 'json']]) {
    const args = ['--cache', ...extra, 'campaign.yaml'];
    assert.equal(frontAnswered(args, root, env), true, extra.join(' '));
    const run = sameAsWhole(args, root, env);
    const fresh = whole(extra.concat('campaign.yaml'), root, env);
    assert.deepEqual(run, fresh, extra.join(' '));
  }
});

test('a new campaign file outside include after caching is reported on the hit', () => {
  const { root, env } = project();
  assert.equal(runCli(['--cache'], { cwd: root, env }).status, 0);
  writeFileSync(join(root, 'campaign-lint.config.yaml'), `${CONFIG}include: ["campaign.yaml"]\n`);
  assert.equal(runCli(['--cache'], { cwd: root, env }).status, 0);
  writeFileSync(join(root, 'other.campaign.yaml'), VALID_CAMPAIGN);
  const run = sameAsWhole(['--cache'], root, env);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /unlinted-campaign/);
});

test('-o on a hit writes the same file and prints nothing', () => {
  const { root, env } = project();
  assert.equal(runCli(['--cache', 'campaign.yaml'], { cwd: root, env }).status, 0);
  const run = runCli(['--cache', '-f', 'json', '-o', 'front.json', 'campaign.yaml'], { cwd: root, env });
  const full = whole(['--cache', '-f', 'json', '-o', 'whole.json', 'campaign.yaml'], root, env);
  assert.deepEqual(run, full);
  assert.equal(readFileSync(join(root, 'front.json'), 'utf8'), readFileSync(join(root, 'whole.json'), 'utf8'));
  assert.ok(existsSync(join(root, 'front.json')));
});

test('--draft on CI on a hit: the note once, the approval gate held', () => {
  const { root, env } = project();
  writeFileSync(join(root, 'campaign-lint.config.yaml'), CONFIG.replace('required: 0', 'required: 1'));
  const args = ['--cache', '--draft', 'campaign.yaml'];
  runCli(args, { cwd: root, env });
  runCli(['--cache', 'campaign.yaml'], { cwd: root, env });
  const ci = { ...env, CI: 'true' };
  const run = sameAsWhole(args, root, ci);
  assert.equal(run.status, 1);
  assert.equal(run.stderr.split('--draft ignored').length, 2);
});

/** stdout and stderr into one pipe, as a pre-commit hook or `2>&1` reads them. */
function merged(bin: string, args: string[], cwd: string, env: Record<string, string>): string {
  const scrubbed = new Set(['NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'GITHUB_ACTIONS', 'CI', 'GITHUB_TOKEN', 'GITHUB_EVENT_PATH']);
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !scrubbed.has(name)));
  const result = spawnSync('sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, bin, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', input: '' });
  return result.stdout;
}

test('stdout and stderr into one pipe: a hit prints them in the whole command line\'s order', () => {
  const { root, env } = project();
  const args = ['--cache', '--draft', 'campaign.yaml'];
  const ci = { ...env, CI: 'true' };
  assert.equal(runCli(args, { cwd: root, env: ci }).status, 0);
  assert.equal(frontAnswered(args, root, ci), true);
  const expected = 'campaign-lint: --draft ignored: CI=true says this is CI, where missing approvals fail\n✔ 1 campaign checked, no problems\n';
  assert.equal(merged(WHOLE, args, root, ci), expected);
  assert.equal(merged(fileURLToPath(new URL('../../dist/bin/campaign-lint.js', import.meta.url)), args, root, ci), expected);
});

test('custom rules in the config: the front gives up (their checks need the engine), the output is the whole command line\'s', () => {
  const custom = `custom_rules:\n  brand/no-free:\n    description: No subject shouts FREE\n    severity: warn\n    given: [subject]\n    then: { function: notPattern, match: "\\\\bfree\\\\b", flags: i }\n`;
  const { root, env } = project({ 'campaign.yaml': VALID_CAMPAIGN.replace('subject: "Hello', 'subject: "Free stuff') });
  writeFileSync(join(root, 'campaign-lint.config.yaml'), `${CONFIG}${custom}`);
  const args = ['--cache', '-f', 'sarif', 'campaign.yaml'];
  assert.equal(runCli(args, { cwd: root, env }).status, 0);
  assert.equal(frontAnswered(args, root, env), false);
  const run = sameAsWhole(args, root, env);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /brand\/no-free/);
});

test('FORCE_COLOR and NO_COLOR on a hit: the same colours as the whole command line', () => {
  const { root, env } = project({ 'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nann@example.com,Ann,yes,t2\n' });
  const args = ['--cache', 'campaign.yaml'];
  assert.equal(runCli(args, { cwd: root, env }).status, 1);
  const colours: Record<string, string>[] = [{ FORCE_COLOR: '1' }, { FORCE_COLOR: '0' }, { NO_COLOR: '1' }, { FORCE_COLOR: '1', NO_COLOR: '1' }];
  for (const extra of colours) {
    assert.equal(frontAnswered(args, root, { ...env, ...extra }), true);
    const run = sameAsWhole(args, root, { ...env, ...extra });
    assert.equal(run.status, 1);
  }
  assert.ok(runCli(args, { cwd: root, env: { ...env, FORCE_COLOR: '1' } }).stdout.includes('\u001b['));
});

test('a cached campaign deleted, another added to include: the whole command line\'s answer', () => {
  const { root, env } = project({ 'b.campaign.yaml': VALID_CAMPAIGN.replace('id: test-campaign', 'id: b') });
  assert.equal(runCli(['--cache'], { cwd: root, env }).status, 0);
  rmSync(join(root, 'b.campaign.yaml'));
  assert.equal(frontAnswered(['--cache'], root, env), true);
  assert.deepEqual(sameAsWhole(['--cache'], root, env), { status: 0, stdout: '✔ 1 campaign checked, no problems\n', stderr: '' });
  const named = sameAsWhole(['--cache', 'b.campaign.yaml'], root, env);
  assert.equal(named.status, 2);
  writeFileSync(join(root, 'c.campaign.yaml'), VALID_CAMPAIGN.replace('id: test-campaign', 'id: c').replace('expected_count: 2', 'expected_count: 5'));
  assert.equal(frontAnswered(['--cache'], root, env), false);
  assert.equal(sameAsWhole(['--cache'], root, env).status, 1);
});

/**
 * The hook through the real pre-commit: it clones this project, runs
 * `npm install` and `npm pack` in the clone, and installs the tarball, exactly
 * as for a user whose .pre-commit-config.yaml names this repository.
 *
 * The hook repository is a clone of this project at HEAD, so the test checks
 * what is committed (CI runs on a fresh clone, where that is everything).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { gitCommitAll, gitInit } from '../helpers/cli.js';
import { CC_CAMPAIGN, CLEAN_CAMPAIGN, CONFIG, REPO_ROOT, campaignFiles, cleanEnv, git, tempDir, writeTree } from './helpers.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const skipReason = hasPreCommit ? false : 'the pre-commit binary is not installed (Debian package pre-commit; .ci/run installs it)';
if (skipReason !== false) console.log(`pre-commit test skipped: ${skipReason}`);

const home = tempDir('campaign-lint-pre-commit-home-');
const env = cleanEnv({
  PRE_COMMIT_HOME: home,
  // pre-commit's own npm calls: take packages from the cache that `npm ci` filled.
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  NO_COLOR: '1',
});

function preCommit(cwd: string, ...args: string[]) {
  return spawnSync('pre-commit', args, { cwd, env, encoding: 'utf8' });
}

/** A user's repository whose .pre-commit-config.yaml points at a clone of this project. */
function userRepository(hookRepo: string, rev: string, files: Record<string, string>): string {
  const repo = tempDir();
  gitInit(repo);
  writeTree(repo, {
    '.pre-commit-config.yaml': `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: campaign-lint\n`,
    'campaign-lint.config.yaml': CONFIG,
    ...files,
  });
  git(repo, 'add', '.pre-commit-config.yaml', 'campaign-lint.config.yaml');
  gitCommitAll(repo, 'set up');
  return repo;
}

let hookRepo = '';
let rev = '';

before(() => {
  if (skipReason !== false) return;
  hookRepo = join(tempDir('campaign-lint-hook-repo-'), 'campaign-lint');
  git(REPO_ROOT, 'clone', '--quiet', '--no-hardlinks', REPO_ROOT, hookRepo);
  rev = git(hookRepo, 'rev-parse', 'HEAD');
  if (git(REPO_ROOT, 'status', '--porcelain') !== '') console.log('pre-commit test: uncommitted changes are not part of the hook under test (it runs HEAD)');
});

await test('pre-commit installs the hook from a clone of this project', { skip: skipReason, timeout: 240_000 }, () => {
  const repo = userRepository(hookRepo, rev, {});
  const started = Date.now();
  const install = preCommit(repo, 'install-hooks');
  assert.equal(install.status, 0, install.stdout + install.stderr);
  console.log(`pre-commit test: hook environment installed in ${Date.now() - started} ms`);
});

await test('the hook rejects a CC campaign', { skip: skipReason }, () => {
  const repo = userRepository(hookRepo, rev, campaignFiles('campaigns/notice', CC_CAMPAIGN));
  git(repo, 'add', '-A');
  const run = preCommit(repo, 'run');
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /campaign-lint\.+Failed/);
  assert.match(run.stdout, /campaigns\/notice\/campaign\.yaml\n\s+11:1\s+error\s+`cc` lists 2 recipient\(s\)[^\n]*no-cc/);
  // The hook never prints the addresses it is protecting.
  assert.ok(!run.stdout.includes('jane.doe@example.com'));
});

await test('the hook rejects the CC campaign when only its CSV is staged', { skip: skipReason }, () => {
  const repo = userRepository(hookRepo, rev, campaignFiles('campaigns/notice', CC_CAMPAIGN));
  gitCommitAll(repo, 'the campaign, before the hook');
  writeTree(repo, { 'campaigns/notice/recipients.csv': 'email,order\nann.example@example.com,A-1\ncy.sample@example.net,C-3\n' });
  git(repo, 'add', 'campaigns/notice/recipients.csv');
  const run = preCommit(repo, 'run');
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /no-cc/);
});

await test('the hook passes a clean campaign and ignores an unrelated CSV', { skip: skipReason }, () => {
  const repo = userRepository(hookRepo, rev, { ...campaignFiles('campaigns/orders', CLEAN_CAMPAIGN), 'reports/unrelated.csv': 'a,b\n1,2\n' });
  git(repo, 'add', '-A');
  const run = preCommit(repo, 'run');
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /campaign-lint\.+Passed/);
});

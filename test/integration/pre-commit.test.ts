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
import { test } from 'node:test';
import { gitInit } from '../helpers/cli.js';
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

/** A policy that wants two approvals, by bob or carol, of campaigns authored by alice. */
const APPROVAL_CONFIG = CONFIG.replace('  required: 0\n', '  required: 2\n  approvers: [bob@example.com, carol@example.com]\n');

/** A user's repository whose .pre-commit-config.yaml points at a clone of this project. */
function userRepository(hookRepo: string, rev: string, files: Record<string, string>, config = CONFIG): string {
  const repo = tempDir();
  gitInit(repo);
  writeTree(repo, {
    '.pre-commit-config.yaml': `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: campaign-lint\n`,
    'campaign-lint.config.yaml': config,
    ...files,
  });
  git(repo, 'add', '.pre-commit-config.yaml', 'campaign-lint.config.yaml');
  git(repo, 'commit', '-q', '-m', 'set up');
  return repo;
}

await test('pre-commit runs the hook from a clone of this project', { skip: skipReason, timeout: 240_000 }, async (t) => {
  // One test with steps: the hook repository and pre-commit's environment are shared by every case.
  const hookRepo = join(tempDir('campaign-lint-hook-repo-'), 'campaign-lint');
  git(REPO_ROOT, 'clone', '--quiet', '--no-hardlinks', REPO_ROOT, hookRepo);
  const rev = git(hookRepo, 'rev-parse', 'HEAD');
  if (git(REPO_ROOT, 'status', '--porcelain') !== '') console.log('pre-commit test: uncommitted changes are not part of the hook under test (it runs HEAD)');

  await t.test('install-hooks: npm install, npm pack and a global install of the tarball', () => {
    const repo = userRepository(hookRepo, rev, {});
    const started = Date.now();
    const install = preCommit(repo, 'install-hooks');
    assert.equal(install.status, 0, install.stdout + install.stderr);
    console.log(`pre-commit test: hook environment installed in ${Date.now() - started} ms`);
  });

  await t.test('the hook rejects a CC campaign', () => {
    const repo = userRepository(hookRepo, rev, campaignFiles('campaigns/notice', CC_CAMPAIGN));
    git(repo, 'add', '-A');
    const run = preCommit(repo, 'run');
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /campaign-lint\.+Failed/);
    assert.match(run.stdout, /campaigns\/notice\/campaign\.yaml\n\s+10:1\s+error\s+2 addresses written in `cc`[^\n]*no-cc/);
    // The hook never prints the addresses it is protecting.
    assert.ok(!run.stdout.includes('jane.doe@example.com'));
  });

  await t.test('the hook rejects the CC campaign when only its CSV is staged', () => {
    const repo = userRepository(hookRepo, rev, campaignFiles('campaigns/notice', CC_CAMPAIGN));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '--no-verify', '-m', 'the campaign, before the hook');
    writeTree(repo, { 'campaigns/notice/recipients.csv': 'email,order\nann.example@example.com,A-1\ncy.sample@example.net,C-3\n' });
    git(repo, 'add', 'campaigns/notice/recipients.csv');
    assert.equal(git(repo, 'diff', '--cached', '--name-only'), 'campaigns/notice/recipients.csv');
    const run = preCommit(repo, 'run');
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /campaigns\/notice\/campaign\.yaml\n\s+10:1\s+error[^\n]*no-cc/);
  });

  await t.test('the hook passes a clean campaign and skips an unrelated CSV', () => {
    const repo = userRepository(hookRepo, rev, { ...campaignFiles('campaigns/orders', CLEAN_CAMPAIGN), 'reports/unrelated.csv': 'a,b\n1,2\n' });
    git(repo, 'add', '-A');
    const run = preCommit(repo, 'run');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /campaign-lint\.+Passed/);
  });

  await t.test('drafts: the author\'s commit and the first approver\'s pass with a warning; a CC campaign still fails', () => {
    const repo = userRepository(hookRepo, rev, campaignFiles('campaigns/orders', CLEAN_CAMPAIGN), APPROVAL_CONFIG);
    git(repo, 'add', '-A');
    const draft = preCommit(repo, 'run');
    assert.equal(draft.status, 0, draft.stdout + draft.stderr);
    assert.match(draft.stdout, /campaign-lint\.+Passed/);
    assert.match(draft.stdout, /campaigns\/orders\/campaign\.yaml\n\s+5:1\s+warning\s+0 of 2 approvals valid \(record mode\)[^\n]*\(draft run: a warning here, an error in CI until approved\)\s+two-person-approval/);
    git(repo, 'commit', '-q', '--no-verify', '-m', 'draft');

    const approve = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/bin/campaign-lint.js'), 'approve', 'campaigns/orders/campaign.yaml', '--by', 'bob@example.com'], { cwd: repo, env, encoding: 'utf8' });
    assert.equal(approve.status, 0, approve.stderr);
    git(repo, 'add', '-A');
    const first = preCommit(repo, 'run');
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /warning\s+1 of 2 approvals valid \(record mode\)/);

    writeTree(repo, campaignFiles('campaigns/notice', CC_CAMPAIGN));
    git(repo, 'add', '-A');
    const cc = preCommit(repo, 'run');
    assert.equal(cc.status, 1, cc.stdout + cc.stderr);
    assert.match(cc.stdout, /campaigns\/notice\/campaign\.yaml\n(?:\s+[^\n]*\n)*?\s+10:1\s+error\s+2 addresses written in `cc`[^\n]*no-cc/);
  });
});

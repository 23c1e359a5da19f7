/**
 * The first hour of a team adopting campaign-lint, as the README tells it: the packed tarball
 * installed into a fresh repository, `init`, the example edited into their own campaign, two
 * signed approvals (real ssh-keygen keys), a clean lint; then the shipped pre-commit hook
 * through the real pre-commit and real `git commit`: the author's draft and the first
 * approver's commit pass, a campaign with `cc` is stopped.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { gitInit } from '../helpers/cli.js';
import { NPM_FLAGS, REPO_ROOT, cleanEnv, git, npm, packTarball, tempDir, writeTree } from './helpers.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasPreCommit) console.log('first-hour: the pre-commit steps are skipped: the pre-commit binary is not installed (Debian package pre-commit; .ci/run installs it)');

const CAMPAIGN = 'campaigns/example/campaign.yaml';

interface Finding {
  ruleId: string | null;
  severity: number;
  message: string;
}

await test('the first hour: pack, install, init, edit, approve twice, lint clean, commit through the shipped hook', { timeout: 300_000 }, async (t) => {
  const started = Date.now();
  const { path: tarball } = packTarball();
  const repo = tempDir('campaign-lint-first-hour-');
  gitInit(repo);
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'newsletters', version: '1.0.0', private: true }, null, 2)}\n`);
  const install = npm(['install', '--save-dev', ...NPM_FLAGS, tarball], repo);
  assert.equal(install.status, 0, install.stderr);
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  const home = tempDir('campaign-lint-first-hour-home-');
  const env = cleanEnv({ NO_COLOR: '1', PRE_COMMIT_HOME: join(home, 'pre-commit'), npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' });
  const cli = (...args: string[]) => spawnSync(join(repo, 'node_modules/.bin/campaign-lint'), args, { cwd: repo, env, encoding: 'utf8' });
  const lintJson = (...args: string[]) => {
    const run = cli('--format', 'json', ...args);
    return { status: run.status, stderr: run.stderr, findings: (JSON.parse(run.stdout) as { messages: Finding[] }[]).flatMap((result) => result.messages) };
  };

  await t.test('init, and the editor schema resolves inside node_modules', () => {
    const init = cli('init');
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /^wrote {4}campaigns\/example\/campaign\.yaml$/m);
    assert.ok(!init.stdout.includes('npm install --save-dev campaign-lint'), 'the package is installed: no hint to install it');
    const settings = JSON.parse(readFileSync(join(repo, '.vscode/settings.json'), 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
    for (const path of Object.keys(settings['yaml.schemas'])) assert.ok(existsSync(join(repo, path)), `${path} exists`);
    const comment = /\$schema=(\S+)/.exec(readFileSync(join(repo, CAMPAIGN), 'utf8'))?.[1] ?? '';
    assert.ok(existsSync(join(repo, 'campaigns/example', comment)), `${comment} resolves from the campaign file`);
  });

  // Two reviewers with their own SSH keys, kept outside the repository as keys are.
  const keys = tempDir('campaign-lint-first-hour-keys-');
  const publicKey = (name: string) => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(keys, name)]);
    return readFileSync(join(keys, `${name}.pub`), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  };

  await t.test('the team edits the policy and the campaign; approve twice; lint is clean', () => {
    const config = readFileSync(join(repo, 'campaign-lint.config.yaml'), 'utf8')
      .replace('verify: record', 'verify: signature\n  allowed_signers: .campaign-lint/allowed_signers')
      .replace('{ name: Reviewer One, email: reviewer.one@example.com, github: reviewer-one }', '{ name: Bob Example, email: bob@example.com, github: bob-example }')
      .replace('{ name: Reviewer Two, email: reviewer.two@example.com, github: reviewer-two }', '{ name: Carol Example, email: carol@example.com, github: carol-example }');
    writeTree(repo, {
      'campaign-lint.config.yaml': config,
      '.campaign-lint/allowed_signers': `bob@example.com namespaces="campaign-lint" ${publicKey('bob')}\ncarol@example.com namespaces="campaign-lint" ${publicKey('carol')}\n`,
    });
    const campaign = readFileSync(join(repo, CAMPAIGN), 'utf8')
      .replace('name: Example newsletter', 'name: December newsletter')
      .replace('subject: "{{first_name}}, this month at Example Shop"', 'subject: "{{first_name}}, December at Example Shop"')
      .replace('expected_count: 3', 'expected_count: 4');
    writeFileSync(join(repo, CAMPAIGN), campaign);
    writeFileSync(join(repo, 'campaigns/example/recipients.csv'), `${readFileSync(join(repo, 'campaigns/example/recipients.csv'), 'utf8')}dee.sample@example.com,Dee,yes,u-2b7e\n`);

    const before = lintJson();
    assert.deepEqual(before.findings.map((finding) => finding.ruleId), ['two-person-approval']);
    assert.match(before.findings[0]?.message ?? '', /^0 of 2 approvals valid \(signature mode\)/);
    assert.equal(before.status, 1);

    for (const by of ['bob', 'carol']) {
      const approve = cli('approve', CAMPAIGN, '--by', `${by}@example.com`, '--sign-key', join(keys, by));
      assert.equal(approve.status, 0, approve.stderr);
      assert.match(approve.stdout, new RegExp(`^approved campaigns/example/campaign\\.yaml as ${by}@example\\.com \\(sha256:[0-9a-f]{8}…\\)\\n$`));
    }
    const after = readFileSync(join(repo, CAMPAIGN), 'utf8');
    assert.ok(after.startsWith(campaign.slice(0, campaign.indexOf('approvals: []'))), 'everything before approvals is unchanged');
    const approvals = (parseYaml(after) as { approvals: { by: string; signature: string }[] }).approvals;
    assert.deepEqual(approvals.map((approval) => approval.by), ['bob@example.com', 'carol@example.com']);
    assert.ok(approvals.every((approval) => approval.signature.startsWith('-----BEGIN SSH SIGNATURE-----')));

    const clean = lintJson();
    assert.deepEqual(clean.findings, []);
    assert.equal(clean.status, 0, clean.stderr);
  });

  await t.test('the shipped pre-commit hook: a draft and the first approval commit, a CC campaign does not', { skip: hasPreCommit ? false : 'no pre-commit binary' }, () => {
    // The hook exactly as shipped (entry, files, args), from the installed tarball rather than a clone.
    const [hook] = parseYaml(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    assert.equal(hook?.id, 'campaign-lint');
    assert.deepEqual(hook.args, ['--draft', '--no-error-on-unmatched-pattern', '--cache']);
    const local = { repos: [{ repo: 'local', hooks: [{ ...hook, additional_dependencies: [tarball] }] }] };
    writeFileSync(join(repo, '.pre-commit-config.yaml'), JSON.stringify(local, null, 2));
    const installed = spawnSync('pre-commit', ['install'], { cwd: repo, env, encoding: 'utf8' });
    assert.equal(installed.status, 0, installed.stdout + installed.stderr);
    git(repo, 'add', '-A');
    // git runs the hook with its stdout sent to stderr: `output` is what the author sees.
    const commit = (message: string) => {
      const run = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo, env, encoding: 'utf8' });
      return { status: run.status, output: run.stdout + run.stderr };
    };

    const setUp = commit('campaign-lint: the approved December newsletter');
    assert.equal(setUp.status, 0, setUp.output);

    // The author's next campaign: no approvals yet. A draft run warns, and the commit goes through.
    const draft = readFileSync(join(repo, CAMPAIGN), 'utf8').replace('id: example', 'id: january').replace('December', 'January');
    writeTree(repo, {
      'campaigns/january/campaign.yaml': draft.slice(0, draft.indexOf('approvals:')) + 'approvals: []\n',
      'campaigns/january/recipients.csv': readFileSync(join(repo, 'campaigns/example/recipients.csv'), 'utf8'),
      'campaigns/january/body.html': readFileSync(join(repo, 'campaigns/example/body.html'), 'utf8'),
      'campaigns/january/body.txt': readFileSync(join(repo, 'campaigns/example/body.txt'), 'utf8'),
    });
    git(repo, 'add', 'campaigns/january');
    const draftCommit = commit('january: draft');
    assert.equal(draftCommit.status, 0, draftCommit.output);
    assert.match(draftCommit.output, /campaign-lint\.+Passed/);
    assert.match(draftCommit.output, /campaigns\/january\/campaign\.yaml\n\s+\d+:1\s+warning\s+0 of 2 approvals valid \(signature mode\)[^\n]*\(draft run: a warning here, an error in CI until approved\)/);
    assert.equal(lintJson('campaigns/january').status, 1, 'outside a draft run the campaign still needs its approvals');

    // The first approver's commit: 1 of 2, still a draft.
    const first = cli('approve', 'campaigns/january/campaign.yaml', '--by', 'bob@example.com', '--sign-key', join(keys, 'bob'));
    assert.equal(first.status, 0, first.stderr);
    git(repo, 'add', 'campaigns/january/campaign.yaml');
    const firstCommit = commit('january: approved by bob');
    assert.equal(firstCommit.status, 0, firstCommit.output);
    assert.match(firstCommit.output, /warning\s+1 of 2 approvals valid \(signature mode\)/);
    assert.equal(git(repo, 'log', '--format=%s', '-1'), 'january: approved by bob');

    // BitMEX in miniature: a campaign with every recipient in cc. Drafts relax approvals only.
    const cc = draft.replace('id: january', 'id: leak').replace(/approvals:[\s\S]*$/, 'approvals: []\n').replace('to: "{{first_name}} <{{email}}>"', 'to: "{{first_name}} <{{email}}>"\ncc: [ann.example@example.com, bo.sample@example.org]');
    writeTree(repo, {
      'campaigns/leak/campaign.yaml': cc,
      'campaigns/leak/recipients.csv': readFileSync(join(repo, 'campaigns/example/recipients.csv'), 'utf8'),
      'campaigns/leak/body.html': readFileSync(join(repo, 'campaigns/example/body.html'), 'utf8'),
      'campaigns/leak/body.txt': readFileSync(join(repo, 'campaigns/example/body.txt'), 'utf8'),
    });
    git(repo, 'add', 'campaigns/leak');
    const ccCommit = commit('leak: everyone in cc');
    assert.notEqual(ccCommit.status, 0, `the commit is refused: ${ccCommit.output}`);
    assert.match(ccCommit.output, /campaign-lint\.+Failed/);
    assert.match(ccCommit.output, /campaigns\/leak\/campaign\.yaml\n[\s\S]*\berror\b[^\n]*no-cc/);
    assert.ok(!ccCommit.output.includes('ann.example@example.com'), 'the hook never prints the addresses it protects');
    assert.equal(git(repo, 'log', '--format=%s', '-1'), 'january: approved by bob', 'nothing was committed');
  });
  console.log(`first-hour: took ${Date.now() - started} ms`);
});

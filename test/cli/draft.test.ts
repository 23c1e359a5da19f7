/**
 * Draft runs (`--draft`, the pre-commit hook's default): missing and stale approvals are
 * warnings; a forged, self- or outsider approval and every other rule still fail; on CI the
 * flag is ignored, so the gate holds.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CI_MARKERS } from '../../src/cli/commands/lint.js';
import { lint } from '../../src/core/lint.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { fixtureCases, FIXTURES } from '../helpers/golden.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { existsSync } from 'node:fs';

const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 2\n  approvers: [bob@example.com, carol@example.com]\n';
/** Whatever CI the tests themselves run on: none of its markers reaches the CLI. */
const NOT_CI: Record<string, string> = Object.fromEntries(['CI', ...CI_MARKERS].map((name) => [name, '']));

interface Finding {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
}

function run(root: string, extra: string[], env: Record<string, string> = {}) {
  const result = runCli(['campaign.yaml', '-f', 'json', ...extra], { cwd: root, env: { ...NOT_CI, ...env } });
  const findings = (JSON.parse(result.stdout) as { messages: Finding[] }[]).flatMap((entry) => entry.messages);
  return { status: result.status, stderr: result.stderr, findings, brief: findings.map((finding) => `${finding.line}:${finding.column} ${finding.severity === 2 ? 'error' : 'warn'} ${finding.ruleId ?? ''}`) };
}

function project(campaign = VALID_CAMPAIGN, policy = POLICY): string {
  return tempTree({ 'campaign-lint.config.yaml': policy, 'campaign.yaml': campaign, ...VALID_FILES });
}

const approve = (root: string, by: string, extra: string[] = []) => {
  const result = runCli(['approve', 'campaign.yaml', '--by', by, ...extra], { cwd: root });
  assert.equal(result.status, 0, result.stderr);
};

test('no approvals: an error without --draft, a warning with it (exit 0)', () => {
  const root = project();
  const gate = run(root, []);
  assert.deepEqual(gate.brief, ['5:1 error two-person-approval']);
  assert.equal(gate.status, 1);
  const draft = run(root, ['--draft']);
  assert.deepEqual(draft.brief, ['5:1 warn two-person-approval']);
  assert.match(draft.findings[0]?.message ?? '', /^0 of 2 approvals valid \(record mode\): no approvals yet; 2 more reviewers other than the author must run campaign-lint approve campaign\.yaml --by <id> \(draft run: a warning here, an error in CI until approved\)$/);
  assert.equal(draft.status, 0, draft.stderr);
  assert.equal(draft.stderr, '');
});

test('one approval of two, then a stale one: warnings in a draft run', () => {
  const root = project();
  approve(root, 'bob@example.com');
  const one = run(root, ['--draft']);
  assert.deepEqual(one.brief, ['20:1 warn two-person-approval']);
  assert.match(one.findings[0]?.message ?? '', /^1 of 2 approvals valid/);
  assert.equal(one.status, 0);
  appendFileSync(join(root, 'body.txt'), 'P.S. one more line\n');
  const stale = run(root, ['--draft']);
  assert.deepEqual(stale.brief, ['20:1 warn two-person-approval', '21:5 warn two-person-approval']);
  assert.match(stale.findings[1]?.message ?? '', /^this approval does not count: bob@example\.com approved an older version/);
  assert.equal(stale.status, 0);
  assert.deepEqual(run(root, []).brief, ['20:1 error two-person-approval', '21:5 error two-person-approval']);
});

test('a self-approval and an outsider approval stay errors in a draft run', () => {
  const root = project();
  const digest = runCli(['digest', 'campaign.yaml'], { cwd: root }).stdout.trim();
  const approvals = ['alice@example.com', 'mallory@example.org'].map((by) => `  - by: ${by}\n    digest: ${digest}\n    at: 2026-12-01T10:00:00Z\n`).join('');
  writeFileSync(join(root, 'campaign.yaml'), `${VALID_CAMPAIGN}approvals:\n${approvals}`);
  const draft = run(root, ['--draft']);
  assert.deepEqual(draft.brief, ['20:1 warn two-person-approval', '21:5 error two-person-approval', '24:5 error two-person-approval']);
  assert.match(draft.findings[1]?.message ?? '', /alice@example\.com is the author and cannot approve their own campaign/);
  assert.match(draft.findings[2]?.message ?? '', /mallory@example\.org is not in approval\.approvers/);
  assert.equal(draft.status, 1);
});

test('a forged signature and an unsigned approval stay errors in a draft run (signature mode, real ssh-keygen)', () => {
  const root = project(VALID_CAMPAIGN, `${POLICY}  verify: signature\n  allowed_signers: allowed_signers\n`);
  const key = (name: string) => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(root, name)]);
    return readFileSync(join(root, `${name}.pub`), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  };
  writeFileSync(join(root, 'allowed_signers'), `bob@example.com ${key('bob_key')}\ncarol@example.com ${key('carol_key')}\n`);
  key('mallory_key');
  approve(root, 'bob@example.com', ['--sign-key', 'bob_key']);
  assert.deepEqual(run(root, ['--draft']).brief, ['20:1 warn two-person-approval'], 'one valid signed approval of two: a draft');
  approve(root, 'carol@example.com', ['--sign-key', 'mallory_key']);
  const forged = run(root, ['--draft']);
  assert.deepEqual(forged.brief, ['20:1 warn two-person-approval', '31:5 error two-person-approval']);
  assert.match(forged.findings[1]?.message ?? '', /^this approval does not count: key SHA256:\S+ is not listed for carol@example\.com in allowed_signers$/);
  assert.equal(forged.status, 1);
  // An approval typed in without a signature.
  const text = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(text)?.[1] ?? '';
  writeFileSync(join(root, 'campaign.yaml'), `${text.slice(0, text.indexOf('  - by: carol@example.com'))}  - by: carol@example.com\n    digest: ${digest}\n    at: 2026-12-01T10:00:00Z\n`);
  const unsigned = run(root, ['--draft']);
  assert.deepEqual(unsigned.brief, ['20:1 warn two-person-approval', '31:5 error two-person-approval']);
  assert.match(unsigned.findings[1]?.message ?? '', /carol@example\.com's approval has no signature/);
});

test('a CC campaign fails a draft run: only approvals are relaxed', () => {
  const root = project(`${VALID_CAMPAIGN}cc: [ann@example.com]\n`);
  const draft = run(root, ['--draft']);
  assert.deepEqual(draft.brief, ['5:1 warn two-person-approval', '20:1 error no-cc']);
  assert.equal(draft.status, 1);
});

test('github mode: a draft run does not call GitHub and warns that CI checks the reviews', () => {
  const root = project(VALID_CAMPAIGN, POLICY.replace('approvers: [bob@example.com, carol@example.com]', 'verify: github\n  approvers: [{ email: bob@example.com, github: bob }, { email: carol@example.com, github: carol }]'));
  const draft = run(root, ['--draft'], { GITHUB_API_URL: 'http://127.0.0.1:9' });
  assert.deepEqual(draft.findings.map((finding) => [finding.severity, finding.message]), [[1, 'approvals are pull-request reviews (github mode), checked in CI; a draft run does not check them']]);
  assert.equal(draft.status, 0);
  assert.match(run(root, []).findings[0]?.message ?? '', /^GitHub review check failed \(github mode\)/);
});

for (const [name, value] of [['CI', 'true'], ['CI', '1'], ['GITHUB_ACTIONS', 'true'], ['GITLAB_CI', 'true'], ['JENKINS_URL', 'http://ci.example.com/']] as const) {
  test(`on CI (${name}=${value}) --draft is ignored with a note, and missing approvals fail`, () => {
    const root = project();
    const ci = run(root, ['--draft'], { [name]: value });
    assert.equal(ci.stderr, `campaign-lint: --draft ignored: ${name === 'CI' ? `CI=${value}` : name} says this is CI, where missing approvals fail\n`);
    assert.deepEqual(ci.brief, ['5:1 error two-person-approval']);
    assert.equal(ci.status, 1);
  });
}

test('CI=false is not CI', () => {
  const draft = run(project(), ['--draft'], { CI: 'false' });
  assert.equal(draft.status, 0, draft.stderr);
  assert.deepEqual(draft.brief, ['5:1 warn two-person-approval']);
});

test('a draft run changes no finding of any other rule on any golden case', async () => {
  for (const caseDir of fixtureCases('err')) {
    const own = join(caseDir, 'campaign-lint.config.yaml');
    const options = { cwd: caseDir, patterns: ['.'], configFile: existsSync(own) ? own : join(FIXTURES, 'campaign-lint.config.yaml') };
    const others = async (draft: boolean) =>
      (await lint({ ...options, draft })).results.flatMap((result) => result.messages.filter((message) => message.ruleId !== 'two-person-approval').map((message) => ({ file: result.filePath, ...message })));
    assert.deepEqual(await others(true), await others(false), caseDir);
  }
});

test('the shipped hook runs --draft; the CI docs, the Action and the workflow init writes never do', () => {
  const hooks = readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
  assert.match(hooks, /^ {2}args: \[--draft, --no-error-on-unmatched-pattern, --cache\]$/m);
  for (const file of ['action.yml', 'docs/github-action.md', 'src/integrations/templates/workflow.ts', 'src/integrations/action-run.ts', 'src/integrations/action.ts']) {
    assert.ok(!readFileSync(join(REPO_ROOT, file), 'utf8').includes('draft'), `${file} mentions draft`);
  }
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const ciBullet = /\n- \*\*GitHub Actions\*\*[\s\S]*?(?=\n- )/.exec(readme)?.[0] ?? '';
  assert.match(ciBullet, /campaign-lint\/campaign-lint@v0/, 'the README has its CI part');
  assert.ok(!ciBullet.includes('draft'), 'the README CI part never uses --draft');
});

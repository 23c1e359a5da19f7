/**
 * Approvals a pull request cannot forge (issue 15, items 1-5), run as users run the CLI:
 * real git repositories, real ssh-keygen keys and signatures, the fake GitHub API.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { gitCommitAll, gitInit, runCli, runCliAsync } from '../helpers/cli.js';
import { startFakeGithub } from '../helpers/github-server.js';

const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 2\n';
const SIGNATURE_POLICY = `${POLICY}  verify: signature\n  allowed_signers: allowed_signers\n`;

const hasSshKeygen = spawnSync('ssh-keygen', ['-?'], { encoding: 'utf8' }).error === undefined;
const needsSsh = hasSshKeygen ? {} : { skip: 'ssh-keygen is not installed; these tests sign with the real OpenSSH tool' };
if (!hasSshKeygen) console.log('# skipping signature tests: ssh-keygen is not installed');

// Keys live outside every repository, as a person's keys do.
const keyDir = mkdtempSync(join(tmpdir(), 'campaign-lint-keys-'));
after(() => {
  rmSync(keyDir, { recursive: true, force: true });
});
const keys = new Map<string, string>();

function key(name: string): string {
  let path = keys.get(name);
  if (path === undefined) {
    path = join(keyDir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@example.test`, '-f', path]);
    keys.set(name, path);
  }
  return path;
}

/** `ssh-ed25519 AAAA…` of a key, as allowed_signers and approval.approvers[].keys take it. */
function publicKey(name: string): string {
  return readFileSync(`${key(name)}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

function fingerprint(name: string): string {
  return /(SHA256:\S+)/.exec(execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key(name)}.pub`], { encoding: 'utf8' }))?.[1] ?? '';
}

function digestOf(root: string): string {
  const run = runCli(['digest', 'campaign.yaml'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

/**
 * Appends approvals written by hand (what anyone with write access can do), each signed with
 * the named key over the current digest, or unsigned when the key is undefined.
 */
function writeApprovals(root: string, approvals: { by: string; key?: string }[]): void {
  const digest = digestOf(root);
  const items = approvals.map(({ by, key: keyName }) => {
    const lines = [`  - by: ${by}`, `    digest: ${digest}`, '    at: 2026-11-20T10:00:00Z'];
    if (keyName !== undefined) {
      const signature = execFileSync('ssh-keygen', ['-Y', 'sign', '-f', key(keyName), '-n', 'campaign-lint'], { input: digest, encoding: 'utf8' }).trim();
      lines.push('    signature: |', ...signature.split('\n').map((line) => `      ${line}`));
    }
    return lines.join('\n');
  });
  appendFileSync(join(root, 'campaign.yaml'), `approvals:\n${items.join('\n')}\n`);
}

function project(policy: string, files: Record<string, string> = {}, campaign = VALID_CAMPAIGN): string {
  return tempTree({ 'campaign-lint.config.yaml': policy, 'campaign.yaml': campaign, ...VALID_FILES, ...files });
}

interface Finding {
  ruleId: string;
  message: string;
  line: number;
  column: number;
}

function lintJson(root: string, extra: string[] = []): { status: number | null; stderr: string; approval: Finding[] } {
  const run = runCli(['campaign.yaml', '-f', 'json', ...extra], { cwd: root });
  assert.notEqual(run.stdout, '', `no JSON output; stderr: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as { messages: Finding[] }[];
  return { status: run.status, stderr: run.stderr, approval: results.flatMap((result) => result.messages).filter((message) => message.ruleId === 'two-person-approval') };
}

const git = (root: string, ...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });

// ---------------------------------------------------------------------------
// 1. Policy closure

test('allowed_signers is read from --config-ref: keys a branch adds for bob@ and carol@ do not count', needsSsh, () => {
  const root = project(SIGNATURE_POLICY, { allowed_signers: `bob@example.com ${publicKey('bob')}\ncarol@example.com ${publicKey('carol')}\n` });
  gitInit(root);
  gitCommitAll(root, 'trusted policy on main');
  git(root, 'checkout', '-q', '-b', 'pull-request');
  // The attack: the branch lists its own keys for bob@ and carol@ and signs as both.
  appendFileSync(join(root, 'allowed_signers'), `bob@example.com ${publicKey('mallory1')}\ncarol@example.com ${publicKey('mallory2')}\n`);
  writeApprovals(root, [
    { by: 'bob@example.com', key: 'mallory1' },
    { by: 'carol@example.com', key: 'mallory2' },
  ]);
  gitCommitAll(root, 'approve myself twice');

  // Trusting the working tree (no --config-ref), the forged keys pass: that is the hole --config-ref closes.
  const trusting = lintJson(root);
  assert.deepEqual(trusting.approval, []);
  assert.equal(trusting.status, 0);

  const judged = lintJson(root, ['--config-ref', 'main']);
  assert.equal(judged.status, 1);
  assert.equal(judged.approval.length, 3);
  assert.equal(
    judged.approval[0]?.message,
    `0 of 2 approvals valid (signature mode): bob@example.com's signature is refused: key ${fingerprint('mallory1')} is not listed for bob@example.com in main:allowed_signers; ` +
      `carol@example.com's signature is refused: key ${fingerprint('mallory2')} is not listed for carol@example.com in main:allowed_signers; ` +
      '2 more reviewers other than the author must run campaign-lint approve campaign.yaml --by <id> --sign-key <key>',
  );
  assert.deepEqual(
    judged.approval.slice(1).map((finding) => [finding.line, finding.column, finding.message]),
    [
      [21, 5, `this approval does not count: key ${fingerprint('mallory1')} is not listed for bob@example.com in main:allowed_signers`],
      [31, 5, `this approval does not count: key ${fingerprint('mallory2')} is not listed for carol@example.com in main:allowed_signers`],
    ],
  );

  // Uncommitted edits to the working tree change nothing either.
  appendFileSync(join(root, 'allowed_signers'), `carol@example.com ${publicKey('mallory1')}\n`);
  assert.equal(lintJson(root, ['--config-ref', 'main']).approval[0]?.message.startsWith('0 of 2 approvals valid (signature mode)'), true);
});

test('an allowed_signers file absent from the ref is exit 2 with one line, never the working tree copy', needsSsh, () => {
  const root = project(SIGNATURE_POLICY);
  gitInit(root);
  gitCommitAll(root, 'policy names a file it never committed');
  writeFileSync(join(root, 'allowed_signers'), `bob@example.com ${publicKey('mallory1')}\ncarol@example.com ${publicKey('mallory2')}\n`);
  writeApprovals(root, [
    { by: 'bob@example.com', key: 'mallory1' },
    { by: 'carol@example.com', key: 'mallory2' },
  ]);
  const run = runCli(['campaign.yaml', '--config-ref', 'main'], { cwd: root });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    'campaign-lint: main:campaign-lint.config.yaml: approval.allowed_signers `allowed_signers` does not exist in `main`; the policy and the files it names are read from git ref `main`, never from the working tree\n',
  );
});

test('an allowed_signers that is a symlink in the ref is refused (exit 2), not followed', needsSsh, () => {
  const root = project(SIGNATURE_POLICY, { 'keys/real': `bob@example.com ${publicKey('bob')}\n` });
  symlinkSync('keys/real', join(root, 'allowed_signers'));
  gitInit(root);
  gitCommitAll(root, 'allowed_signers as a link');
  const run = runCli(['campaign.yaml', '--config-ref', 'main'], { cwd: root });
  assert.equal(run.status, 2);
  assert.equal(
    run.stderr,
    'campaign-lint: main:campaign-lint.config.yaml: approval.allowed_signers `allowed_signers` is not a regular file in `main` (git mode 120000); the policy and the files it names are read from git ref `main`, never from the working tree\n',
  );
});

test('allowed_signers that leaves the repository is refused under --config-ref', () => {
  const root = project(`${POLICY}  verify: signature\n  allowed_signers: ../outside_signers\n`);
  gitInit(root);
  gitCommitAll(root, 'policy');
  const run = runCli(['campaign.yaml', '--config-ref', 'main'], { cwd: root });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^campaign-lint: main:campaign-lint\.config\.yaml: approval\.allowed_signers `.*outside_signers` is outside the repository; the policy and the files it names are read from git ref `main`, never from the working tree\n$/);
});

// ---------------------------------------------------------------------------
// 2. One identity model

test('one key listed under two names (git allowed_signers shape) signs two approvals that count once', needsSsh, () => {
  const root = project(SIGNATURE_POLICY, {
    allowed_signers: `bob@example.com,robert@example.com ${publicKey('bob')}\ncarol@example.com ${publicKey('carol')}\n`,
  });
  writeApprovals(root, [
    { by: 'bob@example.com', key: 'bob' },
    { by: 'robert@example.com', key: 'bob' },
  ]);
  const run = lintJson(root);
  assert.equal(run.status, 1);
  assert.equal(
    run.approval[0]?.message,
    `1 of 2 approvals valid (signature mode): robert@example.com is the same person as bob@example.com (both signed with key ${fingerprint('bob')}), who already approved (counted once); ` +
      'one more reviewer other than the author must run campaign-lint approve campaign.yaml --by <id> --sign-key <key>',
  );
  assert.deepEqual([run.approval[1]?.line, run.approval[1]?.column], [31, 5], 'the second approval is pointed at');
  // With carol's real approval added, two people approved.
  const text = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  writeFileSync(join(root, 'campaign.yaml'), text.slice(0, text.indexOf('approvals:')));
  writeApprovals(root, [
    { by: 'robert@example.com', key: 'bob' },
    { by: 'carol@example.com', key: 'carol' },
  ]);
  assert.deepEqual(lintJson(root).approval, []);
});

test('two keys of one person count once, even under another name', needsSsh, () => {
  const policy =
    `${POLICY}  verify: signature\n  allowed_signers: allowed_signers\n  approvers:\n` +
    `    - { name: Bob, email: bob@example.com, keys: ["${publicKey('bob')}", "${publicKey('bob-laptop')}"] }\n` +
    `    - { name: Carol, email: carol@example.com, github: carol-gh }\n`;
  // The team's allowed_signers also lists bob's second key under an old address.
  const root = project(policy, { allowed_signers: `robert@example.com ${publicKey('bob-laptop')}\ncarol@example.com ${publicKey('carol')}\n` });
  writeApprovals(root, [
    { by: 'bob@example.com', key: 'bob' },
    { by: 'robert@example.com', key: 'bob-laptop' },
  ]);
  const run = lintJson(root);
  assert.equal(run.status, 1);
  assert.equal(
    run.approval[0]?.message,
    `1 of 2 approvals valid (signature mode): robert@example.com is the same person as bob@example.com (key ${fingerprint('bob-laptop')} ties them together), who already approved (counted once); ` +
      'one more reviewer other than the author must run campaign-lint approve campaign.yaml --by <id> --sign-key <key>',
  );
  // Keys written on the person verify without any allowed_signers line for them.
  const text = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  writeFileSync(join(root, 'campaign.yaml'), text.slice(0, text.indexOf('approvals:')));
  writeApprovals(root, [
    { by: 'bob@example.com', key: 'bob-laptop' },
    { by: 'carol@example.com', key: 'carol' },
  ]);
  assert.deepEqual(lintJson(root).approval, []);
});

test('approve refuses a key the policy also lists for the author, and warns about a key that will not count', needsSsh, () => {
  // One line naming the author and bob: bob is the author's alias before anything is signed.
  const aliased = project(SIGNATURE_POLICY, { allowed_signers: `alice@example.com,bob@example.com ${publicKey('shared')}\n` });
  const alias = runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com', '--sign-key', key('shared')], { cwd: aliased });
  assert.equal(alias.status, 2);
  assert.equal(alias.stderr, 'campaign-lint: refused: bob@example.com is the author of campaign.yaml (alice@example.com, the same person); a second person must approve\n');

  // A team key listed for the author and, by pattern, for everyone: only the signature ties bob to it.
  const root = project(SIGNATURE_POLICY, {
    allowed_signers: `alice@example.com ${publicKey('shared')}\n*@example.com ${publicKey('shared')}\ncarol@example.com ${publicKey('carol')}\n`,
  });
  const original = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  const shared = runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com', '--sign-key', key('shared')], { cwd: root });
  assert.equal(shared.status, 2);
  assert.match(shared.stderr, new RegExp(`\\ncampaign-lint: refused: key ${fingerprint('shared').replace(/[+/]/g, '\\$&')} is also listed for the author alice@example\\.com of campaign\\.yaml; a second person must approve\\n$`));
  assert.equal(readFileSync(join(root, 'campaign.yaml'), 'utf8'), original, 'nothing written');

  const foreign = runCli(['approve', 'campaign.yaml', '--by', 'carol@example.com', '--sign-key', key('mallory1')], { cwd: root });
  assert.equal(foreign.status, 0, 'approve writes it; lint is where it is refused');
  assert.match(foreign.stderr, new RegExp(`\\nwarning: this approval will not count under the current policy: key ${fingerprint('mallory1').replace(/[+/]/g, '\\$&')} is not listed for carol@example\\.com in allowed_signers\\n`));
});

for (const alias of ['alice+x@example.com', 'Alice@Example.com']) {
  test(`${alias} approving alice@example.com's campaign is refused by approve and not counted by lint`, () => {
    const root = project(POLICY);
    const original = readFileSync(join(root, 'campaign.yaml'), 'utf8');
    const refused = runCli(['approve', 'campaign.yaml', '--by', alias], { cwd: root });
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, `campaign-lint: refused: ${alias} is the author of campaign.yaml${alias.includes('+') ? ' (alice@example.com, the same person)' : ''}; a second person must approve\n`);
    assert.equal(readFileSync(join(root, 'campaign.yaml'), 'utf8'), original, 'nothing written');

    writeApprovals(root, [{ by: alias }, { by: 'bob@example.com' }]);
    const run = lintJson(root);
    assert.equal(run.status, 1);
    const why = alias.includes('+')
      ? `${alias} is the author alice@example.com (the same address once case and +tags are ignored) and cannot approve their own campaign`
      : `${alias} is the author and cannot approve their own campaign`;
    assert.equal(run.approval[0]?.message, `1 of 2 approvals valid (record mode): ${why}; one more reviewer other than the author must run campaign-lint approve campaign.yaml --by <id>`);
    assert.deepEqual(
      run.approval.slice(1).map((finding) => [finding.line, finding.column, finding.message]),
      [[21, 5, `this approval does not count: ${why}`]],
    );
  });
}

test('bob+news@ and BOB@ are bob: a second approval by either counts once, and approve refuses it', () => {
  const root = project(POLICY);
  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com'], { cwd: root }).status, 0);
  const again = runCli(['approve', 'campaign.yaml', '--by', 'bob+news@example.com'], { cwd: root });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /^campaign-lint: refused: bob\+news@example\.com has already approved this exact content/);
  writeFileSync(join(root, 'campaign.yaml'), readFileSync(join(root, 'campaign.yaml'), 'utf8').replace(/approvals:\n[\s\S]*$/, ''));
  writeApprovals(root, [{ by: 'bob@example.com' }, { by: 'BOB+news@example.com' }]);
  assert.match(lintJson(root).approval[0]?.message ?? '', /^1 of 2 approvals valid \(record mode\): BOB\+news@example\.com is the same person as bob@example\.com \(the same address once case and \+tags are ignored\), who already approved \(counted once\);/);
});

test('approvers as people: a plain email list keeps working, and every alias of a listed person is that person', () => {
  const root = project(`${POLICY}  approvers:\n    - carol@example.com\n    - { name: Bob, email: bob@example.com, github: bob-gh }\n`);
  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'Carol+campaigns@Example.com'], { cwd: root }).status, 0);
  const outsider = runCli(['approve', 'campaign.yaml', '--by', 'dave@example.com'], { cwd: root });
  assert.equal(outsider.status, 2);
  assert.equal(outsider.stderr, 'campaign-lint: refused: dave@example.com is not in approval.approvers (campaign-lint.config.yaml)\n');
  // In record mode a login names the person too.
  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'bob-gh'], { cwd: root }).status, 0);
  assert.deepEqual(lintJson(root).approval, []);
});

test('a person entry needs an email or a github login; a malformed key is one config line', () => {
  const noIdentity = project(`${POLICY}  approvers:\n    - { name: Bob }\n`);
  const run = runCli(['campaign.yaml'], { cwd: noIdentity });
  assert.equal(run.status, 2);
  assert.equal(
    run.stderr,
    'campaign-lint: campaign-lint.config.yaml:7:7: invalid config: `approval.approvers[0]` is not valid: each approver is an email, a GitHub login, or { name, email, github, keys } with an email or a github login\n',
  );
  const badKey = project(`${POLICY}  approvers:\n    - { email: bob@example.com, keys: ["ssh-ed25519 AAAAnotakey"] }\n`);
  const bad = runCli(['campaign.yaml'], { cwd: badKey });
  assert.equal(bad.status, 2);
  assert.equal(
    bad.stderr,
    'campaign-lint: campaign-lint.config.yaml: invalid config: approval.approvers[0].keys[0] is not an SSH public key "key-type base64" (the ssh-ed25519 key is not valid base64 key data of that type)\n',
  );
});

// ---------------------------------------------------------------------------
// 3. Only tighten

test('--approvals record cannot lower a trusted verify: signature (exit 2, one line)', () => {
  const root = project(SIGNATURE_POLICY, { allowed_signers: '' });
  gitInit(root);
  gitCommitAll(root, 'policy');
  for (const extra of [[], ['--config-ref', 'main']]) {
    const run = runCli(['campaign.yaml', '--approvals', 'record', ...extra], { cwd: root });
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    const source = extra.length === 0 ? 'campaign-lint.config.yaml' : 'main:campaign-lint.config.yaml';
    assert.equal(
      run.stderr,
      `campaign-lint: --approvals record refused: ${source} sets approval.verify: signature, and a mode given here may only raise record to signature or github, never replace a stricter one\n`,
    );
  }
  // signature and github prove different things: neither replaces the other.
  const sideways = runCli(['campaign.yaml', '--approvals', 'github'], { cwd: root });
  assert.equal(sideways.status, 2);
  assert.match(sideways.stderr, /^campaign-lint: --approvals github refused: campaign-lint\.config\.yaml sets approval\.verify: signature/);
  // approve and report take the same rule.
  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com', '--approvals', 'record'], { cwd: root }).status, 2);
  assert.equal(runCli(['report', 'campaign.yaml', '--approvals', 'record', '-o', 'r.html'], { cwd: root }).status, 2);
  // Asking for the trusted mode itself is fine.
  assert.equal(lintJson(root, ['--approvals', 'signature']).status, 1);
});

test('--approvals signature over a trusted record policy raises the mode and says so', needsSsh, () => {
  const root = project(`${POLICY}  allowed_signers: allowed_signers\n`, {
    allowed_signers: `bob@example.com ${publicKey('bob')}\ncarol@example.com ${publicKey('carol')}\n`,
  });
  writeApprovals(root, [{ by: 'bob@example.com', key: 'bob' }, { by: 'carol@example.com' }]);
  assert.deepEqual(lintJson(root).approval, [], 'record mode counts the unsigned approval');
  const raised = lintJson(root, ['--approvals', 'signature']);
  assert.equal(raised.status, 1);
  assert.equal(raised.stderr, 'campaign-lint: approvals verified in signature mode, raised from record by --approvals\n');
  assert.equal(
    raised.approval[0]?.message,
    "1 of 2 approvals valid (signature mode, raised from record by --approvals): carol@example.com's approval has no signature; one more reviewer other than the author must run campaign-lint approve campaign.yaml --by <id> --sign-key <key>",
  );
});

// ---------------------------------------------------------------------------
// github mode: people matched by login

const HEAD = 'c0ffee'.padEnd(40, '0');

async function githubRun(policy: string, reviews: { login: string; commitId?: string }[], campaign = VALID_CAMPAIGN, prAuthor = 'alice-gh') {
  const root = project(policy, {}, campaign);
  const event = join(root, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: HEAD }, base: { sha: 'b'.repeat(40) }, user: { login: prAuthor } } }));
  const github = await startFakeGithub({
    owner: 'example-org',
    repo: 'campaigns',
    token: 'test-token',
    pulls: { 7: reviews.map((review, index) => ({ id: index + 1, login: review.login, state: 'APPROVED' as const, commitId: review.commitId ?? HEAD })) },
  });
  try {
    const env = { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'example-org/campaigns', GITHUB_API_URL: github.url, GITHUB_TOKEN: 'test-token' };
    const run = await runCliAsync(['campaign.yaml', '-f', 'json'], { cwd: root, env });
    const results = JSON.parse(run.stdout) as { messages: Finding[] }[];
    unlinkSync(event);
    return { status: run.status, approval: results.flatMap((result) => result.messages).filter((message) => message.ruleId === 'two-person-approval') };
  } finally {
    await github.close();
  }
}

const PEOPLE =
  `${POLICY}  verify: github\n  approvers:\n` +
  '    - { name: Alice, email: alice@example.com, github: alice-gh }\n' +
  '    - { name: Bob, email: bob@example.com, github: bob-gh }\n' +
  '    - { name: Carol, email: carol@example.com, github: Carol-GH }\n';

test('github mode matches reviewers by login through the person entry', async () => {
  const passed = await githubRun(PEOPLE, [{ login: 'bob-gh' }, { login: 'carol-gh' }]);
  assert.deepEqual(passed.approval, []);
  assert.equal(passed.status, 0);

  const outsider = await githubRun(PEOPLE, [{ login: 'bob-gh' }, { login: 'mallory-gh' }]);
  assert.equal(outsider.status, 1);
  assert.equal(
    outsider.approval[0]?.message,
    '1 of 2 required pull request approvals on the head commit c0ffee0: mallory-gh is not in approval.approvers (github mode: pull-request reviews on the head commit)',
  );
});

test('github mode: the declared author cannot approve through their login even when someone else opened the pull request', async () => {
  const run = await githubRun(PEOPLE, [{ login: 'alice-gh' }, { login: 'bob-gh' }], VALID_CAMPAIGN, 'dave-gh');
  assert.equal(
    run.approval[0]?.message,
    "1 of 2 required pull request approvals on the head commit c0ffee0: alice-gh is the campaign's declared author (alice@example.com) and cannot approve it (github mode: pull-request reviews on the head commit)",
  );
  const prAuthor = await githubRun(PEOPLE, [{ login: 'Bob-GH' }, { login: 'carol-gh' }], VALID_CAMPAIGN, 'bob-gh');
  assert.match(prAuthor.approval[0]?.message ?? '', /^1 of 2 .*: Bob-GH is the pull request author and cannot approve it/);
});

test('github mode: a person listed by email only gets a finding saying a github login is needed', async () => {
  const policy = `${POLICY}  verify: github\n  approvers: [bob@example.com, { email: carol@example.com, github: carol-gh }]\n`;
  const run = await githubRun(policy, [{ login: 'bob' }, { login: 'carol-gh' }]);
  assert.equal(run.status, 1);
  assert.deepEqual(
    run.approval.map((finding) => finding.message).sort(),
    [
      '1 of 2 required pull request approvals on the head commit c0ffee0: bob is not in approval.approvers (github mode matches reviews by GitHub login; bob@example.com has no github login in approval.approvers) (github mode: pull-request reviews on the head commit)',
      'approval.approvers lists bob@example.com without a github login: in github mode approvals are pull-request reviews, matched by GitHub login, so their reviews cannot count; write each as { email: …, github: <login> }',
    ],
  );
});

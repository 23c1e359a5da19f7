import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { gitCommitAll, gitInit, runCli, runCliAsync } from '../helpers/cli.js';
import { startFakeGithub, unreachableUrl } from '../helpers/github-server.js';

const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 2\n';
const COMMENTED = `# Winter campaign: reviewed by marketing ops\n${VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', "subject: 'Hello {{first_name}}'   # keep the quotes")}`;

function project(policy = POLICY, campaign = COMMENTED): string {
  return tempTree({ 'campaign-lint.config.yaml': policy, 'campaign.yaml': campaign, ...VALID_FILES });
}

function lintJson(root: string, extra: string[] = [], env: Record<string, string> = {}) {
  const run = runCli(['campaign.yaml', '-f', 'json', ...extra], { cwd: root, env });
  const results = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string; line: number }[] }[];
  return { status: run.status, stderr: run.stderr, messages: results.flatMap((result) => result.messages) };
}

const approvalMessages = (root: string, extra: string[] = [], env: Record<string, string> = {}) =>
  lintJson(root, extra, env).messages.filter((message) => message.ruleId === 'two-person-approval');

test('two approvals make a campaign pass; the diff is additions only and comments survive', () => {
  const root = project();
  assert.match(approvalMessages(root)[0]?.message ?? '', /^0 of 2 approvals valid/);
  const before = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  for (const by of ['bob@example.com', 'carol@example.com']) {
    const run = runCli(['approve', 'campaign.yaml', '--by', by], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^approved campaign\\.yaml as ${by.replace('.', '\\.')} \\(sha256:[0-9a-f]{8}…\\)\\n$`));
  }
  const after = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  assert.ok(after.startsWith(before), 'every original byte is kept, in place');
  assert.match(after.slice(before.length), /^approvals:\n {2}- by: bob@example\.com\n {4}digest: sha256:[0-9a-f]{64}\n {4}at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n {2}- by: carol@example\.com\n/);
  const lint = lintJson(root);
  assert.deepEqual(lint.messages, []);
  assert.equal(lint.status, 0);
});

test('digest prints the digest the approvals carry', () => {
  const root = project();
  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com'], { cwd: root }).status, 0);
  const digest = runCli(['digest', 'campaign.yaml'], { cwd: root });
  assert.equal(digest.status, 0);
  assert.match(digest.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.ok(readFileSync(join(root, 'campaign.yaml'), 'utf8').includes(`digest: ${digest.stdout.trim()}`));
});

for (const [what, change] of [
  ['a recipient byte', (root: string) => {
    appendFileSync(join(root, 'recipients.csv'), 'cy@example.net,Cy,yes,t3\n');
  }],
  ['a template byte', (root: string) => {
    writeFileSync(join(root, 'body.txt'), readFileSync(join(root, 'body.txt'), 'utf8').replace('Hello', 'Hallo'));
  }],
  ['the subject', (root: string) => {
    writeFileSync(join(root, 'campaign.yaml'), readFileSync(join(root, 'campaign.yaml'), 'utf8').replace("'Hello {{first_name}}'", "'Hi {{first_name}}'"));
  }],
] as const) {
  test(`changing ${what} after approval makes every approval stale`, () => {
    const root = project();
    for (const by of ['bob@example.com', 'carol@example.com']) assert.equal(runCli(['approve', 'campaign.yaml', '--by', by], { cwd: root }).status, 0);
    change(root);
    const messages = approvalMessages(root);
    assert.match(messages[0]?.message ?? '', /^0 of 2 approvals valid \(record mode\): bob@example\.com approved an older version \(sha256:[0-9a-f]{8}…\); carol@example\.com approved an older version \(sha256:[0-9a-f]{8}…\); re-approve with campaign-lint approve campaign\.yaml --by <id>$/);
  });
}

test('approve refuses the author, a repeat approval and non-approvers, and writes nothing', () => {
  const root = project(`${POLICY}  approvers: [bob@example.com, carol@example.com]\n`);
  const original = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  const author = runCli(['approve', 'campaign.yaml', '--by', 'Alice@example.com'], { cwd: root });
  assert.equal(author.status, 2);
  assert.equal(author.stderr, 'campaign-lint: refused: Alice@example.com is the author of campaign.yaml; a second person must approve\n');
  const outsider = runCli(['approve', 'campaign.yaml', '--by', 'mallory@example.org'], { cwd: root });
  assert.equal(outsider.status, 2);
  assert.match(outsider.stderr, /^campaign-lint: refused: mallory@example\.org is not in approval\.approvers/);
  assert.equal(readFileSync(join(root, 'campaign.yaml'), 'utf8'), original);
  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com'], { cwd: root }).status, 0);
  const again = runCli(['approve', 'campaign.yaml', '--by', 'BOB@example.com'], { cwd: root });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /^campaign-lint: refused: BOB@example\.com has already approved this exact content \(sha256:[0-9a-f]{8}…\)\n$/);
});

test('--by defaults to git config user.email', () => {
  const root = project();
  gitInit(root);
  execFileSync('git', ['config', 'user.email', 'dana@example.com'], { cwd: root });
  const run = runCli(['approve', 'campaign.yaml'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  assert.match(readFileSync(join(root, 'campaign.yaml'), 'utf8'), /- by: dana@example\.com/);
});

test('--config-ref reads the policy from the base commit, so the pull request cannot switch a rule off', () => {
  const root = project(POLICY, `${VALID_CAMPAIGN}cc: [ann@example.com]\n`);
  gitInit(root);
  gitCommitAll(root, 'base policy');
  writeFileSync(join(root, 'campaign-lint.config.yaml'), `${POLICY}rules:\n  no-cc: off\n`);
  gitCommitAll(root, 'pull request weakens the policy');
  const head = lintJson(root).messages.map((message) => message.ruleId);
  assert.ok(!head.includes('no-cc'));
  const base = lintJson(root, ['--config-ref', 'HEAD~1']).messages.map((message) => message.ruleId);
  assert.ok(base.includes('no-cc'));
  const missing = runCli(['campaign.yaml', '--config-ref', 'no-such-branch'], { cwd: root });
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'campaign-lint: --config-ref: git ref `no-such-branch` not found\n');
});

function sshKey(dir: string, name: string, type: 'ed25519' | 'rsa'): string {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', path]);
  return path;
}

test('signature mode: real ssh-keygen signatures (ed25519 and RSA) pass; an unlisted key and a mangled signature fail', () => {
  const root = project(`${POLICY}  verify: signature\n  allowed_signers: allowed_signers\n`);
  const bobKey = sshKey(root, 'bob_key', 'ed25519');
  const carolKey = sshKey(root, 'carol_key', 'rsa');
  sshKey(root, 'mallory_key', 'ed25519');
  const publicKey = (path: string) => readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(join(root, 'allowed_signers'), `bob@example.com namespaces="campaign-lint" ${publicKey(bobKey)}\ncarol@example.com ${publicKey(carolKey)}\n`);

  const unsigned = runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com'], { cwd: root });
  assert.equal(unsigned.status, 2);
  assert.match(unsigned.stderr, /pass --sign-key <ssh key>/);

  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'bob@example.com', '--sign-key', 'bob_key'], { cwd: root }).status, 0);
  const forged = runCli(['approve', 'campaign.yaml', '--by', 'carol@example.com', '--sign-key', 'mallory_key'], { cwd: root });
  assert.equal(forged.status, 0, 'approve signs with whatever key it is given; lint is where the key is checked');
  const messages = approvalMessages(root);
  assert.match(messages[0]?.message ?? '', /^1 of 2 approvals valid \(signature mode\): carol@example\.com's signature is refused: .*not listed for carol@example\.com/);

  // Replace the forged approval with a real one from carol's RSA key.
  const text = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  writeFileSync(join(root, 'campaign.yaml'), text.slice(0, text.indexOf('  - by: carol@example.com')));
  assert.equal(runCli(['approve', 'campaign.yaml', '--by', 'carol@example.com', '--sign-key', 'carol_key'], { cwd: root }).status, 0);
  assert.deepEqual(approvalMessages(root), []);

  // A single changed character inside a signature's base64 body.
  const signed = readFileSync(join(root, 'campaign.yaml'), 'utf8');
  const lines = signed.split('\n');
  const bodyLine = lines.findIndex((line, index) => index > lines.findIndex((l) => l.includes('BEGIN SSH SIGNATURE')) + 1 && /^\s+[A-Za-z0-9+/]{20,}/.test(line));
  const line = lines[bodyLine] ?? '';
  const at = line.search(/[A-Za-z0-9]/) + 10;
  lines[bodyLine] = `${line.slice(0, at)}${line[at] === 'A' ? 'B' : 'A'}${line.slice(at + 1)}`;
  writeFileSync(join(root, 'campaign.yaml'), lines.join('\n'));
  assert.match(approvalMessages(root)[0]?.message ?? '', /^1 of 2 approvals valid \(signature mode\): .*signature is refused/);
});

test('github mode: reviews on the head commit pass; a failing API is an error finding, never a pass', async () => {
  const root = project(`${POLICY}  verify: github\n`);
  const headSha = 'c0ffee'.padEnd(40, '0');
  const event = join(root, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: headSha }, base: { sha: 'b'.repeat(40) }, user: { login: 'alice' } } }));
  const github = await startFakeGithub({
    owner: 'example-org',
    repo: 'campaigns',
    token: 'test-token',
    pulls: {
      7: [
        { id: 1, login: 'bob', state: 'APPROVED', commitId: headSha },
        { id: 2, login: 'carol', state: 'APPROVED', commitId: 'old'.padEnd(40, '0') },
      ],
    },
  });
  try {
    const approvalMessagesAsync = async (extra: string[], env: Record<string, string>) => {
      const run = await runCliAsync(['campaign.yaml', '-f', 'json', ...extra], { cwd: root, env });
      const results = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
      return results.flatMap((result) => result.messages).filter((message) => message.ruleId === 'two-person-approval');
    };
    const env = { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'example-org/campaigns', GITHUB_API_URL: github.url, GITHUB_TOKEN: 'test-token' };
    const partial = await approvalMessagesAsync([], env);
    assert.equal(partial.length, 1);
    assert.match(partial[0]?.message ?? '', /^1 of 2 .*carol.*\(github mode: pull-request reviews on the head commit\)$/);
    const refused = await approvalMessagesAsync([], { ...env, GITHUB_TOKEN: 'wrong' });
    assert.match(refused[0]?.message ?? '', /^GitHub review check failed \(github mode\): .*401/);
    const down = await approvalMessagesAsync([], { ...env, GITHUB_API_URL: await unreachableUrl() });
    assert.match(down[0]?.message ?? '', /^GitHub review check failed \(github mode\): /);
    // Only tighten: the command line cannot swap the trusted github mode for record.
    const lowered = await runCliAsync(['campaign.yaml', '-f', 'json', '--approvals', 'record'], { cwd: root, env });
    assert.equal(lowered.status, 2);
    assert.equal(lowered.stdout, '');
    assert.equal(
      lowered.stderr,
      'campaign-lint: --approvals record refused: campaign-lint.config.yaml sets approval.verify: github, and a mode given here may only raise record to signature or github, never replace a stricter one\n',
    );
  } finally {
    await github.close();
  }
});

/**
 * Every form YAML allows for an empty or existing `approvals` list: approve appends to it and
 * keeps every other byte. `AT` stands for the approval's timestamp, `D` for the digest.
 */
const B = 'bob@example.com';
const C = 'carol@example.com';
const blockItem = (by: string, indent: string, eol = '\n') => `${indent}- by: ${by}${eol}${indent}  digest: D${eol}${indent}  at: AT${eol}`;
const APPEND_FORMS: [string, string, string][] = [
  ['`approvals: []` as init writes it, with its comment', `${VALID_CAMPAIGN}approvals: []                      # campaign-lint approve campaign.yaml --by <your email>\n`, `${VALID_CAMPAIGN}approvals:                      # campaign-lint approve campaign.yaml --by <your email>\n${blockItem(B, '  ')}${blockItem(C, '  ')}`],
  ['`approvals: []` followed by more keys', VALID_CAMPAIGN.replace('headers:', 'approvals: []\nheaders:'), VALID_CAMPAIGN.replace('headers:', `approvals:\n${blockItem(B, '  ')}${blockItem(C, '  ')}headers:`)],
  ['`approvals: [ ]` at the end of a file without a final line break', `${VALID_CAMPAIGN}approvals: [ ]`, `${VALID_CAMPAIGN}approvals:\n${blockItem(B, '  ')}${blockItem(C, '  ')}`],
  ['`approvals:` with a null value', `${VALID_CAMPAIGN}approvals:\n# reviewers sign below\n`, `${VALID_CAMPAIGN}approvals:\n${blockItem(B, '  ')}${blockItem(C, '  ')}# reviewers sign below\n`],
  ['`approvals: ~` with a comment', `${VALID_CAMPAIGN}approvals: ~   # none yet\n`, `${VALID_CAMPAIGN}approvals:   # none yet\n${blockItem(B, '  ')}${blockItem(C, '  ')}`],
  ['an absent key', VALID_CAMPAIGN, `${VALID_CAMPAIGN}approvals:\n${blockItem(B, '  ')}${blockItem(C, '  ')}`],
  [
    'a block list indented at the key, followed by a comment and keys',
    `${VALID_CAMPAIGN}approvals:\n${blockItem('dana@example.com', '')}# end of approvals\nsend_at: "2026-12-01T09:00:00+01:00"\n`,
    `${VALID_CAMPAIGN}approvals:\n${blockItem('dana@example.com', '')}${blockItem(B, '')}${blockItem(C, '')}# end of approvals\nsend_at: "2026-12-01T09:00:00+01:00"\n`,
  ],
  [
    'a flow list with an item and a trailing comment',
    `${VALID_CAMPAIGN}approvals: [ {by: dana@example.com, digest: D, at: AT} ]  # flow\n`,
    `${VALID_CAMPAIGN}approvals: [ {by: dana@example.com, digest: D, at: AT}, { by: ${B}, digest: D, at: AT }, { by: ${C}, digest: D, at: AT } ]  # flow\n`,
  ],
  [
    'CRLF line breaks',
    `${VALID_CAMPAIGN}approvals: []\n`.replace(/\n/g, '\r\n'),
    `${VALID_CAMPAIGN}approvals:\n`.replace(/\n/g, '\r\n') + blockItem(B, '  ', '\r\n') + blockItem(C, '  ', '\r\n'),
  ],
];

for (const [form, before, expected] of APPEND_FORMS) {
  test(`approve appends to ${form}, keeping every other byte`, () => {
    // dana's approval is of another digest; the placeholders are filled with well-formed values.
    const stale = `sha256:${'0'.repeat(64)}`;
    const root = project(POLICY, before.replace(/digest: D\b/g, `digest: ${stale}`).replace(/at: AT\b/g, 'at: 2026-11-30T10:00:00Z'));
    for (const by of [B, C]) {
      const run = runCli(['approve', 'campaign.yaml', '--by', by], { cwd: root });
      assert.equal(run.status, 0, run.stderr);
    }
    const after = readFileSync(join(root, 'campaign.yaml'), 'utf8')
      .replaceAll(stale, 'D')
      .replaceAll('2026-11-30T10:00:00Z', 'AT')
      .replace(/sha256:[0-9a-f]{64}/g, 'D')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'AT');
    assert.equal(after, expected);
    const lint = lintJson(root);
    assert.deepEqual(lint.messages.map((message) => message.ruleId), [], JSON.stringify(lint.messages));
    assert.equal(lint.status, 0);
  });
}

test('approve refuses an `approvals` that is not a list, and writes nothing', () => {
  for (const [value, reason] of [
    ['{}', 'campaign-lint: cannot append to campaign.yaml: `approvals` must be a list (`approvals: []`, a block list or a flow list) or empty for approve to append to it\n'],
    ['!!null', 'campaign-lint: cannot append to campaign.yaml: `approvals` holds a tagged or anchored null; write `approvals: []` or delete the key\n'],
  ]) {
    const text = `${VALID_CAMPAIGN}approvals: ${value}\n`;
    const root = project(POLICY, text);
    const run = runCli(['approve', 'campaign.yaml', '--by', B], { cwd: root });
    assert.equal(run.stderr, reason);
    assert.equal(run.status, 2);
    assert.equal(readFileSync(join(root, 'campaign.yaml'), 'utf8'), text);
  }
});

test('a list of 8 MiB or more (hashed on a worker thread): approvals hold, and one changed byte at its end makes them stale', () => {
  const root = project();
  // 9 MiB of valid, consenting rows: the digest's largest file, hashed off the main thread.
  const header = 'email,first_name,consent,token\n';
  const rows = Array.from({ length: 260_000 }, (_, i) => `r${i}@example.com,Ann,yes,t${i}`).join('\n');
  writeFileSync(join(root, 'recipients.csv'), `${header}${rows}\n`);
  assert.ok(statSync(join(root, 'recipients.csv')).size >= 8 * 1024 * 1024);
  for (const by of ['bob@example.com', 'carol@example.com']) assert.equal(runCli(['approve', 'campaign.yaml', '--by', by], { cwd: root }).status, 0);
  assert.deepEqual(approvalMessages(root), []);
  // The attack: change the last recipient's token after approval (same length).
  const list = readFileSync(join(root, 'recipients.csv'));
  list[list.length - 2] = '8'.charCodeAt(0) === list[list.length - 2] ? 0x39 : 0x38;
  writeFileSync(join(root, 'recipients.csv'), list);
  const messages = approvalMessages(root);
  assert.match(messages[0]?.message ?? '', /^0 of 2 approvals valid \(record mode\): bob@example\.com approved an older version/);
});

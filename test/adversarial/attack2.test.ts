/**
 * Attacks on this sprint's surface that are not one campaign folder: payload files, the cache
 * across runs, --draft, and policy packages under --config-ref. Each runs the real CLI in a real
 * git repository and asserts the exit code and the locked rule that must catch it. A hole that is
 * still open runs as a TODO printing why.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gitCommitAll, gitInit, runCli } from '../helpers/cli.js';
import { CONFIG as POLICY } from '../integration/helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'campaign-lint-attack2-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});


let count = 0;
function repo(files: Record<string, string>): string {
  const dir = join(scratch, `r${String(count++)}`);
  mkdirSync(dir);
  gitInit(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

interface JsonResult {
  messages: { ruleId: string | null; severity: number; message: string }[];
}
function errorRules(stdout: string): string[] {
  return [...new Set((JSON.parse(stdout) as JsonResult[]).flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? 'fatal')))].sort();
}

// Payload files a platform sends with a Cc, a second To or a raw MIME message the model never reads.
const PAYLOADS: { name: string; json: string; rule: string; open?: string }[] = [
  { name: 'sendgrid-to-cc-objects', json: '{"from":{"email":"news@mail.example.com"},"personalizations":[{"to":{"email":"ann@example.com"},"cc":{"email":"bo@example.org"}}]}', rule: 'no-cc' },
  { name: 'nodemailer-header-cc', json: '{"from":"news@mail.example.com","to":"ann@example.com","headers":{"Cc":"bo@example.org"}}', rule: 'no-cc' },
  { name: 'nodemailer-group', json: '{"from":"news@mail.example.com","to":"undisclosed: ann@example.com, bo@example.org;"}', rule: 'single-recipient-to' },
  { name: 'nodemailer-duplicate-to', json: '{"from":"news@mail.example.com","to":"ann@example.com","to":"ann@example.com, bo@example.org"}', rule: 'single-recipient-to' },
  { name: 'array-of-arrays', json: '[[{"from":"news@mail.example.com","to":"ann@example.com, bo@example.org"}]]', rule: 'single-recipient-to' },
  { name: 'nodemailer-nested-to', json: '{"from":"news@mail.example.com","to":["ann@example.com",["bo@example.org"]]}', rule: 'single-recipient-to' },
  { name: 'mailgun-h-CC', json: '{"from":"news@mail.example.com","to":"ann@example.com","h:CC":"bo@example.org"}', rule: 'no-cc' },
  { name: 'nodemailer-envelope-cc', json: '{"from":"news@mail.example.com","to":"ann@example.com","envelope":{"from":"x@mail.example.com","to":"ann@example.com","cc":"bo@example.org"}}', rule: 'no-cc' },
  { name: 'nodemailer-raw', json: '{"from":"news@mail.example.com","to":"ann@example.com","raw":"To: ann@example.com\\r\\nCc: bo@example.org\\r\\n\\r\\nhi"}', rule: 'single-recipient-to' },
  { name: 'ses-raw', json: '{"FromEmailAddress":"news@mail.example.com","Destination":{"ToAddresses":["ann@example.com"]},"Content":{"Raw":{"Data":"Q2M6IGJvQGV4YW1wbGUub3Jn"}}}', rule: 'single-recipient-to' },
  { name: 'postmark-cc-lowercase', json: '{"From":"news@mail.example.com","To":"ann@example.com","cc":"bo@example.org"}', rule: 'single-recipient-to' },
  { name: 'postmark-CC-uppercase', json: '{"From":"news@mail.example.com","To":"ann@example.com","CC":"bo@example.org"}', rule: 'single-recipient-to' },
  { name: 'ses-CCAddresses', json: '{"FromEmailAddress":"news@mail.example.com","Destination":{"ToAddresses":["ann@example.com"],"CCAddresses":["bo@example.org"]}}', rule: 'single-recipient-to' },
  { name: 'mandrill-type-CC', json: '{"message":{"from_email":"news@mail.example.com","to":[{"email":"ann@example.com"},{"email":"bo@example.org","type":"CC"}],"preserve_recipients":false}}', rule: 'single-recipient-to' },
  {
    name: 'nodemailer-name-holds-address',
    json: '{"from":"news@mail.example.com","to":{"name":"Bo, bo@example.org","address":"ann@example.com"}}',
    rule: 'single-recipient-to',
  },
  { name: 'sendgrid-name-holds-address', json: '{"from":{"email":"news@mail.example.com"},"personalizations":[{"to":[{"email":"ann@example.com","name":"bo@example.org"}]}]}', rule: 'single-recipient-to' },
  {
    name: 'nodemailer-encoded-word-name',
    json: '{"from":"news@mail.example.com","to":"=?utf-8?B?Ym9AZXhhbXBsZS5vcmc=?= <ann@example.com>"}',
    rule: 'single-recipient-to',
  },
  { name: 'nodemailer-reply-to-name-address', json: '{"from":"news@mail.example.com","to":"ann@example.com","replyTo":{"name":"cy@example.net","address":"help@mail.example.com"}}', rule: 'sender-address' },
];

describe('attack2: payload shapes', () => {
  for (const payload of PAYLOADS) {
    test(`payload ${payload.name} fails under ${payload.rule}`, payload.open === undefined ? {} : { todo: payload.open }, () => {
      const dir = repo({ 'campaign-lint.config.yaml': POLICY, [`${payload.name}.payload.json`]: `${payload.json}\n` });
      const run = runCli(['-f', 'json', `${payload.name}.payload.json`], { cwd: dir });
      assert.equal(run.status, 1, `${run.stderr}${run.stdout}`);
      assert.ok(errorRules(run.stdout).includes(payload.rule), run.stdout);
    });
  }

  test('JSON Lines: a comment line is fatal and the lines after it are still a failing file', () => {
    const text = '{"from":"news@mail.example.com","to":"ann@example.com"}\n\n// next\n{"from":"news@mail.example.com","to":"ann@example.com, bo@example.org"}\n';
    const dir = repo({ 'campaign-lint.config.yaml': POLICY, 'x.payload.jsonl': text });
    const run = runCli(['-f', 'json', 'x.payload.jsonl'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
  });
});

const CAMPAIGN = `version: 1
id: spring
name: Spring
category: marketing
author: alice@example.com
from:
  name: Example Shop
  address: news@mail.example.com
to: "{{first_name}} <{{email}}>"
subject: "{{first_name}}, our spring sale"
headers:
  List-Unsubscribe: "<https://mail.example.com/unsubscribe?u={{token}}>"
  List-Unsubscribe-Post: List-Unsubscribe=One-Click
body:
  text: body.txt
recipients:
  file: list.csv
  consent_column: consent
  expected_count: 2
`;
const BODY = 'Hello {{first_name}},\n\nOur spring sale starts Monday. Questions: help@mail.example.com\n\nUnsubscribe: https://mail.example.com/unsubscribe?u={{token}}\n\nExample Ltd, 1 Main Street, London N1 1AA\n';
const LIST_A = 'email,first_name,consent,token\nann.example@example.com,Ann,yes,t-1\ncy.test@example.net,Cy,yes,t-2\n';
const LIST_B = 'email,first_name,consent,token\nann.example@example.com,Ann,yes,t-1\nhelp@mail.example.com,Cy,yes,t-2\n';

describe('attack2: the cache never turns a failing campaign into a passing one', () => {
  const env = { CAMPAIGN_LINT_CACHE_SECRET: 'attack2-secret' };

  test('a --draft pass is not reused by a run without --draft (missing approvals)', () => {
    const dir = repo({ 'campaign-lint.config.yaml': POLICY.replace('required: 0', 'required: 1'), 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'list.csv': LIST_A });
    const draft = runCli(['--cache', '--draft', '-f', 'json'], { cwd: dir, env });
    assert.equal(draft.status, 0, draft.stderr + draft.stdout);
    const real = runCli(['--cache', '-f', 'json'], { cwd: dir, env });
    assert.equal(real.status, 1, real.stderr);
    assert.deepEqual(errorRules(real.stdout), ['two-person-approval']);
  });

  test('retargeting a symlinked list to a list holding an address the body shows is seen', () => {
    const dir = repo({ 'campaign-lint.config.yaml': POLICY, 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'a.csv': LIST_A, 'b.csv': LIST_B });
    symlinkSync('a.csv', join(dir, 'list.csv'));
    const first = runCli(['--cache', '-f', 'json'], { cwd: dir, env });
    assert.equal(first.status, 0, first.stderr + first.stdout);
    unlinkSync(join(dir, 'list.csv'));
    symlinkSync('b.csv', join(dir, 'list.csv'));
    const second = runCli(['--cache', '-f', 'json'], { cwd: dir, env });
    assert.equal(second.status, 1, second.stderr + second.stdout);
    assert.ok(errorRules(second.stdout).includes('rendered-message'), second.stdout);
  });

  test('a same-size edit of the list with its mtime restored is seen', () => {
    const before = LIST_B.replace('help@mail.example.com', 'help@mail.example.net');
    const dir = repo({ 'campaign-lint.config.yaml': POLICY, 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'list.csv': before });
    const path = join(dir, 'list.csv');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const first = runCli(['--cache', '-f', 'json'], { cwd: dir, env });
    assert.equal(first.status, 0, first.stderr + first.stdout);
    // Same size, same mtime: only the content and ctime say the body now shows a listed address.
    assert.equal(LIST_B.length, before.length);
    writeFileSync(path, LIST_B);
    utimesSync(path, old, old);
    const second = runCli(['--cache', '-f', 'json'], { cwd: dir, env });
    assert.equal(second.status, 1, second.stderr + second.stdout);
    assert.ok(errorRules(second.stdout).includes('rendered-message'), second.stdout);
  });

  test('a locked rule loosened in the trusted ref after a --config-ref pass does not reuse it the other way', () => {
    const dir = repo({ 'campaign-lint.config.yaml': POLICY.replace('required: 0', 'required: 1'), 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'list.csv': LIST_A });
    gitCommitAll(dir, 'policy');
    // A working-tree config that drops the approval floor: judged by the ref, the campaign fails.
    writeFileSync(join(dir, 'campaign-lint.config.yaml'), POLICY);
    const loose = runCli(['--cache', '-f', 'json'], { cwd: dir, env });
    assert.equal(loose.status, 0, loose.stderr + loose.stdout);
    const trusted = runCli(['--cache', '--config-ref', 'main', '-f', 'json'], { cwd: dir, env });
    assert.equal(trusted.status, 1, trusted.stderr + trusted.stdout);
    assert.deepEqual(errorRules(trusted.stdout), ['two-person-approval']);
  });
});

describe('attack2: policy packages under --config-ref', () => {
  const INTEGRITY = 'sha512-AAAA';
  // What npm ci leaves: the package and npm's own record of what it installed.
  const installed = (required: number, integrity: string) => ({
    'node_modules/@acme/policy/package.json': '{"name":"@acme/policy","version":"1.2.0","campaign-lint":"policy.yaml"}\n',
    'node_modules/@acme/policy/policy.yaml': `approval:\n  required: ${String(required)}\n`,
    'node_modules/.package-lock.json': `{"name":"x","lockfileVersion":3,"packages":{"node_modules/@acme/policy":{"version":"1.2.0","integrity":"${integrity}"}}}\n`,
  });
  const lock = `{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"},"node_modules/@acme/policy":{"version":"1.2.0","resolved":"https://registry.npmjs.org/@acme/policy/-/policy-1.2.0.tgz","integrity":"${INTEGRITY}"}}}\n`;
  const config = POLICY.replace('approval:\n  required: 0\n', '').replace('extends: recommended', 'extends:\n  - recommended\n  - "@acme/policy"');
  const write = (dir: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
  };
  const base = () => {
    const dir = repo({ 'campaign-lint.config.yaml': config, 'package-lock.json': lock, 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'list.csv': LIST_A, '.gitignore': 'node_modules/\n' });
    gitCommitAll(dir, 'base');
    return dir;
  };

  test('the pinned copy npm installed is read: the campaign without approvals fails', () => {
    const dir = base();
    write(dir, installed(1, INTEGRITY));
    const honest = runCli(['--config-ref', 'main', '-f', 'json'], { cwd: dir });
    assert.equal(honest.status, 1, honest.stderr + honest.stdout);
    assert.deepEqual(errorRules(honest.stdout), ['two-person-approval']);
  });

  test('a pull request that commits its own copy of the pinned version with a loose policy is refused (exit 2)', () => {
    const dir = base();
    writeFileSync(join(dir, '.gitignore'), '');
    write(dir, installed(0, INTEGRITY));
    gitCommitAll(dir, 'pr');
    const attack = runCli(['--config-ref', 'main~1', '-f', 'json'], { cwd: dir });
    assert.equal(attack.status, 2, attack.stderr + attack.stdout);
    assert.match(attack.stderr, /extends `@acme\/policy` is committed to the repository \(`node_modules\/\.package-lock\.json`\): with --config-ref a policy package must be installed by npm ci, never committed\n$/);
  });

  test('a pull request whose lockfile installs another tarball at the pinned version is refused (exit 2)', () => {
    const dir = base();
    write(dir, installed(0, 'sha512-BBBB'));
    const attack = runCli(['--config-ref', 'main', '-f', 'json'], { cwd: dir });
    assert.equal(attack.status, 2, attack.stderr + attack.stdout);
    assert.match(attack.stderr, /extends `@acme\/policy` is not the copy package-lock\.json in `main` pins \(npm recorded another integrity, or none\): run npm ci\n$/);
  });
});

describe('attack2: fix-list never writes over the campaign', () => {
  test('-o naming the campaign, a template or the list itself is refused (exit 2) and leaves each file as it was', () => {
    const dir = repo({ 'campaign-lint.config.yaml': POLICY, 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'list.csv': `${LIST_A}bad,Bo,yes,t-3\n` });
    for (const target of ['campaign.yaml', 'body.txt', 'list.csv', './sub/../list.csv']) {
      const before = readFileSync(join(dir, target.replace('./sub/../', '')), 'utf8');
      const run = runCli(['fix-list', 'campaign.yaml', '-o', target], { cwd: dir });
      assert.equal(run.status, 2, `${target}: ${run.stderr}`);
      assert.match(run.stderr, /is one of the campaign's own files; write a new file, or pass --in-place to replace the list\n$/);
      assert.equal(readFileSync(join(dir, target.replace('./sub/../', '')), 'utf8'), before);
    }
  });

  test('-o through a symlink to the list is refused as the list itself (exit 2)', () => {
    const dir = repo({ 'campaign-lint.config.yaml': POLICY, 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'list.csv': `${LIST_A}bad,Bo,yes,t-3\n` });
    symlinkSync('list.csv', join(dir, 'out.csv'));
    const run = runCli(['fix-list', 'campaign.yaml', '-o', 'out.csv'], { cwd: dir });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stderr, 'campaign-lint: fix-list: -o out.csv is one of the campaign\'s own files; write a new file, or pass --in-place to replace the list\n');
    assert.equal(readFileSync(join(dir, 'list.csv'), 'utf8'), `${LIST_A}bad,Bo,yes,t-3\n`, `${String(run.status)} ${run.stderr}`);
  });
});

describe('attack2: --draft only turns missing or stale approvals into warnings, and never on CI', () => {
  const config = POLICY.replace('required: 0', 'required: 1');
  const selfApproved = CAMPAIGN.replace('author: alice@example.com\n', 'author: alice@example.com\napprovals:\n  - by: alice@example.com\n    digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000"\n');

  test('a self-approval stays an error in a draft run (exit 1)', () => {
    const dir = repo({ 'campaign-lint.config.yaml': config, 'campaign.yaml': selfApproved, 'body.txt': BODY, 'list.csv': LIST_A });
    const run = runCli(['--draft', '-f', 'json'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr + run.stdout);
    assert.deepEqual(errorRules(run.stdout), ['two-person-approval']);
  });

  for (const [name, value] of [['CI', 'true'], ['GITHUB_ACTIONS', 'true'], ['GITLAB_CI', 'true'], ['BUILDKITE', 'true']] as const) {
    test(`--draft is ignored with ${name}=${value}: a missing approval fails (exit 1)`, () => {
      const dir = repo({ 'campaign-lint.config.yaml': config, 'campaign.yaml': CAMPAIGN, 'body.txt': BODY, 'list.csv': LIST_A });
      const run = runCli(['--draft', '-f', 'json'], { cwd: dir, env: { [name]: value } });
      assert.equal(run.status, 1, run.stderr + run.stdout);
      assert.deepEqual(errorRules(run.stdout), ['two-person-approval']);
      assert.match(run.stderr, /^campaign-lint: --draft ignored: .+ says this is CI, where missing approvals fail\n/);
    });
  }
});

/**
 * `campaign-lint test <dir>` and `--print-config [campaign]` through the built CLI: fixtures with
 * expect files pass (exit 0) or print a readable difference (exit 1); the effective policy says
 * where each value came from, overrides included.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

const POLICY = `organization:
  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"
  sending_domains: [mail.example.com]
approval:
  required: 0
custom_rules:
  brand/no-free:
    description: No subject shouts FREE
    given: subject
    then: { function: notPattern, match: "\\\\bfree\\\\b", flags: i }
overrides:
  - files: ["policy-tests/special/**"]
    sensitivity: special-category
    approval:
      required: 3
`;

function fixture(dir: string, subject: string, expect: string | undefined): Record<string, string> {
  return {
    [`${dir}/campaign.yaml`]: VALID_CAMPAIGN.replace('subject: "Hello {{first_name}}"', `subject: "${subject}"`),
    ...Object.fromEntries(Object.entries(VALID_FILES).map(([name, text]) => [`${dir}/${name}`, text])),
    ...(expect === undefined ? {} : { [`${dir}/expect.yaml`]: expect }),
  };
}

function repository(): string {
  return tempTree({
    'campaign-lint.config.yaml': POLICY,
    ...fixture('policy-tests/clean', 'Hello {{first_name}}', '[]\n'),
    ...fixture('policy-tests/free', 'Free gifts, {{first_name}}', '- rule: brand/no-free\n  line: 10\n  column: 10\n  severity: error\n  message: matches\n'),
    ...fixture('policy-tests/special', 'Hello {{first_name}}', 'rules: [brand/*]\nfindings: []\n'),
  });
}

test('all fixtures match their expect files: exit 0, one line each', () => {
  const root = repository();
  const run = runCli(['test', 'policy-tests'], { cwd: root });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, '✓ policy-tests/clean/campaign.yaml\n✓ policy-tests/free/campaign.yaml\n✓ policy-tests/special/campaign.yaml\n\n3 fixtures: 3 passed, 0 failed\n');
  assert.equal(run.status, 0);
});

test('a difference is exit 1 with what was expected and not reported, and what was reported and not expected', () => {
  const root = repository();
  writeFileSync(join(root, 'policy-tests/clean/expect.yaml'), '- rule: brand/no-free\n  line: 10\n');
  writeFileSync(join(root, 'policy-tests/free/expect.yaml'), '[]\n');
  const run = runCli(['test', 'policy-tests'], { cwd: root });
  assert.equal(run.status, 1, run.stderr);
  assert.equal(
    run.stdout,
    [
      '✗ policy-tests/clean/campaign.yaml',
      '  - expected  policy-tests/clean/campaign.yaml:10  brand/no-free  (not reported; policy-tests/clean/expect.yaml:1)',
      '✓ policy-tests/free/campaign.yaml'.replace('✓', '✗'),
      '  + reported  policy-tests/free/campaign.yaml:10:10  error  brand/no-free  No subject shouts FREE: `subject` matches /\\bfree\\b/ (`Free`)',
      '✓ policy-tests/special/campaign.yaml',
      '',
      '3 fixtures: 1 passed, 2 failed',
      '',
    ].join('\n'),
  );
});

test('the special-category override shows in the fixtures: without a rules scope, its approval finding is a difference', () => {
  const root = repository();
  writeFileSync(join(root, 'policy-tests/special/expect.yaml'), '[]\n');
  const run = runCli(['test', 'policy-tests/special'], { cwd: root });
  assert.equal(run.status, 1);
  assert.match(run.stdout, /^✗ policy-tests\/special\/campaign\.yaml\n {2}\+ reported {2}policy-tests\/special\/campaign\.yaml:5:1 {2}error {2}two-person-approval {2}0 of 3 approvals/);
});

test('no fixtures, a missing expect file, a malformed one: clear lines', () => {
  const root = repository();
  const empty = runCli(['test', 'nothing-here'], { cwd: root });
  assert.equal(empty.status, 2);
  assert.equal(empty.stderr, 'campaign-lint: test: `nothing-here` is not a folder\n');
  writeFileSync(join(root, 'policy-tests/clean/expect.yaml'), '- rule: brand/no-free\n  lines: 3\n');
  const malformed = runCli(['test', 'policy-tests'], { cwd: root });
  assert.equal(malformed.status, 2);
  assert.equal(malformed.stderr, 'campaign-lint: policy-tests/clean/expect.yaml:2:3: unknown key `lines` (rule, line, column, file, severity, message)\n');
  const withoutExpect = tempTree({ 'campaign-lint.config.yaml': POLICY, ...fixture('t/a', 'Hi', undefined) });
  const missing = runCli(['test', 't'], { cwd: withoutExpect });
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /^✗ t\/a\/campaign\.yaml\n {2}no expect file: write t\/a\/expect\.yaml \(a list of findings, \[\] for none\)\n/);
});

test('--print-config <campaign>: effective values with where they came from, overrides applied', () => {
  const root = repository();
  const run = runCli(['--print-config', 'policy-tests/special/campaign.yaml'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  const printed = JSON.parse(run.stdout) as {
    campaign: string;
    ref: null;
    source: string;
    overrides: { applied: string[] };
    policy: { approval: { required: { value: number; from: string } }; sensitivity: { value: string; from: string }; rules: Record<string, { severity: string; from: string; locked: boolean }> };
  };
  assert.equal(printed.campaign, 'policy-tests/special/campaign.yaml');
  assert.equal(printed.ref, null);
  assert.equal(printed.source, 'campaign-lint.config.yaml');
  assert.deepEqual(printed.overrides.applied, ['campaign-lint.config.yaml overrides[0]']);
  assert.deepEqual(printed.policy.approval.required, { from: 'campaign-lint.config.yaml overrides[0] (campaign-lint.config.yaml:15:7)', value: 3 });
  assert.deepEqual(printed.policy.sensitivity, { from: 'campaign-lint.config.yaml overrides[0] (campaign-lint.config.yaml:13:5)', value: 'special-category' });
  assert.deepEqual(printed.policy.rules['no-cc'], { from: 'preset:recommended', locked: true, options: {}, severity: 'error' });
  assert.deepEqual(printed.policy.rules['brand/no-free'], { custom: true, from: 'campaign-lint.config.yaml:7:3', locked: false, options: {}, severity: 'error' });
  // Without a campaign: the base policy, no override applied.
  const base = JSON.parse(runCli(['--print-config'], { cwd: root }).stdout) as typeof printed;
  assert.equal(base.campaign, null);
  assert.deepEqual(base.policy.approval.required, { from: 'campaign-lint.config.yaml:5:3', value: 0 });
  // The same policy prints byte for byte the same (canonical key order).
  assert.equal(runCli(['--print-config'], { cwd: root }).stdout, runCli(['--print-config'], { cwd: root }).stdout);
});

test('a custom rule whose pattern RE2 cannot compile stops lint before any output: exit 2, one line at its place', () => {
  const root = tempTree({
    'campaign-lint.config.yaml': POLICY.replace('match: "\\\\bfree\\\\b"', 'match: "(?<=a)free"'),
    ...fixture('c', 'Hello', undefined),
  });
  const run = runCli(['c/campaign.yaml'], { cwd: root });
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^campaign-lint: campaign-lint\.config\.yaml:10:35: invalid config: `custom_rules\.brand\/no-free\.then\.match` is not a regular expression RE2 accepts \(.*\); RE2 has no lookaround or backreferences\n$/);
});

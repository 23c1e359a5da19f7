import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempTree } from '../helpers/campaign.js';
import { gitCommitAll, gitInit, runCli } from '../helpers/cli.js';

const CONFIG = [
  'rules:',
  '  subject-honest: off',
  '  recipient-unused-column: error',
  'locked:',
  '  - recipient-unused-column',
  '',
].join('\n');

function row(stdout: string, id: string): string | undefined {
  return stdout.split('\n').find((line) => line.startsWith(`${id} `));
}

test('rules lists the severities in effect under the config: overrides applied, locked marked, the preset value named', () => {
  const root = tempTree({ 'campaign-lint.config.yaml': CONFIG });
  const run = runCli(['rules'], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.ok(run.stdout.startsWith('Rules in effect under campaign-lint.config.yaml (extends: recommended):\n\n'), run.stdout);
  assert.match(row(run.stdout, 'subject-honest') ?? '', /^subject-honest +off \(preset: warn\) +Disallow /);
  assert.match(row(run.stdout, 'recipient-unused-column') ?? '', /^recipient-unused-column +error, locked \(preset: warn\) +\S/);
  // Unchanged rules say only their severity.
  assert.match(row(run.stdout, 'no-cc') ?? '', /^no-cc +error, locked +Disallow Cc recipients/);

  const one = runCli(['rules', 'subject-honest'], { cwd: root });
  assert.match(one.stdout, /^in effect: +off \(preset: warn\), under campaign-lint\.config\.yaml \(extends: recommended\)$/m);
  assert.match(one.stdout, /^recommended: +warn$/m);

  const json = JSON.parse(runCli(['rules', '-f', 'json'], { cwd: root }).stdout) as { id: string; effectiveSeverity: string; locked: boolean; defaultSeverity: string }[];
  const byId = new Map(json.map((rule) => [rule.id, rule]));
  assert.deepEqual([byId.get('subject-honest')?.effectiveSeverity, byId.get('subject-honest')?.locked, byId.get('subject-honest')?.defaultSeverity], ['off', false, 'warn']);
  assert.deepEqual([byId.get('recipient-unused-column')?.effectiveSeverity, byId.get('recipient-unused-column')?.locked], ['error', true]);
});

test('rules without a config shows the preset, and says so; strict raises every rule to error', () => {
  const none = runCli(['rules'], { cwd: tempTree({}) });
  assert.ok(none.stdout.startsWith('Rules in effect under the recommended preset (no config file found):\n\n'), none.stdout);
  assert.match(row(none.stdout, 'subject-honest') ?? '', /^subject-honest +warn +Disallow /);
  const strict = runCli(['rules'], { cwd: tempTree({ 'campaign-lint.config.yaml': 'extends: strict\n' }) });
  assert.match(row(strict.stdout, 'subject-honest') ?? '', /^subject-honest +error +Disallow /);
});

test('rules --config-ref shows the policy of that ref, not the working tree', () => {
  const root = tempTree({ 'campaign-lint.config.yaml': CONFIG });
  gitInit(root);
  gitCommitAll(root, 'policy');
  // The working tree changes it after the commit; the ref keeps the committed policy.
  writeFileSync(join(root, 'campaign-lint.config.yaml'), 'rules:\n  subject-honest: error\n');
  assert.match(row(runCli(['rules'], { cwd: root }).stdout, 'subject-honest') ?? '', /^subject-honest +error \(preset: warn\)/);
  const fromRef = runCli(['rules', '--config-ref', 'main'], { cwd: root });
  assert.equal(fromRef.status, 0, fromRef.stderr);
  assert.match(fromRef.stdout, /^Rules in effect under main:campaign-lint\.config\.yaml/);
  assert.match(row(fromRef.stdout, 'subject-honest') ?? '', /^subject-honest +off \(preset: warn\)/);
});

test('rules: an invalid config or format is one line, exit 2', () => {
  const bad = runCli(['rules'], { cwd: tempTree({ 'campaign-lint.config.yaml': 'rules:\n  no-cc: of\n' }) });
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr.split('\n').length, 2, bad.stderr);
  const format = runCli(['rules', '-f', 'sarif'], { cwd: tempTree({}) });
  assert.equal(format.stderr, 'campaign-lint: rules prints text or json, not `sarif`\n');
  assert.equal(format.status, 2);
});

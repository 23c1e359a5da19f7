/**
 * Policy closure for suppression lists: with --config-ref, a list the policy names is read as the
 * trusted ref holds it, besides the working tree's copy, so a pull request can add suppressions
 * but never remove one. Real git repositories, the built CLI.
 */
import assert from 'node:assert/strict';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { gitCommitAll, gitInit, runCli } from '../helpers/cli.js';

const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\nsuppression: ["suppression/*.csv"]\n';

interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; line: number; column: number; message: string }[];
}

/** A repository whose main branch suppresses bo@example.org; the working tree is the pull request. */
function repository(): string {
  const root = tempTree({ ...VALID_FILES, 'campaign.yaml': VALID_CAMPAIGN, 'campaign-lint.config.yaml': POLICY, 'suppression/bounced.csv': 'email\nbo@example.org\ncy@example.net\n' });
  gitInit(root);
  gitCommitAll(root, 'policy');
  return root;
}

function suppressedFindings(root: string, args: string[]): JsonResult['messages'] {
  const run = runCli(['-f', 'json', ...args, 'campaign.yaml'], { cwd: root });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const results = JSON.parse(run.stdout) as JsonResult[];
  return results.flatMap((result) => result.messages.filter((message) => message.ruleId === 'recipient-suppressed'));
}

test('a pull request that deletes a suppression entry: the ref still suppresses the recipient', () => {
  const root = repository();
  writeFileSync(join(root, 'suppression/bounced.csv'), 'email\ncy@example.net\n');
  assert.deepEqual(suppressedFindings(root, []), [], 'the working tree alone no longer suppresses bo (the attack)');
  const findings = suppressedFindings(root, ['--config-ref', 'main']);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  const [finding] = findings;
  assert.ok(finding);
  assert.equal(finding.line, 3);
  assert.match(finding.message, /`b\*\*\*@example\.org` is on suppression list `main:suppression\/bounced\.csv` \(line 2\)/);
});

test('a pull request that deletes the whole list: the ref copy is read', () => {
  const root = repository();
  unlinkSync(join(root, 'suppression/bounced.csv'));
  const findings = suppressedFindings(root, ['--config-ref', 'main']);
  assert.ok(findings.some((finding) => finding.line === 3 && finding.message.includes('main:suppression/bounced.csv')), JSON.stringify(findings));
});

test('a pull request that adds an entry: the working tree copy adds it, nothing is reported twice', () => {
  const root = repository();
  writeFileSync(join(root, 'suppression/bounced.csv'), 'email\nbo@example.org\ncy@example.net\nann@example.com\n');
  const findings = suppressedFindings(root, ['--config-ref', 'main']);
  assert.deepEqual(
    findings.map((finding) => [finding.line, /suppression list `([^`]+)`/.exec(finding.message)?.[1]]),
    [
      [2, 'suppression/bounced.csv'],
      [3, 'suppression/bounced.csv'],
    ],
  );
});

test('an unchanged list is read once, from the working tree', () => {
  const root = repository();
  const findings = suppressedFindings(root, ['--config-ref', 'main']);
  assert.deepEqual(findings.map((finding) => [finding.line, /suppression list `([^`]+)`/.exec(finding.message)?.[1]]), [[3, 'suppression/bounced.csv']]);
});

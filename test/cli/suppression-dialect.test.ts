import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

// Issue 15, item 12: a semicolon-separated suppression list used to suppress nobody and the
// run exited 0. The golden fixture holds the finding; this checks the exit code of the real CLI.
test('a campaign whose suppression list is semicolon-separated exits 1 under recipient-suppressed', () => {
  const caseDir = join(REPO_ROOT, 'test/fixtures/err/recipient-suppressed-semicolon');
  const run = runCli(['--format', 'json', '--config', join(REPO_ROOT, 'test/fixtures/campaign-lint.config.yaml'), '.'], { cwd: caseDir });
  assert.equal(run.status, 1, run.stderr);
  const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null; severity: number; line: number; message: string }[] }[];
  const findings = results.flatMap((result) => result.messages.filter((message) => message.ruleId === 'recipient-suppressed').map((message) => ({ file: result.filePath.slice(caseDir.length + 1), ...message })));
  assert.deepEqual(
    findings.map(({ file, severity, line }) => ({ file, severity, line })),
    [{ file: 'recipients.csv', severity: 2, line: 4 }],
  );
  assert.ok(!run.stdout.includes('cy.test@example.net') && !run.stdout.includes('CY.TEST'), 'the address is masked');
});

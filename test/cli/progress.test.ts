import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress, renderProgress, shouldShowProgress } from '../../src/cli/progress.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

test('renderProgress: bar, percentage, rows, rate and ETA', () => {
  assert.equal(
    renderProgress({ filePath: '/x/recipients.csv', bytes: 25_000_000, totalBytes: 100_000_000, rows: 450_000, elapsedMs: 1500 }),
    'recipients.csv [######------------------]  25% 450,000 rows 300,000 rows/s ETA 5s',
  );
  assert.equal(renderProgress({ filePath: 'a.csv', bytes: 0, totalBytes: 0, rows: 0, elapsedMs: 0 }), 'a.csv [------------------------]   0% 0 rows 0 rows/s ETA ?');
  assert.match(renderProgress({ filePath: 'a.csv', bytes: 1, totalBytes: 1000, rows: 1, elapsedMs: 1000 }), /ETA 16m39s$/);
});

test('shouldShowProgress: only a terminal, outside CI, stylish format', () => {
  const tty = { write: () => true, isTTY: true };
  assert.equal(shouldShowProgress({ stderr: tty, env: {}, format: 'stylish' }), true);
  assert.equal(shouldShowProgress({ stderr: { write: () => true }, env: {}, format: 'stylish' }), false);
  assert.equal(shouldShowProgress({ stderr: tty, env: { CI: 'true' }, format: 'stylish' }), false);
  assert.equal(shouldShowProgress({ stderr: tty, env: { GITHUB_ACTIONS: 'true' }, format: 'stylish' }), false);
  assert.equal(shouldShowProgress({ stderr: tty, env: { TERM: 'dumb' }, format: 'stylish' }), false);
  for (const format of ['json', 'sarif', 'github', 'junit', 'markdown']) assert.equal(shouldShowProgress({ stderr: tty, env: {}, format }), false);
});

test('createProgress: throttled, only for large lists, erased at the end', () => {
  const written: string[] = [];
  let clock = 0;
  const progress = createProgress({ write: (text: string) => written.push(text), isTTY: true }, () => clock);
  const file = '/x/r.csv';
  progress.update({ filePath: file, bytes: 1000, totalBytes: 10_000, rows: 50 });
  clock = 500;
  progress.update({ filePath: file, bytes: 2000, totalBytes: 10_000, rows: 100 });
  assert.deepEqual(written, [], 'a list projected at 500 rows gets no bar');

  const big = '/x/big.csv';
  clock = 1000;
  progress.update({ filePath: big, bytes: 1_000_000, totalBytes: 10_000_000, rows: 20_000 });
  clock = 1050;
  progress.update({ filePath: big, bytes: 2_000_000, totalBytes: 10_000_000, rows: 40_000 });
  assert.deepEqual(written, [], 'no redraw within 100 ms of the start');
  clock = 1200;
  progress.update({ filePath: big, bytes: 3_000_000, totalBytes: 10_000_000, rows: 60_000 });
  assert.equal(written.length, 1);
  assert.equal(written[0], '\r\x1b[Kbig.csv [#######-----------------]  30% 60,000 rows 300,000 rows/s ETA 1s');
  clock = 1250;
  progress.update({ filePath: big, bytes: 4_000_000, totalBytes: 10_000_000, rows: 80_000 });
  assert.equal(written.length, 1, 'throttled');
  progress.update({ filePath: big, bytes: 10_000_000, totalBytes: 10_000_000, rows: 200_000 });
  assert.deepEqual(written.slice(1), ['\r\x1b[K'], 'erased when the list is read');
  progress.done();
  assert.equal(written.length, 2, 'nothing left to erase');
});

test('no progress output when stderr is not a terminal, even for a large list', () => {
  const rows = Array.from({ length: 120_000 }, (_, i) => `r${i}@example.com,R,yes,t${i}`).join('\n');
  const root = tempTree({
    'campaign.yaml': VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 120000'),
    'recipients.csv': `email,first_name,consent,token\n${rows}\n`,
    'body.txt': VALID_FILES['body.txt'] ?? '',
    'campaign-lint.config.yaml': 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\napproval:\n  required: 0\n',
  });
  const run = runCli(['campaign.yaml'], { cwd: root });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, '✔ 1 campaign checked, no problems\n');
  assert.equal(run.status, 0);
});

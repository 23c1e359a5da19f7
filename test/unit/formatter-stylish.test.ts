import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FRAME_WIDTH, cleanSummary, stylish } from '../../src/formatters/stylish.js';
import { SALE_CAMPAIGN, cleanResults, makeFormatterContext, makeResult } from '../helpers/sample-results.js';

/** A flow-style cc line of 5,000+ characters, as a CRM export pasted into a campaign makes it. */
function longCcLine(): string {
  const addresses = Array.from({ length: 200 }, (_, index) => `customer.number${String(index).padStart(3, '0')}@example.com`);
  return `cc: [${addresses.join(', ')}]`;
}

await test('stylish: a 5,000-character cc line is cut to FRAME_WIDTH characters around the column, with ellipses', () => {
  const line = longCcLine();
  assert.ok(line.length > 5000);
  const source = `version: 1\nid: x\n${line}\n`;
  // Findings at the start, in the middle and at the end of the line.
  const middle = line.indexOf('customer.number100') + 1;
  const results = [
    makeResult(SALE_CAMPAIGN, [
      { ruleId: 'no-cc', severity: 2, message: 'start', line: 3, column: 1 },
      { ruleId: 'no-cc', severity: 2, message: 'middle', line: 3, column: middle },
      { ruleId: 'no-cc', severity: 2, message: 'end', line: 3, column: line.length },
    ]),
  ];
  const output = stylish(results, makeFormatterContext({ sourceOf: () => source }));
  const frames = output.split('\n').filter((text) => text.startsWith('    > 3 | '));
  assert.equal(frames.length, 3);
  const [start = '', mid = '', end = ''] = frames.map((text) => text.slice('    > 3 | '.length));
  assert.equal(FRAME_WIDTH, 160);
  // Cut at the end only, at both ends, at the start only: FRAME_WIDTH characters plus the ellipses.
  assert.equal(start.length, FRAME_WIDTH + 1);
  assert.ok(start.startsWith('cc: [c***@example.com') && start.endsWith('…'), start);
  assert.equal(mid.length, FRAME_WIDTH + 2);
  assert.ok(mid.startsWith('…') && mid.endsWith('…'), mid);
  assert.equal(end.length, FRAME_WIDTH + 1);
  assert.ok(end.startsWith('…') && end.endsWith('.com]'), end);
  // The caret sits under the column in each cut frame.
  const carets = output.split('\n').filter((text) => text.startsWith('        | '));
  const masked = `version: 1\nid: x\n${line}`.split('\n')[2] ?? '';
  assert.equal(carets.length, 3);
  assert.equal(carets[0], '        | ^');
  assert.equal(carets[1]?.indexOf('^'), '        | '.length + FRAME_WIDTH / 2 + 1);
  // The masked line is shorter than the original: the caret follows the masked text, under the address the column names.
  assert.equal(mid.slice(FRAME_WIDTH / 2 + 1, FRAME_WIDTH / 2 + 1 + 16), 'c***@example.com');
  assert.equal(carets[2]?.indexOf('^'), '        | '.length + end.length - 1);
  // Bounded: three findings on a 5 KB line print well under 1 KB of frames, and the address list is never reprinted whole.
  assert.ok(Buffer.byteLength(output) < 1200, `${Buffer.byteLength(output)} bytes`);
  assert.ok(!output.includes(masked.slice(0, 400)));
  assert.ok(!output.includes('customer.number'), 'addresses stay masked in the frame');
});

await test('stylish: a clean run ends with what it checked; problems end with ESLint\'s count', () => {
  assert.equal(stylish(cleanResults(), makeFormatterContext({ campaignCount: 2 })), '✔ 2 campaigns checked, no problems\n');
  assert.equal(stylish(cleanResults(), makeFormatterContext({ campaignCount: 1 })), '✔ 1 campaign checked, no problems\n');
  // Without a campaign count (the library's callers), the files are counted.
  assert.equal(stylish(cleanResults(), makeFormatterContext()), '✔ 2 files checked, no problems\n');
  assert.equal(stylish([], makeFormatterContext({ campaignCount: 0 })), '✔ 0 campaigns checked, no problems\n');
  // --quiet hid warnings: the run is not called clean.
  assert.equal(
    stylish(cleanResults(), makeFormatterContext({ campaignCount: 1, hiddenWarnings: 3 })),
    '✔ 1 campaign checked, no errors (3 warnings hidden by --quiet)\n',
  );
  assert.equal(cleanSummary(1, undefined, 1), '✔ 1 file checked, no errors (1 warning hidden by --quiet)');
  const failing = stylish([makeResult(SALE_CAMPAIGN, [{ ruleId: 'no-cc', severity: 2, message: 'm', line: 1, column: 1 }])], makeFormatterContext({ campaignCount: 1 }));
  assert.equal(failing, '\ncampaigns/spring-sale/campaign.yaml\n  1:1      error    m  no-cc\n\n✖ 1 problem (1 error, 0 warnings)\n');
});

await test('stylish: colours only when asked', () => {
  const coloured = stylish(cleanResults(), makeFormatterContext({ campaignCount: 2, color: true }));
  assert.equal(coloured, '\u001b[32m\u001b[1m✔ 2 campaigns checked, no problems\u001b[22m\u001b[39m\n');
});

await test('stylish: on a short line, the caret follows masking to the column the finding names', () => {
  const source = 'cc: [jane.doe@example.com, bob.builder@example.org]\n';
  const column = source.indexOf('bob.builder') + 1;
  const output = stylish([makeResult(SALE_CAMPAIGN, [{ ruleId: 'no-cc', severity: 2, message: 'm', line: 1, column }])], makeFormatterContext({ sourceOf: () => source }));
  assert.equal(
    output,
    `\ncampaigns/spring-sale/campaign.yaml\n  1:28     error    m  no-cc\n    > 1 | cc: [j***@example.com, b***@example.org]\n        | ${' '.repeat('cc: [j***@example.com, '.length)}^\n\n✖ 1 problem (1 error, 0 warnings)\n`,
  );
  const shown = stylish([makeResult(SALE_CAMPAIGN, [{ ruleId: 'no-cc', severity: 2, message: 'm', line: 1, column }])], makeFormatterContext({ sourceOf: () => source, showPii: true }));
  assert.ok(shown.includes(`> 1 | cc: [jane.doe@example.com, bob.builder@example.org]\n        | ${' '.repeat(column - 1)}^\n`), shown);
});

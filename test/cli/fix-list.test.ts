import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { BIN, runCli } from '../helpers/cli.js';

const CONFIG = `organization:
  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"
  sending_domains: [mail.example.com]
approval:
  required: 2
  approvers: [bob@example.com, carol@example.com]
`;

// Every row on its own, so the expected output is the kept ones joined: BOM, CRLF, quotes, an
// embedded CRLF and LF, and a last row without a line break.
const HEADER = '\uFEFFemail,first_name,consent,token\r\n';
const ROWS = {
  ann: 'ann@example.com,Ann,yes,t1\r\n',
  bo: '"bo@example.org","Bo ""B"" \r\nSmith",yes,t2\r\n',
  invalid: 'not-an-address,X,yes,t3\r\n',
  cy: 'cy@example.net,Cy,no,t4\r\n',
  annAgain: 'ANN@Example.com,Ann2,yes,t5\r\n',
  dee: 'dee@example.com,"Dee\nX",yes,t6\r\n',
  empty: ',Empty,yes,t7\r\n',
  cyConsented: 'cy@example.net,Cy2,yes,t9\r\n',
  eve: 'eve@example.com,Eve,yes,t8',
};
const LIST = HEADER + Object.values(ROWS).join('');
const EXPECTED = HEADER + ROWS.ann + ROWS.bo + ROWS.cyConsented + ROWS.eve;

function tree(list = LIST): string {
  return tempTree({
    'campaign-lint.config.yaml': CONFIG,
    'campaign.yaml': `${VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 4')}suppress: [suppressed.csv]\n`,
    'recipients.csv': list,
    'suppressed.csv': 'email\ndee@example.com\n',
    'body.txt': VALID_FILES['body.txt'] ?? '',
  });
}

test('fix-list -o keeps every other row byte for byte and counts what it removed', () => {
  const root = tree();
  const run = runCli(['fix-list', 'campaign.yaml', '-o', 'fixed.csv'], { cwd: root });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  assert.equal(readFileSync(join(root, 'fixed.csv'), 'latin1'), Buffer.from(EXPECTED, 'utf8').toString('latin1'));
  assert.match(run.stdout, /^fix-list: kept 4 of 9 rows, removed 5 \(2 invalid address, 1 without consent, 1 suppressed, 1 duplicate\); wrote fixed\.csv$/m);
  // Detail: line numbers, masked values.
  assert.match(run.stdout, /^ {2}recipients\.csv:6: without consent: c\*\*\*@example\.net$/m);
  assert.match(run.stdout, /^ {2}recipients\.csv:8: suppressed: d\*\*\*@example\.com$/m);
  assert.match(run.stdout, /^ {2}recipients\.csv:7: duplicate: A\*\*\*@Example\.com$/m);
  assert.ok(!run.stdout.includes('dee@example.com'), 'a removed address is masked');
  // The source is untouched.
  assert.equal(readFileSync(join(root, 'recipients.csv'), 'utf8'), LIST);
});

test('fix-list --show-pii shows the removed addresses unmasked', () => {
  const root = tree();
  const run = runCli(['fix-list', 'campaign.yaml', '-o', 'fixed.csv', '--show-pii'], { cwd: root });
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^ {2}recipients\.csv:8: suppressed: dee@example\.com$/m);
});

test('fix-list -o - writes the exact bytes to stdout and the counts to stderr', () => {
  const root = tree();
  const run = spawnSync(process.execPath, [BIN, 'fix-list', 'campaign.yaml', '-o', '-'], { cwd: root });
  assert.equal(run.status, 0);
  assert.ok(Buffer.compare(run.stdout, Buffer.from(EXPECTED, 'utf8')) === 0, run.stdout.toString('utf8'));
  assert.match(run.stderr.toString('utf8'), /^fix-list: kept 4 of 9 rows, removed 5 .*wrote stdout$/m);
});

test('fix-list needs -o or --in-place, and writes nothing without', () => {
  const root = tree();
  const run = runCli(['fix-list', 'campaign.yaml'], { cwd: root });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^campaign-lint: fix-list writes a new list: name it with -o FILE \(or -o - for stdout\), or pass --in-place/);
  assert.equal(readFileSync(join(root, 'recipients.csv'), 'utf8'), LIST);
});

test('fix-list refuses a list it cannot read exactly (an unterminated quote) and writes nothing', () => {
  const root = tree(`${HEADER}${ROWS.ann}"bo@example.org,Bo,yes,t2\r\n`);
  const run = runCli(['fix-list', 'campaign.yaml', '-o', 'fixed.csv'], { cwd: root });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^campaign-lint: fix-list: recipients\.csv: line 3: .*; nothing written\n$/);
  assert.throws(() => statSync(join(root, 'fixed.csv')));
});

test('fix-list refuses when a suppression list is missing: who is suppressed is not known', () => {
  const root = tree();
  writeFileSync(join(root, 'campaign.yaml'), `${VALID_CAMPAIGN}suppress: [gone.csv]\n`);
  const run = runCli(['fix-list', 'campaign.yaml', '-o', 'fixed.csv'], { cwd: root });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /suppression list `gone\.csv` cannot be used \(does not exist\)/);
});

test('fix-list --in-place leaves a list the list rules pass, and the approvals go stale', () => {
  const root = tree();
  for (const by of ['bob@example.com', 'carol@example.com']) assert.equal(runCli(['approve', 'campaign.yaml', '--by', by, '--yes'], { cwd: root }).status, 0);
  const before = runCli(['digest', 'campaign.yaml'], { cwd: root }).stdout;
  const listRules = /recipient-(email-valid|consent|duplicate|suppressed)/;
  const linted = runCli(['campaign.yaml', '-f', 'json'], { cwd: root });
  assert.match(linted.stdout, listRules);
  assert.doesNotMatch(linted.stdout, /two-person-approval/);

  const fixed = runCli(['fix-list', 'campaign.yaml', '--in-place'], { cwd: root });
  assert.equal(fixed.status, 0, fixed.stderr);
  assert.match(fixed.stdout, /the campaign digest changed: its approvals no longer count/);
  assert.equal(readFileSync(join(root, 'recipients.csv'), 'utf8'), EXPECTED);
  assert.notEqual(runCli(['digest', 'campaign.yaml'], { cwd: root }).stdout, before);
  const after = runCli(['campaign.yaml', '-f', 'json'], { cwd: root });
  assert.doesNotMatch(after.stdout, listRules);
  const messages = (JSON.parse(after.stdout) as { messages: { ruleId: string | null; message: string }[] }[]).flatMap((result) => result.messages);
  assert.ok(messages.some((message) => message.ruleId === 'two-person-approval' && message.message.includes('approv')), JSON.stringify(messages));
});

test('fix-list -o refuses to write over a file the campaign uses', () => {
  const root = tree();
  for (const file of ['recipients.csv', 'suppressed.csv', 'body.txt']) {
    const run = runCli(['fix-list', 'campaign.yaml', '-o', file], { cwd: root });
    assert.equal(run.status, 2, file);
    assert.match(run.stderr, new RegExp(`^campaign-lint: fix-list: -o ${file.replace('.', '\\.')} is one of the campaign's own files`));
  }
  assert.equal(readFileSync(join(root, 'suppressed.csv'), 'utf8'), 'email\ndee@example.com\n');
  assert.equal(readFileSync(join(root, 'recipients.csv'), 'utf8'), LIST);
});

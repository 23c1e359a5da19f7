/**
 * A recipient list without a header row (issue 15, item 10): its first row is data, and every
 * place that prints column names must print them masked, in every format, and in the report.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

const POLICY = 'organization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\n';
const CAMPAIGN = `version: 1
id: headerless
name: Header-less list
category: transactional
author: alice@example.com
from: { name: Example Shop, address: orders@mail.example.com }
to: "{{email}}"
subject: "Your order {{tok_8f3k2j5h6g7d8s9a1c}}"
body: { text: body.txt }
recipients: { file: recipients.csv }
`;
// The first row is a person: an address, a name, a token, a phone number and a health note.
const FIRST_ROW = ['ann@example.com', 'Ann Smith', 'tok_8f3k2j5h6g7d8s9a1b', '+44 20 7946 0958', '=diagnosis'];
const LIST = `${FIRST_ROW.join(',')}\nbob@example.org,Bob Jones,tok_1a2b3c4d5e6f7g8h9i0j,+44 20 7946 0959,none\n`;
const SECRETS = [...FIRST_ROW.slice(0, 4), 'bob@example.org', 'Bob Jones', 'tok_1a2b3c4d5e6f7g8h9i0j'];

function assertNoSecret(output: string, where: string): void {
  for (const secret of SECRETS) assert.ok(!output.includes(secret), `${where} prints ${secret}`);
  // Encodings of the address: JSON and XML escape nothing in it, markdown escapes the @.
  assert.doesNotMatch(output, /ann(?:\\)?@example\.com|ann&#64;|ann%40/i, where);
}

const tree = () => tempTree({ 'campaign-lint.config.yaml': POLICY, 'campaign.yaml': CAMPAIGN, 'recipients.csv': LIST, 'body.txt': 'Hello\n' });

for (const format of ['stylish', 'json', 'sarif', 'github', 'junit', 'markdown']) {
  test(`header-less list: no value of the first row in ${format} output, and the missing header is reported`, () => {
    const dir = tree();
    const run = runCli(['campaign.yaml', '-f', format], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
    assertNoSecret(run.stdout + run.stderr, format);
    assert.match(run.stdout, /seems to lack a header row/);
    if (format === 'json') {
      const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string | null; message: string; line: number; column: number }[] }[];
      const list = results.find((result) => result.filePath === join(dir, 'recipients.csv'))?.messages ?? [];
      assert.deepEqual(
        list.filter((message) => message.ruleId === 'recipients-file').map((message) => [message.line, message.column, message.message]),
        [
          [1, 1, 'no header row: the first row looks like data (column 1 holds an address, a phone number or a token): the list seems to lack a header row; add one naming the columns'],
        ],
      );
      // The missing address column is the locked rule's one finding, naming no value of the row.
      assert.deepEqual(
        list.filter((message) => message.ruleId === 'single-recipient-to').map((message) => [message.line, message.column, message.message]),
        [[1, 1, "`to` cannot be bound to the recipient's address: the list has no `email` column (`recipients.email_column`): add it, or name the address column in `recipients.email_column`"]],
      );
      // The column rules still speak, about masked names.
      assert.ok(list.some((message) => message.ruleId === 'recipient-unused-column' && message.message.startsWith('column `a***@example.com` is not used')));
      assert.ok(list.some((message) => message.ruleId === 'recipient-unused-column' && message.message.startsWith('column `A***` is not used')));
      const campaign = results.find((result) => result.filePath === join(dir, 'campaign.yaml'))?.messages ?? [];
      assert.ok(campaign.some((message) => message.ruleId === 'merge-field-defined' && message.message.includes('(did you mean `t***`?)')), JSON.stringify(campaign));
    }
  });
}

test('header-less list: the HTML report shows the "column names" masked', () => {
  const dir = tree();
  const run = runCli(['report', 'campaign.yaml', '-o', 'report.html'], { cwd: dir });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assertNoSecret(html + run.stdout + run.stderr, 'report');
  assert.match(html, /<code>a\*\*\*@example\.com<\/code>/);
});

test('a header row whose names are ordinary words is not taken for data', () => {
  const dir = tempTree({
    'campaign-lint.config.yaml': POLICY,
    'campaign.yaml': CAMPAIGN.replace(' {{tok_8f3k2j5h6g7d8s9a1c}}', ''),
    'recipients.csv': 'email,first_name,utm_campaign_2024_q1,customer_id\nann@example.com,Ann,x,1\n',
    'body.txt': 'Hello\n',
  });
  const run = runCli(['campaign.yaml', '-f', 'json'], { cwd: dir });
  assert.doesNotMatch(run.stdout, /lack a header row/);
  assert.match(run.stdout, /column `utm_campaign_2024_q1` is not used/);
});

import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VALID_CAMPAIGN, VALID_FILES, tempTree } from '../helpers/campaign.js';
import { runCli } from '../helpers/cli.js';

/**
 * The BitMEX mistake end to end (built CLI): 47 customers' addresses written in `cc`, the
 * customers also on the recipient list. One finding for one mistake, a bounded output, no
 * address unmasked, and still exit 1 (grouping never drops the verdict).
 */
const ADDRESSES = Array.from({ length: 47 }, (_, index) => `customer${String(index).padStart(2, '0')}.name@example.${['com', 'org', 'net'][index % 3] ?? 'com'}`);
const RECIPIENTS = `email,first_name,consent,token\n${ADDRESSES.map((address, index) => `${address},N${index},yes,t-${index}\n`).join('')}`;
const CONFIG = 'extends: recommended\norganization:\n  postal_address: "Example Ltd, 1 Main Street, London N1 1AA"\n  sending_domains: [mail.example.com]\napproval:\n  required: 0\n';
const MESSAGE = '47 addresses written in `cc`: every recipient would see every other address. Send one message per recipient through `to` and remove `cc`';

function bitmex(cc: string) {
  return tempTree({
    'campaign.yaml': `${VALID_CAMPAIGN.replace('expected_count: 2', 'expected_count: 47')}${cc}`,
    'recipients.csv': RECIPIENTS,
    'body.txt': VALID_FILES['body.txt'] ?? '',
    'campaign-lint.config.yaml': CONFIG,
  });
}

const CASES = [
  { name: 'a flow list on one line', cc: `cc: [${ADDRESSES.join(', ')}]\n`, maxBytes: 600 },
  { name: 'a block list', cc: `cc:\n${ADDRESSES.map((address) => `  - ${address}\n`).join('')}`, maxBytes: 600 },
];

for (const { name, cc, maxBytes } of CASES) {
  test(`47 addresses in cc as ${name}: one no-cc error, bounded output, masked`, () => {
    const cwd = bitmex(cc);
    const json = runCli(['campaign.yaml', '-f', 'json'], { cwd });
    assert.equal(json.status, 1, json.stderr);
    const results = JSON.parse(json.stdout) as { messages: { ruleId: string; line: number; column: number; message: string }[] }[];
    const messages = results.flatMap((result) => result.messages);
    assert.deepEqual(
      messages.map((message) => [message.ruleId, message.line, message.column, message.message]),
      [['no-cc', 20, 1, MESSAGE]],
    );

    const stylish = runCli(['campaign.yaml'], { cwd });
    assert.equal(stylish.status, 1);
    assert.ok(Buffer.byteLength(stylish.stdout) <= maxBytes, `stylish output is ${Buffer.byteLength(stylish.stdout)} bytes`);
    for (const address of ADDRESSES) assert.ok(!stylish.stdout.includes(address) && !json.stdout.includes(address), `${address} printed unmasked`);

    const shown = runCli(['campaign.yaml', '-f', 'json', '--show-pii'], { cwd });
    assert.equal(shown.status, 1);
    assert.equal((JSON.parse(shown.stdout) as { messages: unknown[] }[]).flatMap((result) => result.messages).length, 1);
  });
}

test('with no-cc off, the locked rendered audit still fails the campaign, its findings bounded, and the written recipients are one finding', () => {
  const cwd = bitmex(`cc: [${ADDRESSES.join(', ')}]\n`);
  const run = runCli(['campaign.yaml', '-f', 'json', '--config', 'relaxed.yaml'], { cwd: tempTreeWith(cwd) });
  assert.equal(run.status, 1, run.stderr);
  const messages = (JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[]).flatMap((result) => result.messages);
  assert.deepEqual(
    messages.map((message) => message.ruleId),
    ['rendered-message', 'rendered-message', 'no-recipient-data-leak'],
  );
  assert.equal(
    messages[1]?.message,
    'every rendered message has this problem, whatever the recipient: The rendered message has a Cc header with 47 addresses: c***@example.com, c***@example.org, c***@example.net, c***@example.com, c***@example.org and 42 more',
  );
  assert.match(messages[0]?.message ?? '', /recipient list line 2; recipient list line 3; recipient list line 4; recipient list line 5; recipient list line 6 and 42 more\)$/);
  assert.match(messages[2]?.message ?? '', /^47 addresses of recipients are written in `cc` \(at 20:6, 20:35, 20:64, 20:93, 20:122 and 42 more\), the first `c\*\*\*@example\.com` \(line 2 of the list\)/);
});

/** The same tree with a config that turns no-cc off (an organisation's own choice, outside the recommended preset). */
function tempTreeWith(root: string): string {
  return tempTreeCopy(root, { 'relaxed.yaml': `${CONFIG}rules:\n  no-cc: off\n` });
}

function tempTreeCopy(root: string, extra: Record<string, string>): string {
  const copy = tempTree({});
  cpSync(root, copy, { recursive: true });
  for (const [path, content] of Object.entries(extra)) writeFileSync(join(copy, path), content);
  return copy;
}

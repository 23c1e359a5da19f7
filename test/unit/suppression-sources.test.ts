import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintCampaign } from '../../src/core/linter.js';
import { lintPayload } from '../../src/payloads/lint.js';
import { digestOf, loadSuppressionSources } from '../../src/parsers/suppression-sources.js';
import type { SuppressionSourceSpec } from '../../src/parsers/suppression-sources.js';
import recipientSuppressed from '../../src/rules/recipient-suppressed.js';
import { validators } from '../../src/core/schemas.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree, testConfig } from '../helpers/campaign.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

async function load(files: Record<string, string>, specs: SuppressionSourceSpec[]) {
  const root = tempTree(files);
  return loadSuppressionSources(specs, { baseDir: root, rootDir: root });
}

test('a hashed list (sha256, one per line, no header) matches the normalised address and holds no plain address', async () => {
  const sources = await load({ 'h.txt': `${sha256('jane.doe@example.com')}\n${sha256('omar.haddad@example.org').toUpperCase()}\n` }, [{ file: 'h.txt', hash: 'sha256' }]);
  assert.deepEqual(sources.match('  Jane.Doe@EXAMPLE.com '), { file: 'h.txt', line: 1 });
  assert.deepEqual(sources.match('Omar <omar.haddad@example.org>'), { file: 'h.txt', line: 2 });
  assert.equal(sources.match('li.wei@example.net'), undefined);
  assert.equal(sources.addresses.size, 0);
  assert.deepEqual([...(sources.digests.get('sha256')?.keys() ?? [])], [sha256('jane.doe@example.com'), sha256('omar.haddad@example.org')]);
  assert.equal(digestOf('sha256', ' JANE.DOE@example.com'), sha256('jane.doe@example.com'));
});

test('md5 digests in a named column; an entry that is not a digest is a problem at its place', async () => {
  const sources = await load({ 'h.csv': `id,hash\n1,${md5('jane.doe@example.com')}\n2,not-a-digest\n` }, [{ file: 'h.csv', hash: 'md5', column: 'hash' }]);
  assert.deepEqual(sources.match('jane.doe@example.com'), { file: 'h.csv', line: 2 });
  assert.deepEqual(sources.problems, [{ file: 'h.csv', filePath: sources.problems[0]?.filePath, reason: 'entry is not a hex md5 digest (32 hexadecimal digits), so it suppresses nobody', loc: { line: 3, column: 3 } }]);
});

test('platform exports: SES without a header, SendGrid per-reason, Mailchimp `Email Address`, HubSpot boolean column', async () => {
  const sources = await load(
    {
      'ses.csv': 'jane.doe@example.com,BOUNCE,2024-02-01T10:00:00Z\n',
      'sendgrid-bounces.csv': 'email,created,reason\nomar.haddad@example.org,1706781600,550 mailbox unavailable\n',
      'mailchimp.csv': 'Email Address,First Name,MEMBER_RATING\nli.wei@example.net,Li,2\n',
      'hubspot.csv': 'Email,Unsubscribed from all email\nann.lee@example.com,true\nbo.kim@example.com,false\n',
    },
    [{ file: 'ses.csv' }, { file: 'sendgrid-bounces.csv' }, { file: 'mailchimp.csv' }, { file: 'hubspot.csv', where: { column: 'Unsubscribed from all email', value: 'TRUE' } }],
  );
  assert.deepEqual(sources.problems, []);
  assert.deepEqual(sources.match('jane.doe@example.com'), { file: 'ses.csv', line: 1 });
  assert.deepEqual(sources.match('omar.haddad@example.org'), { file: 'sendgrid-bounces.csv', line: 2 });
  assert.deepEqual(sources.match('li.wei@example.net'), { file: 'mailchimp.csv', line: 2 });
  assert.deepEqual(sources.match('ann.lee@example.com'), { file: 'hubspot.csv', line: 2 });
  assert.equal(sources.match('bo.kim@example.com'), undefined);
});

test('a missing list, a missing column, a list outside the repository and an empty result are problems, never a silent pass', async () => {
  const sources = await load({ 'a.csv': 'name\nx\n', 'b.csv': 'Email\n' }, [{ file: 'gone.csv' }, { file: 'a.csv', column: 'Email Address' }, { file: '../outside.csv' }, { file: 'b.csv' }]);
  assert.deepEqual(
    sources.problems.map((problem) => `${problem.file}: ${problem.reason}`),
    ['gone.csv: does not exist', 'a.csv: has no column `Email Address` (column)', `../outside.csv: ${sources.problems[2]?.reason ?? ''}`, 'b.csv: yields no entry: check `hash`, `column` and `where`'],
  );
  assert.match(sources.problems[2]?.reason ?? '', /leaves the repository/);
});

test('recipient-suppressed reports a campaign row and a payload recipient found on a hashed list from the config', async () => {
  const hashed = `${sha256('bo@example.org')}\n${sha256('jane.doe@example.com')}\n`;
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES, 'hashed.txt': hashed, 'a.payload.json': '{"from": "news@mail.example.com", "to": "Jane.Doe@example.com"}' });
  const config = testConfig(root, { suppression: [{ file: 'hashed.txt', hash: 'sha256' }] });
  const { results } = await lintCampaign(join(root, 'campaign.yaml'), config, { rules: [recipientSuppressed] });
  assert.deepEqual(
    results.flatMap((result) => result.messages.map((message) => `${result.filePath.slice(root.length + 1)}:${message.line}:${message.column} ${message.message}`)),
    ['recipients.csv:3:1 `b***@example.org` is on suppression list `hashed.txt` (line 1): this person must not be sent anything'],
  );
  const payload = await lintPayload(join(root, 'a.payload.json'), config, { rules: [recipientSuppressed] });
  assert.deepEqual(
    payload.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column} ${message.message}`)),
    ['1:41 `J***@example.com` is on suppression list `hashed.txt` (line 2): this person must not be sent anything'],
  );
});

test('the config schema accepts the object form and rejects an unknown hash', () => {
  const validate = validators.config;
  assert.equal(validate({ suppression: ['lists/*.csv', { file: 'h.txt', hash: 'sha1', where: { column: 'Status', value: 'unsubscribed' } }] }), true);
  assert.equal(validate({ suppression: [{ file: 'h.txt', hash: 'crc32' }] }), false);
  assert.equal(validate({ suppression: [{ hash: 'md5' }] }), false);
});

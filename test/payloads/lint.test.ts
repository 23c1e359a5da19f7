import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintPayload } from '../../src/payloads/lint.js';
import type { PayloadFormat } from '../../src/payloads/model.js';
import { rules } from '../../src/rules/index.js';
import { tempTree, testConfig } from '../helpers/campaign.js';

type Raw = Parameters<typeof testConfig>[1];

async function findings(file: string, text: string, options: { format?: PayloadFormat; config?: Raw; files?: Record<string, string>; showPii?: boolean } = {}): Promise<string[]> {
  const root = tempTree({ [file]: text, ...options.files });
  const config = testConfig(root, options.config);
  const results = await lintPayload(join(root, file), config, { rules, ...(options.format ? { format: options.format } : {}), ...(options.showPii ? { showPii: true } : {}) });
  return results.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? '(fatal)'} ${message.messageId ?? ''}`.trim()));
}

async function messages(file: string, text: string): Promise<string[]> {
  const root = tempTree({ [file]: text });
  const results = await lintPayload(join(root, file), testConfig(root), { rules });
  return results.flatMap((result) => result.messages.map((message) => message.message));
}

test('SendGrid: one personalization per recipient passes; several to, cc, a non-archive bcc and a recipient header fail under their locked owners', async () => {
  const ok = JSON.stringify({ from: { email: 'news@mail.example.com' }, personalizations: [{ to: [{ email: 'jane.doe@example.com' }] }, { to: [{ email: 'omar.haddad@example.org' }] }] });
  assert.deepEqual(await findings('a.payload.json', ok), []);
  const bad = `{
  "from": {"email": "news@mail.example.com"},
  "headers": {"Return-Receipt-To": "tracking@example.net"},
  "personalizations": [
    {"to": [{"email": "jane.doe@example.com"}, {"email": "omar.haddad@example.org"}],
     "cc": [{"email": "li.wei@example.net"}],
     "bcc": [{"email": "archive@example.com"}, {"email": "sales@example.net"}]}
  ]
}`;
  assert.deepEqual(await findings('a.payload.json', bad), [
    '3:36 no-cc payloadRecipientHeader',
    '5:12 single-recipient-to payloadManyTo',
    '6:12 no-cc payloadCc',
    '7:58 no-bulk-bcc payloadNotArchive',
  ]);
});

test('SendGrid without personalizations, or without from, fails closed', async () => {
  assert.deepEqual(await findings('a.payload.json', '{"from": {"email": "news@mail.example.com"}, "personalizations": []}'), ['1:66 single-recipient-to payloadNoTo']);
  assert.deepEqual(await findings('a.payload.json', '{"personalizations": [{"to": [{"email": "jane.doe@example.com"}]}]}'), ['1:23 sender-address payloadMissingFrom']);
});

test('Mailgun: several to in one string without recipient-variables fail; with them each address gets its own message', async () => {
  assert.deepEqual(await findings('m.json', '{"from": "news@mail.example.com", "to": "jane.doe@example.com, omar.haddad@example.org"}', { format: 'mailgun' }), ['1:41 single-recipient-to payloadManyTo']);
  assert.deepEqual(
    await findings('m.json', '{"from": "news@mail.example.com", "to": ["jane.doe@example.com", "omar.haddad@example.org"], "recipient-variables": {"jane.doe@example.com": {}}}', { format: 'mailgun' }),
    [],
  );
  // An empty recipient-variables makes no batch.
  assert.deepEqual(await findings('m.json', '{"from": "news@mail.example.com", "to": ["jane.doe@example.com", "omar.haddad@example.org"], "recipient-variables": "{}"}', { format: 'mailgun' }), [
    '1:41 single-recipient-to payloadManyTo',
  ]);
});

test('Mandrill: preserve_recipients absent with several to fails; false passes; type cc always fails', async () => {
  const send = (preserve: string, type = 'to') =>
    `{"message": {"from_email": "news@mail.example.com", ${preserve}"to": [{"email": "jane.doe@example.com"}, {"email": "omar.haddad@example.org", "type": "${type}"}]}}`;
  assert.deepEqual(await findings('a.payload.json', send('')), ['1:95 single-recipient-to payloadManyTo']);
  assert.deepEqual(await findings('a.payload.json', send('"preserve_recipients": false, ')), []);
  assert.deepEqual(await findings('a.payload.json', send('"preserve_recipients": false, ', 'cc')), ['1:125 no-cc payloadCc']);
});

test('SES: SendEmail with two To addresses, a Cc, two Reply-To, and a line break in a header fail', async () => {
  const text = `{"FromEmailAddress": "news@mail.example.com",
"ReplyToAddresses": ["help@mail.example.com", "jane.doe@example.com"],
"Destination": {"ToAddresses": ["jane.doe@example.com", "omar.haddad@example.org"], "CcAddresses": []},
"Content": {"Simple": {"Subject": {"Data": "Hi"}, "Headers": [{"Name": "X-Tag", "Value": "a\\r\\nBcc: li.wei@example.net"}]}}}`;
  assert.deepEqual(await findings('a.payload.json', text), ['2:21 sender-address payloadNotOne', '3:32 single-recipient-to payloadManyTo', '4:90 header-injection payloadLineBreak']);
});

test('Postmark: a comma-separated To or any Cc fails; a batch is judged message by message', async () => {
  const text = '[{"From": "news@mail.example.com", "To": "jane.doe@example.com"},\n {"From": "news@mail.example.com", "To": "omar.haddad@example.org", "Cc": "li.wei@example.net"}]';
  assert.deepEqual(await findings('a.payload.json', text), ['2:75 no-cc payloadCc']);
  assert.deepEqual(await findings('a.payload.json', '{"From": "news@mail.example.com", "To": "jane.doe@example.com,omar.haddad@example.org"}'), ['1:41 single-recipient-to payloadManyTo']);
});

test('nodemailer: to arrays, {name, address} objects and the SMTP envelope', async () => {
  assert.deepEqual(await findings('a.payload.json', '{"from": "news@mail.example.com", "to": [{"name": "Jane", "address": "jane.doe@example.com"}], "envelope": {"from": "bounce@mail.example.com"}}'), []);
  assert.deepEqual(await findings('a.payload.json', '{"from": "news@mail.example.com", "to": [{"name": "Jane", "address": "jane.doe@example.com"}, "omar.haddad@example.org"]}'), ['1:41 single-recipient-to payloadManyTo']);
  assert.deepEqual(await findings('a.payload.json', '{"from": "news@mail.example.com", "to": "jane.doe@example.com", "envelope": {"bcc": "li.wei@example.net"}}'), ['1:85 no-cc payloadRecipientHeader']);
});

test('JSON Lines: one request per line, positions on that line', async () => {
  const text = '{"from": "news@mail.example.com", "to": "jane.doe@example.com"}\n\n{"from": "news@mail.example.com", "to": "jane.doe@example.com", "cc": "omar.haddad@example.org"}\n';
  assert.deepEqual(await findings('a.payload.jsonl', text), ['3:71 no-cc payloadCc']);
  assert.deepEqual(await findings('a.payload.jsonl', '{"to": "x@example.com",}\n{"bad"\n'), ['1:24 (fatal)', '2:7 (fatal)']);
});

test('a request of no known shape, or a plain value, fails closed under single-recipient-to', async () => {
  assert.deepEqual(await findings('a.payload.json', '{"recipients": ["jane.doe@example.com"]}'), ['1:1 single-recipient-to payloadUnknown']);
  assert.deepEqual(await findings('a.payload.json', '["jane.doe@example.com"]'), ['1:2 single-recipient-to payloadUnknown']);
  // --input-format forces the platform whatever the shape.
  assert.deepEqual(await findings('a.json', '{"From": "news@mail.example.com", "To": "jane.doe@example.com"}', { format: 'sendgrid' }), ['1:1 sender-address payloadMissingFrom', '1:1 single-recipient-to payloadNoTo', '1:2 single-recipient-to payloadUnknown']);
});

test('addresses in messages are masked unless --show-pii', async () => {
  const text = '{"from": "news@mail.example.com", "to": "jane.doe@example.com", "bcc": "sales.person@example.net"}';
  const shown = await messages('a.payload.json', text);
  assert.equal(shown.length, 1);
  assert.match(shown[0] ?? '', /s\*\*\*@example\.net/);
  assert.doesNotMatch(shown.join('\n'), /sales\.person/);
});

test('payload recipients are checked against the config suppression lists', async () => {
  const text = '[{"From": "news@mail.example.com", "To": "jane.doe@example.com"},\n{"From": "news@mail.example.com", "To": "Omar <OMAR.haddad@example.org>"}]';
  assert.deepEqual(await findings('a.payload.json', text, { config: { suppression: ['suppressed.csv'] }, files: { 'suppressed.csv': 'email\nomar.haddad@example.org\n' } }), [
    '2:41 recipient-suppressed suppressed',
  ]);
});

test('the locked verdict does not depend on severities of unlocked rules, and a locked rule turned off in config still reports (locked)', async () => {
  const text = '{"from": "news@mail.example.com", "to": "jane.doe@example.com", "cc": "omar.haddad@example.org"}';
  assert.deepEqual(await findings('a.payload.json', text, { config: { rules: { 'payload-settings': 'off', 'recipient-suppressed': 'off' } } }), ['1:71 no-cc payloadCc']);
});

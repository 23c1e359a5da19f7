import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import payloadSettings from '../../src/rules/payload-settings.js';
import { lintPayload } from '../../src/payloads/lint.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree, testConfig } from '../helpers/campaign.js';
import { lintCampaign } from '../../src/core/linter.js';

type Raw = Parameters<typeof testConfig>[1];

async function run(text: string, config: Raw = {}): Promise<string[]> {
  const root = tempTree({ 'a.payload.json': text });
  const results = await lintPayload(join(root, 'a.payload.json'), testConfig(root, config), { rules: [payloadSettings] });
  return results.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column} ${message.messageId ?? ''}: ${message.message}`));
}

const SENDGRID = (extra: string) => `{"from": {"email": "news@mail.example.com"}, "personalizations": [{"to": [{"email": "jane.doe@example.com"}]}]${extra}}`;

test('every SendGrid bypass flag set to true fails at its value; false passes', async () => {
  assert.deepEqual(await run(SENDGRID(', "mail_settings": {"bypass_unsubscribe_management": {"enable": false}}')), []);
  assert.deepEqual(await run(SENDGRID(',\n"mail_settings": {"bypass_unsubscribe_management": {"enable": true}, "bypass_bounce_management": {"enable": true}}')), [
    '2:63 bypass: `mail_settings.bypass_unsubscribe_management.enable` is true: SendGrid then sends to addresses on its global unsubscribe list. Remove it',
    '2:109 bypass: `mail_settings.bypass_bounce_management.enable` is true: SendGrid then sends to addresses on its bounce list. Remove it',
  ]);
});

test('SendGrid marketing (List-Unsubscribe, or category: marketing) without asm fails; with asm passes; transactional passes', async () => {
  const marketing = SENDGRID(', "headers": {"List-Unsubscribe": "<https://mail.example.com/u/1>"}');
  assert.deepEqual(await run(marketing), [
    "1:1 asmMissing: the SendGrid request `request` is marketing mail without an `asm` unsubscribe group: recipients get no working unsubscribe and SendGrid's group suppressions are not applied",
  ]);
  assert.deepEqual(await run(SENDGRID(', "asm": {"group_id": 1}')), []);
  assert.deepEqual(await run(SENDGRID(''), { rules: { 'payload-settings': ['error', { category: 'marketing' }] } }), [
    "1:1 asmMissing: the SendGrid request `request` is marketing mail without an `asm` unsubscribe group: recipients get no working unsubscribe and SendGrid's group suppressions are not applied",
  ]);
  assert.deepEqual(await run(marketing, { rules: { 'payload-settings': ['error', { category: 'transactional' }] } }), []);
});

test('Postmark marketing on the transactional stream fails at MessageStream (or the message when absent)', async () => {
  const header = '"Headers": [{"Name": "List-Unsubscribe", "Value": "<https://mail.example.com/u/1>"}]';
  assert.deepEqual(await run(`{"From": "news@mail.example.com", "To": "jane.doe@example.com", ${header}, "MessageStream": "outbound"}`), [
    '1:168 transactionalStream: the Postmark message `message` is marketing mail on the transactional stream `outbound`: send it through a broadcast stream (`MessageStream`)',
  ]);
  assert.deepEqual(await run(`[{"From": "news@mail.example.com", "To": "jane.doe@example.com", ${header}}]`), [
    '1:2 transactionalStream: the Postmark message `[0]` is marketing mail on the transactional stream `outbound`: send it through a broadcast stream (`MessageStream`)',
  ]);
  assert.deepEqual(await run(`{"From": "news@mail.example.com", "To": "jane.doe@example.com", ${header}, "MessageStream": "broadcast"}`), []);
});

test('a campaign (not a payload) is never judged by this rule', async () => {
  const root = tempTree({ 'campaign.yaml': VALID_CAMPAIGN, ...VALID_FILES });
  const { results } = await lintCampaign(join(root, 'campaign.yaml'), testConfig(root), { rules: [payloadSettings] });
  assert.deepEqual(results.flatMap((result) => result.messages), []);
});

/** A campaign's `suppress` entries as objects `{ file, hash?, column?, where? }`, like the config's `suppression`. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { referencedFilesOf } from '../../src/approval/digest.js';
import { lintCampaign } from '../../src/core/linter.js';
import { validators } from '../../src/core/schemas.js';
import { campaignSourceSpecs } from '../../src/parsers/suppression-sources.js';
import { findRule } from '../../src/rules/index.js';
import { VALID_CAMPAIGN, VALID_FILES, tempTree, testConfig } from '../helpers/campaign.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const withSuppress = (block: string) => VALID_CAMPAIGN.replace('body:\n', `suppress:\n${block}body:\n`);

async function lint(campaign: string, files: Record<string, string>, ruleIds = ['recipient-suppressed']) {
  const root = tempTree({ 'campaign.yaml': campaign, ...VALID_FILES, ...files });
  const rules = ruleIds.map((id) => {
    const rule = findRule(id);
    assert.ok(rule, id);
    return rule;
  });
  const { results } = await lintCampaign(join(root, 'campaign.yaml'), testConfig(root), { rules });
  return results.flatMap((result) => result.messages.map((message) => `${result.filePath.slice(root.length + 1)}:${message.line}:${message.column} ${message.ruleId ?? ''} ${message.message}`));
}

test('a hashed list named by a campaign object entry suppresses the matching row (resolved from the campaign folder)', async () => {
  const campaign = withSuppress('  - { file: lists/hashed.txt, hash: sha256 }\n');
  assert.deepEqual(await lint(campaign, { 'lists/hashed.txt': `${sha256('zed@example.com')}\n${sha256('bo@example.org')}\n` }), [
    'recipients.csv:3:1 recipient-suppressed `b***@example.org` is on suppression list `lists/hashed.txt` (line 2): this person must not be sent anything',
  ]);
});

test('platform exports: Mailchimp `Email Address` column, a HubSpot-style `where`, next to a plain path', async () => {
  const campaign = withSuppress(
    '  - plain.csv\n  - file: mailchimp.csv\n    column: Email Address\n  - file: hubspot.csv\n    column: Email\n    where: { column: Unsubscribed from all email, value: "true" }\n',
  );
  const files = {
    'plain.csv': 'email\nzed@example.com\n',
    'mailchimp.csv': 'Email Address,First Name\nyan@example.net,Yan\n',
    'hubspot.csv': 'Email,Unsubscribed from all email\nann@example.com,false\nbo@example.org,TRUE\n',
    'recipients.csv': 'email,first_name,consent,token\nann@example.com,Ann,yes,t1\nbo@example.org,Bo,yes,t2\nyan@example.net,Yan,yes,t3\n',
  };
  assert.deepEqual(await lint(campaign, files), [
    'recipients.csv:3:1 recipient-suppressed `b***@example.org` is on suppression list `hubspot.csv` (line 3): this person must not be sent anything',
    'recipients.csv:4:1 recipient-suppressed `y***@example.net` is on suppression list `mailchimp.csv` (line 2): this person must not be sent anything',
  ]);
});

test('a missing list or column of a campaign object entry is a finding at the entry or in the list, never a silent pass', async () => {
  const campaign = withSuppress('  - { file: gone.csv, hash: md5 }\n  - { file: export.csv, column: Email Address }\n');
  assert.deepEqual(await lint(campaign, { 'export.csv': 'email\nzed@example.com\n' }), [
    'campaign.yaml:15:5 recipient-suppressed suppression list `gone.csv` does not exist',
    'export.csv:1:1 recipient-suppressed suppression list `export.csv` has no column `Email Address` (column)',
  ]);
});

test('the campaign schema accepts object entries and rejects an unknown hash, a missing file and unknown keys', async () => {
  const validate = validators.campaign;
  const base = (suppress: unknown[]) => ({ ...(parse(VALID_CAMPAIGN) as Record<string, unknown>), suppress });
  assert.equal(validate(base(['a.csv', { file: 'h.txt', hash: 'sha1', column: 'digest', where: { column: 'Status', value: 'unsubscribed' } }])), true);
  assert.equal(validate(base([{ file: 'h.txt', hash: 'crc32' }])), false);
  assert.equal(validate(base([{ hash: 'md5' }])), false);
  assert.equal(validate(base([{ file: 'h.txt', timestamp: 'x' }])), false);
  // Through the schema rule, at the entry.
  assert.deepEqual((await lint(withSuppress('  - { file: h.txt, hash: crc32 }\n'), { 'h.txt': 'x\n' }, ['schema'])).map((line) => line.split(' ').slice(0, 2).join(' ')), ['campaign.yaml:15:26 schema']);
});

test('object entries are content: their lists are in the approval digest and the cache key, malformed ones are skipped', () => {
  assert.deepEqual(referencedFilesOf({ suppress: ['a.csv', { file: 'b.txt', hash: 'md5' }, { hash: 'md5' }, 3] }), ['a.csv', 'b.txt']);
  assert.deepEqual(campaignSourceSpecs(['a.csv', { file: 'b.txt', hash: 'md5' }, { file: 'c.txt', hash: 'crc32' }, { file: 'd.csv', where: { column: 'x' } }, { file: 'e.csv', column: 'Email' }]), {
    specs: [{ file: 'b.txt', hash: 'md5' }, { file: 'e.csv', column: 'Email' }],
    indexes: [1, 4],
  });
});
